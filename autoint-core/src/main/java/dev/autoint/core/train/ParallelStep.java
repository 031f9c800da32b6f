package dev.autoint.core.train;

import dev.autoint.core.data.EncodedDataset;
import dev.autoint.core.internal.engine.Gradients;
import dev.autoint.core.internal.engine.Network;
import dev.autoint.core.internal.engine.Workspace;
import dev.autoint.core.internal.engine.StepProfile;
import dev.autoint.core.internal.exec.ParallelFor;
import dev.autoint.core.internal.train.GradientStep;
import dev.autoint.core.internal.train.Updater;
import dev.autoint.core.model.AutoIntModel;
import dev.autoint.core.model.Loss;
import dev.autoint.core.model.PairwiseLoss;

/**
 * One training step of {@link Trainer} spread over T threads, each with its own {@link Workspace} and
 * {@link Gradients}:
 * <ol>
 *   <li>{@link #forwardBackward}: a batch of B rows is cut into T contiguous slices,
 *       [from + B·t/T, from + B·(t+1)/T); thread t runs forward and backward over slice t, chunk by chunk,
 *       into buffer t, scaled by 1/B. Dropout masks depend on a row's position in the batch, not on t.</li>
 *   <li>{@link #reduce} and {@link #update}: the element-wise rest of the step ({@link GradientStep}), each thread
 *       over its own contiguous part of the step's regions; without clipping, one phase that does both
 *       ({@link #reduceAndUpdate}).</li>
 * </ol>
 * Every phase runs on the library's one parallel-for ({@link ParallelFor}): the caller runs part 0 and its T − 1
 * daemon threads, open between {@link #open} and {@link #close}, run the others; each phase returns when all parts
 * are done, even after a failure. After any failure every buffer is cleared, so the next step starts clean.
 */
final class ParallelStep implements AutoCloseable {

    private final Network network;
    private final int threads;
    private final Workspace[] workspaces;
    private final Workspace[] negWorkspaces; // pairwise training: the negatives' chunks, made on first use
    private final Gradients[] grads;
    private final GradientStep step;
    private final double[] losses;
    private ParallelFor pool;

    ParallelStep(AutoIntModel model, int threads, int batchSize) {
        this.network = Network.of(model);
        this.threads = threads;
        this.workspaces = new Workspace[threads];
        this.negWorkspaces = new Workspace[threads];
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
        if (pool == null) pool = new ParallelFor(threads, "autoint-trainer");
        return this;
    }

    /** Stops the worker threads. */
    @Override
    public void close() {
        if (pool != null) pool.close();
        pool = null;
    }

    /**
     * Forward and backward of rows {@code order[from .. from+size)} of {@code train}, each thread over its
     * slice; returns the sum of the rows' weighted losses (not yet divided by {@code size}).
     */
    double forwardBackward(EncodedDataset train, int[] order, int from, int size, Loss loss, long dropoutKey) {
        float scale = 1f / size;
        try {
            pool.run(t -> losses[t] = slice(t, train, order, from, size, loss, scale, dropoutKey));
        } catch (RuntimeException | Error e) {
            step.clear();
            throw e;
        }
        double total = 0;
        for (int t = 0; t < threads; t++) total += losses[t];
        return total;
    }

