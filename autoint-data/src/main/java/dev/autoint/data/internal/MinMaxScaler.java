package dev.autoint.data.internal;

/**
 * Min-max scaling fitted on training values: {@code (x - min) / (max - min)}. Values outside the
 * training range are not clipped, so they scale to below 0 or above 1. A constant training column
 * scales everything to 0.
 *
 * @param min smallest training value
 * @param max largest training value
 */
public record MinMaxScaler(double min, double max) {

    /**
     * @param min smallest training value, finite
     * @param max largest training value, finite and {@code >= min}
     * @throws IllegalArgumentException if a bound is not finite or {@code min > max}
     */
    public MinMaxScaler {
        if (!Double.isFinite(min) || !Double.isFinite(max) || min > max) {
            throw new IllegalArgumentException("min-max scaler needs finite min <= max, got [" + min + ", " + max + "]");
        }
    }

    /**
     * Fits on the given values, ignoring NaN and infinities; no finite value gives the scaler [0, 0].
     *
     * @param values the training values
     * @return the scaler
     */
    public static MinMaxScaler fit(double[] values) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            if (Double.isFinite(v)) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        return lo > hi ? new MinMaxScaler(0, 0) : new MinMaxScaler(lo, hi);
    }

    /**
     * Scales one value.
     *
     * @param x the value
     * @return {@code (x - min) / (max - min)}, unclipped; 0 when {@code min == max}
     */
    public float scale(double x) {
        double range = max - min;
        return range == 0 ? 0f : (float) ((x - min) / range);
    }
}
