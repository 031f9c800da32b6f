package dev.autoint.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.autoint.core.train.Metrics;
import dev.autoint.eval.Interactions;
import dev.autoint.eval.protocol.EvalConfig;
import dev.autoint.eval.protocol.HeldOutProtocol;
import dev.autoint.eval.protocol.ProtocolResult;
import dev.autoint.eval.report.MetricsReport;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Held-out evaluation, printing and writing of results, shared by the commands. */
final class Reports {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Reports() {
    }

    /**
     * The held-out evaluation of scores: with users and items the held-out protocol (AUC, logloss, gAUC,
     * ranking metrics per user); without, AUC and logloss over all rows.
     */
    record HeldOut(ProtocolResult protocol, double auc, double logloss, int rows) {
        double value(String metric) {
            if (protocol != null) return protocol.value(metric);
            return switch (metric) {
                case "auc" -> auc;
                case "logloss" -> logloss;
                default -> Double.NaN;
            };
        }
    }

    static HeldOut heldOut(EvalConfig ec, Interactions test, float[] scores, boolean usersAndItems) {
        if (usersAndItems) return new HeldOut(new HeldOutProtocol(ec).evaluate(test, scores), Double.NaN, Double.NaN, test.size());
        float[] labels = new float[test.size()];
        for (int i = 0; i < labels.length; i++) labels[i] = test.label(i);
        return new HeldOut(null, Metrics.auc(scores, labels, labels.length), Metrics.logLoss(scores, labels, labels.length), labels.length);
    }

    /** Writes a held-out result as {@code file}: a metrics report, or AUC and logloss when there are no users. */
    static void write(Path file, String fingerprint, MetricsReport.SplitDescription split, String model, JsonNode config, EvalConfig ec,
                      HeldOut r) throws IOException {
        if (r.protocol() != null) {
            write(file, fingerprint, split, model, config, ec, r.protocol());
            return;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("datasetFingerprint", fingerprint);
        m.put("split", split);
        m.put("protocol", "held-out rows scored individually; AUC (positive iff label >= "
                + Metrics.POSITIVE_THRESHOLD + ", ties averaged) and logloss (clipped at " + Metrics.LOGLOSS_EPSILON + "); the data has no users, so no per-user metrics");
        m.put("model", model);
        m.put("modelConfig", config);
        m.put("metrics", Map.of("auc", r.auc(), "logloss", r.logloss(), "rows", r.rows()));
        Files.write(file, JSON.writeValueAsBytes(m));
    }

    static void write(Path file, String fingerprint, MetricsReport.SplitDescription split, String model, JsonNode config, EvalConfig ec,
                      ProtocolResult r) throws IOException {
        Files.writeString(file, MetricsReport.of(fingerprint, split, model, config, ec, r).toJson());
    }

    /** One line per metric: value and 95% interval. */
    static void print(PrintStream out, String title, ProtocolResult r) {
        out.println(title);
        r.metrics().forEach((name, v) -> out.println(String.format(Locale.ROOT, "  %-14s %.4f%s", name, v.value(),
                v.ciLow() == null ? "" : String.format(Locale.ROOT, "  [%.4f, %.4f]", v.ciLow(), v.ciHigh()))));
    }

    static String row(String name, HeldOut r, int k) {
        return String.format(Locale.ROOT, "%-22s %8.4f %8.4f %8.4f %9.4f %9.4f", name, r.value("auc"), r.value("logloss"),
                r.value("gauc"), r.value("ndcg@" + k), r.value("precision@" + k));
    }

    static String header(int k) {
        return String.format(Locale.ROOT, "%-22s %8s %8s %8s %9s %9s", "model", "AUC", "logloss", "gAUC", "NDCG@" + k, "P@" + k);
    }
}
