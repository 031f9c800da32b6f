package dev.autoint.eval.metrics;

import java.util.Arrays;

/**
 * Row-wise metrics of predicted click probabilities against binary labels: AUC, logloss, gAUC.
 *
 * <p>A label counts as positive iff it is {@code > 0.5} (labels are expected to be 0 or 1;
 * binarise graded ratings with a {@link dev.autoint.eval.Relevance} rule first).
 */
public final class ClassificationMetrics {

    /** Probabilities are clipped to {@code [EPS, 1 - EPS]} by {@link #logLoss}. */
    public static final double LOGLOSS_EPS = 1e-7;

    private ClassificationMetrics() {
    }

    /**
     * Exact ROC AUC, equal to the Mann–Whitney statistic with tied scores given averaged ranks:
     * <pre>
     *   AUC = (R⁺ − n⁺(n⁺+1)/2) / (n⁺ · n⁻)
     * </pre>
     * where {@code R⁺} is the sum of the (1-based, tie-averaged, ascending-score) ranks of the
     * positives. Equivalently {@code P(s⁺ > s⁻) + ½ P(s⁺ = s⁻)}. O(n log n).
     *
     * @param scores predicted scores
     * @param labels 0/1 labels
     * @return the AUC, or {@code NaN} when there are no positives or no negatives
     */
    public static double auc(double[] scores, double[] labels) {
        check(scores.length, labels.length);
        return weightedAuc(ascendingOrder(scores), scores, labels, null);
    }

    /** {@link #auc(double[], double[])} for float arrays. */
    public static double auc(float[] scores, float[] labels) {
        return auc(toDouble(scores), toDouble(labels));
    }

    /**
     * Positions of {@code scores} sorted by ascending score (ties in input order); reusable by
     * {@link #weightedAuc} across many weightings (e.g. bootstrap resamples).
     *
     * @param scores the scores ({@code NaN} sorts first)
     * @return the positions
     */
    public static int[] ascendingOrder(double[] scores) {
        int[] pos = Ranking.identity(scores.length);
        Sorts.sort(pos, (x, y) -> Double.compare(key(scores[x]), key(scores[y])));
        return pos;
    }

    private static double key(double s) {
        return Double.isNaN(s) ? Double.NEGATIVE_INFINITY : s;
    }

    /**
     * AUC with row weights: {@code Σ_{i⁺,j⁻} w_i w_j [s_i > s_j] + ½ [s_i = s_j]} divided by
     * {@code W⁺ · W⁻}. With all weights 1 it is exactly {@link #auc}. O(n) given the order.
     *
     * @param ascending  {@link #ascendingOrder(double[])} of {@code scores}
     * @param scores     the scores
     * @param labels     0/1 labels
     * @param rowWeights non-negative weight per row, or {@code null} for all ones
     * @return the weighted AUC, or {@code NaN} when a class has zero weight
     */
    public static double weightedAuc(int[] ascending, double[] scores, double[] labels, double[] rowWeights) {
        double negBelow = 0;
        double wPosTotal = 0;
        double num = 0;
        int n = ascending.length;
        int i = 0;
        while (i < n) {
            double s = key(scores[ascending[i]]);
            double gPos = 0;
            double gNeg = 0;
            int j = i;
            while (j < n && key(scores[ascending[j]]) == s) {
                int r = ascending[j];
                double w = rowWeights == null ? 1.0 : rowWeights[r];
                if (labels[r] > 0.5) {
                    gPos += w;
                } else {
                    gNeg += w;
                }
                j++;
            }
            num += gPos * (negBelow + 0.5 * gNeg);
            negBelow += gNeg;
            wPosTotal += gPos;
            i = j;
        }
        if (wPosTotal <= 0 || negBelow <= 0) {
            return Double.NaN;
        }
        return num / (wPosTotal * negBelow);
    }

    /**
     * Mean binary cross-entropy (natural log) with probabilities clipped to
     * {@code [1e-7, 1 − 1e-7]}:
     * <pre>
     *   logloss = −(1/n) Σ [ y log p + (1 − y) log(1 − p) ],   p = clip(p̂, 1e-7, 1 − 1e-7)
     * </pre>
     *
     * @param probabilities predicted probabilities
     * @param labels        0/1 labels
     * @return the logloss, {@code NaN} for no rows
     */
    public static double logLoss(double[] probabilities, double[] labels) {
        check(probabilities.length, labels.length);
        if (probabilities.length == 0) {
            return Double.NaN;
        }
        double sum = 0;
        for (int i = 0; i < probabilities.length; i++) {
            sum += rowLogLoss(probabilities[i], labels[i]);
        }
        return sum / probabilities.length;
    }

    /** {@link #logLoss(double[], double[])} for float arrays. */
    public static double logLoss(float[] probabilities, float[] labels) {
        return logLoss(toDouble(probabilities), toDouble(labels));
    }

    /**
     * The logloss of one row (see {@link #logLoss(double[], double[])}).
     *
     * @return {@code −[y log p + (1 − y) log(1 − p)]} with clipped {@code p}
     */
    public static double rowLogLoss(double p, double y) {
        double q = Math.min(1.0 - LOGLOSS_EPS, Math.max(LOGLOSS_EPS, Double.isNaN(p) ? 0.5 : p));
        return -(y * Math.log(q) + (1.0 - y) * Math.log(1.0 - q));
    }

    /**
     * Group AUC: the AUC of each user's rows, averaged with weight = the user's row count, over
     * the users that have both a positive and a negative row (other users are skipped):
     * <pre>
     *   gAUC = Σ_u n_u · AUC_u / Σ_u n_u     (u with n⁺_u > 0 and n⁻_u > 0)
     * </pre>
     *
     * @param scores predicted scores
     * @param labels 0/1 labels
     * @param users  user id per row
     * @return the gAUC, or {@code NaN} when no user has both classes
     */
    public static double gauc(double[] scores, double[] labels, int[] users) {
        check(scores.length, labels.length);
        check(scores.length, users.length);
        int n = scores.length;
        long[] keys = new long[n];
        for (int r = 0; r < n; r++) {
            keys[r] = ((long) users[r] << 32) | r;
        }
        Arrays.sort(keys);
        double num = 0;
        double den = 0;
        int i = 0;
        while (i < n) {
            int u = (int) (keys[i] >> 32);
            int j = i;
            while (j < n && (int) (keys[j] >> 32) == u) {
                j++;
            }
            int m = j - i;
            double[] s = new double[m];
            double[] y = new double[m];
            for (int t = 0; t < m; t++) {
                int r = (int) keys[i + t];
                s[t] = scores[r];
                y[t] = labels[r];
            }
            double a = auc(s, y);
            if (!Double.isNaN(a)) {
                num += m * a;
                den += m;
            }
            i = j;
        }
        return den == 0 ? Double.NaN : num / den;
    }

    private static void check(int a, int b) {
        if (a != b) {
            throw new IllegalArgumentException("arrays differ in length: " + a + " vs " + b);
        }
    }

    static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }
}
