package dev.autoint.spark;

import dev.autoint.core.data.EncodedDataset;
import dev.autoint.core.io.ModelFiles;
import dev.autoint.core.model.AutoIntModel;
import dev.autoint.core.internal.engine.Gradients;
import dev.autoint.core.model.Loss;
import dev.autoint.core.internal.engine.ParameterAccess;
import dev.autoint.core.internal.train.GradientStep;
import dev.autoint.core.internal.train.Updater;
import dev.autoint.core.model.Parameters;
import dev.autoint.core.model.TensorInfo;
import dev.autoint.core.train.Adam;
import dev.autoint.core.train.LearningRateSchedule;
import dev.autoint.core.train.Metrics;
import dev.autoint.core.train.Optimizer;
import dev.autoint.core.train.Trainer;
import dev.autoint.core.internal.train.TrainingCheckpoint;
import dev.autoint.core.train.TrainingDivergedException;
import dev.autoint.core.train.TrainingListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;

/**
 * Synchronous data-parallel training of an {@link AutoIntModel} on Spark, with the engine's own forward,
 * backward and optimizers.
 *
 * <p>Each step: the driver broadcasts the current weights; every shard ({@link TrainingShards}) runs
 * forward and backward over its share of the global batch, chunk by chunk, into a {@link Gradients}
 * buffer scaled by 1/B; {@code treeAggregate} sums the shards' gradients (dense tensors whole, embedding
 * tables on their touched rows only: {@link PartialGradient}); the driver adds the L2 penalty of the touched
 * embedding rows, clips the global norm when asked, and applies the optimizer, exactly as
 * {@link Trainer} does after its threads' backward passes. The next step broadcasts the new weights.
 *
 * <p>The global batch of step s of an epoch covers positions [sB, (s+1)B) of the epoch scaled to each
 * shard: shard p contributes rows [n_p·sB/N, n_p·(s+1)B/N) of its own shuffled order, and its rows take
 * positions after those of shards 0..p-1 in the batch (dropout masks follow the position). With one shard
 * this is the single-node trainer's schedule: same shuffle, same batches, same dropout, same chunk size,
 * so the weights equal {@code Trainer}'s with one thread bit for bit (a test checks it). With a fixed
 * number of shards and seed, runs repeat; see {@link PartialGradient} for the one caveat beyond two shards.
 *
 * <p>After every epoch the validation rows are scored, on the driver ({@link #fit}) or on the executors
 * ({@link #fitValidatingOnExecutors}), and early stopping with restore-best works as in {@link Trainer}. The
 * loss is the configured {@link Loss} (binary cross-entropy unless told otherwise), sent to the executors with
 * every step.
 *
 * <p><b>Checkpoints.</b> With {@link Builder#checkpoints} the driver writes a checkpoint after every epoch to
 * {@code DIR/epoch-NNN} on any file system Hadoop reaches ({@code hdfs://}, {@code s3a://}, {@code file://}...):
 * the files of the single-node {@link TrainingCheckpoint} (weights, optimizer state and step count, epochs,
 * early-stopping state, history, the schedule's state, and the settings that decide the sequence of steps:
 * seed, batch size, loss, mode and the shards' sizes) with a SHA-256 digest list written last, the folder
 * renamed into place when complete. Shuffles and dropout are derived from the seed, the epoch and the step, so
 * that is all the random state there is: {@link Builder#resumeFrom} continues a run so that it ends with the
 * weights the uninterrupted run ends with, for the same shards and seed.
 */
public final class SparkTrainer {

    /** Makes the optimizer of each shard for local SGD (it travels to the executors, so it must be serializable). */
    @FunctionalInterface
    public interface OptimizerFactory extends java.io.Serializable {
        Optimizer create();
    }

