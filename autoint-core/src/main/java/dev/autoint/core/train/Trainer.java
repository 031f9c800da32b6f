package dev.autoint.core.train;

import dev.autoint.core.internal.train.TrainingCheckpoint;
import dev.autoint.core.internal.io.AtomicFiles;
import dev.autoint.core.data.EncodedDataset;
import dev.autoint.core.internal.train.Updater;
import dev.autoint.core.model.AutoIntModel;
import dev.autoint.core.model.Loss;
import dev.autoint.core.model.PairwiseLoss;
import dev.autoint.core.model.Parameters;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Mini-batch training of an {@link AutoIntModel}, data-parallel over threads and repeatable bit for bit.
 *
 * <p>Each epoch shuffles the training rows with a seed derived from (seed, epoch). Each batch is split
 * into one contiguous slice per thread; a thread runs forward and backward over its slice, chunk by
 * chunk, into its own gradient buffer; the buffers are then summed in thread order, the L2 penalty on
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
 *
 * <p>This class holds the epoch loop and early stopping; the parallel step is {@code ParallelStep}, the
 * checkpoint format {@code TrainingCheckpoint} (shared with the Spark trainer). Besides the optimizer's state, a
 * trainer keeps one parameter-sized buffer between {@code fit} calls (where a step saves the rows it changes, to
 * roll back a divergence): drop the trainer to free it.
 */
public final class Trainer {

    /** The validation metric that early stopping and reduce-on-plateau watch. */
    public enum Monitor {
        /** Validation AUC; higher is better. */
        AUC(true),
        /** Validation log loss; lower is better. */
        LOGLOSS(false);

        final boolean maximize;

        Monitor(boolean maximize) {
            this.maximize = maximize;
        }
    }

    /**
     * One epoch's results.
     *
     * @param epoch            the epoch index, from 0
     * @param trainLoss        the mean training loss over the epoch's batches, L2 penalty included
     * @param validAuc         validation AUC, NaN without a validation set
     * @param validLogLoss     validation log loss, NaN without a validation set
     * @param seconds          the epoch's training time, validation excluded
     * @param samplesPerSecond training rows per second
     */
    public record EpochResult(int epoch, double trainLoss, double validAuc, double validLogLoss, double seconds,
                              double samplesPerSecond) {
    }

    /**
     * What {@link #fit} returns: every epoch, the best one (by the monitor) and whether it stopped early.
     *
     * @param epochs       the epochs of this run (after a resume, the checkpoint's epochs first)
     * @param bestEpoch    the index of the best epoch, -1 when no epoch had a finite monitored value
     * @param stoppedEarly whether patience ran out, or a listener asked to stop ({@link TrainingListener#stopAfter}),
     *                     before the last epoch
     */
    public record History(List<EpochResult> epochs, int bestEpoch, boolean stoppedEarly) {

        /**
         * Copies the list.
         *
         * @param epochs       the epochs of the run, in order; copied, must not be or contain null
         * @param bestEpoch    the {@link EpochResult#epoch()} of the best epoch, or -1 when there is none
         * @param stoppedEarly whether patience ran out, or a listener asked to stop, before the last epoch
         * @throws NullPointerException if {@code epochs} is or contains null
         */
        public History {
            epochs = List.copyOf(epochs);
        }

        /**
         * The best epoch's results.
         *
         * @return the entry of {@link #epochs()} whose {@link EpochResult#epoch()} is {@link #bestEpoch()}, or null
         *         when there is none
         */
        public EpochResult best() {
            return bestEpoch < 0 ? null : epochs.stream().filter(e -> e.epoch == bestEpoch).findFirst().orElse(null);
        }
    }

    private final AutoIntModel model;
    private final Optimizer optimizer;
    private final Updater updater;
    private final LearningRateSchedule schedule;
    private final int epochs;
    private final int batchSize;
    private final int threads;
    private final long seed;
    private final Loss loss;
    private final PairwiseLoss pairLoss; // null: pointwise training with loss
    private final NegativeSampler sampler;
    private final float l2Embedding;
    private final float clipNorm;
    private final Monitor monitor;
    private final int patience;
    private final boolean restoreBest;
    private final Path checkpointDir;
    private final List<TrainingListener> listeners;
    private final ParallelStep parallel;

