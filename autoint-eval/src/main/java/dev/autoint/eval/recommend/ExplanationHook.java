package dev.autoint.eval.recommend;

import java.util.List;

/**
 * Optional model-based explanations for a recommended item, supplied by the model module
 * (for instance the field pairs the attention layers weighted most for this user and item:
 * {@code "user.age × movie.genre"}). Called once per recommended item; must be thread-safe if
 * the recommender is used from several threads.
 */
@FunctionalInterface
public interface ExplanationHook {

    /**
     * @param user the user
     * @param item the recommended item
     * @return human-readable reasons (never null; may be empty)
     */
    List<String> explain(int user, int item);
}
