/**
 * Comparing two models on the same protocol: paired t-test, Wilcoxon signed-rank test and a
 * seeded bootstrap interval of the mean per-user difference.
 */
package dev.autoint.eval.stats;
