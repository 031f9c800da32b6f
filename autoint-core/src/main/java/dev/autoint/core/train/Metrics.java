package dev.autoint.core.train;

import java.util.Arrays;

/**
 * The two validation metrics the trainer monitors. (autoint-eval has the full set; these stay in core so
 * that training depends on nothing but encoded batches.)
 */
public final class Metrics {

    private Metrics() {
    }

    /**
     * ROC AUC: the probability that a random positive (label ≥ 0.5) scores above a random negative, ties
     * counting one half, computed from average ranks in O(n log n). NaN when one class is absent.
     */
    public static double auc(float[] scores, float[] labels, int n) {
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            // Sort by score with the index carried in the low bits: a float's bits, made order-preserving.
            int bits = Float.floatToIntBits(scores[i]);
            bits ^= (bits >> 31) & 0x7fffffff;
            keys[i] = ((long) bits << 32) | (i & 0xffffffffL);
        }
        Arrays.sort(keys);
        double rankSumPos = 0;
        long pos = 0;
        int i = 0;
        while (i < n) {
            int j = i;
            int hi = (int) (keys[i] >> 32);
            while (j < n && (int) (keys[j] >> 32) == hi) j++;
            double avgRank = (i + 1 + j) / 2.0; // ranks i+1 .. j share their mean
            for (int k = i; k < j; k++) {
                if (labels[(int) keys[k]] >= 0.5f) {
                    rankSumPos += avgRank;
                    pos++;
                }
            }
            i = j;
        }
        long neg = n - pos;
        if (pos == 0 || neg == 0) return Double.NaN;
        return (rankSumPos - pos * (pos + 1) / 2.0) / ((double) pos * neg);
    }

    /** Mean binary log-loss of probabilities clipped to [1e-7, 1 − 1e-7]. */
    public static double logLoss(float[] probabilities, float[] labels, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            double p = Math.min(Math.max(probabilities[i], 1e-7), 1 - 1e-7);
            s -= labels[i] * Math.log(p) + (1 - labels[i]) * Math.log(1 - p);
        }
        return s / n;
    }
}