    /**
     * Where the time of the steps went, summed over steps (seconds), and the bytes moved per step.
     *
     * @param steps            optimizer steps taken
     * @param rounds           Spark jobs run: one per step when synchronous, one per round of local steps
     * @param broadcastSeconds driver: serialising and storing each step's weights as a broadcast
     * @param fetchSeconds     executors: the slowest shard's wait for the weights (fetch and copy), per step
     * @param computeSeconds   executors: the slowest shard's forward and backward, per step
     * @param shardSeconds     executors: forward and backward of every shard, summed
     * @param aggregateSeconds the rest of each step's job: scheduling, task launch, gradient serialisation,
     *                         the tree of combines and the transfer to the driver
     * @param updateSeconds    driver: L2, clipping and the optimizer update
     * @param weightBytes      bytes of one round's broadcast: the weights, and with local SGD the optimizer state too
     *                         (each executor fetches them once)
     * @param gradientBytes    bytes the shards sent (gradients, or with local SGD the changes of weights and
     *                         state), summed over shards and rounds
     * @param samples          training rows processed
     */
    public record StepStats(long steps, long rounds, double broadcastSeconds, double fetchSeconds, double computeSeconds, double shardSeconds,
                            double aggregateSeconds, double updateSeconds, long weightBytes, long gradientBytes, long samples) {

        /** Seconds of all steps together. */
        public double totalSeconds() {
            return broadcastSeconds + fetchSeconds + computeSeconds + aggregateSeconds + updateSeconds;
        }

        /** A one-line summary per step (amortised over rounds of local steps), e.g. for a benchmark's output. */
        public String perStep() {
            double n = Math.max(1, steps);
            return String.format(java.util.Locale.ROOT,
                    "%d steps in %d jobs, per step: broadcast %.2f ms, fetch %.2f ms, compute %.2f ms (slowest shard), aggregate %.2f ms,"
                            + " update %.2f ms; %.0f KiB broadcast, %.0f KiB sent by the shards",
                    steps, rounds, 1e3 * broadcastSeconds / n, 1e3 * fetchSeconds / n, 1e3 * computeSeconds / n, 1e3 * aggregateSeconds / n,
                    1e3 * updateSeconds / n, weightBytes * (double) rounds / n / 1024.0, gradientBytes / n / 1024.0);
        }
    }

    private final SparkSession spark;
    private final AutoIntModel model;
    private final Optimizer optimizer;
    private final LearningRateSchedule schedule;
    private final int epochs;
    private final int batchSize;
    private final long seed;
    private final float l2Embedding;
    private final float clipNorm;
    private final Trainer.Monitor monitor;
    private final int patience;
    private final boolean restoreBest;
    private final int treeDepth;
    private final int localSteps;
    private final OptimizerFactory localOptimizer;
    private final List<TrainingListener> listeners;
    private final Loss lossFunction;
    private final String checkpoints;
    private final Gradients grads;
    private final GradientStep gradientStep; // L2, clipping, update and checks, as the single-node trainer does them
    private final Updater updater; // the driver's optimizer state
    private long step;
    private TrainingCheckpoint.Progress resumed; // where the next fit starts, when built with resumeFrom
    private Parameters resumedBest; // the best epoch's weights read back by resumeFrom, for restore-best
    private String resumedFrom;
    private StepStats stats = new StepStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    private SparkTrainer(Builder b) {
        this.spark = b.spark;
        this.model = b.model;
        this.optimizer = b.optimizer;
        this.schedule = b.schedule;
        this.epochs = b.epochs;
        this.batchSize = b.batchSize;
        this.seed = b.seed;
        this.l2Embedding = b.l2Embedding;
        this.clipNorm = b.clipNorm;
        this.monitor = b.monitor;
        this.patience = b.patience;
        this.restoreBest = b.restoreBest;
        this.treeDepth = b.treeDepth;
        this.localSteps = b.localSteps;
        this.localOptimizer = b.localOptimizer;
        this.listeners = List.copyOf(b.listeners);
        this.lossFunction = b.loss;
        this.checkpoints = b.checkpoints;
        this.grads = new Gradients(model.parameters());
        this.gradientStep = new GradientStep(model.parameters(), new Gradients[] {grads}, 1);
        this.updater = Updater.of(optimizer);
    }

    public static Builder builder(SparkSession spark, AutoIntModel model) {
        return new Builder(spark, model);
    }

    public AutoIntModel model() {
        return model;
    }

    /** Optimizer steps taken so far. */
    public long step() {
        return step;
    }

    /** Where the time went in the steps so far, and the bytes moved. */
    public StepStats stats() {
        return stats;
    }

    /**
     * The newest complete and intact checkpoint under {@code dirUri} (a folder {@link Builder#checkpoints}
     * wrote into), as the URI to give {@link Builder#resumeFrom}; empty when there is none. A checkpoint
     * whose writer did not finish, or whose files do not match its digests, is passed over.
     */
    public static Optional<String> latestCheckpoint(SparkSession spark, String dirUri) {
        try {
            return HadoopCheckpoints.latest(spark.sparkContext().hadoopConfiguration(), dirUri);
        } catch (IOException e) {
            throw new UncheckedIOException("could not list the checkpoints in " + dirUri + ": " + e.getMessage(), e);
        }
    }

