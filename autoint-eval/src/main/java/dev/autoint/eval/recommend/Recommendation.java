package dev.autoint.eval.recommend;

import java.util.List;

/**
 * One recommended item with its scores and explanations.
 *
 * @param rank          1-based position in the list
 * @param item          item id
 * @param title         title
 * @param year          release year, or 0 if unknown
 * @param genres        genres
 * @param score         the model's score (click probability)
 * @param adjustedScore {@code score + α · recency} (equals {@code score} when α = 0)
 * @param reasons       explanations from the user's liked history, e.g.
 *                      {@code "preferred genre: Drama, 38% of liked movies"},
 *                      {@code "preferred decade: 1980s"}
 * @param modelReasons  explanations from the model hook (empty without a hook)
 */
public record Recommendation(int rank, int item, String title, int year, List<String> genres, double score,
                             double adjustedScore, List<String> reasons, List<String> modelReasons) {
}
