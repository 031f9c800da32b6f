package dev.autoint.eval.stats;

import java.util.Locale;

/**
 * The outcome of comparing two models on the same protocol and metric over paired per-user
 * values: both tests' p-values, the bootstrap interval of the mean difference (A − B) and the
 * verdict. {@link #text()} says "A beats B" only when the verdict is significant.
 *
 * @param metric          the metric compared, e.g. {@code ndcg@10}
 * @param nameA           name of model A
 * @param nameB           name of model B
 * @param n               paired users
 * @param meanA           mean of A
 * @param meanB           mean of B
 * @param meanDifference  mean of A − B
 * @param tTestP          two-sided p-value of the paired t-test
 * @param wilcoxonP       two-sided p-value of the Wilcoxon signed-rank test
 * @param difference      bootstrap interval of the mean difference
 * @param alpha           significance level
 * @param higherIsBetter  direction of the metric
 * @param verdict         the verdict
 */
public record ComparisonReport(String metric, String nameA, String nameB, int n, double meanA, double meanB,
                               double meanDifference, double tTestP, double wilcoxonP,
                               ConfidenceInterval difference, double alpha, boolean higherIsBetter,
                               Verdict verdict) {

    /** Which model, if any, is significantly better. */
    public enum Verdict {
        /** A is significantly better. */
        A_BETTER,
        /** B is significantly better. */
        B_BETTER,
        /** Not significant in both tests with an interval excluding 0. */
        NO_SIGNIFICANT_DIFFERENCE
    }

    /** @return true iff one model is significantly better */
    public boolean significant() {
        return verdict != Verdict.NO_SIGNIFICANT_DIFFERENCE;
    }

    /** @return the report as one paragraph */
    public String text() {
        String head = switch (verdict) {
            case A_BETTER -> nameA + " beats " + nameB;
            case B_BETTER -> nameB + " beats " + nameA;
            case NO_SIGNIFICANT_DIFFERENCE -> "no significant difference between " + nameA + " and " + nameB;
        };
        return String.format(Locale.ROOT,
                "%s on %s (%s is better): mean %.4f vs %.4f, difference %+.4f, %.0f%% bootstrap CI [%.4f, %.4f]"
                        + " (%d resamples, seed %d); paired t-test p=%.3g, Wilcoxon signed-rank p=%.3g;"
                        + " n=%d users, alpha=%.3g",
                head, metric, higherIsBetter ? "higher" : "lower", meanA, meanB, meanDifference,
                difference.level() * 100, difference.low(), difference.high(), difference.resamples(),
                difference.seed(), tTestP, wilcoxonP, n, alpha);
    }

    @Override
    public String toString() {
        return text();
    }

    /**
     * A two-sided confidence interval.
     *
     * @param low       lower bound
     * @param high      upper bound
     * @param level     coverage, e.g. 0.95
     * @param resamples bootstrap resamples it was computed from
     * @param seed      bootstrap seed
     */
    public record ConfidenceInterval(double low, double high, double level, int resamples, long seed) {

        /**
         * Whether a value lies in the interval, bounds included.
         *
         * @param x the value
         * @return true iff {@code low <= x <= high}; false when a bound is NaN
         */
        public boolean contains(double x) {
            return low <= x && x <= high;
        }

        /** @return true iff the interval lies strictly on one side of 0 */
        public boolean excludesZero() {
            return low > 0 || high < 0;
        }
    }
}
