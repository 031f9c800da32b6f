package dev.autoint.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autoint.core.data.FieldSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The parameter layout's roles and the initialisation they decide; what {@link Parameters} hands out. */
class AutoIntModelTest {

    static final List<FieldSpec> FIELDS = List.of(FieldSpec.categorical("user", 300), FieldSpec.multiCategorical("genres", 20),
            FieldSpec.numeric("age"));

    static AutoIntModel model() {
        return AutoIntModel.create(AutoIntConfig.seedsAutoIntPlus().withLayers(2).withSeed(11), FIELDS);
    }

    @Test
    void everyTensorHasTheRoleOfWhatItIsInTheModel() {
        Map<String, TensorRole> roles = new LinkedHashMap<>();
        for (TensorInfo t : model().parameters().tensors()) roles.put(t.name(), t.role());
        assertThat(roles).containsExactly(
                Map.entry("embedding.user", TensorRole.EMBEDDING),
                Map.entry("embedding.genres", TensorRole.EMBEDDING),
                Map.entry("embedding.age", TensorRole.NUMERIC_EMBEDDING),
                Map.entry("linear.user", TensorRole.FIRST_ORDER),
                Map.entry("linear.genres", TensorRole.FIRST_ORDER),
                Map.entry("linear.age", TensorRole.FIRST_ORDER),
                Map.entry("attention.0.wq", TensorRole.ATTENTION_WEIGHT),
                Map.entry("attention.0.wk", TensorRole.ATTENTION_WEIGHT),
                Map.entry("attention.0.wv", TensorRole.ATTENTION_WEIGHT),
                Map.entry("attention.0.wres", TensorRole.ATTENTION_WEIGHT),
                Map.entry("attention.1.wq", TensorRole.ATTENTION_WEIGHT),
                Map.entry("attention.1.wk", TensorRole.ATTENTION_WEIGHT),
                Map.entry("attention.1.wv", TensorRole.ATTENTION_WEIGHT),
                Map.entry("attention.1.wres", TensorRole.ATTENTION_WEIGHT),
                Map.entry("dnn.0.weight", TensorRole.DENSE_WEIGHT),
                Map.entry("dnn.0.bias", TensorRole.DENSE_BIAS),
                Map.entry("dnn.1.weight", TensorRole.DENSE_WEIGHT),
                Map.entry("dnn.1.bias", TensorRole.DENSE_BIAS),
                Map.entry("output.weight", TensorRole.OUTPUT_WEIGHT),
                Map.entry("output.bias", TensorRole.OUTPUT_BIAS));
        // Embedding tables are row-sparse; so is the first-order table of a categorical field, not a numeric one's.
        Parameters p = model().parameters();
        assertThat(p.tensor("embedding.user").sparse()).isTrue();
        assertThat(p.tensor("embedding.age").sparse()).isFalse();
        assertThat(p.tensor("linear.genres").sparse()).isTrue();
        assertThat(p.tensor("linear.age").sparse()).isFalse();
    }

    @Test
    void initialisationFollowsTheRole() {
        for (AutoIntModel m : List.of(model(), AutoIntModel.create(AutoIntConfig.xDeepFm().withSeed(2), FIELDS),
                AutoIntModel.create(AutoIntConfig.dcnV2().withSeed(2), FIELDS))) {
            checkInitialisation(m);
        }
    }

