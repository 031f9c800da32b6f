package dev.autoint.eval.report;

/**
 * How the data was split into train and test, as supplied by the caller for metrics.json.
 *
 * @param method      e.g. {@code per-user random 80/20} or {@code leave-last-out by timestamp}
 * @param seed        the split seed, or {@code null} if deterministic
 * @param trainRows   rows in the train part
 * @param testRows    rows in the test part
 * @param description free text (may be empty)
 */
public record SplitDescription(String method, Long seed, long trainRows, long testRows, String description) {
}
