package dev.autoint.core.train;

import dev.autoint.core.internal.engine.Network;
import dev.autoint.core.data.EncodedDataset;
import dev.autoint.core.internal.io.AtomicFiles;
import dev.autoint.core.model.AutoIntModel;
import dev.autoint.core.internal.engine.Gradients;
import dev.autoint.core.model.Loss;
import dev.autoint.core.model.Parameters;
import dev.autoint.core.model.Predictor;
import dev.autoint.core.model.TensorInfo;
import dev.autoint.core.internal.engine.Workspace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Mini-batch training of an {@link AutoIntModel}, data-parallel over threads and repeatable bit for bit.
 *
 * <p>Each epoch shuffles the training rows with a seed derived from (seed, epoch). Each batch is split
 * into one contiguous slice per thread; a thread runs forward and backward over its slice, chunk by
 * chunk, into its own {@link Gradients}; the buffers are then summed in thread order, the L2 penalty on
 * the embedding rows the batch touched is added, the global norm is optionally clipped, and the optimizer
 * updates the touched rows and the dense tensors. That second half is element-wise, so it too runs on every
 * thread, each over its own contiguous part of the step's regions. Dropout masks depend on the sample's position in the
 * batch, not on the thread. So a given seed and thread count give the same weights every run on the same
 * kernels (scalar or vector of a given width, same chunk size); a different thread count or kernel changes
 * only the floating-point summation order.
 *
 * <p>After each epoch the validation set (if any) is scored: AUC and logloss, early stopping on the
 * monitored one with patience, optionally restoring the best weights at the end. A non-finite loss or
 * weight stops training with a {@link TrainingDivergedException} naming the step and tensor and carrying
 * the history so far, after restoring the last finite weights, or with restore-best the best epoch's
 * weights when there is one. Optional per-epoch checkpoints (model, optimizer state, trainer state) can be
 * resumed from; resuming with restore-best needs the best epoch's checkpoint too, and fails at once,
 * naming it, when that directory is gone.
 */
public final class Trainer {

    /** The validation metric that early stopping and reduce-on-plateau watch. */
    public enum Monitor {
        AUC(true), LOGLOSS(false);

        final boolean maximize;

        Monitor(boolean maximize) {
            this.maximize = maximize;
        }
    }

    /** One epoch's results. */
    public record EpochResult(int epoch, double trainLoss, double validAuc, double validLogLoss, double seconds,
                              double samplesPerSecond) {
    }

    /** What {@link #fit} returns: every epoch, the best one (by the monitor) and whether it stopped early. */
    public record History(List<EpochResult> epochs, int bestEpoch, boolean stoppedEarly) {
        public EpochResult best() {
            return bestEpoch < 0 ? null : epochs.stream().filter(e -> e.epoch == bestEpoch).findFirst().orElse(null);
        }
    }

    private final AutoIntModel model;
    private final Network network;
    private final Optimizer optimizer;
    private final LearningRateSchedule schedule;
    private final int epochs;
    private final int batchSize;
    private final int threads;
    private final long seed;
    private final Loss loss;
    private final float l2Embedding;
    private final float clipNorm;
    private final Monitor monitor;
    private final int patience;
    private final boolean restoreBest;
    private final Path checkpointDir;
    private final List<TrainingListener> listeners;

    private final Workspace[] workspaces;
    private final Gradients[] grads;
    private long step;
    private int startEpoch;
    private double bestValue = Double.NaN;
    private int bestEpoch = -1;
    private int badEpochs;
    private final List<EpochResult> history = new ArrayList<>();
    private Parameters resumedBest; // the best epoch's weights read back by resume, for restore-best
    private int fits;

    private Trainer(Builder b) {
        this.model = b.model;
        this.network = Network.of(b.model);
        this.optimizer = b.optimizer;
        this.schedule = b.schedule;
        this.epochs = b.epochs;
        this.batchSize = b.batchSize;
        this.threads = b.threads;
        this.seed = b.seed;
        this.loss = b.loss;
        this.l2Embedding = b.l2Embedding;
        this.clipNorm = b.clipNorm;
        this.monitor = b.monitor;
        this.patience = b.patience;
        this.restoreBest = b.restoreBest;
        this.checkpointDir = b.checkpointDir;
        this.listeners = List.copyOf(b.listeners);
        this.partStart = new int[threads + 1];
        this.partPenalty = new double[threads];
        this.partSquares = new double[threads];
        this.partBad = new String[threads];
        this.partSaved = new int[threads];
        this.workspaces = new Workspace[threads];
        this.grads = new Gradients[threads];
        int chunk = Math.min(Network.DEFAULT_CHUNK, (batchSize + threads - 1) / threads);
        for (int t = 0; t < threads; t++) {
            workspaces[t] = network.newWorkspace(chunk);
            grads[t] = new Gradients(model.parameters());
        }
    }

