package dev.autoint.core.train;

import dev.autoint.core.internal.engine.Network;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.autoint.core.data.EncodedDataset;
import dev.autoint.core.data.FieldKind;
import dev.autoint.core.data.FieldSpec;
import dev.autoint.core.model.AutoIntConfig;
import dev.autoint.core.model.AutoIntModel;
import dev.autoint.core.internal.engine.Gradients;
import dev.autoint.core.internal.train.GradientStep;
import dev.autoint.core.internal.train.Updater;
import dev.autoint.core.model.Loss;
import dev.autoint.core.model.Parameters;
import dev.autoint.core.model.TensorInfo;
import dev.autoint.core.internal.engine.Workspace;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OptimizerTest {

    /**
     * One optimizer step as training takes it: through {@link GradientStep} (here without L2 or clipping) and
     * the optimizer's {@link Updater}, on every region of {@code g}; leaves {@code g} zero.
     */
    static void step(Updater u, Parameters p, Gradients g, float lr) {
        GradientStep s = new GradientStep(p, new Gradients[] {g}, 1);
        s.reduceAll(0f, false);
        assertThat(s.updateAll(u, 1f, lr, null)).isNull();
    }

    /**
     * Reduction and update in one pass ({@link GradientStep#reduceAndUpdate}, what the trainer runs without
     * clipping) give bit for bit the weights, Adam moments, last-good copy and penalty of the two passes, over
     * three steps with three gradient buffers, L2 on the embedding rows and 1 to 3 parts; every buffer is zero
     * after each step.
     */
    @Test
    void oneFusedPassEqualsReductionThenUpdate() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(11);
        for (int parts = 1; parts <= 3; parts++) {
            AutoIntModel a = TrainerTest.smallModel();
            AutoIntModel b = AutoIntModel.create(a.config(), a.fields());
            b.parameters().copyFrom(a.parameters()); // the same start
            Gradients[] ga = {new Gradients(a.parameters()), new Gradients(a.parameters()), new Gradients(a.parameters())};
            Gradients[] gb = {new Gradients(b.parameters()), new Gradients(b.parameters()), new Gradients(b.parameters())};
            GradientStep sa = new GradientStep(a.parameters(), ga, parts);
            GradientStep sb = new GradientStep(b.parameters(), gb, parts);
            Updater ua = Updater.of(Adam.adam()), ub = Updater.of(Adam.adam());
            float[] lastA = a.parameters().toArray(), lastB = b.parameters().toArray();
            for (int step = 0; step < 3; step++) {
                for (int t = 0; t < ga.length; t++) { // random gradients on dense tensors and on some embedding rows
                    for (TensorInfo ti : a.parameters().tensors()) {
                        int idx = a.parameters().tensors().indexOf(ti);
                        int rows = ti.sparse() ? ti.rows() : 1;
                        for (int row = 0; row < rows; row++) {
                            if (ti.sparse() && r.nextInt(3) != 0) continue;
                            if (ti.sparse()) {
                                ga[t].touch(idx, row);
                                gb[t].touch(idx, row);
                            }
                            int len = ti.sparse() ? ti.rowSize() : ti.size();
                            int off = ti.offset() + (ti.sparse() ? row * ti.rowSize() : 0);
                            for (int i = off; i < off + len; i++) {
                                float v = (float) r.nextGaussian();
                                ga[t].data()[i] = v;
                                gb[t].data()[i] = v;
                            }
                        }
                    }
                }
                float lambda = 1e-2f, lr = 1e-2f;
                double penaltyA = sa.reduceAll(lambda, false);
                assertThat(sa.updateAll(ua, 1f, lr, lastA)).isNull();
                sb.plan();
                sb.beginUpdate(ub);
                for (int p = 0; p < parts; p++) sb.reduceAndUpdate(p, lambda, ub, lr, lastB);
                sb.finishReduce();
                sb.finishUpdate();
                assertThat(sb.firstNonFiniteWeight()).isNull();
                assertThat(sb.penalty()).as("penalty, %d parts, step %d", parts, step).isEqualTo(penaltyA);
                assertThat(b.parameters().toArray()).as("weights, %d parts, step %d", parts, step)
                        .containsExactly(a.parameters().toArray());
                assertThat(lastB).containsExactly(lastA);
                for (String name : ua.state().keySet()) assertThat(ub.state().get(name)).containsExactly(ua.state().get(name));
                for (Gradients g : gb) assertThat(g.data()).containsOnly(0f);
                for (Gradients g : ga) assertThat(g.data()).containsOnly(0f);
            }
        }
    }

    /** One dense parameter w with a fixed gradient sequence; returns w after the steps. */
    static float run(Optimizer o, float w0, float lr, float... gradients) {
        AutoIntModel m = AutoIntModel.create(AutoIntConfig.defaults().withLayers(0).withEmbeddingSize(1),
                List.of(FieldSpec.numeric("x")));
        Parameters p = m.parameters();
        TensorInfo bias = p.tensor("output.bias");
        float[] w0s = new float[1];
        w0s[0] = w0;
        p.set(bias.name(), w0s);
        Gradients g = new Gradients(p);
        Updater u = Updater.of(o);
        for (float gv : gradients) {
            g.data()[bias.offset()] = gv;
            step(u, p, g, lr);
        }
        return p.get(bias.name())[0];
    }

    @Test
    void handComputedSteps() {
        // SGD: w = 1 − 0.1·0.5 = 0.95, then − 0.1·(−1) = 1.05
        assertThat(run(Sgd.plain(), 1f, 0.1f, 0.5f, -1f)).isCloseTo(1.05f, within(1e-7f));
        // Momentum 0.9: b1 = 0.5 → w = 0.95; b2 = 0.9·0.5 + 0.5 = 0.95 → w = 0.855
        assertThat(run(Sgd.momentum(0.9f, false), 1f, 0.1f, 0.5f, 0.5f)).isCloseTo(0.855f, within(1e-6f));
        // Nesterov: b1 = 0.5, d = 0.5 + 0.9·0.5 = 0.95 → w = 0.905
        assertThat(run(Sgd.momentum(0.9f, true), 1f, 0.1f, 0.5f)).isCloseTo(0.905f, within(1e-6f));
        // Adam, first step: m̂ = g, v̂ = g² → w = 1 − lr·g/(|g| + ε) ≈ 0.9
        assertThat(run(Adam.adam(), 1f, 0.1f, 0.5f)).isCloseTo(0.9f, within(1e-6f));
        // Adam, two steps g = 0.5 then 0.25:
        // m = 0.05 → 0.9·0.05 + 0.1·0.25 = 0.07; v = 0.00025 → 0.999·0.00025 + 0.001·0.0625; m̂ = m/(1 − 0.81), v̂ = v/(1 − 0.998001)
        double mh = 0.07 / (1 - 0.81), vh = (0.999 * 0.00025 + 0.001 * 0.0625) / (1 - 0.998001);
        double w2 = 0.9 - 0.1 * mh / (Math.sqrt(vh) + 1e-8);
        assertThat((double) run(Adam.adam(), 1f, 0.1f, 0.5f, 0.25f)).isCloseTo(w2, within(1e-6));
        // AdamW: decay first, w = 1·(1 − 0.1·0.01) − 0.1 = 0.899
        assertThat(run(Adam.adamW(), 1f, 0.1f, 0.5f)).isCloseTo(0.899f, within(1e-6f));
        // Adagrad: s = 0.25, w = 1 − 0.1·0.5/0.5 = 0.9; then s = 0.5, w = 0.9 − 0.1·0.5/√0.5
        assertThat((double) run(Adagrad.defaults(), 1f, 0.1f, 0.5f, 0.5f)).isCloseTo(0.9 - 0.05 / Math.sqrt(0.5), within(1e-6));
        // RMSprop: v = 0.01·0.25 = 0.0025, w = 1 − 0.1·0.5/0.05 = 0
        assertThat(run(RmsProp.defaults(), 1f, 0.1f, 0.5f)).isCloseTo(0f, within(1e-5f));
    }

    static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(strings = {"sgd", "sgd_momentum_nesterov", "adam", "adam_l2", "adamw", "adagrad", "rmsprop",
        "rmsprop_centered_momentum"})
    void matchesPyTorchOverTenSteps(String name) throws IOException {
        JsonNode root;
        try (InputStream in = getClass().getResourceAsStream("/golden/optim_golden.json")) {
            root = JSON.readTree(in);
        }
        assertThat(root.path("magic").asText()).isEqualTo("autoint-optim-golden");
        Supplier<Optimizer> make = switch (name) {
            case "sgd" -> Sgd::plain;
            case "sgd_momentum_nesterov" -> () -> new Sgd(0.9f, 0f, 0.01f, true);
            case "adam" -> Adam::adam;
            case "adam_l2" -> () -> new Adam(0.9f, 0.999f, 1e-8f, 0.05f, false);
            case "adamw" -> () -> Adam.adamW(0.1f);
            case "adagrad" -> Adagrad::defaults;
            case "rmsprop" -> RmsProp::defaults;
            default -> () -> new RmsProp(0.99f, 1e-8f, 0f, 0.5f, true);
        };
        float lr = switch (name) {
            case "sgd", "adagrad" -> 0.1f;
            case "sgd_momentum_nesterov" -> 0.05f;
            case "rmsprop_centered_momentum" -> 0.005f;
            default -> 0.01f;
        };
        AutoIntConfig config = JSON.treeToValue(root.path("config"), AutoIntConfig.class);
        List<FieldSpec> fields = new ArrayList<>();
        root.path("fields").forEach(f -> fields.add(new FieldSpec(f.path("name").asText(),
                FieldKind.valueOf(f.path("kind").asText()), f.path("vocabularySize").asInt())));
        AutoIntModel model = AutoIntModel.create(config, fields);
        Parameters p = model.parameters();
        for (TensorInfo t : p.tensors()) p.set(t.name(), floats(root.path("initial").path(t.name()).path("values")));
        EncodedDataset.Builder b = EncodedDataset.builder(fields);
        for (JsonNode r : root.path("rows")) {
            b.categorical(0, r.path("user").asInt()).categorical(1, r.path("item").asInt());
            r.path("genres").forEach(g -> b.addMulti(2, g.asInt()));
            b.numeric(3, (float) r.path("age").asDouble());
            b.endRow((float) r.path("label").asDouble());
        }
        EncodedDataset data = b.build();
        Updater opt = Updater.of(make.get());
        Workspace ws = Network.of(model).newWorkspace(data.size());
        Gradients g = new Gradients(p);
        JsonNode run = root.path("runs").path(name);
        for (int step = 0; step < 10; step++) {
            Network.of(model).forward(ws, data, null, 0, data.size(), true, 0L, 0);
            double loss = Network.of(model).backward(ws, data, null, 0, Loss.bce(), 1f / data.size(), g) / data.size();
            assertThat(loss).as("loss before step %d", step + 1).isCloseTo(run.path("losses").get(step).asDouble(), within(2e-4));
            step(opt, p, g, lr);
        }
        for (TensorInfo t : p.tensors()) {
            float[] want = floats(run.path("final").path(t.name()));
            float[] got = p.get(t.name());
            for (int i = 0; i < want.length; i++) {
                assertThat(got[i]).as("%s: %s[%d]", name, t.name(), i).isCloseTo(want[i], within(2e-4f + 1e-3f * Math.abs(want[i])));
            }
        }
    }

    static float[] floats(JsonNode arr) {
        float[] v = new float[arr.size()];
        for (int i = 0; i < v.length; i++) v[i] = (float) arr.get(i).asDouble();
        return v;
    }

    @Test
    void cosineDecayRestartsFollowsKeras() {
        LearningRateSchedule s = LearningRateSchedule.cosineDecayRestarts(1f, 10, 2.0, 0.5, 0.1);
        assertThat(s.rate(0)).isCloseTo(1f, within(1e-6f));
        // Half way through the first period: 0.9·0.5·(1 + cos(π/2)) + 0.1 = 0.55
        assertThat(s.rate(5)).isCloseTo(0.55f, within(1e-6f));
        // First restart at step 10 with m_mul 0.5: 0.9·0.5 + 0.1 = 0.55; the second period is 20 steps long.
        assertThat(s.rate(10)).isCloseTo(0.55f, within(1e-6f));
        assertThat(s.rate(20)).isCloseTo((float) (0.9 * 0.25 * (1 + Math.cos(Math.PI * 0.5)) + 0.1), within(1e-6f));
        assertThat(s.rate(30)).isCloseTo((float) (0.9 * 0.25 + 0.1), within(1e-6f));
        LearningRateSchedule flat = LearningRateSchedule.cosineDecayRestarts(2f, 4, 1.0, 1.0, 0.0);
        assertThat(flat.rate(4)).isCloseTo(2f, within(1e-6f));
        assertThat(flat.rate(2)).isCloseTo(1f, within(1e-6f));
    }

    @Test
    void otherSchedules() {
        LearningRateSchedule w = LearningRateSchedule.warmup(4, LearningRateSchedule.constant(0.8f));
        assertThat(w.rate(0)).isCloseTo(0.2f, within(1e-7f));
        assertThat(w.rate(3)).isCloseTo(0.8f, within(1e-7f));
        assertThat(w.rate(100)).isEqualTo(0.8f);
        LearningRateSchedule st = LearningRateSchedule.stepDecay(1f, 10, 0.5f);
        assertThat(st.rate(9)).isEqualTo(1f);
        assertThat(st.rate(10)).isEqualTo(0.5f);
        assertThat(st.rate(25)).isEqualTo(0.25f);
        ReduceOnPlateau r = LearningRateSchedule.reduceOnPlateau(1f, 0.5f, 1, 0.1f);
        r.onEpochEnd(0, 0.7, true);
        r.onEpochEnd(1, 0.69, true); // 1 bad epoch = patience: keep
        assertThat(r.rate(0)).isEqualTo(1f);
        r.onEpochEnd(2, 0.69, true); // 2 bad epochs: reduce
        assertThat(r.rate(0)).isEqualTo(0.5f);
        for (int e = 3; e < 20; e++) r.onEpochEnd(e, 0.1, true);
        assertThat(r.rate(0)).isEqualTo(0.1f);
        // Its state survives a checkpoint: a fresh schedule loaded with it continues where it stopped.
        ReduceOnPlateau copy = LearningRateSchedule.reduceOnPlateau(1f, 0.5f, 1, 0.1f);
        copy.loadState(r.state());
        assertThat(copy.rate(0)).isEqualTo(0.1f);
        assertThat(LearningRateSchedule.warmup(2, copy).state()).isEqualTo(r.state());
    }
}
