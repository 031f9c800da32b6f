package dev.autoint.core.train;

import java.util.Arrays;

/**
 * The binary classification metrics of the library: ROC AUC, logloss and group AUC. The trainer monitors
 * AUC and logloss on the validation set; autoint-eval's protocols, the service and the CLI report them;
 * all of them call this class, so a number means the same thing everywhere.
 *
 * <p><b>The rules.</b>
 * <ul>
 *   <li><b>Positive class:</b> a label is positive iff {@code label >= 0.5} ({@link #POSITIVE_THRESHOLD},
 *       {@link #isPositive}); everything else, including a label of exactly {@code 0.4999}, is negative.
 *       Labels are expected to be 0 or 1; binarise graded ratings first (autoint-eval's {@code Relevance}).</li>
 *   <li><b>Ties:</b> rows with equal scores share their average rank, so a positive tied with a negative
 *       counts one half ({@code -0.0} and {@code 0.0} are equal).</li>
 *   <li><b>NaN:</b> a NaN score or label makes AUC and gAUC NaN, and a NaN probability or label makes
 *       logloss NaN. A NaN is a broken model or broken data, so it is reported, never ranked or replaced.
 *       A metric that is undefined (AUC with only one class, logloss of no rows) is NaN as well.</li>
 *   <li><b>Logloss</b> clips each probability to {@code [ε, 1 − ε]} with ε = {@link #LOGLOSS_EPSILON}
 *       ({@code 1e-7}, so one confidently wrong row costs at most about 16.1) and uses the label itself as the target probability
 *       (0 and 1 give the usual binary logloss), natural log.</li>
 * </ul>
 * Every sum is in double precision; float inputs are widened exactly.
 */
public final class Metrics {

    /** Labels at or above this value are positive: see {@link #isPositive}. */
    public static final double POSITIVE_THRESHOLD = 0.5;

    /** {@link #logLoss} clips probabilities to {@code [LOGLOSS_EPSILON, 1 − LOGLOSS_EPSILON]}. */
    public static final double LOGLOSS_EPSILON = 1e-7;

    private Metrics() {
    }

    /**
     * The positive-class rule of every metric here.
     *
     * @param label a label
     * @return {@code label >= 0.5} (false for NaN)
     */
    public static boolean isPositive(double label) {
        return label >= POSITIVE_THRESHOLD;
    }

    /**
     * ROC AUC of the first {@code n} rows: see {@link #auc(double[], double[])}.
     *
     * @param scores predicted scores (only {@code [0, n)} is read)
     * @param labels labels (only {@code [0, n)} is read)
     * @param n      the number of rows
     * @return the AUC, NaN when a class is absent or a score or label is NaN
     */
    public static double auc(float[] scores, float[] labels, int n) {
        return auc(widen(scores, n), widen(labels, n));
    }

    /**
     * Exact ROC AUC, the Mann–Whitney statistic with tied scores given their average rank:
     * <pre>
     *   AUC = (R⁺ − n⁺(n⁺+1)/2) / (n⁺ · n⁻) = P(s⁺ > s⁻) + ½ P(s⁺ = s⁻)
     * </pre>
     * where {@code R⁺} is the sum of the positives' ranks (1-based, ascending score, ties averaged).
     * O(n log n).
     *
     * @param scores predicted scores
     * @param labels labels, positive per {@link #isPositive}
     * @return the AUC, NaN when there is no positive or no negative, or a score or label is NaN
     */
    public static double auc(double[] scores, double[] labels) {
        checkLengths(scores.length, labels.length);
        return weightedAuc(scoreGroups(scores), labels, null);
    }

    /**
     * The tie group of every row, for computing {@link #weightedAuc} many times over one set of scores
     * (bootstrap resamples): groups are numbered 0, 1, ... in ascending score, rows with equal scores share
     * one, and a row with a NaN score gets −1. O(n log n).
     *
     * @param scores the scores
     * @return one group number per row
     */
    public static int[] scoreGroups(double[] scores) {
        int n = scores.length;
        double[] distinct = new double[n];
        int m = 0;
        for (double s : scores) {
            if (!Double.isNaN(s)) distinct[m++] = s + 0.0; // + 0.0 turns -0.0 into 0.0: they tie
        }
        Arrays.sort(distinct, 0, m);
        int d = 0;
        for (int i = 0; i < m; i++) {
            if (d == 0 || distinct[i] != distinct[d - 1]) distinct[d++] = distinct[i];
        }
        int[] groups = new int[n];
        for (int r = 0; r < n; r++) {
            groups[r] = Double.isNaN(scores[r]) ? -1 : Arrays.binarySearch(distinct, 0, d, scores[r] + 0.0);
        }
        return groups;
    }

    /**
     * AUC with row weights: {@code Σ_{i⁺, j⁻} w_i w_j ([s_i > s_j] + ½ [s_i = s_j]) / (W⁺ · W⁻)}. With all
     * weights 1 it is {@link #auc(double[], double[])}. O(n) given the groups.
     *
     * @param groups     {@link #scoreGroups} of the scores
     * @param labels     labels, positive per {@link #isPositive}
     * @param rowWeights a non-negative weight per row, or null for all ones
     * @return the weighted AUC; NaN when a class has zero weight, or any row (whatever its weight) has a NaN
     *         score or label
     */
    public static double weightedAuc(int[] groups, double[] labels, double[] rowWeights) {
        int n = groups.length;
        checkLengths(n, labels.length);
        if (rowWeights != null) checkLengths(n, rowWeights.length);
        int m = 0;
        for (int r = 0; r < n; r++) {
            if (groups[r] < 0 || Double.isNaN(labels[r])) return Double.NaN;
            m = Math.max(m, groups[r] + 1);
        }
        double[] pos = new double[m];
        double[] neg = new double[m];
        for (int r = 0; r < n; r++) {
            double w = rowWeights == null ? 1.0 : rowWeights[r];
            if (isPositive(labels[r])) {
                pos[groups[r]] += w;
            } else {
                neg[groups[r]] += w;
            }
        }
        // Ascending score: each positive beats the negatives of lower groups and ties half of its own group's.
        double negBelow = 0;
        double posTotal = 0;
        double num = 0;
        for (int g = 0; g < m; g++) {
            num += pos[g] * (negBelow + 0.5 * neg[g]);
            negBelow += neg[g];
            posTotal += pos[g];
        }
        if (posTotal <= 0 || negBelow <= 0) return Double.NaN;
        return num / (posTotal * negBelow);
    }

