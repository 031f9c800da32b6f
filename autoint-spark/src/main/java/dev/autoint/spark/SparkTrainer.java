package dev.autoint.spark;

import dev.autoint.core.data.EncodedDataset;
import dev.autoint.core.io.ModelFiles;
import dev.autoint.core.model.AutoIntModel;
import dev.autoint.core.model.Gradients;
import dev.autoint.core.model.Parameters;
import dev.autoint.core.model.TensorInfo;
import dev.autoint.core.train.Adam;
import dev.autoint.core.train.LearningRateSchedule;
import dev.autoint.core.train.Metrics;
import dev.autoint.core.train.Optimizer;
import dev.autoint.core.train.Trainer;
import dev.autoint.core.train.TrainingDivergedException;
import dev.autoint.core.train.TrainingListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
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
 * <p>After every epoch the driver scores the validation rows, and early stopping with restore-best works as
 * in {@link Trainer}. The loss is binary cross-entropy.
 */
public final class SparkTrainer {

    /**
     * Where the time of the steps went, summed over steps (seconds), and the bytes moved per step.
     *
     * @param steps            optimizer steps taken
     * @param broadcastSeconds driver: serialising and storing each step's weights as a broadcast
     * @param fetchSeconds     executors: the slowest shard's wait for the weights (fetch and copy), per step
     * @param computeSeconds   executors: the slowest shard's forward and backward, per step
     * @param shardSeconds     executors: forward and backward of every shard, summed
     * @param aggregateSeconds the rest of each step's job: scheduling, task launch, gradient serialisation,
     *                         the tree of combines and the transfer to the driver
     * @param updateSeconds    driver: L2, clipping and the optimizer update
     * @param weightBytes      bytes of one step's weights broadcast (each executor fetches them once)
     * @param gradientBytes    bytes of the shards' gradients, summed over shards and steps
     * @param samples          training rows processed
     */
    public record StepStats(long steps, double broadcastSeconds, double fetchSeconds, double computeSeconds, double shardSeconds,
                            double aggregateSeconds, double updateSeconds, long weightBytes, long gradientBytes, long samples) {

        /** Seconds of all steps together. */
        public double totalSeconds() {
            return broadcastSeconds + fetchSeconds + computeSeconds + aggregateSeconds + updateSeconds;
        }

        /** A one-line summary per step, e.g. for a benchmark's output. */
        public String perStep() {
            double n = Math.max(1, steps);
            return String.format(java.util.Locale.ROOT,
                    "%d steps, per step: broadcast %.2f ms, fetch %.2f ms, compute %.2f ms (slowest shard), aggregate %.2f ms,"
                            + " update %.2f ms; %.0f KiB weights broadcast, %.0f KiB gradients aggregated",
                    steps, 1e3 * broadcastSeconds / n, 1e3 * fetchSeconds / n, 1e3 * computeSeconds / n, 1e3 * aggregateSeconds / n,
                    1e3 * updateSeconds / n, weightBytes / 1024.0, gradientBytes / n / 1024.0);
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
    private final List<TrainingListener> listeners;
    private final Gradients grads;
    private long step;
    private StepStats stats = new StepStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

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
        this.listeners = List.copyOf(b.listeners);
        this.grads = new Gradients(model.parameters());
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

    /** Trains on the shards, validating on {@code valid} (may be null) on the driver after every epoch. */
    public Trainer.History fit(TrainingShards train, EncodedDataset valid) {
        if (!train.fields().equals(model.fields())) {
            throw new IllegalArgumentException("the shards' fields do not match the model's: " + train.fields() + " vs " + model.fields());
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<ShippedDirectory> files = jsc.broadcast(modelFiles());
        String runId = UUID.randomUUID().toString();
        Parameters params = model.parameters();
        int[] sizes = train.sizes();
        long n = train.rows();
        int shards = sizes.length;
        int batches = (int) ((n + batchSize - 1) / batchSize);
        List<Trainer.EpochResult> history = new ArrayList<>();
        Parameters best = null;
        double bestValue = Double.NaN;
        int bestEpoch = -1, badEpochs = 0;
        boolean stoppedEarly = false;
        try {
            for (int epoch = 0; epoch < epochs; epoch++) {
                long t0 = System.nanoTime();
                double lossSum = 0;
                for (int b = 0; b < batches; b++) {
                    long gFrom = (long) b * batchSize, gTo = Math.min(n, gFrom + batchSize);
                    int[] from = new int[shards], to = new int[shards], base = new int[shards];
                    int size = 0;
                    for (int p = 0; p < shards; p++) {
                        from[p] = (int) (sizes[p] * gFrom / n);
                        to[p] = (int) (sizes[p] * gTo / n);
                        base[p] = size;
                        size += to[p] - from[p];
                    }
                    if (size == 0) continue;
                    float lr = schedule.rate(step);
                    ShardWorker.Plan plan = new ShardWorker.Plan(runId, step, epoch, seed, from, to, base, 1f / size,
                            seed * 0xD1B54A32D192ED03L + step);
                    double loss = step(train, plan, files, jsc, lr, epoch, b, best, bestEpoch, history);
                    lossSum += loss * size;
                    for (TrainingListener l : listeners) {
                        double secs = (System.nanoTime() - t0) / 1e9;
                        double done = (double) Math.min(n, gTo);
                        l.onBatch(new TrainingListener.BatchInfo(epoch, epochs, b, batches, step, lossSum / done, done / secs,
                                (n - done) / (done / secs), lr));
                    }
                }
                double secs = (System.nanoTime() - t0) / 1e9;
                double auc = Double.NaN, ll = Double.NaN;
                if (valid != null && valid.size() > 0) {
                    float[] p = model.predictor().predict(valid);
                    auc = Metrics.auc(p, valid.labelColumn(), valid.size());
                    ll = Metrics.logLoss(p, valid.labelColumn(), valid.size());
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
        Broadcast<float[]> weights = jsc.broadcast(params.data().clone());
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
        double loss = total.loss * plan.scale() + applyPenalty();
        if (!Double.isFinite(loss)) {
            grads.clear();
            throw diverged("loss became " + loss + " at step " + step + " (epoch " + (epoch + 1) + ", batch " + (batch + 1) + ")",
                    epoch, bestEpoch, best, history);
        }
        float clip = 1f;
        if (clipNorm > 0) {
            double norm = Math.sqrt(grads.squaredNorm());
            if (norm > clipNorm) clip = (float) (clipNorm / norm);
        }
        if (clip != 1f) grads.scale(clip);
        optimizer.step(params, grads, lr);
        String bad = firstNonFinite(params);
        grads.clear();
        if (bad != null) {
            throw diverged("a weight of '" + bad + "' became non-finite at step " + step + " (epoch " + (epoch + 1) + ")",
                    epoch, bestEpoch, best, history);
        }
        step++;
        long t3 = System.nanoTime();
        long gradientBytes = total.parts == 0 ? 0 : estimateShardBytes(total);
        StepStats s = stats;
        stats = new StepStats(s.steps() + 1, s.broadcastSeconds() + (t1 - t0) / 1e9, s.fetchSeconds() + total.maxFetchNanos / 1e9,
                s.computeSeconds() + total.maxComputeNanos / 1e9, s.shardSeconds() + total.sumComputeNanos / 1e9,
                s.aggregateSeconds() + Math.max(0, (t2 - t1) - total.maxFetchNanos - total.maxComputeNanos) / 1e9,
                s.updateSeconds() + (t3 - t2) / 1e9, 4L * params.size(), s.gradientBytes() + gradientBytes, s.samples() + samples);
        return loss;
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

    /** Adds 2λe to the gradient of every touched embedding row, as the single-node trainer does; returns λΣe². */
    private double applyPenalty() {
        if (l2Embedding == 0f) return 0;
        float[] w = model.parameters().data();
        float[] g = grads.data();
        float twoLambda = 2 * l2Embedding;
        double[] penalty = {0};
        grads.forEachRegion((t, off, len) -> {
            if (t.sparse() && t.name().startsWith("embedding.")) {
                for (int i = off; i < off + len; i++) {
                    penalty[0] += (double) w[i] * w[i];
                    g[i] += twoLambda * w[i];
                }
            }
        });
        return l2Embedding * penalty[0];
    }

    private String firstNonFinite(Parameters params) {
        float[] w = params.data();
        String[] bad = {null};
        grads.forEachRegion((t, off, len) -> {
            if (bad[0] != null) return;
            for (int i = off; i < off + len; i++) {
                if (!Float.isFinite(w[i])) {
                    bad[0] = t.name();
                    return;
                }
            }
        });
        return bad[0];
    }

    private TrainingDivergedException diverged(String what, int epoch, int bestEpoch, Parameters best, List<Trainer.EpochResult> history) {
        boolean restored = restoreBest && best != null;
        if (restored) model.parameters().copyFrom(best);
        return new TrainingDivergedException(what, step, null, epoch, new Trainer.History(List.copyOf(history), bestEpoch, false), restored);
    }

    private ShippedDirectory modelFiles() {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("autoint-spark-model-");
            ModelFiles.save(model, dir);
            return ShippedDirectory.of(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("could not stage the model files", e);
        } finally {
            if (dir != null) {
                try (var s = Files.walk(dir)) {
                    for (Path p : (Iterable<Path>) s.sorted(java.util.Comparator.reverseOrder())::iterator) Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // a temporary folder left behind
                }
            }
        }
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

        public Builder listener(TrainingListener l) {
            listeners.add(Objects.requireNonNull(l, "listener"));
            return this;
        }

        public SparkTrainer build() {
            return new SparkTrainer(this);
        }
    }
}
