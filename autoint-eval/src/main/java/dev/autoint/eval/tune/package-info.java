/**
 * Hyper-parameter search: a {@link dev.autoint.eval.tune.SearchSpace} of model and trainer settings and a
 * {@link dev.autoint.eval.tune.Tuner} running random search or TPE over it, with per-trial early stopping,
 * median-stopping pruning and parallel trials, reproducible from a seed.
 */
package dev.autoint.eval.tune;
