package dev.autoint.eval.internal;

import dev.autoint.eval.CandidateScorer;
import java.util.Objects;

/**
 * The one top-K candidate scan, used by the full-catalogue protocol and the {@code Recommender}: every
 * catalogue item that a user's excluded set (their training items) does not hold is scored through a
 * {@link CandidateScorer} in batches, and the best {@code k} are kept in a {@link TopK} heap (O(C log k) for C
 * candidates, never a full sort).
 *
 * <p><b>Order and ties:</b> the {@link Ranking} order on the ranking score (the model's score, or an adjusted
 * score when an {@link Adjustment} is given): score descending, then item id ascending, a NaN score last. So
 * the result does not depend on the batch size or on the order of the catalogue.
 *
 * <p>Candidates are visited in dense index order; batches hold at most {@code batchSize} items (the last one
 * fewer), and every scorer call gets an array of exactly the batch's length. Not thread-safe: it owns its
 * buffers and heap, so use one per thread; it can scan any number of users in turn.
 */
public final class CatalogScan {

    /** A ranking score computed from the model's score, e.g. a recency bonus for re-ranking. */
    @FunctionalInterface
    public interface Adjustment {
        /**
         * The score to rank a candidate by.
         *
         * @param modelScore the candidate's score from the scorer
         * @param dense      the candidate's dense index in the {@link ItemIndex}
         * @return the ranking score
         */
        double rankingScore(double modelScore, int dense);
    }

    private final ItemIndex index;
    private final int batchSize;
    private final TopK top;
    private int[] items = new int[0];
    private int[] dense = new int[0];
    private float[] scores = new float[0];

    /**
     * A scan over an index's items.
     *
     * @param index     the catalogue
     * @param batchSize most items per scorer call (at least 1)
     */
    public CatalogScan(ItemIndex index, int batchSize) {
        if (batchSize < 1) throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        this.index = Objects.requireNonNull(index, "index");
        this.batchSize = batchSize;
        this.top = new TopK(0);
    }

    /**
     * Scores the user's candidates and keeps the best {@code k}. The result is this scan's heap, valid until
     * the next call: drain it ({@link TopK#drain}) to read the items best first, with the dense index as
     * payload and, as extra, the model's score.
     *
     * @param scorer     the model
     * @param user       the user
     * @param excluded   the sets holding the user's excluded items
     * @param slot       the user's slot in {@code excluded} ({@link UserItemSets#slot}; a slot of a user with
     *                   no items excludes nothing)
     * @param k          how many to keep (at least 0)
     * @param adjustment the ranking score, or null to rank by the model's score
     * @return the heap of the best {@code k} (fewer when there are fewer candidates)
     */
    public TopK scan(CandidateScorer scorer, int user, UserItemSets excluded, int slot, int k, Adjustment adjustment) {
        top.reset(k);
        int nItems = index.size();
        int excludedCount = excluded.size(slot);
        int batch = Math.max(1, Math.min(batchSize, nItems - excludedCount));
        if (items.length != batch) {
            items = new int[batch];
            dense = new int[batch];
            scores = new float[batch];
        }
        int fill = 0;
        int ep = 0;
        for (int idx = 0; idx < nItems; idx++) {
            while (ep < excludedCount && excluded.itemAt(slot, ep) < idx) ep++;
            if (ep < excludedCount && excluded.itemAt(slot, ep) == idx) continue;
            items[fill] = index.id(idx);
            dense[fill++] = idx;
            if (fill == batch) {
                scoreBatch(scorer, user, items, fill, adjustment);
                fill = 0;
            }
        }
        if (fill > 0) {
            scoreBatch(scorer, user, java.util.Arrays.copyOf(items, fill), fill, adjustment);
        }
        return top;
    }

    private void scoreBatch(CandidateScorer scorer, int user, int[] batchItems, int n, Adjustment adjustment) {
        float[] out = n == scores.length ? scores : new float[n];
        scorer.score(user, batchItems, out);
        for (int i = 0; i < n; i++) {
            double raw = out[i];
            double rank = adjustment == null ? raw : adjustment.rankingScore(raw, dense[i]);
            top.offer(rank, batchItems[i], dense[i], raw);
        }
    }
}
