package dev.autoint.core.train;

import dev.autoint.core.internal.engine.Network;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autoint.core.data.EncodedDataset;
import dev.autoint.core.data.FieldSpec;
import dev.autoint.core.model.AutoIntConfig;
import dev.autoint.core.model.Interaction;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import dev.autoint.core.model.AutoIntModel;
import dev.autoint.core.model.Loss;
import dev.autoint.core.model.TensorRole;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {

    /**
     * A task with planted pairwise interactions and no main effects: four fields of 8 values each,
     * P(click) = σ(2.5·(u_a·v_b + x_c·y_d)) where u, v, x, y are random balanced ±1 vectors (four of each
     * sign). Every single field's marginal click rate is the same, so a model that adds up per-field terms
     * (a logistic regression) cannot beat chance; a model must learn the pairs.
     */
    static final class PlantedTask {
        static final int V = 8;
        final List<FieldSpec> fields = List.of(FieldSpec.categorical("a", V + 1), FieldSpec.categorical("b", V + 1),
                FieldSpec.categorical("c", V + 1), FieldSpec.categorical("d", V + 1));
        final float[][] m = new float[V][V];
        final float[][] nn = new float[V][V];

        PlantedTask(long seed) {
            SplittableRandom r = new SplittableRandom(seed);
            float[] u = balanced(r), v = balanced(r), x = balanced(r), y = balanced(r);
            for (int i = 0; i < V; i++) {
                for (int j = 0; j < V; j++) {
                    m[i][j] = u[i] * v[j];
                    nn[i][j] = x[i] * y[j];
                }
            }
        }

        static float[] balanced(SplittableRandom r) {
            float[] s = new float[V];
            for (int i = 0; i < V; i++) s[i] = i < V / 2 ? 1 : -1;
            for (int i = V - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                float t = s[i];
                s[i] = s[j];
                s[j] = t;
            }
            return s;
        }

        /** Rows and, in {@code truth}, each row's true click probability. */
        EncodedDataset sample(int n, long seed, float[] truth) {
            SplittableRandom r = new SplittableRandom(seed);
            EncodedDataset.Builder b = EncodedDataset.builder(fields, n);
            for (int i = 0; i < n; i++) {
                int a = r.nextInt(V), bb = r.nextInt(V), c = r.nextInt(V), d = r.nextInt(V);
                double p = 1 / (1 + Math.exp(-2.5 * (m[a][bb] + nn[c][d])));
                if (truth != null) truth[i] = (float) p;
                b.categorical(0, a + 1).categorical(1, bb + 1).categorical(2, c + 1).categorical(3, d + 1)
                        .endRow(r.nextDouble() < p ? 1f : 0f);
            }
            return b.build();
        }
    }

    static double testAuc(AutoIntModel model, EncodedDataset test) {
        float[] p = model.predictor().predict(test);
        return Metrics.auc(p, test.labelColumn(), test.size());
    }

    @Test
    void attentionLearnsPlantedInteractionsThatALinearModelCannot() {
        PlantedTask task = new PlantedTask(1);
        EncodedDataset train = task.sample(40_000, 2, null);
        EncodedDataset valid = task.sample(5_000, 3, null);
        float[] truth = new float[20_000];
        EncodedDataset test = task.sample(20_000, 4, truth);
        double bayes = Metrics.auc(truth, test.labelColumn(), test.size());

        AutoIntConfig attention = AutoIntConfig.defaults().withEmbeddingSize(8).withLayers(2).withHeads(2).withHeadSize(8)
                .withEmbeddingInitStd(0.1f);
        AutoIntModel autoInt = AutoIntModel.create(attention, task.fields);
        Trainer.builder(autoInt).epochs(12).batchSize(256).threads(2).learningRate(3e-3f)
                .earlyStopping(Trainer.Monitor.AUC, 3, true).build().fit(train, valid);
        double aucAttention = testAuc(autoInt, test);

        // No interacting layer: the logit is linear in the field embeddings, i.e. a logistic regression.
        AutoIntModel linear = AutoIntModel.create(attention.withLayers(0), task.fields);
        Trainer.builder(linear).epochs(6).batchSize(256).threads(2).learningRate(3e-3f).build().fit(train, valid);
        double aucLinear = testAuc(linear, test);

        System.out.printf("planted interactions: Bayes-optimal AUC %.4f, AutoInt %.4f, linear-only %.4f%n", bayes,
                aucAttention, aucLinear);
        assertThat(bayes).isGreaterThan(0.8);
        assertThat(aucAttention).as("AutoInt AUC vs Bayes-optimal %s", bayes).isGreaterThan(bayes - 0.02);
        assertThat(aucLinear).as("linear-only AUC").isLessThan(0.6);
    }

    static Stream<Arguments> family() {
        AutoIntConfig base = AutoIntConfig.defaults().withLayers(0).withEmbeddingSize(8).withEmbeddingInitStd(0.1f);
        return Stream.of(
                Arguments.of("FM", base.withLinearTerm(true).withInteraction(Interaction.fm())),
                Arguments.of("DeepFM", base.withLinearTerm(true).withDnnHidden(List.of(16)).withInteraction(Interaction.fm())),
                Arguments.of("DCN-v2 parallel", base.withDnnHidden(List.of(16)).withInteraction(Interaction.cross(2, false))),
                Arguments.of("DCN-v2 stacked", base.withDnnHidden(List.of(16)).withInteraction(Interaction.cross(2, true))),
                Arguments.of("xDeepFM", base.withDnnHidden(List.of(16)).withInteraction(Interaction.cin(List.of(8, 8), true))));
    }

    /** The trainer and the predictor run every model of the family without knowing which it is. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("family")
    void everyModelOfTheFamilyLearnsThePlantedInteractions(String name, AutoIntConfig config) {
        PlantedTask task = new PlantedTask(1);
        EncodedDataset train = task.sample(20_000, 2, null);
        EncodedDataset valid = task.sample(3_000, 3, null);
        float[] truth = new float[10_000];
        EncodedDataset test = task.sample(10_000, 4, truth);
        double bayes = Metrics.auc(truth, test.labelColumn(), test.size());
        AutoIntModel model = AutoIntModel.create(config, task.fields);
        Trainer.builder(model).epochs(8).batchSize(256).threads(2).learningRate(3e-3f)
                .earlyStopping(Trainer.Monitor.AUC, 2, true).build().fit(train, valid);
        double auc = testAuc(model, test);
        System.out.printf("planted interactions: Bayes-optimal AUC %.4f, %s %.4f%n", bayes, name, auc);
        assertThat(auc).as("%s AUC vs Bayes-optimal %s", name, bayes).isGreaterThan(bayes - 0.03);
    }

    static EncodedDataset plantedTrain() {
        return new PlantedTask(7).sample(6_000, 8, null);
    }

    static AutoIntModel smallModel() {
        return AutoIntModel.create(AutoIntConfig.seedsAutoIntPlus().withEmbeddingSize(8).withLayers(1).withHeadSize(4)
                .withDnnHidden(List.of(16)).withDropout(0.2f), new PlantedTask(7).fields);
    }

    @Test
    void sameSeedAndThreadsGiveBitIdenticalWeights() {
        EncodedDataset train = plantedTrain();
        float[][] runs = new float[2][];
        for (int r = 0; r < 2; r++) {
            AutoIntModel m = smallModel();
            Trainer.builder(m).epochs(2).batchSize(500).threads(2).l2Embedding(1e-5f).seed(3).build().fit(train, null);
            runs[r] = m.parameters().toArray();
        }
        assertThat(runs[1]).containsExactly(runs[0]);
    }

    /** A listener's stopAfter ends the run after that epoch, like patience, and restore-best still applies. */
    @Test
    void aListenerCanStopTheRunAfterAnEpoch() {
        PlantedTask task = new PlantedTask(7);
        EncodedDataset valid = task.sample(1_000, 9, null);
        AutoIntModel m = smallModel();
        List<Integer> asked = new ArrayList<>();
        Trainer.History h = Trainer.builder(m).epochs(6).batchSize(500).threads(1).seed(3)
                .listener(new TrainingListener() {
                    @Override
                    public boolean stopAfter(TrainingListener.EpochInfo info) {
                        asked.add(info.epoch());
                        return info.epoch() == 1;
                    }
                }).build().fit(plantedTrain(), valid);
        assertThat(asked).containsExactly(0, 1);
        assertThat(h.epochs()).hasSize(2);
        assertThat(h.stoppedEarly()).isTrue();
    }

    /** A validation set of other fields is rejected before the first step, not after the first epoch's training. */
    @Test
    void validationSetOfOtherFieldsIsRejectedBeforeTraining() {
        AutoIntModel m = smallModel();
        float[] before = m.parameters().toArray();
        EncodedDataset.Builder vb = EncodedDataset.builder(List.of(FieldSpec.categorical("a", PlantedTask.V + 1)), 2);
        vb.categorical(0, 1).endRow(1f);
        vb.categorical(0, 2).endRow(0f);
        Trainer t = Trainer.builder(m).epochs(1).batchSize(500).threads(1).build();
        assertThatThrownBy(() -> t.fit(plantedTrain(), vb.build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("validation set's fields");
        assertThat(t.step()).isZero();
        assertThat(m.parameters().toArray()).containsExactly(before);
    }

    @Test
    void oneAndTwoThreadsReachTheSameAuc() {
        PlantedTask task = new PlantedTask(7);
        EncodedDataset train = task.sample(20_000, 8, null);
        EncodedDataset test = task.sample(10_000, 9, null);
        double[] auc = new double[2];
        for (int t = 1; t <= 2; t++) {
            AutoIntModel m = smallModel();
            Trainer.builder(m).epochs(3).batchSize(512).threads(t).seed(3).learningRate(3e-3f).build().fit(train, null);
            auc[t - 1] = testAuc(m, test);
        }
        assertThat(Math.abs(auc[0] - auc[1])).isLessThan(0.002);
    }

    @Test
    void resumingFromACheckpointContinuesExactly(@TempDir Path dir) {
        EncodedDataset train = plantedTrain();
        EncodedDataset valid = new PlantedTask(7).sample(1_000, 10, null);
        AutoIntModel full = smallModel();
        Trainer.History h = Trainer.builder(full).epochs(3).batchSize(500).threads(2).optimizer(new Sgd(0.9f, 0f, 0f, true))
                .learningRate(0.05f).checkpoints(dir).earlyStopping(Trainer.Monitor.AUC, 0, false).build().fit(train, valid);
        assertThat(h.epochs()).hasSize(3);
        // Each checkpoint was renamed into place whole: nothing but the three epoch directories is left.
        try (var entries = java.nio.file.Files.list(dir)) {
            assertThat(entries.map(p -> p.getFileName().toString()).sorted())
                    .containsExactly("epoch-001", "epoch-002", "epoch-003");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }

        AutoIntModel resumed = smallModel();
        Trainer t = Trainer.builder(resumed).epochs(3).batchSize(500).threads(2).optimizer(new Sgd(0.9f, 0f, 0f, true))
                .learningRate(0.05f).earlyStopping(Trainer.Monitor.AUC, 0, false)
                .resumeFrom(dir.resolve("epoch-001")).build();
        Trainer.History h2 = t.fit(train, valid);
        assertThat(h2.epochs()).hasSize(3);
        assertThat(resumed.parameters().toArray()).containsExactly(full.parameters().toArray());

        // Resuming with another optimizer than the checkpoint's is refused, naming both.
        assertThatThrownBy(() -> Trainer.builder(smallModel()).optimizer(Adam.adam())
                .resumeFrom(dir.resolve("epoch-001")).build())
                .hasMessageContaining("SGD").hasMessageContaining("Adam");
    }

    @Test
    void aSecondRunIntoTheSameCheckpointDirectoryReplacesItsCheckpoints(@TempDir Path dir) throws Exception {
        EncodedDataset train = new PlantedTask(7).sample(1_000, 8, null);
        AutoIntModel first = null, second = null;
        for (long seed : new long[] {1, 2}) {
            first = second;
            second = smallModel();
            Trainer.builder(second).epochs(1).batchSize(250).threads(2).seed(seed).checkpoints(dir).build().fit(train, null);
        }
        try (var entries = java.nio.file.Files.list(dir)) {
            assertThat(entries.map(p -> p.getFileName().toString())).containsExactly("epoch-001");
        }
        float[] saved = dev.autoint.core.io.ModelFiles.load(dir.resolve("epoch-001")).model().parameters().toArray();
        assertThat(saved).containsExactly(second.parameters().toArray());
        assertThat(saved).isNotEqualTo(first.parameters().toArray()); // the runs differ, so the replacement shows
    }

    @Test
    void earlyStoppingRestoresTheBestEpoch() {
        EncodedDataset train = plantedTrain();
        EncodedDataset valid = new PlantedTask(7).sample(2_000, 11, null);
        AutoIntModel m = smallModel();
        List<TrainingListener.EpochInfo> seen = new ArrayList<>();
        Trainer.History h = Trainer.builder(m).epochs(30).batchSize(200).threads(2).learningRate(0.05f) // too high: overfits fast
                .earlyStopping(Trainer.Monitor.LOGLOSS, 2, true)
                .listener(new TrainingListener() {
                    @Override
                    public void onEpoch(EpochInfo info) {
                        seen.add(info);
                    }
                }).build().fit(train, valid);
        assertThat(h.stoppedEarly()).isTrue();
        assertThat(seen).hasSize(h.epochs().size());
        double bestLogLoss = h.best().validLogLoss();
        float[] p = m.predictor().predict(valid);
        assertThat(Metrics.logLoss(p, valid.labelColumn(), valid.size())).isCloseTo(bestLogLoss, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void divergenceNamesTheStepAndKeepsFiniteWeights() {
        EncodedDataset train = plantedTrain();
        AutoIntModel m = smallModel();
        assertThatThrownBy(() -> Trainer.builder(m).epochs(1).batchSize(500).threads(2).optimizer(Sgd.plain())
                .learningRate(1e30f).build().fit(train, null))
                .isInstanceOf(TrainingDivergedException.class)
                .hasMessageContaining("at step")
                .satisfies(e -> assertThat(((TrainingDivergedException) e).tensor()).isNotNull());
        for (float v : m.parameters().toArray()) assertThat(Float.isFinite(v)).isTrue();
    }

    /**
     * After an update that makes a weight non-finite, the model holds exactly the weights after the last good step,
     * also when the same trainer fits again (the buffer the step's regions are saved into is reused across fits).
     */
    @Test
    void divergenceLeavesExactlyTheWeightsOfTheLastGoodStep() {
        EncodedDataset train = plantedTrain();
        AutoIntModel m = smallModel();
        float[][] last = new float[1][];
        // Two sane steps, then one whose update overflows: with a strong L2 term the embedding rows' gradient 2λw
        // is about 100, and 1e37 times that is not a float, while the loss (taken before the update) is finite.
        LearningRateSchedule spike = step -> step % 3 == 2 ? 1e37f : 1e-3f;
        Trainer t = Trainer.builder(m).epochs(1).batchSize(500).threads(2).optimizer(Sgd.plain()).learningRate(spike)
                .l2Embedding(1e3f)
                .listener(new TrainingListener() {
                    @Override
                    public void onBatch(BatchInfo info) {
                        last[0] = m.parameters().toArray();
                    }
                }).build();
        for (int fit = 0; fit < 2; fit++) {
            float[] before = m.parameters().toArray();
            last[0] = null;
            // The update itself must be what fails (a weight became non-finite), so that the step's saved regions
            // are read back: in the first fit after two good steps; the second fit resumes at the failed step (the
            // trainer's step count did not advance), so it fails at once, with the buffer holding the first's.
            assertThatThrownBy(() -> t.fit(train, null)).isInstanceOf(TrainingDivergedException.class)
                    .hasMessageContaining("became non-finite");
            if (fit == 0) assertThat(last[0]).as("the first fit diverged at its first step").isNotNull();
            assertThat(m.parameters().toArray()).containsExactly(last[0] != null ? last[0] : before);
        }
    }

    @Test
    void divergenceWithoutABestEpochKeepsTheLastFiniteWeightsAndSaysSo() {
        EncodedDataset train = plantedTrain();
        EncodedDataset valid = new PlantedTask(7).sample(1_000, 10, null);
        AutoIntModel m = smallModel();
        TrainingDivergedException e = org.assertj.core.api.Assertions.catchThrowableOfType(TrainingDivergedException.class,
                () -> Trainer.builder(m).epochs(3).batchSize(500).threads(2).optimizer(Sgd.plain()).learningRate(1e3f)
                        .earlyStopping(Trainer.Monitor.AUC, 0, true).build().fit(train, valid));
        assertThat(e).isNotNull();
        assertThat(e.epoch()).isZero();
        assertThat(e.history().epochs()).isEmpty();
        assertThat(e.bestEpoch()).isEqualTo(-1);
        assertThat(e.bestRestored()).isFalse();
        assertThat(e).hasMessageContaining("epoch 1").hasMessageContaining("no epoch was scored yet");
        for (float v : m.parameters().toArray()) assertThat(Float.isFinite(v)).isTrue();
    }

    @Test
    void divergenceRestoresTheBestEpochSoFarAndReportsIt(@TempDir Path dir) throws Exception {
        EncodedDataset train = plantedTrain();
        EncodedDataset valid = new PlantedTask(7).sample(1_000, 10, null);
        AutoIntModel m = smallModel();
        int perEpoch = 12; // 6,000 rows in batches of 500
        LearningRateSchedule twoGoodEpochsThen1e3 = s -> s < 2L * perEpoch ? 0.05f : 1e3f;
        TrainingDivergedException e = org.assertj.core.api.Assertions.catchThrowableOfType(TrainingDivergedException.class,
                () -> Trainer.builder(m).epochs(20).batchSize(500).threads(2).optimizer(Sgd.plain())
                        .learningRate(twoGoodEpochsThen1e3).earlyStopping(Trainer.Monitor.AUC, 0, true).checkpoints(dir)
                        .build().fit(train, valid));
        assertThat(e).isNotNull();
        assertThat(e.step()).isGreaterThanOrEqualTo(2L * perEpoch);
        assertThat(e.epoch()).isGreaterThanOrEqualTo(2);
        assertThat(e.history().epochs()).hasSize(e.epoch());
        assertThat(e.bestEpoch()).isBetween(0, e.epoch() - 1);
        assertThat(e.history().best()).isNotNull();
        assertThat(e.bestRestored()).isTrue();
        assertThat(e).hasMessageContaining("at step " + e.step()).hasMessageContaining("epoch " + (e.epoch() + 1))
                .hasMessageContaining("restored the weights of the best epoch so far (epoch " + (e.bestEpoch() + 1) + ")");
        // The model holds exactly the best epoch's weights, as its checkpoint has them: a usable model to save.
        float[] best = dev.autoint.core.io.ModelFiles.load(dir.resolve(String.format("epoch-%03d", e.bestEpoch() + 1)))
                .model().parameters().toArray();
        assertThat(m.parameters().toArray()).containsExactly(best);
        float[] p = m.predictor().predict(valid);
        assertThat(Metrics.auc(p, valid.labelColumn(), valid.size())).isEqualTo(e.history().best().validAuc());
    }

    @Test
    void resumingWithRestoreBestFailsAtOnceWhenTheBestEpochsCheckpointIsGone(@TempDir Path dir) throws Exception {
        EncodedDataset train = plantedTrain();
        EncodedDataset valid = new PlantedTask(7).sample(2_000, 11, null);
        int epochs = 6;
        Trainer.History h = Trainer.builder(smallModel()).epochs(epochs).batchSize(200).threads(2).learningRate(0.05f) // overfits fast
                .earlyStopping(Trainer.Monitor.LOGLOSS, 0, true).checkpoints(dir).build().fit(train, valid);
        // The first epoch whose checkpoint records an earlier epoch as the best so far.
        int resumeAt = -1, best = 0;
        for (int k = 1; k < epochs && resumeAt < 0; k++) {
            if (h.epochs().get(k).validLogLoss() < h.epochs().get(best).validLogLoss()) best = k;
            else resumeAt = k;
        }
        assertThat(resumeAt).as("an epoch after the best so far, to resume from").isPositive();
        Path from = dir.resolve(String.format("epoch-%03d", resumeAt + 1));
        Path bestDir = dir.resolve(String.format("epoch-%03d", best + 1));
        float[] bestWeights = dev.autoint.core.io.ModelFiles.load(bestDir).model().parameters().toArray();

        // With the best epoch's checkpoint in place, resuming to the end restores it.
        AutoIntModel resumed = smallModel();
        Trainer.builder(resumed).epochs(resumeAt + 1).batchSize(200).threads(2).learningRate(0.05f)
                .earlyStopping(Trainer.Monitor.LOGLOSS, 0, true).resumeFrom(from).build().fit(train, valid);
        assertThat(resumed.parameters().toArray()).containsExactly(bestWeights);

        // Without it, build fails naming the directory and how to go on, and leaves the model untouched.
        dev.autoint.core.internal.io.AtomicFiles.deleteTree(bestDir);
        AutoIntModel fresh = smallModel();
        float[] before = fresh.parameters().toArray();
        assertThatThrownBy(() -> Trainer.builder(fresh).epochs(epochs).batchSize(200).threads(2).learningRate(0.05f)
                .earlyStopping(Trainer.Monitor.LOGLOSS, 0, true).resumeFrom(from).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(bestDir.toAbsolutePath().toString())
                .hasMessageContaining("best epoch so far (" + (best + 1) + ")")
                .hasMessageContaining("Put that directory back")
                .hasMessageContaining("resume without restore-best");
        assertThat(fresh.parameters().toArray()).containsExactly(before);
        // Without restore-best the resume goes ahead.
        Trainer t = Trainer.builder(fresh).epochs(resumeAt + 1).batchSize(200).threads(2).learningRate(0.05f)
                .earlyStopping(Trainer.Monitor.LOGLOSS, 0, false).resumeFrom(from).build();
        assertThat(t.fit(train, valid).bestEpoch()).isEqualTo(best);
    }

    /**
     * Two steps of plain SGD (lr 1), each over the whole data set as one batch, are two negated gradients:
     * per-thread sums, the L2 term on the touched embedding rows and clipping by global norm, as computed
     * here without the trainer. Checked for 1, 2 and 3 threads (each thread takes a part of the step's
     * regions), with and without clipping. The second step would show any gradient left over from the
     * first; rows the batch never touches must not move at all.
     */
    @Test
    void twoStepsAreTheClippedPenalisedGradientsWhateverTheThreadCount() {
        PlantedTask task = new PlantedTask(7);
        // Values 1..6 only (of 8): rows 7 and 8 of every embedding table stay untouched.
        EncodedDataset.Builder db = EncodedDataset.builder(task.fields, 300);
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < 300; i++) {
            for (int f = 0; f < 4; f++) db.categorical(f, 1 + r.nextInt(6));
            db.endRow(r.nextDouble() < 0.5 ? 1f : 0f);
        }
        EncodedDataset data = db.build();
        int n = data.size();
        float lambda = 1e-2f;
        for (float clip : new float[] {0f, 0.05f}) {
            // The reference: per step, one forward and backward over the whole batch, then L2, clipping, update.
            AutoIntModel ref = AutoIntModel.create(smallModel().config().withDropout(0f), task.fields);
            float[] w = dev.autoint.core.internal.engine.ParameterAccess.data(ref.parameters()); // live: the next forward reads it
            float[] w0 = w.clone();
            double[] moved = new double[w.length]; // Σ |step| per weight, for the tolerance
            for (int step = 0; step < 2; step++) {
                dev.autoint.core.internal.engine.Workspace ws = Network.of(ref).newWorkspace(n);
                dev.autoint.core.internal.engine.Gradients g = new dev.autoint.core.internal.engine.Gradients(ref.parameters());
                Network.of(ref).forward(ws, data, null, 0, n, true, 0L, 0);
                Network.of(ref).backward(ws, data, null, 0, Loss.bce(), 1f / n, g);
                float[] gd = g.data();
                g.forEachRegion((t, off, len) -> { // the penalty covers the touched rows of the embedding tables
                    if (t.role() == TensorRole.EMBEDDING) {
                        for (int i = off; i < off + len; i++) gd[i] += 2 * lambda * w[i];
                    }
                });
                double squares = 0;
                for (float v : gd) squares += (double) v * v;
                double norm = Math.sqrt(squares);
                double factor = clip > 0 && norm > clip ? clip / norm : 1;
                if (clip > 0) assertThat(factor).as("clipping must be active in this case").isLessThan(0.9);
                for (int i = 0; i < w.length; i++) {
                    w[i] = (float) (w[i] - factor * gd[i]);
                    moved[i] += Math.abs(factor * gd[i]);
                }
            }
            for (int threads = 1; threads <= 3; threads++) {
                AutoIntModel m = AutoIntModel.create(smallModel().config().withDropout(0f), task.fields);
                Trainer.builder(m).epochs(2).batchSize(n).threads(threads).optimizer(Sgd.plain()).learningRate(1f)
                        .l2Embedding(lambda).clipNorm(clip).build().fit(data, null);
                float[] w2 = m.parameters().toArray();
                for (int i = 0; i < w2.length; i++) {
                    if (moved[i] == 0) {
                        assertThat(w2[i]).as("untouched weight %d, %d threads", i, threads).isEqualTo(w0[i]);
                        continue;
                    }
                    assertThat((double) w2[i]).as("weight %d, %d threads, clip %s", i, threads, clip)
                            .isCloseTo(w[i], org.assertj.core.data.Offset.offset(4 * Math.ulp(w[i]) + 1e-4 * moved[i]));
                }
            }
        }
    }

    /**
     * A second fit on the same trainer continues the optimizer (state, step count, schedule position) and
     * nothing else: with plain SGD, which has no state, and no dropout (whose masks follow the step), it is
     * exactly a new trainer's fit from the first fit's weights; with Adam, whose moments and bias correction
     * continue, it is not.
     */
    @Test
    void aSecondFitContinuesTheOptimizer() {
        EncodedDataset train = new PlantedTask(7).sample(1_000, 8, null);
        AutoIntConfig noDropout = smallModel().config().withDropout(0f);
        for (Optimizer o : new Optimizer[] {Sgd.plain(), Adam.adam()}) {
            AutoIntModel twice = AutoIntModel.create(noDropout, new PlantedTask(7).fields);
            Trainer t = Trainer.builder(twice).epochs(1).batchSize(250).threads(2).optimizer(o).learningRate(0.05f).build();
            t.fit(train, null);
            Trainer.History second = t.fit(train, null);
            assertThat(t.step()).isEqualTo(8);
            assertThat(second.epochs()).hasSize(1);
            assertThat(second.epochs().get(0).epoch()).isZero();

            AutoIntModel fresh = AutoIntModel.create(noDropout, new PlantedTask(7).fields);
            Trainer.builder(fresh).epochs(1).batchSize(250).threads(2).optimizer(o).learningRate(0.05f).build().fit(train, null);
            Trainer.builder(fresh).epochs(1).batchSize(250).threads(2).optimizer(o).learningRate(0.05f).build().fit(train, null);
            if (o instanceof Sgd) assertThat(twice.parameters().toArray()).as("%s", o).containsExactly(fresh.parameters().toArray());
            else assertThat(twice.parameters().toArray()).as("%s", o).isNotEqualTo(fresh.parameters().toArray());
        }
    }

    /** trainer.json keeps its fields, NaN metrics (no validation set) survive a resume, and the history comes back whole. */
    @Test
    void aCheckpointsProgressRoundTripsWithoutValidation(@TempDir Path dir) throws Exception {
        EncodedDataset train = new PlantedTask(7).sample(1_000, 8, null);
        AutoIntModel m = smallModel();
        Trainer.History h = Trainer.builder(m).epochs(2).batchSize(250).threads(1).checkpoints(dir)
                .learningRate(LearningRateSchedule.reduceOnPlateau(1e-3f, 0.5f, 1, 1e-5f)).build().fit(train, null);
        assertThat(h.bestEpoch()).isEqualTo(-1);
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(dir.resolve("epoch-002").resolve("trainer.json").toFile());
        assertThat(json.fieldNames()).toIterable()
                .containsExactly("epoch", "step", "bestValue", "bestEpoch", "badEpochs", "history", "schedule", "run");
        assertThat(json.path("bestValue").isNull()).isTrue();
        Trainer resumed = Trainer.builder(smallModel()).epochs(3).batchSize(250).threads(1)
                .learningRate(LearningRateSchedule.reduceOnPlateau(1e-3f, 0.5f, 1, 1e-5f)).resumeFrom(dir.resolve("epoch-002")).build();
        assertThat(resumed.step()).isEqualTo(8);
        Trainer.History h2 = resumed.fit(train, null);
        assertThat(h2.epochs()).hasSize(3);
        assertThat(h2.epochs().subList(0, 2)).isEqualTo(h.epochs()); // NaN AUC and log loss included (record equality)
        assertThat(h2.epochs().get(0).validAuc()).isNaN();
    }

    @Test
    void focalLossWithGammaZeroIsBce() {
        for (float z = -30; z <= 30; z += 0.37f) {
            for (float y : new float[] {0f, 1f}) {
                assertThat(Loss.focal(0f).value(z, y)).isCloseTo(Loss.bce().value(z, y), org.assertj.core.data.Offset.offset(1e-9));
                assertThat(Loss.focal(0f).gradient(z, y)).isCloseTo(Loss.bce().gradient(z, y), org.assertj.core.data.Offset.offset(1e-9));
                // And the focal gradient is the derivative of its value (central differences, double).
                Loss f = Loss.focal(2f, 0.25f);
                double eps = 1e-2; // the loss takes a float logit: a smaller step drowns in its rounding
                double num = (f.value((float) (z + eps), y) - f.value((float) (z - eps), y)) / (2 * eps);
                assertThat(f.gradient(z, y)).isCloseTo(num, org.assertj.core.data.Offset.offset(1e-3 * Math.max(1, Math.abs(num))));
            }
        }
        assertThat(Loss.bce().value(1000f, 0f)).isEqualTo(1000.0);
        assertThat(Loss.bce().value(-1000f, 0f)).isEqualTo(0.0);
    }
}
