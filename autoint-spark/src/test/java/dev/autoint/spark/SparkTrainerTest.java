package dev.autoint.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autoint.core.io.ModelFiles;
import dev.autoint.core.model.AutoIntConfig;
import dev.autoint.core.model.AutoIntModel;
import dev.autoint.core.model.Loss;
import dev.autoint.core.train.Adam;
import dev.autoint.core.train.Metrics;
import dev.autoint.core.train.Trainer;
import dev.autoint.eval.movielens.MovieLensExperiment;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Distributed training on {@code local[2]}: with one shard it is the single-node trainer's schedule, and the
 * weights equal {@link Trainer}'s (one thread) bit for bit, with either loss; with two shards runs repeat
 * exactly and learn as well as the single-node trainer.
 */
class SparkTrainerTest {

    static SparkSession spark;
    static MovieLensExperiment x;

    @BeforeAll
    static void start() throws Exception {
        x = Fixtures.shared().x();
        spark = LocalSpark.session();
    }

    static AutoIntModel model() {
        return AutoIntModel.create(AutoIntConfig.seedsAutoIntPlus().withSeed(11), x.encoder().fieldSpecs());
    }

    static SparkTrainer.Builder distributed(AutoIntModel m) {
        return SparkTrainer.builder(spark, m).epochs(2).batchSize(256).seed(7).l2Embedding(1e-5f).learningRate(2e-3f);
    }

    @Test
    void oneShardGivesTheSingleNodeTrainersWeightsBitForBit() {
        AutoIntModel single = model();
        Trainer.builder(single).epochs(2).batchSize(256).seed(7).l2Embedding(1e-5f).learningRate(2e-3f).threads(1).build()
                .fit(x.train(), null);
        AutoIntModel spread = model();
        try (TrainingShards shards = TrainingShards.of(spark, x.train(), 1)) {
            SparkTrainer t = distributed(spread).build();
            t.fit(shards, null);
            assertThat(t.step()).isEqualTo(2L * ((x.train().size() + 255) / 256));
        }
        assertThat(spread.parameters().toArray()).containsExactly(single.parameters().toArray());
    }

    @Test
    void twoShardsRepeatExactlyAndLearnAsWellAsOneNode() {
        AutoIntModel a = model(), b = model();
        SparkTrainer ta;
        try (TrainingShards shards = TrainingShards.of(spark, x.train(), 2)) {
            ta = distributed(a).build();
            Trainer.History h = ta.fit(shards, x.valid());
            assertThat(h.epochs()).hasSize(2);
            distributed(b).build().fit(shards, x.valid());
        }
        assertThat(a.parameters().toArray()).containsExactly(b.parameters().toArray());

        AutoIntModel single = model();
        Trainer.builder(single).epochs(2).batchSize(256).seed(7).l2Embedding(1e-5f).learningRate(2e-3f).threads(2).build()
                .fit(x.train(), x.valid());
        double aucSpark = Metrics.auc(a.predictor().predict(x.test()), x.test().labelColumn(), x.test().size());
        double aucSingle = Metrics.auc(single.predictor().predict(x.test()), x.test().labelColumn(), x.test().size());
        assertThat(aucSpark).as("test AUC, two shards vs one node (%s)", aucSingle).isGreaterThan(0.6).isCloseTo(aucSingle,
                org.assertj.core.data.Offset.offset(0.02));

        SparkTrainer.StepStats s = ta.stats();
        assertThat(s.steps()).isEqualTo(ta.step());
        assertThat(s.samples()).isEqualTo(2L * x.train().size());
        assertThat(s.gradientBytes()).isPositive();
        assertThat(s.weightBytes()).isEqualTo(4L * a.parameters().size());
    }

    @Test
    void localSgdWithOneShardAndOneLocalStepIsTheSingleNodeSchedule() {
        AutoIntModel single = model();
        Trainer.builder(single).epochs(2).batchSize(256).seed(7).l2Embedding(1e-5f).learningRate(2e-3f).threads(1).build()
                .fit(x.train(), null);
        AutoIntModel local = model();
        try (TrainingShards shards = TrainingShards.of(spark, x.train(), 1)) {
            SparkTrainer t = distributed(local).localSgd(1, Adam::adam).build();
            t.fit(shards, null);
            assertThat(t.stats().rounds()).isEqualTo(t.step());
        }
        assertThat(local.parameters().toArray()).containsExactly(single.parameters().toArray());
    }

