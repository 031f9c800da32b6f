package dev.autoint.data;

/**
 * Min-max scaling fitted on training values: {@code (x - min) / (max - min)}. Values outside the
 * training range are not clipped, so they scale to below 0 or above 1. A constant training column
 * scales everything to 0.
 *
 * @param min smallest training value
 * @param max largest training value
 */
public record MinMaxScaler(double min, double max) {

    public MinMaxScaler {
        if (!Double.isFinite(min) || !Double.isFinite(max) || min > max) {
            throw new IllegalArgumentException("min-max scaler needs finite min <= max, got [" + min + ", " + max + "]");
        }
    }

    /** Fits on the given values, ignoring NaN; no finite value gives the scaler [0, 0]. */
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

    public float scale(double x) {
        double range = max - min;
        return range == 0 ? 0f : (float) ((x - min) / range);
    }
}
