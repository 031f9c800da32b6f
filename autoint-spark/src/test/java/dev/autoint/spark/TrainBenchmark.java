package dev.autoint.spark;

import dev.autoint.core.model.AutoIntConfig;
import dev.autoint.core.model.AutoIntModel;
import dev.autoint.core.train.Metrics;
import dev.autoint.core.train.Trainer;
import dev.autoint.core.train.TrainingListener;
import dev.autoint.data.SplitSpec;
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
 * update) on a two-worker standalone cluster started on 127.0.0.1. Then the cost of a job by itself (trivial
 * tasks, 2 and 64 of them) and an estimate for up to 100 executors from those measured costs.
 *
 * <pre>bin/autoint-spark train-bench [DATA_DIR] [MAX_EPOCHS]</pre>
 */
public final class TrainBenchmark {

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args.length > 0 ? args[0] : "../shared/datasets/ml-1m-half");
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        MovieLensData ml = MovieLensReader.read(data, FeaturePreset.SEEDS.labelRule());
        MovieLensExperiment x = MovieLensExperiment.prepare(ml, FeaturePreset.SEEDS, SplitSpec.globalTemporal(0.8, 0.1));
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
                cluster.awaitExecutors(spark, Duration.ofSeconds(120));
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
                // Local SGD: one job per K steps, weights and Adam state averaged after each round.
                int k = Integer.getInteger("autoint.localSteps", 8);
                try (TrainingShards shards = TrainingShards.of(spark, x.train(), 2)) {
                    AutoIntModel local = model(x);
                    SparkTrainer lt = SparkTrainer.builder(spark, local).epochs(epochs).batchSize(2048).learningRate(1e-3f).l2Embedding(1e-5f)
                            .seed(2019).earlyStopping(Trainer.Monitor.AUC, 2, true).localSgd(k, dev.autoint.core.train.Adam::adam)
                            .listener(progress("local SGD")).build();
                    long t3 = System.nanoTime();
                    Trainer.History hl = lt.fit(shards, x.valid());
                    double wall = (System.nanoTime() - t3) / 1e9;
                    double localAuc = auc(local, x);
                    double trainSecs = hl.epochs().stream().mapToDouble(Trainer.EpochResult::seconds).sum();
                    long samples = (long) hl.epochs().size() * x.train().size();
                    System.out.printf(Locale.ROOT, "local SGD (2 shards, %d local steps per round): %d epochs (best %d), test AUC %.4f (single-node %.4f,"
                                    + " difference %+.4f), %.0f samples/s in training steps (%.2fx the single node), %.1f s in all%n",
                            k, hl.epochs().size(), hl.bestEpoch() + 1, localAuc, singleAuc, localAuc - singleAuc, samples / trainSecs,
                            (samples / trainSecs) / (singleSamples / singleTrainSecs), wall);
                    System.out.println("  " + lt.stats().perStep());
                }
                // The cost of a job by itself, and what each further task adds to it, with trivial tasks.
                double job2 = trivialJob(spark, 2, 30), job64 = trivialJob(spark, 64, 15);
                double perTask = Math.max(0, (job64 - job2) / 62);
                System.out.printf(Locale.ROOT, "a trivial treeAggregate job: %.1f ms with 2 tasks, %.1f ms with 64 tasks on the two executors"
                        + " (%.2f ms per further task, an upper bound of the driver's serial cost per task)%n", 1e3 * job2, 1e3 * job64, 1e3 * perTask);
                estimate(main, job2, perTask, spread);
            } finally {
                spark.stop();
            }
        }
    }

    /** Median seconds of a treeAggregate job with {@code tasks} tasks that do nothing. */
    static double trivialJob(SparkSession spark, int tasks, int runs) {
        org.apache.spark.api.java.JavaSparkContext jsc = org.apache.spark.api.java.JavaSparkContext.fromSparkContext(spark.sparkContext());
        java.util.List<Integer> xs = new java.util.ArrayList<>();
        for (int i = 0; i < tasks; i++) xs.add(i);
        org.apache.spark.api.java.JavaRDD<Integer> rdd = jsc.parallelize(xs, tasks).cache();
        rdd.count();
        double[] t = new double[runs];
        for (int r = 0; r < runs; r++) {
            long t0 = System.nanoTime();
            rdd.treeAggregate(0L, (a, v) -> a + v, Long::sum, 2);
            t[r] = (System.nanoTime() - t0) / 1e9;
        }
        rdd.unpersist();
        java.util.Arrays.sort(t);
        return t[runs / 2];
    }

    /**
     * A step at P executors (one shard each) with the global batch fixed, from the measured costs: the
     * driver's broadcast and update (independent of P), one job ({@code job2}, measured with two tasks)
     * plus {@code perTask} for each further task, the weights' fetch (measured at two executors; a torrent
     * broadcast's depth grows as log2 P, so it is scaled by log2 P), the batch's compute split P ways, and
     * from P = 7 on, the second level treeAggregate (depth 2) adds: one more stage of about sqrt(P) tasks.
     */
    static void estimate(SparkTrainer.StepStats s, double job2, double perTask, AutoIntModel model) {
        double n = s.steps();
        double compute = s.shardSeconds() / n;
        double driver = (s.broadcastSeconds() + s.updateSeconds()) / n;
        double fetch = s.fetchSeconds() / n;
        long dense = 0;
        for (dev.autoint.core.model.TensorInfo t : model.parameters().tensors()) if (!t.sparse()) dense += t.size();
        System.out.printf(Locale.ROOT, "measured per step: driver %.1f ms (broadcast + update), fetch %.1f ms, compute of a whole batch"
                + " on one core %.1f ms; %d parameters, %d of them dense%n", 1e3 * driver, 1e3 * fetch, 1e3 * compute, model.parameters().size(), dense);
        for (int p : new int[] {2, 8, 32, 100}) {
            int level2 = (int) Math.ceil(Math.sqrt(p));
            double step = driver + job2 + perTask * (p - 2) + fetch * Math.max(1, Math.log(p) / Math.log(2)) + compute / p
                    + (p >= 7 ? job2 + perTask * (level2 - 2) : 0);
            System.out.printf(Locale.ROOT, "  estimate P=%3d: %.1f ms per step, %.0f samples/s; per step %.1f MiB of weights fetched in all,"
                    + " at most %.1f MiB of gradients sent by the shards%n", p, 1e3 * step, 2048 / step, p * 4.0 * model.parameters().size() / (1 << 20),
                    (p * 4.0 * dense + 4.0 * 2048 * model.fields().size() * (model.config().embeddingSize() + 3)) / (1 << 20));
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
