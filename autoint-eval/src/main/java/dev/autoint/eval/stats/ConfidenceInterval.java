package dev.autoint.eval.stats;

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