    // Where this run stands: the first fit after resumeFrom starts from the checkpoint's values.
    private long step;
    private int startEpoch;
    private double bestValue = Double.NaN;
    private int bestEpoch = -1;
    private int badEpochs;
    private final List<EpochResult> history = new ArrayList<>();
    private Parameters resumedBest; // the best epoch's weights read back by resume, for restore-best
    private int fits;
    private float[] lastGood; // see fit: the weights of the regions the current step changes

    private Trainer(Builder b) {
        this.model = b.model;
        this.optimizer = b.optimizer;
        this.updater = Updater.of(b.optimizer);
        this.schedule = b.schedule;
        this.epochs = b.epochs;
        this.batchSize = b.batchSize;
        this.threads = b.threads;
        this.seed = b.seed;
        this.loss = b.loss;
        this.pairLoss = b.pairLoss;
        this.sampler = b.sampler;
        this.l2Embedding = b.l2Embedding;
        this.clipNorm = b.clipNorm;
        this.monitor = b.monitor;
        this.patience = b.patience;
        this.restoreBest = b.restoreBest;
        this.checkpointDir = b.checkpointDir;
        this.listeners = List.copyOf(b.listeners);
        this.parallel = new ParallelStep(model, threads, batchSize);
    }

    /**
     * Starts configuring a trainer; every setting has a default.
     *
     * @param model the model to train; its parameters are updated in place
     * @return a new builder
     * @throws NullPointerException if {@code model} is null
     */
    public static Builder builder(AutoIntModel model) {
        return new Builder(model);
    }

    /**
     * The model being trained.
     *
     * @return the model whose parameters {@link #fit} updates
     */
    public AutoIntModel model() {
        return model;
    }

    /**
     * The optimizer's hyper-parameters (its state, the moments, is internal).
     *
     * @return the optimizer given to {@link Builder#optimizer}
     */
    public Optimizer optimizer() {
        return optimizer;
    }

    /**
     * The optimizer steps taken so far, over every {@link #fit} of this trainer, and before a resume, the
     * checkpoint's run. The next step's learning rate is {@code schedule.rate(step())}.
     *
     * @return the step count, from 0
     */
    public long step() {
        return step;
    }

