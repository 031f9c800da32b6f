package dev.autoint.data.movielens;

import dev.autoint.data.LabelRule;

import java.util.List;

/**
 * Which features a {@link MovieLensEncoder} derives from MovieLens rows.
 *
 * <ul>
 *   <li>{@link #SEEDS}: 14 categorical fields, in this order: user_id, movie_id, movie_decade,
 *       movie_year, rating_year, rating_month, rating_decade, genre1, genre2, genre3, gender, age,
 *       occupation, zip. Label: rating &gt;= 4.</li>
 *   <li>{@link #PAPER} (AutoInt paper, MovieLens-1M): gender, age, occupation, zip, release_year (the
 *       release decade, e.g. "1990s"), request_time (NUMERIC: the rating timestamp, min-max scaled with
 *       training statistics), genres (MULTI_CATEGORICAL). Label: rating &gt; 3 positive, &lt; 3 negative,
 *       3 dropped.</li>
 * </ul>
 * Years come from the title "(1995)" (100K: from the release date when the title has none), decades are
 * written "1990s", rating year and month come from the Unix timestamp in UTC, genre1..3 are the first
 * three genres in file order with "none" for absent ones, age is the MovieLens-1M age-group code (100K
 * ages are bucketed into the same groups), occupation is the occupation name.
 */
public enum FeaturePreset {
    /** The seeds' 14 categorical fields; label rating &gt;= 4. */
    SEEDS(LabelRule.atLeast(4), List.of("user_id", "movie_id", "movie_decade", "movie_year", "rating_year",
            "rating_month", "rating_decade", "genre1", "genre2", "genre3", "gender", "age", "occupation", "zip")),
    /** The AutoInt paper's MovieLens-1M features (one numeric, one multi-valued); label rating &gt; 3, 3 dropped. */
    PAPER(LabelRule.paper(), List.of("gender", "age", "occupation", "zip", "release_year", "request_time", "genres"));

    private final LabelRule labelRule;
    private final List<String> fieldNames;

    FeaturePreset(LabelRule labelRule, List<String> fieldNames) {
        this.labelRule = labelRule;
        this.fieldNames = fieldNames;
    }

    /**
     * The label rule this preset is defined with; readers take it as their default.
     *
     * @return the rule
     */
    public LabelRule labelRule() {
        return labelRule;
    }

    /**
     * Field names in dataset order.
     *
     * @return an unmodifiable list
     */
    public List<String> fieldNames() {
        return fieldNames;
    }
}