    private double slice(int t, EncodedDataset train, int[] order, int from, int size, Loss loss, float scale, long key) {
        int lo = from + ParallelFor.sliceStart(size, threads, t);
        int hi = from + ParallelFor.sliceStart(size, threads, t + 1);
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
     * Pairwise forward and backward: positive rows {@code order[from .. from+size)} of {@code train} and their
     * negatives, row i of {@code negatives} paired with {@code order[from+i]}. Each thread takes the same slice of
     * both, runs forward over a chunk of positives and over the matching chunk of negatives (in a second
     * workspace), then {@link Network#backwardPairs}; the gradient is scaled by 1/{@code size}. A negative's
     * dropout position is {@code size} past its positive's, so the two never share a mask. Returns the sum of the
     * pairs' weighted losses (not yet divided by {@code size}).
     */
    double forwardBackwardPairs(EncodedDataset train, int[] order, int from, int size, EncodedDataset negatives,
                                PairwiseLoss loss, long dropoutKey) {
        float scale = 1f / size;
        try {
            pool.run(t -> losses[t] = pairSlice(t, train, order, from, size, negatives, loss, scale, dropoutKey));
        } catch (RuntimeException | Error e) {
            step.clear();
            throw e;
        }
        double total = 0;
        for (int t = 0; t < threads; t++) total += losses[t];
        return total;
    }

    private double pairSlice(int t, EncodedDataset train, int[] order, int from, int size, EncodedDataset negatives,
                             PairwiseLoss loss, float scale, long key) {
        int lo = from + ParallelFor.sliceStart(size, threads, t);
        int hi = from + ParallelFor.sliceStart(size, threads, t + 1);
        Workspace ws = workspaces[t];
        if (negWorkspaces[t] == null) negWorkspaces[t] = network.newWorkspace(ws.capacity());
        Workspace neg = negWorkspaces[t];
        double sum = 0;
        for (int c = lo; c < hi; c += ws.capacity()) {
            int n = Math.min(ws.capacity(), hi - c);
            network.forward(ws, train, order, c, n, true, key, c - from);
            network.forward(neg, negatives, null, c - from, n, true, key, size + c - from);
            sum += network.backwardPairs(ws, train, order, c, neg, negatives, null, c - from, loss, scale, grads[t]);
        }
        return sum;
    }

    /**
     * Sums the threads' gradients, adds the L2 gradient 2λ·e of the touched embedding rows and, when
     * {@code measureNorm}, measures the squared norm; returns Σ‖e‖² of those rows (the penalty is λ times it).
     */
    double reduce(float lambda, boolean measureNorm) {
        long t = StepProfile.start();
        step.plan();
        try {
            pool.run(part -> step.reduce(part, lambda, measureNorm));
        } catch (RuntimeException | Error e) {
            step.clear(); // no weight has changed yet
            throw e;
        }
        step.finishReduce();
        StepProfile.lap(StepProfile.Part.REDUCE, t);
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
        long t = StepProfile.start();
        step.beginUpdate(updater);
        try {
            pool.run(part -> step.update(part, updater, clip, lr, lastGood));
        } catch (RuntimeException | Error e) {
            step.restore(lastGood); // exactly the regions some part had saved, and so may have changed
            step.clear();
            throw e;
        }
        step.finishUpdate();
        StepProfile.lap(StepProfile.Part.UPDATE, t);
        return step.firstNonFiniteWeight();
    }

    /**
     * {@link #reduce} and {@link #update} with no clipping in one parallel phase ({@link GradientStep#reduceAndUpdate}):
     * the same weights, one pass over the step's regions and one meeting of the threads instead of two. Returns
     * the first tensor with a non-finite weight, or null; {@link #penalty} then holds Σ‖e‖² of the touched
     * embedding rows before the update. On a failure the saved regions are put back before it propagates.
     */
    String reduceAndUpdate(float lambda, Updater updater, float lr, float[] lastGood) {
        long t = StepProfile.start();
        step.plan();
        t = StepProfile.lap(StepProfile.Part.REDUCE, t);
        step.beginUpdate(updater);
        try {
            pool.run(part -> step.reduceAndUpdate(part, lambda, updater, lr, lastGood));
        } catch (RuntimeException | Error e) {
            step.restore(lastGood);
            step.clear();
            throw e;
        }
        step.finishReduce();
        step.finishUpdate();
        StepProfile.lap(StepProfile.Part.UPDATE, t);
        return step.firstNonFiniteWeight();
    }

    /** Σ‖e‖² of the touched embedding rows, from the last {@link #reduce} or {@link #reduceAndUpdate}. */
    double penalty() {
        return step.penalty();
    }

    /** Puts back the regions the last {@link #update} saved into {@code lastGood}. */
    void restore(float[] lastGood) {
        step.restore(lastGood);
    }

    /** Zeroes every buffer: after a failed step. */
    void clear() {
        step.clear();
    }
}