    /**
     * Trains on the shards, validating on {@code valid} (may be null) on the driver after every epoch. A
     * trainer built with {@link Builder#resumeFrom} starts its first fit after the checkpoint's epoch.
     */
    public Trainer.History fit(TrainingShards train, EncodedDataset valid) {
        if (valid != null && !valid.fields().equals(model.fields())) {
            throw new IllegalArgumentException("the validation rows' fields do not match the model's: " + valid.fields() + " vs " + model.fields());
        }
        return run(train, valid == null || valid.size() == 0 ? null
                : (runId, files, jsc) -> new float[][] {model.predictor().predict(valid), valid.labelColumn()});
    }

    /**
     * Trains on the shards as {@link #fit} does, validating after every epoch on {@code valid} scored on the
     * executors: rows encoded where they are ({@link TrainingShards#encode} or {@link TrainingShards#encodeRatings}
     * of a validation DataFrame) or cut from rows on the driver ({@link TrainingShards#of}), cached there for the
     * whole run. After each epoch the driver broadcasts the current weights once, every validation partition is
     * scored by the model copy its executor thread already holds for training, and the (probability, label) pairs
     * come back to the driver (8 bytes a row), where AUC and log loss are computed by {@link Metrics}, the same
     * code the driver-side validation uses; early stopping, restore-best, schedules and checkpoints then work
     * exactly as with {@link #fit}. For the same rows in the same order (partition order, then row order within a
     * partition) the metrics equal the driver-side ones, and so does every decision taken on them.
     *
     * @param train the training shards
     * @param valid the validation rows on the executors; its fields must be the model's
     * @return the history, as {@link #fit} returns it
     */
    public Trainer.History fitValidatingOnExecutors(TrainingShards train, TrainingShards valid) {
        Objects.requireNonNull(valid, "valid");
        if (!valid.fields().equals(model.fields())) {
            throw new IllegalArgumentException("the validation shards' fields do not match the model's: " + valid.fields() + " vs " + model.fields());
        }
        return run(train, valid.rows() == 0 ? null : (runId, files, jsc) -> scoreOnExecutors(valid, runId, files, jsc));
    }

    /** Scores the validation rows with the model's current weights: {probabilities, labels}, aligned row by row. */
    @FunctionalInterface
    private interface Validator {
        float[][] score(String runId, Broadcast<ShippedDirectory> files, JavaSparkContext jsc);
    }

    /** One job over the validation shards with the current weights; the pairs in partition order. */
    private float[][] scoreOnExecutors(TrainingShards valid, String runId, Broadcast<ShippedDirectory> files, JavaSparkContext jsc) {
        Broadcast<float[]> weights = jsc.broadcast(model.parameters().toArray());
        List<float[][]> parts;
        try {
            parts = valid.rdd().map(shard -> ShardWorker.score(shard, runId, weights, files)).collect();
        } finally {
            weights.destroy(false);
        }
        int n = 0;
        for (float[][] part : parts) n += part[0].length;
        float[] p = new float[n], labels = new float[n];
        int at = 0;
        for (float[][] part : parts) {
            System.arraycopy(part[0], 0, p, at, part[0].length);
            System.arraycopy(part[1], 0, labels, at, part[1].length);
            at += part[0].length;
        }
        return new float[][] {p, labels};
    }

