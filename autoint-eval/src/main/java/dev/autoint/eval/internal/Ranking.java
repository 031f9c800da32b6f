package dev.autoint.eval.internal;


/**
 * The one ranking order used everywhere in autoint-eval.
 *
 * <p><b>Tie rule.</b> Item {@code a} ranks before item {@code b} iff
 * {@code score(a) > score(b)}, or the scores are equal and {@code id(a) < id(b)}: score
 * descending, then item id ascending. A {@code NaN} score counts as {@code -∞}. The order is
 * therefore total and deterministic, independent of input order, thread count or sort algorithm.
 * (scikit-learn's {@code ndcg_score} instead averages the gains of tied items unless
 * {@code ignore_ties=True}; the test fixtures resolve ties with this rule before calling it.)
 */
public final class Ranking {

    private Ranking() {
    }

    /**
     * Whether one item ranks strictly before another under the tie rule.
     *
     * @param sa the score of item a (NaN counts as -∞)
     * @param ia the id of item a
     * @param sb the score of item b (NaN counts as -∞)
     * @param ib the id of item b
     * @return true iff {@code (sa, ia)} ranks strictly before {@code (sb, ib)}
     */
    public static boolean before(double sa, int ia, double sb, int ib) {
        double a = Double.isNaN(sa) ? Double.NEGATIVE_INFINITY : sa;
        double b = Double.isNaN(sb) ? Double.NEGATIVE_INFINITY : sb;
        return a > b || (a == b && ia < ib);
    }

    /**
     * Full ranking (O(n log n)).
     *
     * @param scores score per position
     * @param ids    item id per position
     * @return the positions in rank order (best first)
     */
    public static int[] order(double[] scores, int[] ids) {
        if (scores.length != ids.length) {
            throw new IllegalArgumentException("scores and ids differ in length");
        }
        int[] pos = identity(scores.length);
        Sorts.sort(pos, (x, y) -> before(scores[x], ids[x], scores[y], ids[y]) ? -1
                : before(scores[y], ids[y], scores[x], ids[x]) ? 1 : Integer.compare(x, y));
        return pos;
    }

    /**
     * The first {@code k} positions of {@link #order} computed with a bounded heap in
     * O(n log k).
     *
     * @param scores score per position (only {@code [0, n)} is read)
     * @param ids    item id per position
     * @param n      number of positions
     * @param k      how many to keep
     * @return up to {@code k} positions in rank order
     */
    public static int[] topK(float[] scores, int[] ids, int n, int k) {
        TopK heap = new TopK(Math.max(0, Math.min(k, n)));
        for (int i = 0; i < n; i++) {
            heap.offer(scores[i], ids[i], i);
        }
        int[] out = new int[heap.size()];
        heap.drainPayloads(out);
        return out;
    }

    /**
     * Reorders {@code values} by the ranking of {@code (scores, ids)}.
     *
     * @param values value per position
     * @param scores score per position
     * @param ids    item id per position
     * @return a new array {@code values[order[0]], values[order[1]], ...}
     * @throws IllegalArgumentException if {@code scores} and {@code ids} differ in length
     */
    public static double[] reorder(double[] values, double[] scores, int[] ids) {
        int[] o = order(scores, ids);
        double[] r = new double[o.length];
        for (int i = 0; i < o.length; i++) {
            r[i] = values[o[i]];
        }
        return r;
    }

    static int[] identity(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        return a;
    }
}
