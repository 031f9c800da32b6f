package dev.autoint.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.autoint.eval.movielens.MovieLensExperiment;
import dev.autoint.eval.protocol.EvalConfig;
import dev.autoint.eval.protocol.ProtocolResult;
import dev.autoint.eval.report.MetricsJson;
import dev.autoint.eval.report.MetricsReport;
import dev.autoint.eval.report.SplitDescription;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;

/** Printing and writing of evaluation results, shared by the commands. */
final class Reports {

    private Reports() {
    }

    static SplitDescription split(MovieLensExperiment x) {
        MovieLensExperiment.SplitSpec s = x.split();
        return new SplitDescription(s.kind(), s.kind().equals("random") ? s.seed() : null, x.train().size() + x.valid().size(),
                x.test().size(), s.describe());
    }

    static void write(Path file, MovieLensExperiment x, String model, JsonNode config, EvalConfig ec, ProtocolResult r)
            throws IOException {
        MetricsJson.write(MetricsReport.of(x.fingerprint(), split(x), model, config, ec, r), file);
    }

    /** One line per metric: value and 95% interval. */
    static void print(PrintStream out, String title, ProtocolResult r) {
        out.println(title);
        r.metrics().forEach((name, v) -> out.println(String.format(Locale.ROOT, "  %-14s %.4f%s", name, v.value(),
                v.ciLow() == null ? "" : String.format(Locale.ROOT, "  [%.4f, %.4f]", v.ciLow(), v.ciHigh()))));
    }

    static String row(String name, ProtocolResult r, int k) {
        return String.format(Locale.ROOT, "%-22s %8.4f %8.4f %8.4f %9.4f %9.4f", name, r.value("auc"), r.value("logloss"),
                r.value("gauc"), r.value("ndcg@" + k), r.value("precision@" + k));
    }

    static String header(int k) {
        return String.format(Locale.ROOT, "%-22s %8s %8s %8s %9s %9s", "model", "AUC", "logloss", "gAUC", "NDCG@" + k, "P@" + k);
    }
}