    private Trainer.History run(TrainingShards train, Validator validator) {
        if (!train.fields().equals(model.fields())) {
            throw new IllegalArgumentException("the shards' fields do not match the model's: " + train.fields() + " vs " + model.fields());
        }
        Map<String, String> run = runSettings(train);
        TrainingCheckpoint.Progress start = resumed;
        resumed = null;
        if (start != null && !run.get("shards").equals(start.run().get("shards"))) {
            System.getLogger(SparkTrainer.class.getName()).log(System.Logger.Level.WARNING, "resuming from " + resumedFrom
                    + ", written with shards of " + start.run().get("shards") + " rows, on shards of " + run.get("shards")
                    + " rows: training goes on from the checkpoint, but will not repeat the uninterrupted run");
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<ShippedDirectory> files = jsc.broadcast(modelFiles());
        String runId = UUID.randomUUID().toString();
        Parameters params = model.parameters();
        int[] sizes = train.sizes();
        long n = train.rows();
        int shards = sizes.length;
        int batches = (int) ((n + batchSize - 1) / batchSize);
        List<Trainer.EpochResult> history = new ArrayList<>(start == null ? List.of() : start.history());
        Parameters best = start == null ? null : resumedBest;
        double bestValue = start == null ? Double.NaN : start.best();
        int bestEpoch = start == null ? -1 : start.bestEpoch(), badEpochs = start == null ? 0 : start.badEpochs();
        resumedBest = null;
        // A checkpoint written when early stopping ended its run: the resumed run has ended too.
        boolean stoppedEarly = start != null && patience > 0 && badEpochs >= patience;
        try {
            for (int epoch = start == null ? 0 : start.epoch(); epoch < epochs && !stoppedEarly; epoch++) {
                long t0 = System.nanoTime();
                double lossSum = 0;
                int perRound = localOptimizer == null ? 1 : localSteps;
                for (int b0 = 0; b0 < batches; b0 += perRound) {
                    int k = Math.min(perRound, batches - b0);
                    int[][] from = new int[k][shards], to = new int[k][shards], base = new int[k][shards];
                    int[] size = new int[k];
                    for (int j = 0; j < k; j++) {
                        long gFrom = (long) (b0 + j) * batchSize, gTo = Math.min(n, gFrom + batchSize);
                        for (int p = 0; p < shards; p++) {
                            from[j][p] = (int) (sizes[p] * gFrom / n);
                            to[j][p] = (int) (sizes[p] * gTo / n);
                            base[j][p] = size[j];
                            size[j] += to[j][p] - from[j][p];
                        }
                    }
                    float lr = schedule.rate(step);
                    double loss;
                    int rows = 0;
                    for (int sz : size) rows += sz;
                    if (rows == 0) continue;
                    if (localOptimizer == null) {
                        ShardWorker.Plan plan = new ShardWorker.Plan(runId, step, epoch, seed, from[0], to[0], base[0], 1f / size[0],
                                seed * 0xD1B54A32D192ED03L + step, lossFunction);
                        loss = step(train, plan, files, jsc, lr, epoch, b0, best, bestEpoch, history) * size[0];
                    } else {
                        long[] keys = new long[k];
                        float[] rates = new float[k];
                        for (int j = 0; j < k; j++) {
                            keys[j] = seed * 0xD1B54A32D192ED03L + step + j;
                            rates[j] = schedule.rate(step + j);
                        }
                        ShardWorker.Round round = new ShardWorker.Round(runId, step, epoch, seed, from, to, keys, rates, l2Embedding, clipNorm,
                                localOptimizer, lossFunction);
                        loss = round(train, round, files, jsc, epoch, b0, best, bestEpoch, history);
                    }
                    lossSum += loss;
                    long gTo = Math.min(n, (long) (b0 + k) * batchSize);
                    for (TrainingListener l : listeners) {
                        double secs = (System.nanoTime() - t0) / 1e9;
                        double done = (double) gTo;
                        l.onBatch(new TrainingListener.BatchInfo(epoch, epochs, b0 + k - 1, batches, step, lossSum / done, done / secs,
                                (n - done) / (done / secs), lr));
                    }
                }
                double secs = (System.nanoTime() - t0) / 1e9;
                double auc = Double.NaN, ll = Double.NaN;
                if (validator != null) {
                    float[][] scored = validator.score(runId, files, jsc);
                    auc = Metrics.auc(scored[0], scored[1], scored[0].length);
                    ll = Metrics.logLoss(scored[0], scored[1], scored[0].length);
                }
                Trainer.EpochResult r = new Trainer.EpochResult(epoch, lossSum / n, auc, ll, secs, n / secs);
                history.add(r);
                double value = monitor == Trainer.Monitor.AUC ? auc : ll;
                boolean improved = false;
                if (!Double.isNaN(value)) {
                    boolean maximize = monitor == Trainer.Monitor.AUC;
                    improved = Double.isNaN(bestValue) || (maximize ? value > bestValue : value < bestValue);
                    schedule.onEpochEnd(epoch, value, maximize);
                    if (improved) {
                        bestValue = value;
                        bestEpoch = epoch;
                        badEpochs = 0;
                        if (restoreBest) best = params.copy();
                    } else {
                        badEpochs++;
                    }
                }
                for (TrainingListener l : listeners) {
                    l.onEpoch(new TrainingListener.EpochInfo(epoch, epochs, r.trainLoss(), auc, ll, secs, r.samplesPerSecond(), improved,
                            schedule.rate(step)));
                }
                if (checkpoints != null) {
                    checkpoint(TrainingCheckpoint.Progress.of(epoch + 1, step, bestValue, bestEpoch, badEpochs, history, schedule.state(), run));
                }
                if (patience > 0 && badEpochs >= patience) {
                    stoppedEarly = true;
                    break;
                }
            }
        } finally {
            files.destroy(false);
        }
        if (restoreBest && best != null) params.copyFrom(best);
        return new Trainer.History(List.copyOf(history), bestEpoch, stoppedEarly);
    }

    /** One synchronous step; returns the batch's mean loss (with the L2 penalty). */
    private double step(TrainingShards train, ShardWorker.Plan plan, Broadcast<ShippedDirectory> files, JavaSparkContext jsc, float lr,
                        int epoch, int batch, Parameters best, int bestEpoch, List<Trainer.EpochResult> history) {
        Parameters params = model.parameters();
        long t0 = System.nanoTime();
        Broadcast<float[]> weights = jsc.broadcast(params.toArray());
        long t1 = System.nanoTime();
        PartialGradient total;
        try {
            total = train.rdd().treeAggregate(PartialGradient.empty(),
                    (acc, shard) -> acc.plus(ShardWorker.compute(shard, plan, weights, files)), PartialGradient::plus, treeDepth);
        } finally {
            weights.destroy(false);
        }
        long t2 = System.nanoTime();
        long samples = total.samples;
        total.into(params, grads);
        double loss = total.loss * plan.scale() + l2Embedding * gradientStep.reduceAll(l2Embedding, clipNorm > 0);
        if (!Double.isFinite(loss)) {
            gradientStep.clear();
            throw diverged("loss became " + loss + " at step " + step + " (epoch " + (epoch + 1) + ", batch " + (batch + 1) + ")",
                    epoch, bestEpoch, best, history);
        }
        String bad = gradientStep.updateAll(updater, gradientStep.clipFactor(clipNorm), lr, null);
        if (bad != null) {
            throw diverged("a weight of '" + bad + "' became non-finite at step " + step + " (epoch " + (epoch + 1) + ")",
                    epoch, bestEpoch, best, history);
        }
        step++;
        long t3 = System.nanoTime();
        long gradientBytes = total.parts == 0 ? 0 : estimateShardBytes(total);
        StepStats s = stats;
        stats = new StepStats(s.steps() + 1, s.rounds() + 1, s.broadcastSeconds() + (t1 - t0) / 1e9, s.fetchSeconds() + total.maxFetchNanos / 1e9,
                s.computeSeconds() + total.maxComputeNanos / 1e9, s.shardSeconds() + total.sumComputeNanos / 1e9,
                s.aggregateSeconds() + Math.max(0, (t2 - t1) - total.maxFetchNanos - total.maxComputeNanos) / 1e9,
                s.updateSeconds() + (t3 - t2) / 1e9, 4L * params.size(), s.gradientBytes() + gradientBytes, s.samples() + samples);
        return loss;
    }

    /**
     * One round of local SGD: broadcast the weights and the optimizer state, let every shard take its local
     * steps ({@link ShardWorker#computeLocal}), sum the changes with treeAggregate, and apply their average: over
     * all shards for the dense tensors, over the shards that touched it for each embedding row (an average over
     * all shards would shrink a row's update by the shards that never saw it). Returns the loss summed over the
     * round's rows.
     */
    private double round(TrainingShards train, ShardWorker.Round round, Broadcast<ShippedDirectory> files, JavaSparkContext jsc,
                         int epoch, int batch, Parameters best, int bestEpoch, List<Trainer.EpochResult> history) {
        Parameters params = model.parameters();
        long t0 = System.nanoTime();
        java.util.Map<String, float[]> state = new java.util.LinkedHashMap<>();
        updater.state().forEach((name, v) -> state.put(name, v.clone()));
        Broadcast<ShardWorker.RoundStart> start = jsc.broadcast(new ShardWorker.RoundStart(params.toArray(), state, updater.steps()));
        long t1 = System.nanoTime();
        PartialGradient total;
        try {
            total = train.rdd().treeAggregate(PartialGradient.empty(),
                    (acc, shard) -> acc.plus(ShardWorker.computeLocal(shard, round, start, files)), PartialGradient::plus, treeDepth);
        } finally {
            start.destroy(false);
        }
        long t2 = System.nanoTime();
        int k = round.from().length;
        if (total.dense != null) {
            for (String name : total.channels) state.computeIfAbsent(name, x -> new float[params.size()]);
            float[][] st = new float[total.channels.length][];
            for (int c = 0; c < st.length; c++) st[c] = state.get(total.channels[c]);
            float[] w = ParameterAccess.data(params);
            int ch = 1 + st.length;
            int d = 0, sp = 0;
            for (TensorInfo t : params.tensors()) {
                if (!t.sparse()) {
                    for (int i = t.offset(), e = t.offset() + t.size(); i < e; i++, d += ch) average(w, st, i, total.dense, d, total.parts);
                } else {
                    int rs = t.rowSize();
                    int[] rows = total.rows[sp];
                    double[] v = total.values[sp];
                    int width = rs * ch + 1;
                    for (int r = 0; r < rows.length; r++) {
                        int at = r * width;
                        double hits = v[at + width - 1];
                        for (int j = 0; j < rs; j++) average(w, st, t.offset() + rows[r] * rs + j, v, at + j * ch, hits);
                    }
                    sp++;
                }
            }
            updater.loadState(updater.steps() + k, state);
        }
        for (float v : ParameterAccess.data(params)) {
            if (!Float.isFinite(v)) {
                throw diverged("a weight became non-finite in the round starting at step " + step + " (epoch " + (epoch + 1) + ")",
                        epoch, bestEpoch, best, history);
            }
        }
        step += k;
        long t3 = System.nanoTime();
        StepStats s = stats;
        stats = new StepStats(s.steps() + k, s.rounds() + 1, s.broadcastSeconds() + (t1 - t0) / 1e9,
                s.fetchSeconds() + total.maxFetchNanos / 1e9, s.computeSeconds() + total.maxComputeNanos / 1e9,
                s.shardSeconds() + total.sumComputeNanos / 1e9,
                s.aggregateSeconds() + Math.max(0, (t2 - t1) - total.maxFetchNanos - total.maxComputeNanos) / 1e9,
                s.updateSeconds() + (t3 - t2) / 1e9, 4L * params.size() * (1 + state.size()),
                s.gradientBytes() + 4L * (total.valueCount() + total.rowIdCount()), s.samples() + total.samples);
        return total.loss;
    }

    /** w[i] and each state buffer's [i] moved by the mean of their summed changes {@code sum[at..]} over {@code count}. */
    private static void average(float[] w, float[][] st, int i, double[] sum, int at, double count) {
        w[i] = (float) (w[i] + sum[at] / count);
        for (int c = 0; c < st.length; c++) st[c][i] = (float) (st[c][i] + sum[at + 1 + c] / count);
    }

    /**
     * The shards' gradient bytes of a step: each shard sends its dense tensors and its touched rows as
     * floats with int row ids. The sum of the shards is an upper bound of the touched rows they send.
     */
    private long estimateShardBytes(PartialGradient total) {
        long dense = 0;
        for (TensorInfo t : model.parameters().tensors()) if (!t.sparse()) dense += t.size();
        long sparseValues = total.valueCount() - dense;
        return total.parts * 4L * dense + 4L * sparseValues + 4L * total.rowIdCount();
    }

    private TrainingDivergedException diverged(String what, int epoch, int bestEpoch, Parameters best, List<Trainer.EpochResult> history) {
        boolean restored = restoreBest && best != null;
        if (restored) model.parameters().copyFrom(best);
        return new TrainingDivergedException(what, step, null, epoch, new Trainer.History(List.copyOf(history), bestEpoch, false), restored);
    }

    private ShippedDirectory modelFiles() {
        return ShippedDirectory.written(dir -> ModelFiles.save(model, dir));
    }

    /**
     * The settings that decide the sequence of steps, as a checkpoint records them. A resumed run must have the
     * same seed, batch size, loss and mode ({@link #resume} refuses others); with other shard sizes it goes on but
     * does not repeat the uninterrupted run.
     */
    private Map<String, String> runSettings(TrainingShards train) {
        Map<String, String> m = new LinkedHashMap<>(trainerSettings());
        StringBuilder sizes = new StringBuilder();
        for (int size : train.sizes()) sizes.append(sizes.length() == 0 ? "" : ",").append(size);
        m.put("shards", sizes.toString());
        return m;
    }

    private Map<String, String> trainerSettings() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("trainer", "SparkTrainer");
        m.put("seed", Long.toString(seed));
        m.put("batchSize", Integer.toString(batchSize));
        m.put("loss", lossFunction.toString());
        m.put("mode", localOptimizer == null ? "synchronous" : "localSgd(" + localSteps + ")");
        return m;
    }

