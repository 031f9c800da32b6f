package dev.autoint.examples.cli;

import dev.autoint.eval.recommend.Recommender.Rerank;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** The recommendation context and re-ranking of recommend and recommend-all. */
final class ContextOptions {

    @Option(names = "--year", description = "MovieLens context year (default: the year of the last training rating)")
    Integer year;
    @Option(names = "--month", description = "MovieLens context month 1-12 (default: the month of the last training rating)")
    Integer month;
    @Option(names = "--set", paramLabel = "FIELD=VALUE", description = "a context value (a field that does not describe the item); repeatable")
    Map<String, String> set = new LinkedHashMap<>();
    @Option(names = "--alpha", defaultValue = "0", description = "recency weight: score + alpha * normalised release year (default: ${DEFAULT-VALUE})")
    double alpha;
    @Option(names = "--lambda", defaultValue = "0", description = "diversity weight in [0, 1], greedy MMR over tags (default: ${DEFAULT-VALUE})")
    double lambda;

    Rerank rerank() {
        try {
            return new Rerank(alpha, lambda, 0);
        } catch (IllegalArgumentException e) {
            throw new CliException(2, "--alpha/--lambda: " + e.getMessage());
        }
    }

    /** The context keys and values the options give (checked here; the encoder checks the rest). */
    Map<String, String> context() {
        Map<String, String> c = new LinkedHashMap<>(set);
        if (year != null) {
            if (year < 1 || year > 9999) throw new CliException(2, "--year must be between 1 and 9999, got " + year);
            c.put("year", Integer.toString(year));
        }
        if (month != null) {
            if (month < 1 || month > 12) throw new CliException(2, "--month must be 1..12, got " + month);
            c.put("month", Integer.toString(month));
        }
        return c;
    }
}