    private static void checkInitialisation(AutoIntModel m) {
        float std = m.config().embeddingInitStd();
        for (TensorInfo t : m.parameters().tensors()) {
            float[] v = m.parameters().get(t.name());
            double sum = 0, squares = 0, max = 0;
            for (float x : v) {
                sum += x;
                squares += (double) x * x;
                max = Math.max(max, Math.abs(x));
            }
            switch (t.role()) {
                case FIRST_ORDER, DENSE_BIAS, CROSS_BIAS, CIN_BIAS, OUTPUT_BIAS -> assertThat(max).as(t.name()).isZero();
                case EMBEDDING -> { // N(0, std²): thousands of draws
                    double sd = Math.sqrt(squares / v.length - (sum / v.length) * (sum / v.length));
                    assertThat(sd).as(t.name()).isBetween(0.9 * std, 1.1 * std);
                }
                case NUMERIC_EMBEDDING -> assertThat(max).as(t.name()).isPositive().isLessThan(6.0 * std);
                case ATTENTION_WEIGHT, DENSE_WEIGHT, CROSS_WEIGHT, CIN_WEIGHT, OUTPUT_WEIGHT -> { // Glorot uniform over (out, in)
                    int[] sh = t.shape();
                    double limit = Math.sqrt(6.0 / (sh[0] + sh[1]));
                    assertThat(max).as(t.name()).isPositive().isLessThanOrEqualTo(limit);
                    if (v.length >= 200) assertThat(max).as(t.name()).isGreaterThan(0.9 * limit);
                }
            }
        }
    }

    /** Name, shape and role of every tensor after the embeddings and first-order tables. */
    private static Map<String, String> layout(AutoIntConfig config) {
        Map<String, String> out = new LinkedHashMap<>();
        for (TensorInfo t : AutoIntModel.create(config, FIELDS).parameters().tensors()) {
            if (t.role() == TensorRole.EMBEDDING || t.role() == TensorRole.NUMERIC_EMBEDDING || t.role() == TensorRole.FIRST_ORDER) continue;
            out.put(t.name(), t.shapeString() + " " + t.role());
        }
        return out;
    }

    @Test
    void theFamilysTensorsFollowTheInteraction() {
        // F = 3 fields, D = 16: flatten(e) has 48 values.
        assertThat(layout(AutoIntConfig.fm())).containsExactly(Map.entry("output.bias", "[1] OUTPUT_BIAS"));
        assertThat(layout(AutoIntConfig.deepFm().withDnnHidden(List.of(7)))).containsExactly(
                Map.entry("dnn.0.weight", "[7, 48] DENSE_WEIGHT"), Map.entry("dnn.0.bias", "[7] DENSE_BIAS"),
                Map.entry("output.weight", "[1, 7] OUTPUT_WEIGHT"), Map.entry("output.bias", "[1] OUTPUT_BIAS"));
        AutoIntConfig dcn = AutoIntConfig.dcnV2().withDnnHidden(List.of(7));
        assertThat(layout(dcn)).containsExactly(
                Map.entry("cross.0.weight", "[48, 48] CROSS_WEIGHT"), Map.entry("cross.0.bias", "[48] CROSS_BIAS"),
                Map.entry("cross.1.weight", "[48, 48] CROSS_WEIGHT"), Map.entry("cross.1.bias", "[48] CROSS_BIAS"),
                Map.entry("dnn.0.weight", "[7, 48] DENSE_WEIGHT"), Map.entry("dnn.0.bias", "[7] DENSE_BIAS"),
                Map.entry("output.weight", "[1, 55] OUTPUT_WEIGHT"), Map.entry("output.bias", "[1] OUTPUT_BIAS"));
        assertThat(layout(dcn.withInteraction(Interaction.cross(1, true)))).containsEntry("output.weight", "[1, 7] OUTPUT_WEIGHT")
                .containsEntry("dnn.0.weight", "[7, 48] DENSE_WEIGHT").doesNotContainKey("cross.1.weight");
        // CIN 6-5 with split halves: layer 0 reads F·F pairs and sends 3 maps on, 3 to the output; layer 1 reads 3·F.
        assertThat(layout(AutoIntConfig.xDeepFm().withDnnHidden(List.of(7)).withInteraction(Interaction.cin(List.of(6, 5), true))))
                .containsExactly(
                        Map.entry("cin.0.weight", "[6, 9] CIN_WEIGHT"), Map.entry("cin.0.bias", "[6] CIN_BIAS"),
                        Map.entry("cin.1.weight", "[5, 9] CIN_WEIGHT"), Map.entry("cin.1.bias", "[5] CIN_BIAS"),
                        Map.entry("dnn.0.weight", "[7, 48] DENSE_WEIGHT"), Map.entry("dnn.0.bias", "[7] DENSE_BIAS"),
                        Map.entry("output.weight", "[1, 15] OUTPUT_WEIGHT"), Map.entry("output.bias", "[1] OUTPUT_BIAS"));
        assertThat(layout(AutoIntConfig.xDeepFm().withDnnHidden(List.of(7)).withInteraction(Interaction.cin(List.of(6, 5), false))))
                .containsEntry("cin.1.weight", "[5, 18] CIN_WEIGHT").containsEntry("output.weight", "[1, 18] OUTPUT_WEIGHT");
    }

