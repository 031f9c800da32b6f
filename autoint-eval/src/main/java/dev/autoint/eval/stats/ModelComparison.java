package dev.autoint.eval.stats;

import dev.autoint.eval.internal.Bootstrap;
import dev.autoint.eval.protocol.ProtocolResult;
import dev.autoint.eval.stats.ComparisonReport.ConfidenceInterval;
import java.util.Arrays;
import org.apache.commons.statistics.inference.ContinuityCorrection;
import org.apache.commons.statistics.inference.PValueMethod;
import org.apache.commons.statistics.inference.TTest;
import org.apache.commons.statistics.inference.WilcoxonSignedRankTest;

/**
 * Compares two models evaluated with the same protocol, over the per-user values of one metric
 * paired by user.
 *
 * <p>Three pieces of evidence, all on the differences {@code d_u = a_u − b_u}:
 * <ul>
 *   <li>paired t-test (Commons Statistics {@link TTest#pairedTest(double[], double[])}, two-sided);
 *       when all differences are equal the test is degenerate: p = 1 if they are 0, else 0;</li>
 *   <li>Wilcoxon signed-rank test (Commons Statistics {@link WilcoxonSignedRankTest}, two-sided) on
 *       the non-zero differences (zero differences dropped, Wilcoxon's convention; p = 1 if none
 *       is left); exact p-value up to 20 non-zero pairs, above that the normal approximation with
 *       the tie correction of the variance and a continuity correction;</li>
 *   <li>seeded bootstrap percentile interval of the mean difference, at level {@code 1 − alpha}: each of the
 *       resamples draws the users with replacement ({@link java.util.SplittableRandom} seeded with the seed),
 *       and the bounds are the linearly interpolated (Hyndman–Fan type 7) quantiles of the resampled means.</li>
 * </ul>
 * The verdict names a winner only if both p-values are below alpha <b>and</b> the interval
 * excludes 0, all pointing the same way; otherwise "no significant difference".
 */
public final class ModelComparison {

    private static final int EXACT_WILCOXON_MAX = 20;

    private final double alpha;
    private final Bootstrap bootstrap;

    /** alpha = 0.05, 2000 resamples, seed 42, 95% interval. */
    public ModelComparison() {
        this(0.05, 2000, 42L);
    }

    /**
     * @param alpha     significance level of both tests; the interval's level is {@code 1 − alpha}
     * @param resamples bootstrap resamples of the interval (>= 1)
     * @param seed      bootstrap seed
     * @throws IllegalArgumentException if {@code alpha} is not in (0, 1) or {@code resamples < 1}
     */
    public ModelComparison(double alpha, int resamples, long seed) {
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("alpha must be in (0, 1), got " + alpha);
        }
        if (resamples < 1) {
            throw new IllegalArgumentException("resamples must be >= 1, got " + resamples);
        }
        this.alpha = alpha;
        this.bootstrap = new Bootstrap(resamples, seed, 1 - alpha);
    }

    /**
     * Compares two protocol results on a per-user metric, pairing the users evaluated in both.
     *
     * @param metric         e.g. {@code ndcg@10}
     * @param nameA          name of A
     * @param a              A's result
     * @param nameB          name of B
     * @param b              B's result
     * @param higherIsBetter false for losses
     * @return the report
     */
    public ComparisonReport compare(String metric, String nameA, ProtocolResult a, String nameB, ProtocolResult b,
                                    boolean higherIsBetter) {
        if (!a.spec().equals(b.spec())) {
            throw new IllegalArgumentException("results come from different protocols: " + a.spec() + " vs " + b.spec());
        }
        int[] ua = a.users();
        int[] ub = b.users();
        double[] va = a.perUser(metric);
        double[] vb = b.perUser(metric);
        double[] pa = new double[Math.min(ua.length, ub.length)];
        double[] pb = new double[pa.length];
        int i = 0;
        int j = 0;
        int n = 0;
        while (i < ua.length && j < ub.length) {
            if (ua[i] == ub[j]) {
                pa[n] = va[i++];
                pb[n++] = vb[j++];
            } else if (ua[i] < ub[j]) {
                i++;
            } else {
                j++;
            }
        }
        return compare(metric, nameA, Arrays.copyOf(pa, n), nameB, Arrays.copyOf(pb, n), higherIsBetter);
    }

    /**
     * Compares paired per-user values ({@code a[u]} and {@code b[u]} belong to the same user).
     *
     * @param metric         the metric's name
     * @param nameA          name of A
     * @param a              A's values
     * @param nameB          name of B
     * @param b              B's values
     * @param higherIsBetter false for losses
     * @return the report
     */
    public ComparisonReport compare(String metric, String nameA, double[] a, String nameB, double[] b,
                                    boolean higherIsBetter) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("unpaired: " + a.length + " vs " + b.length);
        }
        int n = a.length;
        if (n < 2) {
            throw new IllegalArgumentException("need at least 2 paired users, got " + n);
        }
        double[] d = new double[n];
        double ma = 0;
        double mb = 0;
        for (int u = 0; u < n; u++) {
            d[u] = a[u] - b[u];
            ma += a[u];
            mb += b[u];
        }
        ma /= n;
        mb /= n;
        double md = 0;
        for (double x : d) {
            md += x;
        }
        md /= n;
        double tP = tTestP(a, b, d);
        double wP = wilcoxonP(d);
        ConfidenceInterval ci = bootstrap.meanInterval(d);
        boolean sig = tP < alpha && wP < alpha && ci.excludesZero();
        ComparisonReport.Verdict v = ComparisonReport.Verdict.NO_SIGNIFICANT_DIFFERENCE;
        if (sig && Math.signum(md) == Math.signum(ci.low()) && md != 0) {
            boolean aHigher = md > 0;
            v = aHigher == higherIsBetter ? ComparisonReport.Verdict.A_BETTER : ComparisonReport.Verdict.B_BETTER;
        }
        return new ComparisonReport(metric, nameA, nameB, n, ma, mb, md, tP, wP, ci, alpha, higherIsBetter, v);
    }

    static double tTestP(double[] a, double[] b, double[] d) {
        boolean constant = true;
        for (double x : d) {
            if (x != d[0]) {
                constant = false;
                break;
            }
        }
        if (constant) {
            return d[0] == 0 ? 1.0 : 0.0;
        }
        return TTest.withDefaults().pairedTest(a, b).getPValue();
    }

    static double wilcoxonP(double[] d) {
        int m = 0;
        for (double x : d) {
            if (x != 0) {
                m++;
            }
        }
        if (m == 0) {
            return 1.0;
        }
        double[] nz = new double[m];
        int j = 0;
        for (double x : d) {
            if (x != 0) {
                nz[j++] = x;
            }
        }
        if (m == 1) {
            return 1.0; // one non-zero pair: the exact two-sided p-value is 1
        }
        return WilcoxonSignedRankTest.withDefaults()
                .with(m <= EXACT_WILCOXON_MAX ? PValueMethod.EXACT : PValueMethod.ASYMPTOTIC)
                .with(ContinuityCorrection.ENABLED)
                .test(nz).getPValue();
    }
}
