/**
 * Evaluation protocols over users in parallel with deterministic results: held-out re-ranking
 * (plus AUC / logloss / gAUC), full-catalog ranking and sampled ranking; each keeps per-user
 * values and bootstrap intervals of the means.
 */
package dev.autoint.eval.protocol;