    /** Writes {@code checkpoints/epoch-NNN} (NNN = epochs done), replacing an older one of that name. */
    private void checkpoint(TrainingCheckpoint.Progress progress) {
        String name = TrainingCheckpoint.directoryName(progress.epoch() - 1);
        try {
            HadoopCheckpoints.write(spark.sparkContext().hadoopConfiguration(), checkpoints, name,
                    dir -> TrainingCheckpoint.write(dir, model, updater, progress));
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the checkpoint " + name + " into " + checkpoints + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads the checkpoint at {@code uri} (and with restore-best the best epoch's, a sibling folder, when it is
     * another) and only then puts its weights, optimizer state, step and schedule state in place.
     */
    private void resume(String uri) throws IOException {
        org.apache.hadoop.conf.Configuration conf = spark.sparkContext().hadoopConfiguration();
        String[] copy = new String[1]; // the local copy the checkpoint was read from, named in restore's messages
        TrainingCheckpoint cp = HadoopCheckpoints.read(conf, uri, dir -> {
            copy[0] = dir.toString();
            return TrainingCheckpoint.read(dir, model);
        });
        TrainingCheckpoint.Progress p = cp.progress();
        List<String> differ = new ArrayList<>();
        trainerSettings().forEach((k, v) -> {
            if (!v.equals(p.run().get(k))) differ.add(k + " " + p.run().get(k) + " (this trainer: " + v + ")");
        });
        if (!differ.isEmpty()) {
            throw new IllegalArgumentException("checkpoint " + uri + " was written by a run with other settings: " + String.join(", ", differ)
                    + "; resume with the settings it was written with");
        }
        Parameters bestWeights = null;
        int best = p.bestEpoch();
        if (restoreBest && best >= 0) {
            if (best + 1 == p.epoch()) {
                bestWeights = cp.weights();
            } else {
                String bestUri = HadoopCheckpoints.sibling(uri, TrainingCheckpoint.directoryName(best));
                try {
                    bestWeights = HadoopCheckpoints.read(conf, bestUri, dir -> TrainingCheckpoint.readWeights(dir, model));
                } catch (IOException | IllegalArgumentException e) {
                    throw new IllegalStateException("cannot resume from " + uri + " with restore-best: the best epoch so far (" + (best + 1)
                            + ") has its weights only in its checkpoint " + bestUri + ", which cannot be read (" + e.getMessage()
                            + "). Put it back, or resume without restore-best (earlyStopping(monitor, patience, false)), which ends"
                            + " with the last epoch's weights instead of the best one's", e);
                }
            }
        }
        try {
            cp.restore(model, updater);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage().replace(copy[0], uri), e);
        }
        step = p.step();
        schedule.loadState(p.scheduleState());
        resumed = p;
        resumedBest = bestWeights;
        resumedFrom = uri;
    }

