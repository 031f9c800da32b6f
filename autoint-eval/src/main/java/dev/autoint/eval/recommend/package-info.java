/**
 * Top-N recommendation on the evaluation interfaces: exclusion of rated items, batched scoring
 * with a partial sort, recency and genre-diversity (MMR) re-ranking, explanations, side-by-side
 * comparison of two recommenders.
 */
package dev.autoint.eval.recommend;
