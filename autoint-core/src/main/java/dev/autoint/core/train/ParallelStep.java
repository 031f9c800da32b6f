package dev.autoint.core.train;

import dev.autoint.core.data.EncodedDataset;
import dev.autoint.core.internal.engine.Gradients;
import dev.autoint.core.internal.engine.Network;
import dev.autoint.core.internal.engine.Workspace;
import dev.autoint.core.internal.train.GradientStep;
import dev.autoint.core.internal.train.Updater;
import dev.autoint.core.model.AutoIntModel;
import dev.autoint.core.model.Loss;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/**
 * One training step of {@link Trainer} spread over T threads, each with its own {@link Workspace} and
 * {@link Gradients}:
 * <ol>
 *   <li>{@link #forwardBackward}: a batch of B rows is cut into T contiguous slices,
 *       [from + B·t/T, from + B·(t+1)/T); thread t runs forward and backward over slice t, chunk by chunk,
 *       into buffer t, scaled by 1/B. Dropout masks depend on a row's position in the batch, not on t.</li>
 *   <li>{@link #reduce} and {@link #update}: the element-wise rest of the step ({@link GradientStep}), each thread
 *       over its own contiguous part of the step's regions.</li>
 * </ol>
 * The caller runs part 0; a pool of T − 1 daemon threads, open between {@link #open} and {@link #close}, runs
 * the others. After any failure every buffer is cleared, so the next step starts clean.
 */
final class ParallelStep implements AutoCloseable {

    private final Network network;
    private final int threads;
    private final Workspace[] workspaces;
    private final Gradients[] grads;
    private final GradientStep step;
    private final double[] losses;
    private ExecutorService pool;

    ParallelStep(AutoIntModel model, int threads, int batchSize) {
        this.network = Network.of(model);
        this.threads = threads;
        this.workspaces = new Workspace[threads];
        this.grads = new Gradients[threads];
        int chunk = Math.min(Network.DEFAULT_CHUNK, (batchSize + threads - 1) / threads);
        for (int t = 0; t < threads; t++) {
            workspaces[t] = network.newWorkspace(chunk);
            grads[t] = new Gradients(model.parameters());
        }
        this.step = new GradientStep(model.parameters(), grads, threads);
        this.losses = new double[threads];
    }

    /** Starts the worker threads (none for one thread); {@link #close} stops them. */
    ParallelStep open() {
        if (threads > 1 && pool == null) {
            pool = Executors.newFixedThreadPool(threads - 1, r -> {
                Thread t = new Thread(r, "autoint-trainer");
                t.setDaemon(true);
                return t;
            });
        }
        return this;
    }

    @Override
    public void close() {
        if (pool != null) pool.shutdownNow();
        pool = null;
    }

    /**
     * Forward and backward of rows {@code order[from .. from+size)} of {@code train}, each thread over its
     * slice; returns the sum of the rows' weighted losses (not yet divided by {@code size}).
     */
    double forwardBackward(EncodedDataset train, int[] order, int from, int size, Loss loss, long dropoutKey) {
        float scale = 1f / size;
        try {
            runParts(t -> losses[t] = slice(t, train, order, from, size, loss, scale, dropoutKey));
        } catch (RuntimeException | Error e) {
            step.clear();
            throw e;
        }
        double total = 0;
        for (int t = 0; t < threads; t++) total += losses[t];
        return total;
    }

    private double slice(int t, EncodedDataset train, int[] order, int from, int size, Loss loss, float scale, long key) {
        int lo = from + (int) ((long) size * t / threads);
        int hi = from + (int) ((long) size * (t + 1) / threads);
        Workspace ws = workspaces[t];
        double sum = 0;
        for (int c = lo; c < hi; c += ws.capacity()) {
            int n = Math.min(ws.capacity(), hi - c);
            network.forward(ws, train, order, c, n, true, key, c - from);
            sum += network.backward(ws, train, order, c, loss, scale, grads[t]);
        }
        return sum;
    }

    /**
     * Sums the threads' gradients, adds the L2 gradient 2λ·e of the touched embedding rows and, when
     * {@code measureNorm}, measures the squared norm; returns Σ‖e‖² of those rows (the penalty is λ times it).
     */
    double reduce(float lambda, boolean measureNorm) {
        step.plan();
        try {
            runParts(part -> step.reduce(part, lambda, measureNorm));
        } catch (RuntimeException | Error e) {
            step.clear(); // no weight has changed yet
            throw e;
        }
        step.finishReduce();
        return step.penalty();
    }

    /** The first tensor with a non-finite gradient after {@link #reduce}, or null. */
    String firstNonFiniteGradient() {
        return step.firstNonFiniteGradient();
    }

    /** The clipping factor after {@link #reduce} measured the norm (1: no clipping). */
    float clipFactor(float clipNorm) {
        return step.clipFactor(clipNorm);
    }

    /**
     * Scales by {@code clip}, saves each region's weights into {@code lastGood}, applies {@code updater} and
     * zeroes the gradients. Returns the first tensor (in layout order) with a non-finite weight, or null; the
     * caller then puts the saved regions back with {@link #restore}. On a failure the saved regions are put
     * back before it propagates.
     */
    String update(Updater updater, float clip, float lr, float[] lastGood) {
        step.beginUpdate(updater);
        try {
            runParts(part -> step.update(part, updater, clip, lr, lastGood));
        } catch (RuntimeException | Error e) {
            step.restore(lastGood); // exactly the regions some part had saved, and so may have changed
            step.clear();
            throw e;
        }
        step.finishUpdate();
        return step.firstNonFiniteWeight();
    }

    /** Puts back the regions the last {@link #update} saved into {@code lastGood}. */
    void restore(float[] lastGood) {
        step.restore(lastGood);
    }

    /** Zeroes every buffer: after a failed step. */
    void clear() {
        step.clear();
    }

    /**
     * Runs part 0 on this thread and parts 1.. on the pool, and waits for every one of them, even after a
     * failure or an interrupt (so no worker still writes weights or buffers when this returns or throws);
     * then rethrows the first failure. An interrupt is remembered and restored, not lost.
     */
    private void runParts(IntConsumer body) {
        if (threads == 1) {
            body.accept(0);
            return;
        }
        List<Future<?>> futures = new ArrayList<>(threads - 1);
        for (int p = 1; p < threads; p++) {
            final int part = p;
            futures.add(pool.submit(() -> body.accept(part)));
        }
        Throwable failure = null;
        try {
            body.accept(0);
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        boolean interrupted = false;
        for (Future<?> f : futures) {
            while (true) {
                try {
                    f.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // keep waiting: the worker may still be writing
                    if (failure == null) failure = new IllegalStateException("training interrupted", e);
                } catch (ExecutionException e) {
                    if (failure == null) failure = e.getCause();
                    break;
                }
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
        if (failure instanceof RuntimeException re) throw re;
        if (failure instanceof Error err) throw err;
        if (failure != null) throw new IllegalStateException(failure);
    }
}