    @Test
    void presetsFollowDeepCtrsDefaults() {
        AutoIntConfig deepFm = AutoIntConfig.deepFm();
        assertThat(deepFm.interaction()).isEqualTo(Interaction.fm());
        assertThat(deepFm.dnnHidden()).containsExactly(256, 128, 64);
        assertThat(deepFm.linearTerm()).isTrue();
        assertThat(deepFm.layers()).isZero();
        assertThat(AutoIntConfig.fm().dnnHidden()).isEmpty();
        assertThat(AutoIntConfig.dcnV2().interaction()).isEqualTo(Interaction.cross(2, false));
        assertThat(AutoIntConfig.dcnV2().dnnHidden()).containsExactly(256, 128, 64);
        assertThat(AutoIntConfig.xDeepFm().interaction()).isEqualTo(Interaction.cin(List.of(128, 128), true));
        assertThat(AutoIntConfig.xDeepFm().dnnHidden()).containsExactly(256, 128, 64);
        assertThat(AutoIntConfig.defaults().interaction()).isEqualTo(Interaction.attention());
        assertThat(new AutoIntConfig(16, 3, 2, 8, true, false, List.of(), 0f, false, 0.01f, 2019L)).isEqualTo(AutoIntConfig.defaults());
    }

    @Test
    void badInteractionSettingsNameTheParameter() {
        assertThatThrownBy(() -> AutoIntConfig.defaults().withInteraction(Interaction.fm()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("layers").hasMessageContaining("fm");
        assertThatThrownBy(() -> AutoIntConfig.fm().withInteraction(Interaction.cross(2, true)))
                .hasMessageContaining("dnnHidden").hasMessageContaining("stacked");
        assertThatThrownBy(() -> Interaction.cross(0, false)).hasMessageContaining("interaction.layers");
        assertThatThrownBy(() -> Interaction.cin(List.of(5, 4), true)).hasMessageContaining("interaction.layerSizes[0]")
                .hasMessageContaining("even");
        assertThat(Interaction.cin(List.of(4, 5), true).outputWidth()).isEqualTo(7); // the last layer may be odd
        assertThatThrownBy(() -> Interaction.cin(List.of(), true)).hasMessageContaining("interaction.layerSizes");
        assertThatThrownBy(() -> Interaction.cin(List.of(4, 0), false)).hasMessageContaining("interaction.layerSizes[1]");
        assertThatThrownBy(() -> AutoIntConfig.defaults().withInteraction(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("interaction");
    }

    @Test
    void parametersHandOutCopies() {
        Parameters p = model().parameters();
        float[] all = p.toArray();
        all[0] = 42f;
        assertThat(p.toArray()[0]).isNotEqualTo(42f);
        float[] user = p.get("embedding.user");
        user[0] = 42f;
        assertThat(p.get("embedding.user")[0]).isNotEqualTo(42f);
        TensorInfo t = p.tensor("embedding.user");
        t.shape()[0] = 1;
        assertThat(t.shape()).containsExactly(300, 16);
        assertThatThrownBy(() -> p.tensors().clear()).isInstanceOf(UnsupportedOperationException.class);
        // set() copies in; toArray() lays the tensors out at their offsets.
        float[] ones = new float[t.size()];
        java.util.Arrays.fill(ones, 1f);
        p.set(t.name(), ones);
        ones[0] = 7f;
        assertThat(p.toArray()[t.offset()]).isEqualTo(1f);
    }
}