    /** Configures a {@link SparkTrainer}; the defaults are {@link Trainer}'s. */
    public static final class Builder {
        private final SparkSession spark;
        private final AutoIntModel model;
        private Optimizer optimizer = Adam.adam();
        private LearningRateSchedule schedule = LearningRateSchedule.constant(Adam.DEFAULT_LR);
        private int epochs = 5;
        private int batchSize = 2048;
        private long seed = 2019;
        private float l2Embedding;
        private float clipNorm;
        private Trainer.Monitor monitor = Trainer.Monitor.AUC;
        private int patience;
        private boolean restoreBest = true;
        private int treeDepth = 2;
        private int localSteps = 1;
        private OptimizerFactory localOptimizer;
        private Loss loss = Loss.bce();
        private String checkpoints;
        private String resumeFrom;
        private final List<TrainingListener> listeners = new ArrayList<>();

        private Builder(SparkSession spark, AutoIntModel model) {
            this.spark = Objects.requireNonNull(spark, "spark");
            this.model = Objects.requireNonNull(model, "model");
        }

        /** The driver's optimizer (its state stays on the driver). Default: Adam with PyTorch's defaults. */
        public Builder optimizer(Optimizer o) {
            this.optimizer = Objects.requireNonNull(o, "optimizer");
            return this;
        }

