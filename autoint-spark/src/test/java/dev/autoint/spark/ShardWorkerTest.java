package dev.autoint.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autoint.core.io.ModelFiles;
import dev.autoint.core.model.AutoIntConfig;
import dev.autoint.core.model.AutoIntModel;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.junit.jupiter.api.Test;

/**
 * The per-run workers of an executor JVM: many training runs in one JVM (every {@code fit} is a run) keep their
 * workers while they run and forget the oldest runs' without failing. Forgetting them inside
 * {@code ConcurrentHashMap.computeIfAbsent} (a map changed by its own mapping function) could lose the new run's
 * entry when the forgotten run sat in its hash bin, and later threw "Recursive update", failing a training step.
 */
class ShardWorkerTest {

    @Test
    void manyRunsInOneJvmForgetTheOldestWithoutFailing() {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(LocalSpark.session().sparkContext());
        AutoIntModel model = AutoIntModel.create(AutoIntConfig.seedsAutoIntPlus().withSeed(1), Fixtures.sharedQuietly().x().encoder().fieldSpecs());
        Broadcast<ShippedDirectory> files = jsc.broadcast(ShippedDirectory.written(dir -> ModelFiles.save(model, dir)));
        try {
            ShardWorker first = ShardWorker.get("guard-run-0", files);
            assertThat(ShardWorker.get("guard-run-0", files)).as("the same run on the same thread").isSameAs(first);
            // Run ids as SparkTrainer makes them (UUIDs), from a fixed seed: their hash bins collide within the first hundred.
            java.util.Random rnd = new java.util.Random(1);
            for (int run = 1; run < 300; run++) {
                String id = new java.util.UUID(rnd.nextLong(), rnd.nextLong()).toString();
                ShardWorker w = ShardWorker.get(id, files);
                assertThat(ShardWorker.get(id, files)).as("run %d keeps its worker", run).isSameAs(w);
            }
            assertThat(ShardWorker.get("guard-run-0", files)).as("a forgotten run starts with a new worker").isNotSameAs(first);
        } finally {
            files.destroy(false);
        }
    }
}
