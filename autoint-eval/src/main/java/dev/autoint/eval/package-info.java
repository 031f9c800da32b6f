/**
 * autoint-eval: evaluation and top-N recommendation for AutoInt models, written against small
 * interfaces that the model and data modules implement through adapters:
 * {@link dev.autoint.eval.CandidateScorer} (the model), {@link dev.autoint.eval.Interactions}
 * (train / test rows); the items are autoint-data's {@link dev.autoint.data.Catalogue}. Sub-packages:
 * {@code protocol} (held-out, full-catalog and sampled
 * protocols), {@code stats} (paired significance tests and bootstrap intervals), {@code report}
 * (metrics.json) and {@code recommend} (top-N with re-ranking and explanations).
 */
package dev.autoint.eval;
