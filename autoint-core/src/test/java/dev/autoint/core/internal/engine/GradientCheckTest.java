package dev.autoint.core.internal.engine;

import dev.autoint.core.model.AutoIntConfig;
import dev.autoint.core.model.Interaction;
import dev.autoint.core.model.Loss;
import dev.autoint.core.model.TensorInfo;
import dev.autoint.core.model.AutoIntModel;
import static org.assertj.core.api.Assertions.assertThat;

import dev.autoint.core.data.EncodedDataset;
import dev.autoint.core.data.FieldSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Gradient checks, DL4J-style: central differences in double precision on {@link ReferenceModel}, whose
 * hand-written backward must match them for every parameter of every layer (embeddings of each field
 * kind, linear term, interacting layers, DNN, output); then the float lane-layout {@link AutoIntModel},
 * run in chunks of 8 so that chunking and padding are exercised, must match the double path.
 * Dropout is off (a random mask would make the loss non-deterministic).
 */
class GradientCheckTest {

    static final List<FieldSpec> FIELDS = List.of(
            FieldSpec.categorical("user", 5),
            FieldSpec.categorical("item", 7),
            FieldSpec.multiCategorical("genres", 6),
            FieldSpec.numeric("age"));

    static EncodedDataset data(int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        EncodedDataset.Builder b = EncodedDataset.builder(FIELDS, n);
        for (int r = 0; r < n; r++) {
            b.categorical(0, rnd.nextInt(5)).categorical(1, rnd.nextInt(7));
            int q = rnd.nextInt(4); // 0..3 genres, including none
            for (int k = 0; k < q; k++) b.addMulti(2, rnd.nextInt(6));
            b.numeric(3, (float) rnd.nextDouble(-1, 1));
            b.endRow(rnd.nextBoolean() ? 1f : 0f);
        }
        return b.build();
    }

    /**
     * A model whose zero-initialised tensors (biases, linear weights) get random values: with a zero bias,
     * a unit fed only dead ReLUs sits exactly on the kink, where central differences are meaningless.
     */
    static AutoIntModel model(AutoIntConfig config) {
        AutoIntModel model = AutoIntModel.create(config, FIELDS);
        SplittableRandom rnd = new SplittableRandom(99);
        for (TensorInfo t : model.parameters().tensors()) {
            float[] init = model.parameters().get(t.name());
            boolean zero = true;
            for (float x : init) zero &= x == 0f;
            if (zero) {
                float[] v = new float[t.size()];
                for (int i = 0; i < v.length; i++) v[i] = (float) rnd.nextDouble(-0.3, 0.3);
                model.parameters().set(t.name(), v);
            }
        }
        return model;
    }

