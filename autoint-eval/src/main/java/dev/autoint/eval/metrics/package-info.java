/**
 * Metric definitions (each formula is in its Javadoc): Precision, Recall, NDCG, HitRate, MAP, MRR at K;
 * coverage, intra-list diversity, novelty; and the one ranking tie rule (score descending, then item id
 * ascending) with a bounded-heap top-K. The row metrics AUC, logloss and gAUC, with their positive-class,
 * tie and NaN rules, are autoint-core's {@link dev.autoint.core.train.Metrics}, shared with training.
 */
package dev.autoint.eval.metrics;
