/**
 * Metric definitions (each formula is in its Javadoc): AUC, logloss, gAUC; Precision, Recall,
 * NDCG, HitRate, MAP, MRR at K; coverage, intra-list diversity, novelty; and the one ranking
 * tie rule (score descending, then item id ascending) with a bounded-heap top-K.
 */
package dev.autoint.eval.metrics;