    @Test
    void localSgdRepeatsExactlyAndLearns() {
        AutoIntModel a = model(), b = model();
        SparkTrainer ta;
        try (TrainingShards shards = TrainingShards.of(spark, x.train(), 2)) {
            ta = distributed(a).localSgd(4, Adam::adam).build();
            ta.fit(shards, x.valid());
            distributed(b).localSgd(4, Adam::adam).build().fit(shards, x.valid());
        }
        assertThat(a.parameters().toArray()).containsExactly(b.parameters().toArray());
        long batches = (x.train().size() + 255) / 256;
        assertThat(ta.step()).isEqualTo(2 * batches);
        assertThat(ta.stats().rounds()).isEqualTo(2 * ((batches + 3) / 4));
        AutoIntModel single = model();
        Trainer.builder(single).epochs(2).batchSize(256).seed(7).l2Embedding(1e-5f).learningRate(2e-3f).threads(2).build()
                .fit(x.train(), x.valid());
        double aucLocal = Metrics.auc(a.predictor().predict(x.test()), x.test().labelColumn(), x.test().size());
        double aucSingle = Metrics.auc(single.predictor().predict(x.test()), x.test().labelColumn(), x.test().size());
        assertThat(aucLocal).as("test AUC, local SGD vs one node (%s)", aucSingle).isGreaterThan(0.6)
                .isCloseTo(aucSingle, org.assertj.core.data.Offset.offset(0.03));
    }

    @Test
    void theFocalLossTravelsToTheExecutors() {
        Loss focal = Loss.focal(2f, 0.25f);
        AutoIntModel single = model();
        Trainer.builder(single).epochs(2).batchSize(256).seed(7).l2Embedding(1e-5f).learningRate(2e-3f).threads(1).loss(focal).build()
                .fit(x.train(), null);
        AutoIntModel bce = model();
        Trainer.builder(bce).epochs(2).batchSize(256).seed(7).l2Embedding(1e-5f).learningRate(2e-3f).threads(1).build().fit(x.train(), null);
        assertThat(single.parameters().toArray()).as("the focal loss changes the weights").isNotEqualTo(bce.parameters().toArray());

        AutoIntModel sync = model(), local = model();
        try (TrainingShards shards = TrainingShards.of(spark, x.train(), 1)) {
            distributed(sync).loss(focal).build().fit(shards, null);
            distributed(local).loss(focal).localSgd(1, Adam::adam).build().fit(shards, null);
        }
        assertThat(sync.parameters().toArray()).as("synchronous steps").containsExactly(single.parameters().toArray());
        assertThat(local.parameters().toArray()).as("local SGD").containsExactly(single.parameters().toArray());
    }

    /**
     * Spark runs a failed task again, possibly on the same executor thread: a shard task that fails halfway
     * through its backward passes must not leave partial gradients in that thread's buffers for the retry.
     */
    @Test
    void aTaskThatFailsHalfwayLeavesNothingBehindForItsRetry() {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        AutoIntModel m = model();
        Broadcast<ShippedDirectory> files = jsc.broadcast(ShippedDirectory.written(dir -> ModelFiles.save(m, dir)));
        Broadcast<float[]> weights = jsc.broadcast(m.parameters().toArray());
        try {
            TrainingShards.Shard shard = new TrainingShards.Shard(0, x.train());
            int n = x.train().size();
            // Rows past the shard's end: the task fails after the backward passes of the chunks before them.
            assertThatThrownBy(() -> ShardWorker.compute(shard, plan("retried", n + 100, n), weights, files))
                    .isInstanceOf(IndexOutOfBoundsException.class);
            PartialGradient retried = ShardWorker.compute(shard, plan("retried", n, n), weights, files);
            PartialGradient fresh = ShardWorker.compute(shard, plan("fresh", n, n), weights, files);
            assertThat(retried.loss).isEqualTo(fresh.loss);
            assertThat(retried.dense).containsExactly(fresh.dense);
            assertThat(retried.rows).isDeepEqualTo(fresh.rows);
            assertThat(retried.values).isDeepEqualTo(fresh.values);
        } finally {
            files.destroy();
            weights.destroy();
        }
    }

    private static ShardWorker.Plan plan(String runId, int to, int batch) {
        return new ShardWorker.Plan(runId, 0, 0, 7, new int[] {0}, new int[] {to}, new int[] {0}, 1f / batch, 99, Loss.bce());
    }
}
