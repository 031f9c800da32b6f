package dev.autoint.eval.internal;


/**
 * A reusable bounded heap keeping the best {@code k} of a stream of {@code (score, id, payload)}
 * entries under the {@link Ranking} order (score descending, id ascending) in O(log k) per
 * offer — a partial sort that never sorts the whole stream.
 *
 * <p>Not thread-safe: use one per thread. {@link #reset(int)} makes it reusable without
 * reallocation when the new capacity fits.
 */
public final class TopK {

    private double[] scores;
    private int[] ids;
    private int[] payloads;
    private double[] aux;
    private int k;
    private int size;

    /**
     * An empty heap.
     *
     * @param k how many entries to keep (&gt;= 0; 0 keeps none)
     * @throws IllegalArgumentException if {@code k < 0}
     */
    public TopK(int k) {
        if (k < 0) {
            throw new IllegalArgumentException("k < 0");
        }
        scores = new double[Math.max(1, k)];
        ids = new int[Math.max(1, k)];
        payloads = new int[Math.max(1, k)];
        aux = new double[Math.max(1, k)];
        this.k = k;
    }

    /**
     * Empties the heap and sets a new capacity; allocates only when {@code newK} exceeds every earlier capacity.
     *
     * @param newK how many entries to keep (&gt;= 0)
     * @throws IllegalArgumentException if {@code newK < 0}
     */
    public void reset(int newK) {
        if (newK < 0) {
            throw new IllegalArgumentException("k < 0");
        }
        if (newK > scores.length) {
            scores = new double[newK];
            ids = new int[newK];
            payloads = new int[newK];
            aux = new double[newK];
        }
        k = newK;
        size = 0;
    }

    /**
     * The number of entries held.
     *
     * @return at most {@code k}
     */
    public int size() {
        return size;
    }

    /**
     * Offers an entry; kept iff fewer than {@code k} are held or it ranks before the worst held.
     *
     * @param score   the score ({@code NaN} is kept as {@code -Infinity}: it ranks last, ties by id)
     * @param id      the item id (tie-break)
     * @param payload any int carried along (a position, a dense index)
     */
    public void offer(double score, int id, int payload) {
        offer(score, id, payload, 0.0);
    }

    /**
     * {@link #offer(double, int, int)} carrying one more double along (e.g. the raw score when
     * ranking by an adjusted score).
     *
     * @param score   the score ({@code NaN} is kept as {@code -Infinity}: it ranks last, ties by id)
     * @param id      the item id (tie-break: lower first)
     * @param payload any int carried along (a position, a dense index)
     * @param extra   any double carried along; does not affect the order
     */
    public void offer(double score, int id, int payload, double extra) {
        double s = Double.isNaN(score) ? Double.NEGATIVE_INFINITY : score;
        if (size < k) {
            int i = size++;
            // sift up: the root is the worst entry
            while (i > 0) {
                int p = (i - 1) >>> 1;
                if (!worse(s, id, scores[p], ids[p])) {
                    break;
                }
                scores[i] = scores[p];
                ids[i] = ids[p];
                payloads[i] = payloads[p];
                aux[i] = aux[p];
                i = p;
            }
            scores[i] = s;
            ids[i] = id;
            payloads[i] = payload;
            aux[i] = extra;
        } else if (k > 0 && Ranking.before(s, id, scores[0], ids[0])) {
            siftDown(s, id, payload, extra);
        }
    }

    /** a is worse (ranks after) b. */
    private static boolean worse(double sa, int ia, double sb, int ib) {
        return Ranking.before(sb, ib, sa, ia);
    }

    private void siftDown(double s, int id, int payload, double extra) {
        int i = 0;
        int n = size;
        while (true) {
            int l = 2 * i + 1;
            if (l >= n) {
                break;
            }
            int r = l + 1;
            int w = (r < n && worse(scores[r], ids[r], scores[l], ids[l])) ? r : l;
            if (!worse(scores[w], ids[w], s, id)) {
                break;
            }
            scores[i] = scores[w];
            ids[i] = ids[w];
            payloads[i] = payloads[w];
            aux[i] = aux[w];
            i = w;
        }
        scores[i] = s;
        ids[i] = id;
        payloads[i] = payload;
        aux[i] = extra;
    }

    /**
     * Empties the heap into {@code out} best first (payloads only).
     *
     * @param out receives {@link #size()} payloads at {@code out[0 .. size())}, best first
     * @throws ArrayIndexOutOfBoundsException if {@code out} is shorter than {@link #size()}
     */
    public void drainPayloads(int[] out) {
        drain(out, null, null, null);
    }

    /**
     * Empties the heap best first into {@code [0 .. size())} of each output array; any output array may be
     * {@code null}, and each non-null one needs at least {@link #size()} entries.
     *
     * @param outPayloads payloads in rank order, or null
     * @param outScores   scores in rank order ({@code NaN} offered comes back as {@code -Infinity}), or null
     * @param outIds      ids in rank order, or null
     * @param outExtras   extras in rank order, or null
     * @throws ArrayIndexOutOfBoundsException if a non-null array is shorter than {@link #size()}
     */
    public void drain(int[] outPayloads, double[] outScores, int[] outIds, double[] outExtras) {
        for (int pos = size - 1; pos >= 0; pos--) {
            // the root is the worst of what is left: it goes last
            if (outPayloads != null) {
                outPayloads[pos] = payloads[0];
            }
            if (outScores != null) {
                outScores[pos] = scores[0];
            }
            if (outIds != null) {
                outIds[pos] = ids[0];
            }
            if (outExtras != null) {
                outExtras[pos] = aux[0];
            }
            size--;
            if (size > 0) {
                siftDown(scores[size], ids[size], payloads[size], aux[size]);
            }
        }
        size = 0;
    }
}
