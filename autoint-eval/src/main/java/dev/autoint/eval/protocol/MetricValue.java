package dev.autoint.eval.protocol;

/**
 * One metric value with its bootstrap confidence interval.
 *
 * @param value  the value ({@code NaN} if undefined)
 * @param ciLow  lower bound of the interval, or {@code null} if none was computed
 * @param ciHigh upper bound of the interval, or {@code null}
 * @param n      number of units (users, or rows for row metrics) behind the value
 */
public record MetricValue(double value, Double ciLow, Double ciHigh, int n) {

    static MetricValue of(double value, dev.autoint.eval.stats.ConfidenceInterval ci, int n) {
        if (ci == null || Double.isNaN(ci.low())) {
            return new MetricValue(value, null, null, n);
        }
        return new MetricValue(value, ci.low(), ci.high(), n);
    }
}
