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
        AutoIntModel m = model();
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
                case FIRST_ORDER, DENSE_BIAS, OUTPUT_BIAS -> assertThat(max).as(t.name()).isZero();
                case EMBEDDING -> { // N(0, std²): thousands of draws
                    double sd = Math.sqrt(squares / v.length - (sum / v.length) * (sum / v.length));
                    assertThat(sd).as(t.name()).isBetween(0.9 * std, 1.1 * std);
                }
                case NUMERIC_EMBEDDING -> assertThat(max).as(t.name()).isPositive().isLessThan(6.0 * std);
                case ATTENTION_WEIGHT, DENSE_WEIGHT, OUTPUT_WEIGHT -> { // Glorot uniform over (out, in)
                    int[] sh = t.shape();
                    double limit = Math.sqrt(6.0 / (sh[0] + sh[1]));
                    assertThat(max).as(t.name()).isPositive().isLessThanOrEqualTo(limit);
                    if (v.length >= 200) assertThat(max).as(t.name()).isGreaterThan(0.9 * limit);
                }
            }
        }
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