    public static Builder builder(AutoIntModel model) {
        return new Builder(model);
    }

    public AutoIntModel model() {
        return model;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    /** Optimizer steps taken so far. */
    public long step() {
        return step;
    }

    /** Trains on {@code train}, validating on {@code valid} (may be null) after every epoch. */
    public History fit(EncodedDataset train, EncodedDataset valid) {
        Objects.requireNonNull(train, "train");
        if (train.size() == 0) throw new IllegalArgumentException("the training set is empty");
        if (!train.fields().equals(model.fields())) {
            throw new IllegalArgumentException("the training set's fields do not match the model's: "
                    + train.fields() + " vs " + model.fields());
        }
        if (fits++ > 0) {
            // A second fit on the same trainer is a fresh run (the optimizer keeps its state): forget the
            // first run's epochs, best value and patience count, and any resumed position.
            startEpoch = 0;
            history.clear();
            bestValue = Double.NaN;
            bestEpoch = -1;
            badEpochs = 0;
            resumedBest = null;
        }
        Parameters params = model.parameters();
        Parameters best = resumedBest;
        Parameters lastGood = params.copy();
        ExecutorService pool = threads > 1 ? Executors.newFixedThreadPool(threads - 1, r -> {
            Thread t = new Thread(r, "autoint-trainer");
            t.setDaemon(true);
            return t;
        }) : null;
        boolean stoppedEarly = false;
        try {
            int n = train.size();
            int[] order = new int[n];
            int batches = (n + batchSize - 1) / batchSize;
            for (int epoch = startEpoch; epoch < epochs; epoch++) {
                for (int i = 0; i < n; i++) order[i] = i;
                shuffle(order, new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (epoch + 1))));
                long t0 = System.nanoTime();
                double lossSum = 0;
                float lr = schedule.rate(step);
                for (int b = 0; b < batches; b++) {
                    int from = b * batchSize;
                    int size = Math.min(batchSize, n - from);
                    lr = schedule.rate(step);
                    double batchLoss = runBatch(pool, train, order, from, size) / size;
                    batchLoss += reduceGradients(pool);
                    if (!Double.isFinite(batchLoss)) {
                        String bad = firstNonFinite(grads[0].data());
                        clearGrads(); // no weight has changed in this step: the model holds the last finite weights
                        throw diverged("loss became " + batchLoss + " at step " + step
                                + " (epoch " + (epoch + 1) + ", batch " + (b + 1) + ")"
                                + (bad != null ? "; first non-finite gradient in '" + bad + "'" : ""), epoch, bad, best);
                    }
                    float clip = 1f;
                    if (clipNorm > 0) {
                        double sq = 0;
                        for (double v : partSquares) sq += v;
                        double norm = Math.sqrt(sq);
                        if (norm > clipNorm) clip = (float) (clipNorm / norm);
                    }
                    String bad = updateWeights(pool, lastGood, clip, lr);
                    if (bad != null) {
                        restoreSaved(lastGood); // only this step's regions changed: put exactly those back
                        clearGrads();
                        throw diverged("a weight of '" + bad + "' became non-finite at step " + step
                                + " (epoch " + (epoch + 1) + ", batch " + (b + 1) + ")", epoch, bad, best);
                    }
                    grads[0].forgetTouched(); // updateWeights zeroed every region
                    step++;
                    lossSum += batchLoss * size;
                    double secs = (System.nanoTime() - t0) / 1e9;
                    int done = from + size;
                    double rate = done / secs;
                    TrainingListener.BatchInfo info = new TrainingListener.BatchInfo(epoch, epochs, b, batches, step,
                            lossSum / done, rate, (n - done) / rate, lr);
                    for (TrainingListener l : listeners) l.onBatch(info);
                }
                double secs = (System.nanoTime() - t0) / 1e9;
                double auc = Double.NaN, ll = Double.NaN;
                if (valid != null && valid.size() > 0) {
                    float[] p = model.predictor().predict(valid);
                    auc = Metrics.auc(p, valid.labelColumn(), valid.size());
                    ll = Metrics.logLoss(p, valid.labelColumn(), valid.size());
                }
                EpochResult r = new EpochResult(epoch, lossSum / n, auc, ll, secs, n / secs);
                history.add(r);
                double value = monitor == Monitor.AUC ? auc : ll;
                boolean improved = false;
                if (!Double.isNaN(value)) {
                    improved = Double.isNaN(bestValue) || (monitor.maximize ? value > bestValue : value < bestValue);
                    schedule.onEpochEnd(epoch, value, monitor.maximize);
                    if (improved) {
                        bestValue = value;
                        bestEpoch = epoch;
                        badEpochs = 0;
                        if (restoreBest) best = params.copy();
                    } else {
                        badEpochs++;
                    }
                }
                TrainingListener.EpochInfo ei = new TrainingListener.EpochInfo(epoch, epochs, r.trainLoss, auc, ll, secs,
                        r.samplesPerSecond, improved, schedule.rate(step));
                for (TrainingListener l : listeners) l.onEpoch(ei);
                if (checkpointDir != null) checkpoint(epoch);
                if (patience > 0 && badEpochs >= patience) {
                    stoppedEarly = true;
                    break;
                }
            }
        } finally {
            if (pool != null) pool.shutdownNow();
        }
        if (restoreBest && best != null) params.copyFrom(best);
        return new History(List.copyOf(history), bestEpoch, stoppedEarly);
    }

    /**
     * The exception for a non-finite loss or weight, once the model holds the last finite weights: with
     * restore-best and a best epoch so far, its weights are put back first, so the caller can save them.
     */
    private TrainingDivergedException diverged(String what, int epoch, String tensor, Parameters best) {
        boolean restored = restoreBest && best != null;
        if (restored) model.parameters().copyFrom(best);
        String holds = restored ? "; restored the weights of the best epoch so far (epoch " + (bestEpoch + 1) + ")"
                : bestEpoch >= 0 ? "; the model keeps the last finite weights (restore-best is off: the best epoch so far, "
                        + (bestEpoch + 1) + ", was not restored)"
                : "; the model keeps the last finite weights (no epoch was scored yet)";
        return new TrainingDivergedException(what + holds, step, tensor, epoch,
                new History(List.copyOf(history), bestEpoch, false), restored);
    }

    /** Forward and backward of one batch over the threads, each into its own gradient buffer. */
    private double runBatch(ExecutorService pool, EncodedDataset train, int[] order, int from, int size) {
        float scale = 1f / size;
        long dropoutKey = seed * 0xD1B54A32D192ED03L + step;
        double[] losses = new double[threads];
        try {
            runParts(pool, t -> losses[t] = runSlice(t, train, order, from, size, scale, dropoutKey));
        } catch (RuntimeException | Error e) {
            clearGrads();
            throw e;
        }
        double total = 0;
        for (int t = 0; t < threads; t++) total += losses[t];
        return total;
    }

    private double runSlice(int t, EncodedDataset train, int[] order, int from, int size, float scale, long key) {
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

    // ---------------------------------------------------------------- the step, split between the threads
    //
    // After forward and backward, a step walks every region that may hold a gradient (dense tensors, and
    // the embedding rows some thread touched) several times: sum the threads' buffers, add the L2 penalty,
    // measure the norm, scale, snapshot, update, check. Done by one thread, that walk is the serial part of
    // a step and caps the speed-up from a second thread; so the regions are split into one contiguous part
    // per thread, and each thread walks its own part. Every operation is element-wise in a fixed order
    // (buffer 0 + buffer 1 + ...), so weights do not depend on the split; only the double sums of the
    // penalty and the norm are added part by part, in part order.

    /** The step's regions (offset, length, tensor) in layout order, and each thread's part of them. */
    private int[] regionOff = new int[1024];
    private int[] regionLen = new int[1024];
    private TensorInfo[] regionTensor = new TensorInfo[1024];
    private int regionCount;
    private final int[] partStart;
    private final double[] partPenalty;
    private final double[] partSquares;
    private final String[] partBad;
    private final int[] partSaved; // per part: regions saved to lastGood so far in this step (updateWeights)

    /**
     * Sums every thread's gradients into grads[0] (the others end zeroed and forget their rows), adds the
     * L2 gradient of the touched embedding rows and, when clipping, each part's squared norm into
     * {@link #partSquares}. Returns the L2 penalty λ·Σ‖e‖².
     */
    private double reduceGradients(ExecutorService pool) {
        Gradients g0 = grads[0];
        for (int t = 1; t < threads; t++) g0.mergeTouched(grads[t]);
        regionCount = 0;
        g0.forEachRegion((t, off, len) -> {
            if (regionCount == regionOff.length) {
                int n = regionCount * 2;
                regionOff = Arrays.copyOf(regionOff, n);
                regionLen = Arrays.copyOf(regionLen, n);
                regionTensor = Arrays.copyOf(regionTensor, n);
            }
            regionOff[regionCount] = off;
            regionLen[regionCount] = len;
            regionTensor[regionCount] = t;
            regionCount++;
        });
        long total = 0;
        for (int r = 0; r < regionCount; r++) total += regionLen[r];
        long done = 0;
        int r = 0;
        for (int p = 0; p < threads; p++) {
            partStart[p] = r;
            long target = total * (p + 1) / threads;
            while (r < regionCount && done < target) done += regionLen[r++];
        }
        partStart[threads] = regionCount;
        try {
            runParts(pool, this::reducePart);
        } catch (RuntimeException | Error e) {
            clearGrads(); // no weight has changed yet
            throw e;
        }
        for (int t = 1; t < threads; t++) grads[t].forgetTouched();
        double penalty = 0;
        for (double v : partPenalty) penalty += v;
        return l2Embedding * penalty;
    }

    private void reducePart(int part) {
        float[] w = model.parameters().data();
        float[] g = grads[0].data();
        double penalty = 0, squares = 0;
        float twoLambda = 2 * l2Embedding;
        for (int r = partStart[part]; r < partStart[part + 1]; r++) {
            int off = regionOff[r], end = off + regionLen[r];
            for (int t = 1; t < threads; t++) {
                float[] gt = grads[t].data();
                for (int i = off; i < end; i++) g[i] += gt[i];
                Arrays.fill(gt, off, end, 0f);
            }
            if (l2Embedding != 0f && regionTensor[r].sparse() && regionTensor[r].name().startsWith("embedding.")) {
                for (int i = off; i < end; i++) {
                    penalty += (double) w[i] * w[i];
                    g[i] += twoLambda * w[i];
                }
            }
            if (clipNorm > 0) {
                for (int i = off; i < end; i++) squares += (double) g[i] * g[i];
            }
        }
        partPenalty[part] = penalty;
        partSquares[part] = squares;
    }

    /**
     * Scales the gradients by {@code clip} (1: no clipping), copies the regions into lastGood, applies the
     * optimizer, checks the updated weights and zeroes grads[0]'s regions. Returns the first tensor (in
     * layout order) with a non-finite weight, or null.
     */
    private String updateWeights(ExecutorService pool, Parameters lastGood, float clip, float lr) {
        optimizer.startStep(model.parameters());
        for (int p = 0; p < threads; p++) partSaved[p] = partStart[p];
        try {
            runParts(pool, part -> updatePart(part, lastGood, clip, lr));
        } catch (RuntimeException | Error e) {
            restoreSaved(lastGood); // exactly the regions some part had saved, and so may have changed
            clearGrads();
            throw e;
        }
        for (String bad : partBad) {
            if (bad != null) return bad;
        }
        return null;
    }

    private void updatePart(int part, Parameters lastGood, float clip, float lr) {
        Parameters params = model.parameters();
        float[] w = params.data();
        float[] g = grads[0].data();
        float[] saved = lastGood.data();
        String bad = null;
        int done = partStart[part]; // regions saved so far; published once (a shared array written per region
        try {                       // would bounce its cache line between the cores)
            for (int r = partStart[part]; r < partStart[part + 1]; r++) {
                int off = regionOff[r], len = regionLen[r], end = off + len;
                if (clip != 1f) {
                    for (int i = off; i < end; i++) g[i] *= clip;
                }
                System.arraycopy(w, off, saved, off, len);
                done = r + 1;
                optimizer.updateRegion(params, grads[0], off, len, lr);
                if (bad == null) {
                    for (int i = off; i < end; i++) {
                        if (!Float.isFinite(w[i])) {
                            bad = regionTensor[r].name();
                            break;
                        }
                    }
                }
                Arrays.fill(g, off, end, 0f);
            }
        } finally {
            partSaved[part] = done;
        }
        partBad[part] = bad;
    }

    /**
     * Runs part 0 on this thread and parts 1.. on the pool, and waits for every one of them, even after a
     * failure or an interrupt (so no worker still writes weights or buffers when this returns or throws);
     * then rethrows the first failure. An interrupt is remembered and restored, not lost.
     */
    private void runParts(ExecutorService pool, java.util.function.IntConsumer body) {
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

    /**
     * Copies back from lastGood the regions updateWeights saved there before changing them: after a complete
     * update every region of the step, after a failed one each part's regions up to where it stopped.
     */
    private void restoreSaved(Parameters lastGood) {
        float[] w = model.parameters().data();
        float[] src = lastGood.data();
        for (int p = 0; p < threads; p++) {
            for (int r = partStart[p]; r < partSaved[p]; r++) System.arraycopy(src, regionOff[r], w, regionOff[r], regionLen[r]);
        }
    }

    /** The first tensor holding a non-finite value of {@code a} within this step's regions, or null. */
    private String firstNonFinite(float[] a) {
        String[] bad = {null};
        grads[0].forEachRegion((t, off, len) -> {
            if (bad[0] != null) return;
            for (int i = off; i < off + len; i++) {
                if (!Float.isFinite(a[i])) {
                    bad[0] = t.name();
                    return;
                }
            }
        });
        return bad[0];
    }

    private void clearGrads() {
        for (Gradients g : grads) g.clear();
    }

    private static void shuffle(int[] a, SplittableRandom rnd) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int tmp = a[i];
            a[i] = a[j];
            a[j] = tmp;
        }
    }

    // ------------------------------------------------------------------ checkpoints

    /**
     * Writes {@code epoch-NNN/} as one unit ({@link AtomicFiles#writeDirectory}), so a crash never leaves a
     * half-written checkpoint under the name {@code resumeFrom} reads; a re-run into the same directory
     * replaces it. The files are {@link TrainingCheckpoint}'s.
     */
    private void checkpoint(int epoch) {
        Path dir = checkpointDir.resolve(TrainingCheckpoint.directoryName(epoch));
        Map<String, Double> sched = schedule.state();
        TrainingCheckpoint.Progress progress = new TrainingCheckpoint.Progress(epoch + 1, step, bestValue, bestEpoch, badEpochs,
                history, sched, Map.of());
        try {
            AtomicFiles.writeDirectory(dir, staged -> TrainingCheckpoint.write(staged, model, optimizer, progress));
        } catch (IOException e) {
            throw new UncheckedIOException("could not write checkpoint " + dir, e);
        }
    }

    private void resume(Path dir) throws IOException {
        TrainingCheckpoint cp = TrainingCheckpoint.read(dir, model);
        TrainingCheckpoint.Progress p = cp.progress();
        int best = p.bestEpoch();
        Parameters bestWeights = null;
        if (restoreBest && best >= 0) {
            // Restore-best after a resume needs the best epoch's weights: they are in its own checkpoint (read
            // before anything changes, so a missing one leaves the model as it was).
            if (best + 1 == p.epochs()) {
                bestWeights = cp.weights();
            } else {
                Path bestDir = dir.toAbsolutePath().getParent().resolve(TrainingCheckpoint.directoryName(best));
                if (!Files.isDirectory(bestDir)) {
                    throw new IllegalStateException("cannot resume from " + dir + " with restore-best: the best epoch so far ("
                            + (best + 1) + ") has its weights only in its checkpoint " + bestDir + ", which is gone. Put that"
                            + " directory back, or resume without restore-best (earlyStopping(monitor, patience, false)),"
                            + " which ends with the last epoch's weights instead of the best one's");
                }
                try {
                    bestWeights = TrainingCheckpoint.readWeights(bestDir, model);
                } catch (IllegalArgumentException e) {
                    throw new IllegalStateException("cannot resume from " + dir + " with restore-best: the best epoch's checkpoint "
                            + bestDir + " is of another model configuration or field list (overwritten by another run?)", e);
                }
            }
        }
        cp.restore(model, optimizer);
        startEpoch = p.epochs();
        step = p.step();
        bestValue = p.bestValue();
        bestEpoch = best;
        badEpochs = p.badEpochs();
        schedule.loadState(new LinkedHashMap<>(p.schedule()));
        resumedBest = bestWeights;
        history.addAll(p.history());
    }

    /** Configures a {@link Trainer}; every setting has a documented default. */
    public static final class Builder {
        private final AutoIntModel model;
        private Optimizer optimizer = Adam.adam();
        private LearningRateSchedule schedule = LearningRateSchedule.constant(Adam.DEFAULT_LR);
        private int epochs = 5;
        private int batchSize = 2048;
        private int threads = Runtime.getRuntime().availableProcessors();
        private long seed = 2019;
        private Loss loss = Loss.bce();
        private float l2Embedding;
        private float clipNorm;
        private Monitor monitor = Monitor.AUC;
        private int patience;
        private boolean restoreBest = true;
        private Path checkpointDir;
        private Path resumeFrom;
        private final List<TrainingListener> listeners = new ArrayList<>();

        private Builder(AutoIntModel model) {
            this.model = Objects.requireNonNull(model, "model");
        }

        /** Default: Adam with PyTorch's defaults. */
        public Builder optimizer(Optimizer o) {
            this.optimizer = Objects.requireNonNull(o, "optimizer");
            return this;
        }

        /** Default: constant 1e-3. */
        public Builder learningRate(LearningRateSchedule s) {
            this.schedule = Objects.requireNonNull(s, "schedule");
            return this;
        }

        public Builder learningRate(float lr) {
            return learningRate(LearningRateSchedule.constant(lr));
        }

        /** Default 5. */
        public Builder epochs(int v) {
            if (v <= 0) throw new IllegalArgumentException("epochs must be > 0, got " + v);
            this.epochs = v;
            return this;
        }

        /** Default 2048. */
        public Builder batchSize(int v) {
            if (v <= 0) throw new IllegalArgumentException("batchSize must be > 0, got " + v);
            this.batchSize = v;
            return this;
        }

        /** Default: available processors. */
        public Builder threads(int v) {
            if (v <= 0) throw new IllegalArgumentException("threads must be > 0, got " + v);
            this.threads = v;
            return this;
        }

        /** Seeds shuffling and dropout. Default 2019. */
        public Builder seed(long v) {
            this.seed = v;
            return this;
        }

        /** Default: binary cross-entropy. */
        public Builder loss(Loss v) {
            this.loss = Objects.requireNonNull(v, "loss");
            return this;
        }

        /** λ of the penalty λ·Σ‖e‖² over the embedding rows each batch touches. Default 0. */
        public Builder l2Embedding(float v) {
            if (!(v >= 0)) throw new IllegalArgumentException("l2Embedding must be >= 0, got " + v);
            this.l2Embedding = v;
            return this;
        }

        /** Clip the gradient's global L2 norm to this value; 0 (default) disables clipping. */
        public Builder clipNorm(float v) {
            if (!(v >= 0)) throw new IllegalArgumentException("clipNorm must be >= 0, got " + v);
            this.clipNorm = v;
            return this;
        }

        /**
         * Stop when the monitored validation metric has not improved for {@code patience} epochs
         * (0 = never stop early); restore the best epoch's weights at the end when {@code restoreBest}.
         */
        public Builder earlyStopping(Monitor monitor, int patience, boolean restoreBest) {
            if (patience < 0) throw new IllegalArgumentException("patience must be >= 0, got " + patience);
            this.monitor = Objects.requireNonNull(monitor, "monitor");
            this.patience = patience;
            this.restoreBest = restoreBest;
            return this;
        }

        /** Write a checkpoint into {@code dir/epoch-NNN/} after every epoch. */
        public Builder checkpoints(Path dir) {
            this.checkpointDir = dir;
            return this;
        }

        /**
         * Continue from a checkpoint directory written by {@link #checkpoints}, optimizer state included. With
         * restore-best (set {@link #earlyStopping} before {@link #build}) the best epoch's own checkpoint, a
         * sibling {@code epoch-NNN}, must still exist: {@link #build} otherwise throws IllegalStateException
         * naming it, before the model is touched.
         */
        public Builder resumeFrom(Path epochDir) {
            this.resumeFrom = epochDir;
            return this;
        }

        public Builder listener(TrainingListener l) {
            listeners.add(Objects.requireNonNull(l, "listener"));
            return this;
        }

        public Trainer build() {
            Trainer t = new Trainer(this);
            if (resumeFrom != null) {
                try {
                    t.resume(resumeFrom);
                } catch (IOException e) {
                    throw new UncheckedIOException("could not resume from " + resumeFrom + ": " + e.getMessage(), e);
                }
            }
            return t;
        }
    }
}