        public Builder learningRate(LearningRateSchedule s) {
            this.schedule = Objects.requireNonNull(s, "schedule");
            return this;
        }

        public Builder learningRate(float lr) {
            return learningRate(LearningRateSchedule.constant(lr));
        }

        public Builder epochs(int v) {
            if (v <= 0) throw new IllegalArgumentException("epochs must be > 0, got " + v);
            this.epochs = v;
            return this;
        }

        /** Rows of one global batch, over all shards. Default 2048. */
        public Builder batchSize(int v) {
            if (v <= 0) throw new IllegalArgumentException("batchSize must be > 0, got " + v);
            this.batchSize = v;
            return this;
        }

        /** Seeds the shards' shuffles and dropout. Default 2019. */
        public Builder seed(long v) {
            this.seed = v;
            return this;
        }

        public Builder l2Embedding(float v) {
            if (!(v >= 0)) throw new IllegalArgumentException("l2Embedding must be >= 0, got " + v);
            this.l2Embedding = v;
            return this;
        }

        public Builder clipNorm(float v) {
            if (!(v >= 0)) throw new IllegalArgumentException("clipNorm must be >= 0, got " + v);
            this.clipNorm = v;
            return this;
        }

        public Builder earlyStopping(Trainer.Monitor monitor, int patience, boolean restoreBest) {
            if (patience < 0) throw new IllegalArgumentException("patience must be >= 0, got " + patience);
            this.monitor = Objects.requireNonNull(monitor, "monitor");
            this.patience = patience;
            this.restoreBest = restoreBest;
            return this;
        }

