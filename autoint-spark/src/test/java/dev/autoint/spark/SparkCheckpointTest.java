package dev.autoint.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autoint.core.internal.kernel.KernelProvider;
import dev.autoint.core.model.AutoIntConfig;
import dev.autoint.core.model.AutoIntModel;
import dev.autoint.core.train.Adam;
import dev.autoint.core.train.LearningRateSchedule;
import dev.autoint.core.train.Trainer;
import dev.autoint.core.internal.train.TrainingCheckpoint;
import dev.autoint.core.train.TrainingListener;
import dev.autoint.eval.movielens.MovieLensExperiment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints of {@link SparkTrainer} on a Hadoop {@code file://} URI, on {@code local[2]} with two shards: a
 * run resumed from any epoch's checkpoint ends with the uninterrupted run's weights bit for bit (synchronous
 * and local SGD, with a stateful schedule, and with restore-best reading the best epoch's checkpoint); a
 * checkpoint whose writer did not finish, or whose files were damaged, is never taken. Runs in the vector
 * surefire run only (nothing here depends on the kernels).
 */
class SparkCheckpointTest {

    static SparkSession spark;
    static MovieLensExperiment x;
    static TrainingShards shards;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeFalse("scalar".equals(System.getProperty(KernelProvider.PROPERTY)), "runs in the vector run only");
        x = Fixtures.shared().x();
        spark = LocalSpark.session();
        shards = TrainingShards.of(spark, x.train(), 2);
    }

    @AfterAll
    static void stop() {
        if (shards != null) shards.close();
    }

    static AutoIntModel model() {
        return AutoIntModel.create(AutoIntConfig.seedsAutoIntPlus().withSeed(11), x.encoder().fieldSpecs());
    }

    /**
     * Four epochs, no restore-best (the last epoch's weights are compared), and a schedule with state:
     * reduce-on-plateau with a rate high enough that validation AUC falls in epoch 3 and the rate is halved
     * for epoch 4, which a run resumed from epoch 2 gets right only with the schedule's state restored.
     */
    static SparkTrainer.Builder plateau(AutoIntModel m, List<Float> rates) {
        return SparkTrainer.builder(spark, m).epochs(4).batchSize(512).seed(7).l2Embedding(1e-5f)
                .learningRate(LearningRateSchedule.reduceOnPlateau(2e-2f, 0.5f, 0, 1e-5f))
                .earlyStopping(Trainer.Monitor.AUC, 0, false).listener(new TrainingListener() {
                    @Override
                    public void onEpoch(EpochInfo info) {
                        rates.add(info.learningRate());
                    }
                });
    }

    static String uri(Path dir) {
        return dir.toUri().toString();
    }

    static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".crc")).sorted().toList();
        }
    }

    static double[] aucs(Trainer.History h) {
        return h.epochs().stream().mapToDouble(Trainer.EpochResult::validAuc).toArray();
    }

    @Test
    void aResumedRunEndsWithTheUninterruptedRunsWeights(@TempDir Path tmp) throws Exception {
        Path root = tmp.resolve("checkpoints");
        AutoIntModel full = model();
        List<Float> rates = new ArrayList<>();
        SparkTrainer ft = plateau(full, rates).checkpoints(uri(root)).build();
        Trainer.History h = ft.fit(shards, x.valid());
        assertThat(rates).as("the rate after each epoch (AUC %s)", java.util.Arrays.toString(aucs(h)))
                .startsWith(2e-2f, 2e-2f, 1e-2f);
        assertThat(names(root)).containsExactly("epoch-001", "epoch-002", "epoch-003", "epoch-004");
        assertThat(names(root.resolve("epoch-001"))).containsExactly(HadoopCheckpoints.DIGESTS, "model.json", "model.safetensors",
                TrainingCheckpoint.OPTIMIZER_FILE, TrainingCheckpoint.TRAINER_FILE);
        assertThat(SparkTrainer.latestCheckpoint(spark, uri(root))).hasValueSatisfying(u -> assertThat(u).endsWith("/epoch-004"));

        for (String from : List.of("epoch-001", "epoch-002", "epoch-003")) {
            AutoIntModel resumed = model();
            SparkTrainer rt = plateau(resumed, new ArrayList<>()).resumeFrom(uri(root.resolve(from))).checkpoints(uri(tmp.resolve("again-" + from))).build();
            assertThat(rt.step()).as("steps restored from %s", from).isPositive();
            Trainer.History h2 = rt.fit(shards, x.valid());
            assertThat(resumed.parameters().toArray()).as("resumed from %s", from).containsExactly(full.parameters().toArray());
            assertThat(rt.step()).isEqualTo(ft.step());
            assertThat(aucs(h2)).as("validation AUC of every epoch").containsExactly(aucs(h));
            // What the resumed run writes for the last epoch is what the uninterrupted run wrote.
            assertThat(Files.readAllBytes(tmp.resolve("again-" + from).resolve("epoch-004/optimizer.safetensors")))
                    .isEqualTo(Files.readAllBytes(root.resolve("epoch-004/optimizer.safetensors")));
        }
    }

    @Test
    void localSgdResumesExactly(@TempDir Path tmp) {
        Path root = tmp.resolve("checkpoints");
        AutoIntModel full = model();
        SparkTrainer.Builder b = SparkTrainer.builder(spark, full).epochs(2).batchSize(256).seed(5).learningRate(2e-3f).localSgd(4, Adam::adam);
        b.checkpoints(uri(root)).build().fit(shards, null);
        AutoIntModel resumed = model();
        SparkTrainer.builder(spark, resumed).epochs(2).batchSize(256).seed(5).learningRate(2e-3f).localSgd(4, Adam::adam)
                .resumeFrom(uri(root.resolve("epoch-001"))).build().fit(shards, null);
        assertThat(resumed.parameters().toArray()).containsExactly(full.parameters().toArray());
    }

    @Test
    void restoreBestAfterAResumeReadsTheBestEpochsCheckpoint(@TempDir Path tmp) throws Exception {
        Path root = tmp.resolve("checkpoints");
        AutoIntModel full = model();
        Trainer.History h = bestOfThree(full).checkpoints(uri(root)).build().fit(shards, x.valid());
        double[] auc = aucs(h);
        // The rate jumps after epoch 1 and ruins the model: epoch 1 stays the best, and epoch-002's checkpoint names it.
        assertThat(h.bestEpoch()).as("log-loss per epoch %s", h.epochs()).isZero();
        float[] expected = TrainingCheckpoint.readWeights(root.resolve("epoch-001"), model()).toArray();
        assertThat(full.parameters().toArray()).containsExactly(expected);

        // Resuming from epoch-002 reads epoch-001's weights for restore-best, then trains epoch 3.
        AutoIntModel resumed = model();
        Trainer.History h2 = bestOfThree(resumed).resumeFrom(uri(root.resolve("epoch-002"))).build().fit(shards, x.valid());
        assertThat(h2.bestEpoch()).isEqualTo(h.bestEpoch());
        assertThat(aucs(h2)).containsExactly(auc);
        assertThat(resumed.parameters().toArray()).containsExactly(expected);

        // Without the best epoch's checkpoint, resuming with restore-best is refused before anything changes.
        Files.move(root.resolve("epoch-001"), tmp.resolve("elsewhere"));
        AutoIntModel untouched = model();
        float[] before = untouched.parameters().toArray();
        assertThatThrownBy(() -> bestOfThree(untouched).resumeFrom(uri(root.resolve("epoch-002"))).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("epoch-001").hasMessageContaining("restore-best");
        assertThat(untouched.parameters().toArray()).containsExactly(before);
    }

    @Test
    void aRunResumedFromWhereEarlyStoppingEndedItStaysEnded(@TempDir Path tmp) {
        Path root = tmp.resolve("checkpoints");
        AutoIntModel full = model();
        SparkTrainer ft = bestOfThree(full).epochs(5).earlyStopping(Trainer.Monitor.LOGLOSS, 1, true).checkpoints(uri(root)).build();
        Trainer.History h = ft.fit(shards, x.valid());
        assertThat(h.stoppedEarly()).isTrue();
        assertThat(h.epochs()).hasSize(2);
        AutoIntModel resumed = model();
        SparkTrainer rt = bestOfThree(resumed).epochs(5).earlyStopping(Trainer.Monitor.LOGLOSS, 1, true)
                .resumeFrom(uri(root.resolve("epoch-002"))).build();
        Trainer.History h2 = rt.fit(shards, x.valid());
        assertThat(h2.stoppedEarly()).isTrue();
        assertThat(h2.epochs()).hasSize(2);
        assertThat(rt.step()).isEqualTo(ft.step());
        assertThat(resumed.parameters().toArray()).containsExactly(full.parameters().toArray());
    }

    /** Three epochs with restore-best on validation log-loss; the rate is 3e-3 in epoch 1 and 0.3 after it. */
    static SparkTrainer.Builder bestOfThree(AutoIntModel m) {
        long stepsPerEpoch = (x.train().size() + 511) / 512;
        LearningRateSchedule ruinAfterOne = step -> step < stepsPerEpoch ? 3e-3f : 0.3f;
        return SparkTrainer.builder(spark, m).epochs(3).batchSize(512).seed(7).learningRate(ruinAfterOne)
                .earlyStopping(Trainer.Monitor.LOGLOSS, 0, true);
    }

    @Test
    void aHalfWrittenOrDamagedCheckpointIsNeverTaken(@TempDir Path tmp) throws Exception {
        Path root = tmp.resolve("checkpoints");
        SparkTrainer.builder(spark, model()).epochs(1).batchSize(512).seed(7).checkpoints(uri(root)).build().fit(shards, null);
        Path good = root.resolve("epoch-001");
        // A writer killed before its digest list: everything but the list.
        Path unfinished = copy(good, root.resolve("epoch-002"));
        Files.delete(unfinished.resolve(HadoopCheckpoints.DIGESTS));
        // A copy that lost a file, and one whose weights were changed after writing.
        Path partial = copy(good, root.resolve("epoch-003"));
        Files.delete(partial.resolve(TrainingCheckpoint.OPTIMIZER_FILE));
        Path damaged = copy(good, root.resolve("epoch-004"));
        byte[] w = Files.readAllBytes(damaged.resolve("model.safetensors"));
        w[w.length - 1] ^= 1;
        Files.write(damaged.resolve("model.safetensors"), w);
        // A staging folder left by a killed writer is not a checkpoint either.
        copy(good, root.resolve(".epoch-005.tmp-0000"));

        assertThat(SparkTrainer.latestCheckpoint(spark, uri(root))).hasValueSatisfying(u -> assertThat(u).endsWith("/epoch-001"));
        assertThat(SparkTrainer.latestCheckpoint(spark, uri(tmp.resolve("none")))).isEmpty();
        for (Object[] c : new Object[][] {{unfinished, "no " + HadoopCheckpoints.DIGESTS}, {partial, "optimizer.safetensors is missing"},
                {damaged, "model.safetensors has SHA-256"}}) {
            assertThatThrownBy(() -> SparkTrainer.builder(spark, model()).epochs(2).batchSize(512).seed(7).resumeFrom(uri((Path) c[0])).build())
                    .isInstanceOf(UncheckedIOException.class).hasMessageContaining((String) c[1]);
        }
        // A later write of epoch 1 into the same folder replaces it whole.
        SparkTrainer.builder(spark, model()).epochs(1).batchSize(512).seed(8).checkpoints(uri(root)).build().fit(shards, null);
        assertThat(names(root)).containsExactly(".epoch-005.tmp-0000", "epoch-001", "epoch-002", "epoch-003", "epoch-004");
        assertThat(Files.readString(root.resolve("epoch-001").resolve(TrainingCheckpoint.TRAINER_FILE))).contains("\"seed\" : \"8\"");
    }

    @Test
    void resumingWithOtherSettingsIsRefused(@TempDir Path tmp) {
        Path root = tmp.resolve("checkpoints");
        SparkTrainer.builder(spark, model()).epochs(1).batchSize(512).seed(7).checkpoints(uri(root)).build().fit(shards, null);
        String cp = uri(root.resolve("epoch-001"));
        assertThatThrownBy(() -> SparkTrainer.builder(spark, model()).epochs(2).batchSize(256).seed(8).resumeFrom(cp).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("seed 7 (this trainer: 8)")
                .hasMessageContaining("batchSize 512 (this trainer: 256)");
        assertThatThrownBy(() -> SparkTrainer.builder(spark, model()).epochs(2).batchSize(512).seed(7)
                .loss(dev.autoint.core.model.Loss.focal(2f)).resumeFrom(cp).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("loss");
        assertThatThrownBy(() -> SparkTrainer.builder(spark, model()).epochs(2).batchSize(512).seed(7)
                .optimizer(new dev.autoint.core.train.Sgd(0.9f, 0f, 0f, true)).resumeFrom(cp).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Adam").hasMessageContaining("checkpoint " + cp + " was written by");
    }

    private static Path copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        // Without Hadoop's .crc side files: the digests are what must catch a damaged file, on any file system.
        try (Stream<Path> s = Files.list(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (!p.getFileName().toString().endsWith(".crc")) Files.copy(p, to.resolve(p.getFileName()));
            }
        }
        return to;
    }
}
