package dev.autoint.eval.baseline;

import dev.autoint.core.train.Metrics;
import dev.autoint.eval.CandidateScorer;
import dev.autoint.eval.Interactions;
import java.util.HashMap;
import java.util.Map;

/**
 * Item popularity: an item's positive rate in training, smoothed towards the global rate with
 * {@value #PSEUDO_COUNT} pseudo-interactions, {@code (positives + m·p̄) / (n + m)}, so an item never seen
 * in training scores the global rate p̄. A label counts as positive at 0.5 or above. The same score for
 * every user: the baseline a personalised model must beat. Immutable and thread-safe.
 */
public final class Popularity implements CandidateScorer {

    /** Pseudo-interactions of the smoothing. */
    public static final int PSEUDO_COUNT = 10;

    private final Map<Integer, Float> scores;
    private final float prior;

    private Popularity(Map<Integer, Float> scores, float prior) {
        this.scores = scores;
        this.prior = prior;
    }

    /**
     * Fits on training interactions; an empty table gives every item 0.5.
     *
     * @param train the training rows
     * @return the scorer
     */
    public static Popularity fit(Interactions train) {
        Map<Integer, long[]> counts = new HashMap<>();
        long positives = 0;
        for (int i = 0; i < train.size(); i++) {
            long[] c = counts.computeIfAbsent(train.item(i), k -> new long[2]);
            c[1]++;
            if (Metrics.isPositive(train.label(i))) {
                c[0]++;
                positives++;
            }
        }
        double prior = train.size() == 0 ? 0.5 : (double) positives / train.size();
        Map<Integer, Float> s = new HashMap<>(counts.size() * 2);
        counts.forEach((item, c) -> s.put(item, (float) ((c[0] + PSEUDO_COUNT * prior) / (c[1] + PSEUDO_COUNT))));
        return new Popularity(s, (float) prior);
    }

    /**
     * The score of one item.
     *
     * @param item an item id
     * @return its smoothed positive rate, or the global rate for an item unseen in training
     */
    public float score(int item) {
        return scores.getOrDefault(item, prior);
    }

    /**
     * The score of every row's item, aligned with {@code rows}.
     *
     * @param rows the rows to score
     * @return a new array of {@code rows.size()} scores
     */
    public float[] scoreRows(Interactions rows) {
        float[] out = new float[rows.size()];
        for (int i = 0; i < out.length; i++) out[i] = score(rows.item(i));
        return out;
    }

    @Override
    public void score(int user, int[] items, float[] out) {
        for (int i = 0; i < items.length; i++) out[i] = score(items[i]);
    }
}