    /**
     * Mean logloss of the first {@code n} rows: see {@link #logLoss(double[], double[])}.
     *
     * @param probabilities predicted probabilities (only {@code [0, n)} is read)
     * @param labels        labels (only {@code [0, n)} is read)
     * @param n             the number of rows
     * @return the logloss, NaN for no rows or a NaN probability or label
     */
    public static double logLoss(float[] probabilities, float[] labels, int n) {
        if (n > probabilities.length || n > labels.length) {
            throw new IllegalArgumentException("n = " + n + " exceeds the arrays (" + probabilities.length + ", " + labels.length + ")");
        }
        double sum = 0;
        for (int i = 0; i < n; i++) sum += rowLogLoss(probabilities[i], labels[i]);
        return n == 0 ? Double.NaN : sum / n;
    }

    /**
     * Mean binary cross-entropy (natural log) with clipped probabilities:
     * <pre>
     *   logloss = −(1/n) Σ [ y log p + (1 − y) log(1 − p) ],   p = clip(p̂, ε, 1 − ε),  ε = 1e-7
     * </pre>
     *
     * @param probabilities predicted probabilities
     * @param labels        labels, each the target probability y (0 or 1 for binary labels)
     * @return the logloss, NaN for no rows or a NaN probability or label
     */
    public static double logLoss(double[] probabilities, double[] labels) {
        checkLengths(probabilities.length, labels.length);
        double sum = 0;
        for (int i = 0; i < probabilities.length; i++) sum += rowLogLoss(probabilities[i], labels[i]);
        return probabilities.length == 0 ? Double.NaN : sum / probabilities.length;
    }

    /**
     * The logloss of one row, the summand of {@link #logLoss(double[], double[])}.
     *
     * @param probability the predicted probability
     * @param label       the label, the target probability y
     * @return {@code −[y log p + (1 − y) log(1 − p)]} with {@code p} clipped to {@code [ε, 1 − ε]}; NaN when
     *         either argument is NaN
     */
    public static double rowLogLoss(double probability, double label) {
        double p = Math.min(1.0 - LOGLOSS_EPSILON, Math.max(LOGLOSS_EPSILON, probability)); // NaN stays NaN
        return -(label * Math.log(p) + (1.0 - label) * Math.log(1.0 - p));
    }

    /**
     * Group AUC: the AUC of each user's rows, averaged with weight = the user's row count, over the users
     * that have both a positive and a negative row (the others have no AUC and are skipped):
     * <pre>
     *   gAUC = Σ_u n_u · AUC_u / Σ_u n_u     (u with n⁺_u > 0 and n⁻_u > 0)
     * </pre>
     *
     * @param scores predicted scores
     * @param labels labels, positive per {@link #isPositive}
     * @param users  the user of every row
     * @return the gAUC; NaN when no user has both classes, or a score or label is NaN
     */
    public static double gauc(double[] scores, double[] labels, int[] users) {
        checkLengths(scores.length, labels.length);
        checkLengths(scores.length, users.length);
        int n = scores.length;
        long[] keys = new long[n];
        for (int r = 0; r < n; r++) {
            if (Double.isNaN(scores[r]) || Double.isNaN(labels[r])) return Double.NaN;
            keys[r] = ((long) users[r] << 32) | r;
        }
        Arrays.sort(keys);
        double num = 0;
        double den = 0;
        for (int i = 0; i < n; ) {
            int u = (int) (keys[i] >> 32);
            int j = i;
            while (j < n && (int) (keys[j] >> 32) == u) j++;
            int m = j - i;
            double[] s = new double[m];
            double[] y = new double[m];
            for (int t = 0; t < m; t++) {
                int r = (int) keys[i + t];
                s[t] = scores[r];
                y[t] = labels[r];
            }
            if (hasBothClasses(y)) {
                num += m * auc(s, y);
                den += m;
            }
            i = j;
        }
        return den == 0 ? Double.NaN : num / den;
    }

    /**
     * Whether the labels hold a positive and a negative, i.e. whether their AUC is defined.
     *
     * @param labels labels, positive per {@link #isPositive}
     * @return true iff at least one is positive and one is not
     */
    public static boolean hasBothClasses(double[] labels) {
        boolean pos = false;
        boolean neg = false;
        for (double y : labels) {
            if (isPositive(y)) {
                pos = true;
            } else {
                neg = true;
            }
        }
        return pos && neg;
    }

    private static double[] widen(float[] a, int n) {
        if (n > a.length) throw new IllegalArgumentException("n = " + n + " exceeds the array length " + a.length);
        double[] d = new double[n];
        for (int i = 0; i < n; i++) d[i] = a[i];
        return d;
    }

    private static void checkLengths(int a, int b) {
        if (a != b) throw new IllegalArgumentException("arrays differ in length: " + a + " vs " + b);
    }
}
