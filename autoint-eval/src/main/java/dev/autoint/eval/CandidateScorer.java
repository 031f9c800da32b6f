package dev.autoint.eval;

/**
 * Scores candidate items for one user: the bridge between a trained model and everything in
 * autoint-eval (protocols and the {@code Recommender}).
 *
 * <p>An adapter in the model module implements it by building the feature rows of
 * {@code (user, items[i])} in the evaluation context and writing the predicted click
 * probability of each row into {@code out[i]}.
 *
 * <p>Contract:
 * <ul>
 *   <li>{@code out.length >= items.length}; only {@code out[0 .. items.length)} is written;</li>
 *   <li>scores should be finite; a {@code NaN} ranks below every other score;</li>
 *   <li>implementations must be <b>thread-safe</b>: protocols call it from several threads at
 *       once, each with its own arrays;</li>
 *   <li>the arrays are owned by the caller and must not be retained.</li>
 * </ul>
 */
@FunctionalInterface
public interface CandidateScorer {

    /**
     * Writes the score of {@code (user, items[i])} into {@code out[i]} for every {@code i}.
     *
     * @param user  the user id
     * @param items candidate item ids (read only)
     * @param out   receives one score per item
     */
    void score(int user, int[] items, float[] out);
}
