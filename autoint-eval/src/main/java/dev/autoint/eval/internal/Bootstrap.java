package dev.autoint.eval.internal;

import dev.autoint.eval.stats.ComparisonReport.ConfidenceInterval;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Seeded nonparametric bootstrap (percentile method) over independent units — users, in every
 * protocol of autoint-eval.
 *
 * <p>Each resample draws {@code n} units with replacement ({@link SplittableRandom} seeded with
 * {@code seed}, so the interval is a deterministic function of the data and the seed) and
 * hands the statistic the multiplicity of every unit. The interval is
 * {@code [q((1−level)/2), q((1+level)/2)]} of the resampled statistics, with {@code q} the
 * linearly interpolated empirical quantile (Hyndman–Fan type 7). Resamples on which the
 * statistic is undefined ({@code NaN}) are dropped.
 */
public final class Bootstrap {

    /** Default number of resamples. */
    public static final int DEFAULT_RESAMPLES = 1000;
    /** Default confidence level. */
    public static final double DEFAULT_LEVEL = 0.95;

    /** A statistic of a weighted sample: {@code counts[u]} is how often unit {@code u} was drawn. */
    @FunctionalInterface
    public interface Statistic {
        /**
         * @param counts multiplicity per unit (the caller must not keep the array)
         * @return the statistic, or {@code NaN} if undefined
         */
        double compute(int[] counts);
    }

    private final int resamples;
    private final long seed;
    private final double level;

    /**
     * @param resamples number of resamples (>= 1)
     * @param seed      the seed
     * @param level     confidence level in (0, 1)
     */
    public Bootstrap(int resamples, long seed, double level) {
        if (resamples < 1) {
            throw new IllegalArgumentException("resamples < 1");
        }
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("level must be in (0, 1)");
        }
        this.resamples = resamples;
        this.seed = seed;
        this.level = level;
    }

    /**
     * 95% with the given resamples and seed.
     *
     * @param resamples number of resamples (>= 1)
     * @param seed      the seed
     * @throws IllegalArgumentException if {@code resamples < 1}
     */
    public Bootstrap(int resamples, long seed) {
        this(resamples, seed, DEFAULT_LEVEL);
    }

    /** @return the number of resamples */
    public int resamples() {
        return resamples;
    }

    /** @return the seed */
    public long seed() {
        return seed;
    }

    /** @return the confidence level */
    public double level() {
        return level;
    }

    /**
     * The interval of a statistic over {@code units} resampled units.
     *
     * @param units number of units ({@code 0} gives a NaN interval)
     * @param stat  the statistic
     * @return the interval
     */
    public ConfidenceInterval interval(int units, Statistic stat) {
        if (units <= 0) {
            return new ConfidenceInterval(Double.NaN, Double.NaN, level, resamples, seed);
        }
        SplittableRandom rng = new SplittableRandom(seed);
        int[] counts = new int[units];
        double[] values = new double[resamples];
        int m = 0;
        for (int b = 0; b < resamples; b++) {
            Arrays.fill(counts, 0);
            for (int i = 0; i < units; i++) {
                counts[rng.nextInt(units)]++;
            }
            double v = stat.compute(counts);
            if (!Double.isNaN(v)) {
                values[m++] = v;
            }
        }
        if (m == 0) {
            return new ConfidenceInterval(Double.NaN, Double.NaN, level, resamples, seed);
        }
        Arrays.sort(values, 0, m);
        double a = (1.0 - level) / 2.0;
        return new ConfidenceInterval(quantile(values, m, a), quantile(values, m, 1.0 - a),
                level, resamples, seed);
    }

    /**
     * The interval of the mean of {@code values} (one value per unit).
     *
     * @param values per-unit values
     * @return the interval of {@code Σ c_u v_u / Σ c_u}
     */
    public ConfidenceInterval meanInterval(double[] values) {
        return interval(values.length, counts -> {
            double s = 0;
            long c = 0;
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] != 0) {
                    s += counts[i] * values[i];
                    c += counts[i];
                }
            }
            return s / c;
        });
    }

    /** Type-7 quantile of sorted {@code v[0 .. m)}. */
    static double quantile(double[] v, int m, double p) {
        double h = (m - 1) * p;
        int lo = (int) Math.floor(h);
        int hi = Math.min(m - 1, lo + 1);
        return v[lo] + (h - lo) * (v[hi] - v[lo]);
    }
}
