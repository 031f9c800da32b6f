package dev.autoint.eval.protocol;

import dev.autoint.eval.Relevance;
import dev.autoint.eval.internal.Bootstrap;

/**
 * Settings shared by the evaluation protocols. Start from {@link #defaults()} and change fields
 * with the {@code with*} methods.
 *
 * @param k                  the ranking cut-off K (default 10)
 * @param relevance          which labels are relevant and the NDCG gain (default binary)
 * @param threads            worker threads over users (default: available processors); results
 *                           do not depend on it
 * @param bootstrapResamples resamples of the confidence intervals (default 1000; 0 = no CIs)
 * @param bootstrapSeed      seed of the confidence intervals
 * @param sampledNegatives   N of the sampled protocol (default 100)
 * @param samplingSeed       seed of the sampled protocol's negatives
 * @param scoreBatch         most items per {@code CandidateScorer} call in the full-catalog
 *                           protocol (default 4096)
 */
public record EvalConfig(int k, Relevance relevance, int threads, int bootstrapResamples,
                         long bootstrapSeed, int sampledNegatives, long samplingSeed, int scoreBatch) {

    /**
     * Checks the arguments.
     *
     * @param k                  the ranking cut-off K, at least 1
     * @param relevance          which labels are relevant and the NDCG gain; not null
     * @param threads            worker threads over users, at least 1
     * @param bootstrapResamples resamples of the confidence intervals, at least 0 (0 = no CIs)
     * @param bootstrapSeed      seed of the confidence intervals
     * @param sampledNegatives   N of the sampled protocol, at least 1
     * @param samplingSeed       seed of the sampled protocol's negatives
     * @param scoreBatch         most items per {@code CandidateScorer} call, at least 1
     * @throws IllegalArgumentException if a bound is violated or {@code relevance} is null
     */
    public EvalConfig {
        if (k < 1) {
            throw new IllegalArgumentException("k < 1");
        }
        if (relevance == null) {
            throw new IllegalArgumentException("relevance");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads < 1");
        }
        if (bootstrapResamples < 0) {
            throw new IllegalArgumentException("bootstrapResamples < 0");
        }
        if (sampledNegatives < 1) {
            throw new IllegalArgumentException("sampledNegatives < 1");
        }
        if (scoreBatch < 1) {
            throw new IllegalArgumentException("scoreBatch < 1");
        }
    }

    /**
     * The defaults: K=10, {@link Relevance#BINARY}, one thread per available processor, 1000 bootstrap
     * resamples with seed 42, N=100 sampled negatives with seed 2024, score batches of 4096 items.
     *
     * @return the default settings
     */
    public static EvalConfig defaults() {
        return new EvalConfig(10, Relevance.BINARY, Runtime.getRuntime().availableProcessors(),
                Bootstrap.DEFAULT_RESAMPLES, 42L, 100, 2024L, 4096);
    }

    /**
     * A copy with another K.
     *
     * @param newK the ranking cut-off, at least 1
     * @return the copy
     * @throws IllegalArgumentException if {@code newK < 1}
     */
    public EvalConfig withK(int newK) {
        return new EvalConfig(newK, relevance, threads, bootstrapResamples, bootstrapSeed,
                sampledNegatives, samplingSeed, scoreBatch);
    }

    /**
     * A copy with another relevance rule.
     *
     * @param r which labels are relevant and the NDCG gain; not null
     * @return the copy
     * @throws IllegalArgumentException if {@code r} is null
     */
    public EvalConfig withRelevance(Relevance r) {
        return new EvalConfig(k, r, threads, bootstrapResamples, bootstrapSeed,
                sampledNegatives, samplingSeed, scoreBatch);
    }

    /**
     * A copy with another thread count; results do not depend on it.
     *
     * @param t worker threads over users, at least 1
     * @return the copy
     * @throws IllegalArgumentException if {@code t < 1}
     */
    public EvalConfig withThreads(int t) {
        return new EvalConfig(k, relevance, t, bootstrapResamples, bootstrapSeed,
                sampledNegatives, samplingSeed, scoreBatch);
    }

    /**
     * A copy with other bootstrap settings.
     *
     * @param resamples resamples of the confidence intervals, at least 0 (0 = no CIs)
     * @param seed      seed of the resampling
     * @return the copy
     * @throws IllegalArgumentException if {@code resamples < 0}
     */
    public EvalConfig withBootstrap(int resamples, long seed) {
        return new EvalConfig(k, relevance, threads, resamples, seed,
                sampledNegatives, samplingSeed, scoreBatch);
    }

    /**
     * A copy with other sampled-protocol settings.
     *
     * @param negatives N, the sampled negatives per held-out relevant item, at least 1
     * @param seed      seed of the negatives' sampling
     * @return the copy
     * @throws IllegalArgumentException if {@code negatives < 1}
     */
    public EvalConfig withSampling(int negatives, long seed) {
        return new EvalConfig(k, relevance, threads, bootstrapResamples, bootstrapSeed,
                negatives, seed, scoreBatch);
    }

    /**
     * A copy with another scoring batch size; results do not depend on it.
     *
     * @param batch most items per {@code CandidateScorer} call in the full-catalog protocol, at least 1
     * @return the copy
     * @throws IllegalArgumentException if {@code batch < 1}
     */
    public EvalConfig withScoreBatch(int batch) {
        return new EvalConfig(k, relevance, threads, bootstrapResamples, bootstrapSeed,
                sampledNegatives, samplingSeed, batch);
    }

    Bootstrap bootstrap() {
        return bootstrapResamples == 0 ? null : new Bootstrap(bootstrapResamples, bootstrapSeed);
    }
}
