package dev.autoint.core.internal.engine;

import dev.autoint.core.model.AutoIntConfig;
import dev.autoint.core.model.Loss;
import dev.autoint.core.model.TensorInfo;
import dev.autoint.core.model.AutoIntModel;
import dev.autoint.core.model.Parameters;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.autoint.core.data.EncodedDataset;
import dev.autoint.core.data.FieldKind;
import dev.autoint.core.data.FieldSpec;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The model against independent PyTorch implementations (autograd in float64): {@code tools/golden_model.py}
 * for AutoInt and AutoInt+, {@code tools/golden_family.py} for FM, DeepFM, DCN-v2 and xDeepFM. Same weights and
 * inputs must give the same logits, mean BCE loss and every gradient within 1e-4.
 */
class GoldenTest {

    static final ObjectMapper JSON = new ObjectMapper();

    static Stream<JsonNode> cases() throws IOException {
        return read("/golden/autoint_golden.json", "autoint-golden");
    }

    static Stream<JsonNode> familyCases() throws IOException {
        return read("/golden/family_golden.json", "autoint-family-golden");
    }

    private static Stream<JsonNode> read(String resource, String magic) throws IOException {
        try (InputStream in = GoldenTest.class.getResourceAsStream(resource)) {
            JsonNode root = JSON.readTree(in);
            assertThat(root.path("magic").asText()).isEqualTo(magic);
            assertThat(root.path("version").asInt()).isEqualTo(1);
            List<JsonNode> out = new ArrayList<>();
            root.path("cases").forEach(out::add);
            return out.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"cases", "familyCases"})
    void matchesPyTorch(JsonNode c) throws IOException {
        AutoIntConfig config = JSON.treeToValue(c.path("config"), AutoIntConfig.class);
        List<FieldSpec> fields = new ArrayList<>();
        c.path("fields").forEach(f -> fields.add(new FieldSpec(f.path("name").asText(),
                FieldKind.valueOf(f.path("kind").asText()), f.path("vocabularySize").asInt())));
        AutoIntModel model = AutoIntModel.create(config, fields);
        Parameters p = model.parameters();
        assertThat(p.tensors()).hasSize(c.path("weights").size());
        for (TensorInfo t : p.tensors()) {
            JsonNode w = c.path("weights").path(t.name());
            assertThat(w.isMissingNode()).as("golden file lacks %s", t.name()).isFalse();
            int[] shape = new int[w.path("shape").size()];
            for (int i = 0; i < shape.length; i++) shape[i] = w.path("shape").get(i).asInt();
            assertThat(shape).as("shape of %s", t.name()).isEqualTo(t.shape());
            p.set(t.name(), floats(w.path("values")));
        }
        EncodedDataset.Builder b = EncodedDataset.builder(fields);
        for (JsonNode r : c.path("rows")) {
            b.categorical(0, r.path("user").asInt()).categorical(1, r.path("item").asInt());
            r.path("genres").forEach(g -> b.addMulti(2, g.asInt()));
            b.numeric(3, (float) r.path("age").asDouble());
            b.endRow((float) r.path("label").asDouble());
        }
        EncodedDataset data = b.build();
        int n = data.size();
        Workspace ws = Network.of(model).newWorkspace(n);
        Gradients grads = new Gradients(p);
        Network.of(model).forward(ws, data, null, 0, n, true, 0L, 0);
        for (int s = 0; s < n; s++) {
            assertThat((double) ws.logit(s)).as("logit %d", s).isCloseTo(c.path("logits").get(s).asDouble(), within(1e-4));
        }
        double loss = Network.of(model).backward(ws, data, null, 0, Loss.bce(), 1f / n, grads) / n;
        assertThat(loss).isCloseTo(c.path("loss").asDouble(), within(1e-4));
        for (TensorInfo t : p.tensors()) {
            float[] expected = floats(c.path("gradients").path(t.name()));
            for (int i = 0; i < t.size(); i++) {
                assertThat((double) grads.data()[t.offset() + i]).as("d%s[%d]", t.name(), i)
                        .isCloseTo(expected[i], within(1e-4));
            }
        }
    }

    static float[] floats(JsonNode arr) {
        float[] v = new float[arr.size()];
        for (int i = 0; i < v.length; i++) v[i] = (float) arr.get(i).asDouble();
        return v;
    }
}
