package dev.autoint.eval.internal;

import java.util.Arrays;

/**
 * Top-K ranking metrics of one ranked list.
 *
 * <p>Inputs are given <b>in rank order</b> (best first; rank with {@link Ranking}):
 * {@code rel[i]} is the relevance of the item at rank {@code i+1} — relevant iff {@code > 0} —
 * and {@code gains[i]} its NDCG gain. The arrays may hold the whole list or only its top
 * {@code K}; {@code numRelevant} is the number of relevant items of the whole list (or of the
 * user's relevant set, when relevant items may fall outside the list). All cut-offs use
 * {@code K' = min(K, list length)}. Each function returns 0 when its denominator is 0 (the
 * protocols skip users without relevant items, so this never reaches a mean).
 */
public final class RankingMetrics {

    private RankingMetrics() {
    }

    /**
     * Number of relevant items in the top {@code k}.
     *
     * @param rel relevance in rank order; relevant iff {@code > 0}
     * @param k   the cut-off
     * @return the hits, in {@code [0, K']}
     */
    public static int hitsAtK(double[] rel, int k) {
        int h = 0;
        int m = Math.min(k, rel.length);
        for (int i = 0; i < m; i++) {
            if (rel[i] > 0) {
                h++;
            }
        }
        return h;
    }

    /**
     * {@code Precision@K = hits@K / K}.
     *
     * @param rel relevance in rank order; relevant iff {@code > 0}
     * @param k   the cut-off
     * @return the precision in [0, 1]; 0 when {@code k <= 0}
     */
    public static double precisionAtK(double[] rel, int k) {
        return k <= 0 ? 0.0 : (double) hitsAtK(rel, k) / k;
    }

    /**
     * Precision normalised by the list length when it is shorter than K (the held-out
     * re-ranking convention): {@code hits@K / min(K, n)} with {@code n = rel.length}.
     *
     * @param rel relevance in rank order; relevant iff {@code > 0}
     * @param k   the cut-off
     * @return the precision in [0, 1]; 0 for an empty list or {@code k <= 0}
     */
    public static double truncatedPrecisionAtK(double[] rel, int k) {
        int d = Math.min(k, rel.length);
        return d <= 0 ? 0.0 : (double) hitsAtK(rel, k) / d;
    }

    /**
     * {@code Recall@K = hits@K / numRelevant}.
     *
     * @param rel         relevance in rank order; relevant iff {@code > 0}
     * @param numRelevant the number of relevant items of the user
     * @param k           the cut-off
     * @return the recall in [0, 1]; 0 when {@code numRelevant <= 0}
     */
    public static double recallAtK(double[] rel, int numRelevant, int k) {
        return numRelevant <= 0 ? 0.0 : (double) hitsAtK(rel, k) / numRelevant;
    }

    /**
     * {@code HitRate@K = 1 if hits@K > 0 else 0}.
     *
     * @param rel relevance in rank order; relevant iff {@code > 0}
     * @param k   the cut-off
     * @return 1 or 0
     */
    public static double hitRateAtK(double[] rel, int k) {
        return hitsAtK(rel, k) > 0 ? 1.0 : 0.0;
    }

    /**
     * Average precision at K:
     * <pre>
     *   AP@K = Σ_{i ≤ K', rel_i} Precision@i / min(K, numRelevant)
     * </pre>
     * (equal to scikit-learn's {@code average_precision_score} when K ≥ n, there are no tied
     * scores and every relevant item is in the list).
     *
     * @param rel         relevance in rank order; relevant iff {@code > 0}
     * @param numRelevant the number of relevant items of the user
     * @param k           the cut-off
     * @return AP@K in [0, 1]; 0 when {@code min(K, numRelevant) <= 0}
     */
    public static double averagePrecisionAtK(double[] rel, int numRelevant, int k) {
        int d = Math.min(k, numRelevant);
        if (d <= 0) {
            return 0.0;
        }
        int m = Math.min(k, rel.length);
        int hits = 0;
        double sum = 0;
        for (int i = 0; i < m; i++) {
            if (rel[i] > 0) {
                hits++;
                sum += (double) hits / (i + 1);
            }
        }
        return sum / d;
    }

    /**
     * {@code RR@K = 1 / rank of the first relevant item if it is within K, else 0}; MRR is its
     * mean over users.
     *
     * @param rel relevance in rank order; relevant iff {@code > 0}
     * @param k   the cut-off
     * @return RR@K in [0, 1]
     */
    public static double reciprocalRankAtK(double[] rel, int k) {
        int m = Math.min(k, rel.length);
        for (int i = 0; i < m; i++) {
            if (rel[i] > 0) {
                return 1.0 / (i + 1);
            }
        }
        return 0.0;
    }

    /**
     * {@code DCG@K = Σ_{i=1..K'} gain_i / log2(i + 1)}.
     *
     * @param gains gains in rank order
     * @param k     the cut-off
     * @return DCG@K
     */
    public static double dcgAtK(double[] gains, int k) {
        int m = Math.min(k, gains.length);
        double s = 0;
        for (int i = 0; i < m; i++) {
            s += gains[i] * discount(i + 1);
        }
        return s;
    }

    /**
     * The ideal DCG: {@link #dcgAtK} of {@code allGains} sorted descending.
     *
     * @param allGains the gains of every item of the user (any order); not modified
     * @param k        the cut-off
     * @return the ideal DCG@K
     */
    public static double idealDcgAtK(double[] allGains, int k) {
        double[] g = allGains.clone();
        Arrays.sort(g);
        int m = Math.min(k, g.length);
        double s = 0;
        for (int i = 0; i < m; i++) {
            s += g[g.length - 1 - i] * discount(i + 1);
        }
        return s;
    }

    /**
     * {@code NDCG@K = DCG@K(ranked gains) / DCG@K(ideal order of allGains)}; 0 if the ideal is 0.
     * With binary gains this is binary NDCG; with graded gains (label, or {@code 2^label − 1})
     * it is graded NDCG. scikit-learn's {@code ndcg_score} is the linear-gain case.
     *
     * @param rankedGains gains in rank order (at least the top K)
     * @param allGains    the gains of all items the ideal ranking may use
     * @param k           the cut-off
     * @return NDCG@K in [0, 1] for non-negative gains; 0 when the ideal DCG is 0
     */
    public static double ndcgAtK(double[] rankedGains, double[] allGains, int k) {
        double ideal = idealDcgAtK(allGains, k);
        return ideal <= 0 ? 0.0 : dcgAtK(rankedGains, k) / ideal;
    }

    /**
     * The DCG discount of a rank.
     *
     * @param rank a 1-based rank
     * @return {@code 1 / log2(rank + 1)}
     */
    public static double discount(int rank) {
        return 1.0 / (Math.log(rank + 1.0) / Math.log(2.0));
    }
}
