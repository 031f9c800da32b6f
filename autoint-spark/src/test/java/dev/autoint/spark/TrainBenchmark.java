package dev.autoint.spark;

import dev.autoint.core.model.AutoIntConfig;
import dev.autoint.core.model.AutoIntModel;
import dev.autoint.core.train.Metrics;
import dev.autoint.core.train.Trainer;
import dev.autoint.core.train.TrainingListener;
import dev.autoint.data.movielens.FeaturePreset;
import dev.autoint.data.movielens.MovieLensData;
import dev.autoint.data.movielens.MovieLensReader;
import dev.autoint.eval.movielens.MovieLensExperiment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * Distributed training against the single-node trainer on MovieLens (seeds preset, global temporal split,
 * the seeds' AutoInt+ recipe with early stopping on validation AUC): test AUC of both, training throughput
 * of both on the same cores, and where a distributed step's time goes (broadcast, compute, aggregate,
 * update) on a two-worker standalone cluster started on 127.0.0.1. Then a few steps with 2, 4 and 8 shards on
 * the same two executors, to separate the per-task cost of a step from the rest, and an estimate for 100
 * executors from those measured costs.
 *
 * <pre>bin/autoint-spark-bench train [DATA_DIR] [MAX_EPOCHS]</pre>
 */
public final class TrainBenchmark {

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args.length > 0 ? args[0] : "../shared/datasets/ml-1m-half");
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        MovieLensData ml = MovieLensReader.read(data, FeaturePreset.SEEDS.labelRule());
        MovieLensExperiment x = MovieLensExperiment.prepare(ml, FeaturePreset.SEEDS, MovieLensExperiment.SplitSpec.globalTemporal(0.8, 0.1));
        System.out.printf(Locale.ROOT, "data: %s; train %d, valid %d, test %d rows; Java %s; %d cores%n", ml, x.train().size(),
                x.valid().size(), x.test().size(), System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());

        // Single node, two threads: the reference.
        AutoIntModel single = model(x);
        long t0 = System.nanoTime();
        Trainer.History hs = Trainer.builder(single).epochs(epochs).batchSize(2048).learningRate(1e-3f).l2Embedding(1e-5f).seed(2019)
                .threads(2).earlyStopping(Trainer.Monitor.AUC, 2, true).listener(progress("single-node")).build().fit(x.train(), x.valid());
        double singleWall = (System.nanoTime() - t0) / 1e9;
        double singleAuc = auc(single, x);
        double singleTrainSecs = hs.epochs().stream().mapToDouble(Trainer.EpochResult::seconds).sum();
        long singleSamples = (long) hs.epochs().size() * x.train().size();
        System.out.printf(Locale.ROOT, "single-node Trainer (2 threads): %d epochs (best %d), test AUC %.4f, %.0f samples/s in training steps, %.1f s in all%n",
                hs.epochs().size(), hs.bestEpoch() + 1, singleAuc, singleSamples / singleTrainSecs, singleWall);

        Path work = Path.of(System.getProperty("autoint.bench.work", "target/bench-cluster"));
        try (LocalCluster cluster = LocalCluster.start(work, 2, 1, "1200m", Duration.ofMinutes(40))) {
            SparkConf conf = AutoIntSparkConf.withVectorApi(cluster.driverConf("TrainBenchmark", "1g"));
            SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
            try {
                System.out.println("executors: " + ExecutorKernels.probe(spark, 8).values());
                AutoIntModel spread = model(x);
                SparkTrainer st;
                Trainer.History hd;
                long t1 = System.nanoTime();
                try (TrainingShards shards = TrainingShards.of(spark, x.train(), 2)) {
                    double shardSecs = (System.nanoTime() - t1) / 1e9;
                    st = SparkTrainer.builder(spark, spread).epochs(epochs).batchSize(2048).learningRate(1e-3f).l2Embedding(1e-5f).seed(2019)
                            .earlyStopping(Trainer.Monitor.AUC, 2, true).listener(progress("2 executors")).build();
                    long t2 = System.nanoTime();
                    hd = st.fit(shards, x.valid());
                    double wall = (System.nanoTime() - t2) / 1e9;
                    double distAuc = auc(spread, x);
                    double trainSecs = hd.epochs().stream().mapToDouble(Trainer.EpochResult::seconds).sum();
                    long samples = (long) hd.epochs().size() * x.train().size();
                    System.out.printf(Locale.ROOT, "distributed (2 executors x 1 core, 2 shards): %d epochs (best %d), test AUC %.4f (single-node %.4f,"
                                    + " difference %+.4f), %.0f samples/s in training steps (%.2fx the single node), %.1f s in all"
                                    + " (+%.1f s to ship the shards)%n",
                            hd.epochs().size(), hd.bestEpoch() + 1, distAuc, singleAuc, distAuc - singleAuc, samples / trainSecs,
                            (samples / trainSecs) / (singleSamples / singleTrainSecs), wall, shardSecs);
                    System.out.println("  " + st.stats().perStep());
                }
                SparkTrainer.StepStats main = st.stats();
                // The same steps with more shards than executors: the per-task part of a step's cost.
                System.out.println("one epoch with 2, 4 and 8 shards on the same two executors:");
                double[] perStep = new double[3];
                int[] counts = {2, 4, 8};
                for (int k = 0; k < counts.length; k++) {
                    try (TrainingShards shards = TrainingShards.of(spark, x.train(), counts[k])) {
                        SparkTrainer t = SparkTrainer.builder(spark, model(x)).epochs(1).batchSize(2048).learningRate(1e-3f).l2Embedding(1e-5f)
                                .seed(2019).build();
                        t.fit(shards, null);
                        SparkTrainer.StepStats s = t.stats();
                        perStep[k] = s.totalSeconds() / s.steps();
                        System.out.printf(Locale.ROOT, "  %d shards: %.1f ms per step; %s%n", counts[k], 1e3 * perStep[k], s.perStep());
                    }
                }
                estimate(main, perStep, x.train().size(), spread.parameters().size());
            } finally {
                spark.stop();
            }
        }
    }

    /**
     * Per step at P executors with the global batch fixed: compute shrinks as 1/P, the per-task cost grows
     * with P (measured as the slope between 2 and 8 shards on two executors, whose tasks queue two or four
     * deep, so it is an upper bound of launching P tasks at once), the gradient tree's bytes grow with P
     * (dense part) and the weight broadcast reaches P executors.
     */
    static void estimate(SparkTrainer.StepStats s, double[] perStep, int rows, int params) {
        double n = s.steps();
        double compute2 = s.shardSeconds() / n; // both shards' compute, i.e. one core's worth of the whole batch
        double perTask = Math.max(0, (perStep[2] - perStep[0]) / 6); // 8 - 2 more tasks per step
        double fixed = perStep[0] - compute2 / 2 - 2 * perTask;
        System.out.printf(Locale.ROOT, "estimate: per step = %.1f ms fixed (broadcast, driver update, job) + %.2f ms per task + %.1f ms / P"
                + " of compute%n", 1e3 * fixed, 1e3 * perTask, 1e3 * compute2);
        for (int p : new int[] {2, 8, 32, 100}) {
            double step = fixed + p * perTask + compute2 / p;
            double samples = 2048 / step;
            System.out.printf(Locale.ROOT, "  P=%3d: %.1f ms per step, %.0f samples/s%n", p, 1e3 * step, samples);
        }
    }

    static AutoIntModel model(MovieLensExperiment x) {
        return AutoIntModel.create(AutoIntConfig.seedsAutoIntPlus().withSeed(2019), x.encoder().fieldSpecs());
    }

    static double auc(AutoIntModel m, MovieLensExperiment x) {
        return Metrics.auc(m.predictor().predict(x.test()), x.test().labelColumn(), x.test().size());
    }

    static TrainingListener progress(String who) {
        return new TrainingListener() {
            @Override
            public void onEpoch(EpochInfo e) {
                System.out.printf(Locale.ROOT, "  %s epoch %d: loss %.4f, valid AUC %.4f, %.1f s, %.0f samples/s%s%n", who, e.epoch() + 1,
                        e.trainLoss(), e.validAuc(), e.seconds(), e.samplesPerSecond(), e.improved() ? " *" : "");
            }
        };
    }
}