        /** Depth of {@code treeAggregate}'s combining tree (default 2). */
        public Builder treeDepth(int v) {
            if (v < 1) throw new IllegalArgumentException("treeDepth must be >= 1, got " + v);
            this.treeDepth = v;
            return this;
        }

        /**
         * Local SGD with periodic averaging instead of one synchronous step per batch: each round, every shard
         * starts from the broadcast weights and optimizer state, takes {@code steps} steps on its own shares
         * of the next {@code steps} global batches with its own optimizer (made by {@code factory}; the driver's
         * optimizer becomes {@code factory.create()}), and the driver averages the shards' weights and optimizer
         * state (dense tensors over all shards, each embedding row over the shards that touched it). One
         * Spark job per {@code steps} steps instead of one per step. The learning rate of each local step is
         * the schedule's for that step. {@code steps = 1} with one shard is the synchronous schedule.
         */
        public Builder localSgd(int steps, OptimizerFactory factory) {
            if (steps < 1) throw new IllegalArgumentException("local steps must be >= 1, got " + steps);
            this.localSteps = steps;
            this.localOptimizer = Objects.requireNonNull(factory, "factory");
            this.optimizer = Objects.requireNonNull(factory.create(), "the factory's optimizer");
            return this;
        }

        /** The loss every shard's backward pass uses: binary cross-entropy (default) or focal. */
        public Builder loss(Loss v) {
            this.loss = Objects.requireNonNull(v, "loss");
            return this;
        }

        /**
         * Write a checkpoint into {@code dirUri/epoch-NNN} after every epoch: any URI Hadoop's {@code FileSystem}
         * reaches with the session's Hadoop configuration ({@code hdfs://}, {@code s3a://}, {@code file:///...});
         * the driver writes it. A re-run into the same folder replaces the checkpoints of the epochs it reaches.
         */
        public Builder checkpoints(String dirUri) {
            this.checkpoints = Objects.requireNonNull(dirUri, "dirUri");
            return this;
        }

        /**
         * Continue from the checkpoint folder {@code epochUri} ({@code .../epoch-NNN}, see
         * {@link SparkTrainer#latestCheckpoint}): weights, optimizer state and step count, early-stopping state,
         * history and schedule state; the first {@link SparkTrainer#fit} starts with the epoch after it. The
         * trainer must be configured as the run that wrote it (same seed, batch size, loss, and synchronous or
         * local SGD with the same number of local steps; {@link #build} refuses others, naming them, as it refuses
         * another optimizer or model), and for the same final weights it must train on shards of the same sizes
         * holding the same rows. With restore-best (set {@link #earlyStopping} first) the best epoch's checkpoint,
         * a sibling folder, must be readable too. Nothing is modified when {@link #build} throws.
         */
        public Builder resumeFrom(String epochUri) {
            this.resumeFrom = Objects.requireNonNull(epochUri, "epochUri");
            return this;
        }

        public Builder listener(TrainingListener l) {
            listeners.add(Objects.requireNonNull(l, "listener"));
            return this;
        }

        /**
         * The trainer; with {@link #resumeFrom}, the checkpoint is read and verified now.
         *
         * @throws java.io.UncheckedIOException when the checkpoint cannot be read or is incomplete or damaged
         */
        public SparkTrainer build() {
            SparkTrainer t = new SparkTrainer(this);
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
