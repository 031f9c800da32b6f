package dev.autoint.eval.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.autoint.eval.Interactions;
import dev.autoint.eval.TestData;
import dev.autoint.eval.protocol.EvalConfig;
import dev.autoint.eval.protocol.HeldOutProtocol;
import dev.autoint.eval.protocol.ProtocolResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsReportTest {

    @TempDir
    Path dir;

    private static MetricsReport report() {
        Interactions test = TestData.interactions(40, 6, 100, 1, 0);
        float[] s = new float[test.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = TestData.hashScore(test.user(i), test.item(i));
        }
        EvalConfig cfg = EvalConfig.defaults().withK(5).withThreads(1).withBootstrap(200, 5);
        ProtocolResult r = new HeldOutProtocol(cfg).evaluate(test, s);
        Map<String, Object> modelCfg = new LinkedHashMap<>();
        modelCfg.put("embeddingDim", 16);
        modelCfg.put("attentionLayers", 3);
        modelCfg.put("heads", 2);
        modelCfg.put("residual", true);
        modelCfg.put("learningRate", 0.001);
        modelCfg.put("fields", List.of("user", "movie", "genre"));
        JsonNode tree = MetricsReport.configTree(modelCfg);
        return MetricsReport.of("sha256:0123abcd", new MetricsReport.SplitDescription("per-user random 80/20", 42L, 800_167, 200_042,
                "ratings >= 4 are positives"), "AutoInt+", tree, cfg, r);
    }

    @Test
    void roundTripsThroughAFile() throws Exception {
        MetricsReport rep = report();
        Path file = dir.resolve("run/metrics.json");
        rep.write(file);
        MetricsReport back = MetricsReport.read(file);
        assertThat(back).isEqualTo(rep);
        assertThat(back.metrics().keySet()).containsExactlyElementsOf(rep.metrics().keySet());
        assertThat(back.protocol().name()).isEqualTo("held-out-reranking");
        assertThat(back.protocol().k()).isEqualTo(5);
        assertThat(back.modelConfig().get("embeddingDim").asInt()).isEqualTo(16);
        String json = Files.readString(file);
        assertThat(json).contains("\"datasetFingerprint\" : \"sha256:0123abcd\"", "\"ciLow\"", "\"relevance\"",
                "score descending, then item id ascending");
        // no temporary file left behind, and a rewrite replaces the file
        rep.write(file);
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("metrics.json");
        }
        assertThat(MetricsReport.fromJson(rep.toJson())).isEqualTo(rep);
    }

    @Test
    void nanAndMissingIntervalsRoundTrip() throws Exception {
        Map<String, dev.autoint.eval.protocol.ProtocolResult.MetricValue> m = new LinkedHashMap<>();
        m.put("gauc", new dev.autoint.eval.protocol.ProtocolResult.MetricValue(Double.NaN, null, null, 0));
        m.put("auc", new dev.autoint.eval.protocol.ProtocolResult.MetricValue(0.75, 0.7, 0.8, 100));
        MetricsReport rep = new MetricsReport(MetricsReport.SCHEMA_VERSION, "fp", null,
                new HeldOutProtocol(EvalConfig.defaults()).spec(), "m", null,
                new MetricsReport.IntervalMethod("none", 0.95, 0, 0), m);
        assertThat(MetricsReport.fromJson(rep.toJson())).isEqualTo(rep);
    }
}