    static Stream<Arguments> configs() {
        List<Arguments> out = new ArrayList<>();
        AutoIntConfig base = AutoIntConfig.defaults().withEmbeddingSize(4).withLayers(2).withHeads(2).withHeadSize(3)
                .withEmbeddingInitStd(0.7f).withSeed(7);
        for (boolean plus : new boolean[] {false, true}) {
            for (boolean scaled : new boolean[] {false, true}) {
                for (boolean residual : new boolean[] {false, true}) {
                    AutoIntConfig c = base.withScaledAttention(scaled).withResidual(residual)
                            .withDnnHidden(plus ? List.of(5, 3) : List.of()).withLinearTerm(plus);
                    out.add(Arguments.of((plus ? "AutoInt+" : "AutoInt") + " scaled=" + scaled + " residual=" + residual, c));
                }
            }
        }
        out.add(Arguments.of("no interacting layers, DNN only", base.withLayers(0).withDnnHidden(List.of(4))));
        out.add(Arguments.of("one layer, 1 head, D = A", base.withLayers(1).withHeads(1).withHeadSize(4)));
        AutoIntConfig family = base.withLayers(0);
        out.add(Arguments.of("FM", family.withLinearTerm(true).withInteraction(Interaction.fm())));
        out.add(Arguments.of("DeepFM", family.withLinearTerm(true).withDnnHidden(List.of(5, 3)).withInteraction(Interaction.fm())));
        out.add(Arguments.of("cross network alone", family.withInteraction(Interaction.cross(2, false))));
        out.add(Arguments.of("DCN-v2 parallel", family.withLinearTerm(true).withDnnHidden(List.of(5, 3))
                .withInteraction(Interaction.cross(2, false))));
        out.add(Arguments.of("DCN-v2 stacked", family.withDnnHidden(List.of(5, 3)).withInteraction(Interaction.cross(3, true))));
        out.add(Arguments.of("CIN alone, direct", family.withInteraction(Interaction.cin(List.of(3, 2), false))));
        out.add(Arguments.of("xDeepFM, split half", family.withLinearTerm(true).withDnnHidden(List.of(5))
                .withInteraction(Interaction.cin(List.of(4, 6, 3), true))));
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void referenceBackwardMatchesCentralDifferences(String name, AutoIntConfig config) {
        AutoIntModel model = model(config);
        EncodedDataset data = data(19, 11);
        ReferenceModel ref = new ReferenceModel(model);
        double[] grad = new double[ref.w.length];
        ref.loss(data, grad);
        double eps = 1e-6;
        int checked = 0;
        for (TensorInfo t : model.parameters().tensors()) {
            for (int i = t.offset(); i < t.offset() + t.size(); i++) {
                double keep = ref.w[i];
                ref.w[i] = keep + eps;
                double up = ref.loss(data, null);
                ref.w[i] = keep - eps;
                double down = ref.loss(data, null);
                ref.w[i] = keep;
                double numeric = (up - down) / (2 * eps);
                double analytic = grad[i];
                double diff = Math.abs(numeric - analytic);
                double rel = diff / Math.max(Math.abs(numeric), Math.abs(analytic));
                if (diff > 1e-7) {
                    assertThat(rel).as("%s: %s[%d] analytic %s numeric %s", name, t.name(), i - t.offset(),
                            analytic, numeric).isLessThanOrEqualTo(1e-4);
                }
                checked++;
            }
        }
        assertThat(checked).isEqualTo(model.parameters().size());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void predictorsInferencePathGivesTheTrainingPathsScores(String name, AutoIntConfig config) {
        AutoIntModel model = model(config);
        EncodedDataset data = data(37, 13);
        float[] p = model.predictor().predict(data);
        Workspace ws = Network.of(model).newWorkspace(data.size());
        Network.of(model).forward(ws, data, null, 0, data.size(), false, 0L, 0);
        for (int s = 0; s < data.size(); s++) {
            double expected = 1 / (1 + Math.exp(-ws.logit(s)));
            assertThat((double) p[s]).as("%s: row %d", name, s).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-6));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void floatModelAgreesWithDoublePath(String name, AutoIntConfig config) {
        AutoIntModel model = model(config);
        EncodedDataset data = data(19, 12);
        ReferenceModel ref = new ReferenceModel(model);
        double[] refGrad = new double[ref.w.length];
        double refLoss = ref.loss(data, refGrad);

        Workspace ws = Network.of(model).newWorkspace(8);
        Gradients grads = new Gradients(model.parameters());
        double lossSum = 0;
        for (int from = 0; from < data.size(); from += 8) {
            int n = Math.min(8, data.size() - from);
            Network.of(model).forward(ws, data, null, from, n, true, 0L, from);
            for (int s = 0; s < n; s++) {
                double z = ref.logit(data, from + s, null, 0, true);
                assertThat((double) ws.logit(s)).as("logit of row %d", from + s).isCloseTo(z, org.assertj.core.data.Offset.offset(1e-5 * (1 + Math.abs(z))));
            }
            lossSum += Network.of(model).backward(ws, data, null, from, Loss.bce(), 1f / data.size(), grads);
        }
        assertThat(lossSum / data.size()).isCloseTo(refLoss, org.assertj.core.data.Offset.offset(1e-6));
        float[] g = grads.data();
        double maxAbs = 0;
        for (double v : refGrad) maxAbs = Math.max(maxAbs, Math.abs(v));
        for (TensorInfo t : model.parameters().tensors()) {
            for (int i = t.offset(); i < t.offset() + t.size(); i++) {
                assertThat((double) g[i]).as("%s: %s[%d]", name, t.name(), i - t.offset())
                        .isCloseTo(refGrad[i], org.assertj.core.data.Offset.offset(1e-6 + 1e-4 * Math.abs(refGrad[i]) + 1e-6 * maxAbs));
            }
        }
        // Only rows the batch used are marked touched, and untouched rows have zero gradient.
        for (int t = 0; t < model.parameters().tensors().size(); t++) {
            TensorInfo ti = model.parameters().tensors().get(t);
            if (!ti.sparse()) continue;
            boolean[] used = new boolean[ti.rows()];
            for (int i = 0; i < grads.touchedCount(t); i++) used[grads.touchedRows(t)[i]] = true;
            for (int r = 0; r < ti.rows(); r++) {
                if (used[r]) continue;
                for (int k = 0; k < ti.rowSize(); k++) {
                    assertThat(g[ti.offset() + r * ti.rowSize() + k]).isZero();
                }
            }
        }
    }
}
