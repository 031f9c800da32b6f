/**
 * Not part of the API: the metric definitions ({@link dev.autoint.eval.internal.RankingMetrics}: Precision,
 * Recall, NDCG, HitRate, MAP, MRR at K, each formula in its Javadoc; {@link dev.autoint.eval.internal.ListMetrics}:
 * coverage, intra-list diversity, novelty), the one ranking tie rule (score descending, then item id ascending,
 * {@link dev.autoint.eval.internal.Ranking}), the one top-K candidate scan
 * ({@link dev.autoint.eval.internal.CatalogScan}), its bounded heap ({@link dev.autoint.eval.internal.TopK}) and
 * the per-user item sets it excludes ({@link dev.autoint.eval.internal.UserItemSets}), shared by the protocols and
 * the {@code Recommender}. The row metrics AUC, logloss and gAUC are autoint-core's
 * {@link dev.autoint.core.train.Metrics}, shared with training. The module does not export this package; the
 * classes are public only so that the other packages of autoint-eval can use them, and they may change in any
 * release.
 */
package dev.autoint.eval.internal;