    /**
     * Trains on {@code train}, validating on {@code valid} (may be null) after every epoch.
     *
     * <p>A trainer continues: each call runs the configured epochs from the model's current weights, and a
     * later call goes on with the optimizer's state and step count as the previous call left them (so the
     * learning-rate schedule, Adam's bias correction and the dropout masks continue too). The returned history,
     * the best epoch, the patience count and restore-best concern this call only; the first call after
     * {@link Builder#resumeFrom} starts at the checkpoint's epoch with its history. For an independent run,
     * build a new trainer.
     *
     * <p>Not thread-safe: run one {@code fit} at a time, and do not change the model's parameters meanwhile.
     * Scoring the model from other threads during training is allowed but sees a mix of old and new weights.
     *
     * @param train the training rows, non-empty, with exactly the model's fields
     * @param valid the validation rows, with the model's fields, or null (or empty) for none; without it, no
     *              epoch is scored, so there is no best epoch, no early stopping and nothing to restore
     * @return this call's epochs, the best one by the monitor, and whether it stopped early
     * @throws NullPointerException        if {@code train} is null
     * @throws IllegalArgumentException    if {@code train} is empty, or its or {@code valid}'s fields differ from
     *                                     the model's (checked before any training)
     * @throws TrainingDivergedException   if the loss or a weight became non-finite; the model then holds finite
     *                                     weights, as the exception describes
     * @throws java.io.UncheckedIOException if a checkpoint could not be written
     */
    public History fit(EncodedDataset train, EncodedDataset valid) {
        Objects.requireNonNull(train, "train");
        if (train.size() == 0) throw new IllegalArgumentException("the training set is empty");
        if (!train.fields().equals(model.fields())) {
            throw new IllegalArgumentException("the training set's fields do not match the model's: "
                    + train.fields() + " vs " + model.fields());
        }
        if (valid != null && !valid.fields().equals(model.fields())) {
            throw new IllegalArgumentException("the validation set's fields do not match the model's: "
                    + valid.fields() + " vs " + model.fields());
        }
        if (fits++ > 0) {
            // A later fit continues the optimizer (state and step) but is scored on its own: forget the
            // previous call's epochs, best value and patience count, and any resumed position.
            startEpoch = 0;
            history.clear();
            bestValue = Double.NaN;
            bestEpoch = -1;
            badEpochs = 0;
            resumedBest = null;
        }
        NegativeSampler.Bound negatives = pairLoss != null ? sampler.bind(train) : null;
        int[] rows = negatives != null ? positiveRows(train) : null;
        Parameters params = model.parameters();
        Parameters best = resumedBest;
        // A step's regions are copied here before the optimizer changes them, and only those are read back
        // (ParallelStep.restore), so the buffer needs no initial values: one per trainer, reused by every fit.
        if (lastGood == null || lastGood.length != params.size()) lastGood = new float[params.size()];
        boolean stoppedEarly = false;
        try (ParallelStep p = parallel.open()) {
            int n = rows != null ? rows.length : train.size(); // pairwise: one pair per positive row
            int[] order = new int[n];
            int batches = (n + batchSize - 1) / batchSize;
            for (int epoch = startEpoch; epoch < epochs; epoch++) {
                for (int i = 0; i < n; i++) order[i] = rows != null ? rows[i] : i;
                shuffle(order, new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (epoch + 1))));
                long t0 = System.nanoTime();
                double lossSum = 0;
                float lr = schedule.rate(step);
                for (int b = 0; b < batches; b++) {
                    int from = b * batchSize;
                    int size = Math.min(batchSize, n - from);
                    lr = schedule.rate(step);
                    long key = seed * 0xD1B54A32D192ED03L + step;
                    double batchLoss = (negatives != null
                            ? p.forwardBackwardPairs(train, order, from, size,
                                    negatives.negatives(train, order, from, size, seed, epoch), pairLoss, key)
                            : p.forwardBackward(train, order, from, size, loss, key)) / size;
                    String bad;
                    if (clipNorm == 0 && Double.isFinite(batchLoss)) {
                        // No norm to wait for: reduce and update in one pass. The penalty is Σw² of finite
                        // weights, so the loss stays finite unless a weight was not finite before the step.
                        bad = p.reduceAndUpdate(l2Embedding, updater, lr, lastGood);
                        batchLoss += l2Embedding * p.penalty();
                        if (!Double.isFinite(batchLoss)) {
                            p.restore(lastGood); // as if the step had stopped before its update
                            throw diverged("loss became " + batchLoss + at(epoch, b), epoch, null, best);
                        }
                    } else {
                        batchLoss += l2Embedding * p.reduce(l2Embedding, clipNorm > 0);
                        if (!Double.isFinite(batchLoss)) {
                            String badGradient = p.firstNonFiniteGradient();
                            p.clear(); // no weight has changed in this step: the model holds the last finite weights
                            throw diverged("loss became " + batchLoss + at(epoch, b)
                                    + (badGradient != null ? "; first non-finite gradient in '" + badGradient + "'" : ""),
                                    epoch, badGradient, best);
                        }
                        bad = p.update(updater, p.clipFactor(clipNorm), lr, lastGood);
                    }
                    if (bad != null) {
                        p.restore(lastGood); // only this step's regions changed: put exactly those back
                        throw diverged("a weight of '" + bad + "' became non-finite" + at(epoch, b), epoch, bad, best);
                    }
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
                    float[] pr = model.predictor().predict(valid);
                    auc = Metrics.auc(pr, valid.labelColumn(), valid.size());
                    ll = Metrics.logLoss(pr, valid.labelColumn(), valid.size());
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
                boolean listenerStop = false;
                for (TrainingListener l : listeners) listenerStop |= l.stopAfter(ei);
                if (listenerStop || patience > 0 && badEpochs >= patience) {
                    stoppedEarly = true;
                    break;
                }
            }
        }
        if (restoreBest && best != null) params.copyFrom(best);
        return new History(history, bestEpoch, stoppedEarly);
    }

    /**
     * Writes epoch index {@code epoch}'s checkpoint as one unit ({@link AtomicFiles#writeDirectory}), so a crash
     * never leaves a half-written checkpoint under the name {@code resumeFrom} reads; a re-run into the same
     * directory replaces it.
     */
    private void checkpoint(int epoch) {
        Path dir = checkpointDir.resolve(TrainingCheckpoint.directoryName(epoch));
        TrainingCheckpoint.Progress progress = TrainingCheckpoint.Progress.of(epoch + 1, step, bestValue, bestEpoch,
                badEpochs, history, schedule.state(), Map.of());
        try {
            AtomicFiles.writeDirectory(dir, staged -> TrainingCheckpoint.write(staged, model, updater, progress));
        } catch (IOException e) {
            throw new UncheckedIOException("could not write checkpoint " + dir, e);
        }
    }

    /**
     * Takes over a checkpoint's position (see {@link Builder#resumeFrom}): everything is read and checked
     * (with restore-best, the best epoch's own checkpoint too) before the model, optimizer or schedule change.
     */
    private void resume(Path dir) throws IOException {
        TrainingCheckpoint cp = TrainingCheckpoint.read(dir, model);
        TrainingCheckpoint.Progress p = cp.progress();
        Parameters bestWeights = restoreBest ? cp.bestWeights(model) : null;
        cp.restore(model, updater);
        schedule.loadState(p.scheduleState());
        startEpoch = p.epoch();
        step = p.step();
        bestValue = p.best();
        bestEpoch = p.bestEpoch();
        badEpochs = p.badEpochs();
        history.addAll(p.history());
        resumedBest = bestWeights;
    }

    /** Where in training the current step is, for a divergence message: " at step S (epoch E, batch B)". */
    private String at(int epoch, int batch) {
        return " at step " + step + " (epoch " + (epoch + 1) + ", batch " + (batch + 1) + ")";
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
        return new TrainingDivergedException(what + holds, step, tensor, epoch, new History(history, bestEpoch, false), restored);
    }

    /** The rows of {@code train} with a positive label ({@link Metrics#isPositive}), in row order. */
    private static int[] positiveRows(EncodedDataset train) {
        float[] labels = train.labelColumn();
        int m = 0;
        for (int r = 0; r < train.size(); r++) if (Metrics.isPositive(labels[r])) m++;
        if (m == 0) {
            throw new IllegalArgumentException("pairwise training needs positive rows (label >= 0.5); the training set has none");
        }
        int[] out = new int[m];
        m = 0;
        for (int r = 0; r < train.size(); r++) if (Metrics.isPositive(labels[r])) out[m++] = r;
        return out;
    }

    private static void shuffle(int[] a, SplittableRandom rnd) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int tmp = a[i];
            a[i] = a[j];
            a[j] = tmp;
        }
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
        private boolean lossSet;
        private PairwiseLoss pairLoss;
        private NegativeSampler sampler;
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

        /**
         * The update rule.
         *
         * @param o the optimizer's hyper-parameters; default Adam with PyTorch's defaults ({@link Adam#adam()})
         * @return this builder
         * @throws NullPointerException if {@code o} is null
         */
        public Builder optimizer(Optimizer o) {
            this.optimizer = Objects.requireNonNull(o, "optimizer");
            return this;
        }

        /**
         * The learning rate per optimizer step. A schedule with state (such as {@link ReduceOnPlateau}) belongs
         * to one trainer; do not share it.
         *
         * @param s the schedule; default constant 1e-3 ({@link Adam#DEFAULT_LR})
         * @return this builder
         * @throws NullPointerException if {@code s} is null
         */
        public Builder learningRate(LearningRateSchedule s) {
            this.schedule = Objects.requireNonNull(s, "schedule");
            return this;
        }

        /**
         * A constant learning rate: {@code learningRate(LearningRateSchedule.constant(lr))}.
         *
         * @param lr the rate, finite and &gt; 0; default 1e-3
         * @return this builder
         * @throws IllegalArgumentException if {@code lr} is not finite and positive
         */
        public Builder learningRate(float lr) {
            return learningRate(LearningRateSchedule.constant(lr));
        }

        /**
         * The number of epochs of each {@link Trainer#fit}; after a resume, the epoch count to reach (the first
         * fit runs only the epochs the checkpoint has not done).
         *
         * @param v epochs, &gt; 0; default 5
         * @return this builder
         * @throws IllegalArgumentException if {@code v} is not positive
         */
        public Builder epochs(int v) {
            if (v <= 0) throw new IllegalArgumentException("epochs must be > 0, got " + v);
            this.epochs = v;
            return this;
        }

        /**
         * The rows per optimizer step; an epoch's last batch may be smaller.
         *
         * @param v rows, &gt; 0; default 2048
         * @return this builder
         * @throws IllegalArgumentException if {@code v} is not positive
         */
        public Builder batchSize(int v) {
            if (v <= 0) throw new IllegalArgumentException("batchSize must be > 0, got " + v);
            this.batchSize = v;
            return this;
        }

        /**
         * The threads that share each step. The weights after training depend on it in the last bits (the order
         * of floating-point sums), so fix it for repeatable runs.
         *
         * @param v threads, &gt; 0; default {@link Runtime#availableProcessors()}
         * @return this builder
         * @throws IllegalArgumentException if {@code v} is not positive
         */
        public Builder threads(int v) {
            if (v <= 0) throw new IllegalArgumentException("threads must be > 0, got " + v);
            this.threads = v;
            return this;
        }

        /**
         * The seed of each epoch's shuffle and of the dropout masks. (The initial weights come from the model's own
         * {@code AutoIntConfig} seed.)
         *
         * @param v any value; default 2019
         * @return this builder
         */
        public Builder seed(long v) {
            this.seed = v;
            return this;
        }

        /**
         * The loss on logits, averaged over each batch with the rows' weights.
         *
         * @param v the loss; default binary cross-entropy ({@link Loss#bce()})
         * @return this builder
         * @throws NullPointerException if {@code v} is null
         */
        public Builder loss(Loss v) {
            this.loss = Objects.requireNonNull(v, "loss");
            this.lossSet = true;
            return this;
        }

        /**
         * Trains on pairs instead of rows: each step takes a batch of positive training rows (label &ge; 0.5, the
         * rule of {@link Metrics#isPositive}), draws one negative per positive with {@code sampler} (the same row
         * with another item), scores both, and minimises the mean over the pairs of the positive row's weight
         * times {@code loss(s⁺ − s⁻)}; rows with a negative label are not trained on. An epoch is one pass over
         * the positive rows, so the batch size counts pairs, and {@link EpochResult#trainLoss()} is the mean
         * pairwise loss. Validation is as in pointwise training; the logits of a ranking loss are not calibrated
         * probabilities, so early stopping must monitor {@link Monitor#AUC}. Not to be combined with
         * {@link #loss}.
         *
         * @param loss    the pairwise loss, for example {@link PairwiseLoss#bpr()}
         * @param sampler draws the negatives; checked against the training set at the start of {@link Trainer#fit},
         *                which throws IllegalArgumentException when its item rows do not fit
         * @return this builder
         * @throws NullPointerException if an argument is null
         */
        public Builder pairwise(PairwiseLoss loss, NegativeSampler sampler) {
            this.pairLoss = Objects.requireNonNull(loss, "loss");
            this.sampler = Objects.requireNonNull(sampler, "sampler");
            return this;
        }

        /**
         * λ of the penalty λ·Σ‖e‖² over the rows of the embedding tables ({@code TensorRole.EMBEDDING}) each
         * batch touches; it is added to the batch loss and its gradient to the rows' gradients.
         *
         * @param v λ, &ge; 0; default 0 (no penalty)
         * @return this builder
         * @throws IllegalArgumentException if {@code v} is negative or NaN
         */
        public Builder l2Embedding(float v) {
            if (!(v >= 0)) throw new IllegalArgumentException("l2Embedding must be >= 0, got " + v);
            this.l2Embedding = v;
            return this;
        }

        /**
         * Clips the gradient's global L2 norm (over every tensor, before the optimizer) to at most this value.
         *
         * @param v the largest norm, &ge; 0; default 0, which disables clipping
         * @return this builder
         * @throws IllegalArgumentException if {@code v} is negative or NaN
         */
        public Builder clipNorm(float v) {
            if (!(v >= 0)) throw new IllegalArgumentException("clipNorm must be >= 0, got " + v);
            this.clipNorm = v;
            return this;
        }

        /**
         * Stop when the monitored validation metric has not improved for {@code patience} epochs in a row
         * (0 = never stop early); restore the best epoch's weights at the end when {@code restoreBest}. The
         * monitor also drives {@link ReduceOnPlateau}. Defaults: {@link Monitor#AUC}, patience 0, restore-best on.
         *
         * @param monitor     the validation metric that decides the best epoch
         * @param patience    epochs without improvement before stopping, &ge; 0
         * @param restoreBest whether {@link Trainer#fit} ends (also by divergence) with the best epoch's weights
         * @return this builder
         * @throws NullPointerException     if {@code monitor} is null
         * @throws IllegalArgumentException if {@code patience} is negative
         */
        public Builder earlyStopping(Monitor monitor, int patience, boolean restoreBest) {
            if (patience < 0) throw new IllegalArgumentException("patience must be >= 0, got " + patience);
            this.monitor = Objects.requireNonNull(monitor, "monitor");
            this.patience = patience;
            this.restoreBest = restoreBest;
            return this;
        }

        /**
         * Writes a checkpoint (model, optimizer state, trainer position) after every epoch, into
         * {@code dir/epoch-NNN/} with NNN the 1-based epoch number, for example {@code epoch-001}. Each is written
         * atomically and replaces an older one of the same name; a write failure stops {@link Trainer#fit} with
         * an {@link java.io.UncheckedIOException}.
         *
         * @param dir the parent directory, created when needed; null (the default) writes no checkpoints
         * @return this builder
         */
        public Builder checkpoints(Path dir) {
            this.checkpointDir = dir;
            return this;
        }

        /**
         * Continue from a checkpoint directory written by {@link #checkpoints}, optimizer state included. With
         * restore-best (set {@link #earlyStopping} before {@link #build}) the best epoch's own checkpoint, a
         * sibling {@code epoch-NNN}, must still exist: {@link #build} otherwise throws IllegalStateException
         * naming it, before the model is touched. The optimizer must be of the kind that wrote the checkpoint.
         *
         * @param epochDir one {@code epoch-NNN} directory; null (the default) starts afresh
         * @return this builder
         */
        public Builder resumeFrom(Path epochDir) {
            this.resumeFrom = epochDir;
            return this;
        }

        /**
         * Adds a listener for progress after every step and epoch, called in the order added.
         *
         * @param l the listener, for example {@link ConsoleProgress}; none by default
         * @return this builder
         * @throws NullPointerException if {@code l} is null
         */
        public Builder listener(TrainingListener l) {
            listeners.add(Objects.requireNonNull(l, "listener"));
            return this;
        }

        /**
         * Builds the trainer; with {@link #resumeFrom}, reads and checks the checkpoint and loads it into the
         * model, the optimizer state and the schedule.
         *
         * @return the trainer
         * @throws java.io.UncheckedIOException if the checkpoint cannot be read
         * @throws IllegalArgumentException    if the checkpoint is of another model configuration, field list or
         *                                     optimizer
         * @throws IllegalStateException       if restore-best is on and the best epoch's checkpoint is missing, or
         *                                     {@link #pairwise} is combined with {@link #loss} or with early stopping
         *                                     on {@link Monitor#LOGLOSS}
         */
        public Trainer build() {
            if (pairLoss != null && lossSet) {
                throw new IllegalStateException("pairwise(...) replaces the pointwise loss: set either loss(...) or pairwise(...), not both");
            }
            if (pairLoss != null && monitor == Monitor.LOGLOSS) {
                throw new IllegalStateException("pairwise training gives uncalibrated scores: early stopping must monitor AUC, not LOGLOSS");
            }
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
