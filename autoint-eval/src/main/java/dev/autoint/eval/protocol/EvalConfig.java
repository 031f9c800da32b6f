package dev.autoint.eval.protocol;

import dev.autoint.eval.Relevance;
import dev.autoint.eval.stats.Bootstrap;

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

    /** Checks the arguments. */
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

    /** @return K=10, binary relevance, all processors, 1000 resamples seed 42, N=100 seed 2024 */
    public static EvalConfig defaults() {
        return new EvalConfig(10, Relevance.BINARY, Runtime.getRuntime().availableProcessors(),
                Bootstrap.DEFAULT_RESAMPLES, 42L, 100, 2024L, 4096);
    }

    /** @return a copy with another K */
    public EvalConfig withK(int newK) {
        return new EvalConfig(newK, relevance, threads, bootstrapResamples, bootstrapSeed,
                sampledNegatives, samplingSeed, scoreBatch);
    }

    /** @return a copy with another relevance rule */
    public EvalConfig withRelevance(Relevance r) {
        return new EvalConfig(k, r, threads, bootstrapResamples, bootstrapSeed,
                sampledNegatives, samplingSeed, scoreBatch);
    }

    /** @return a copy with another thread count */
    public EvalConfig withThreads(int t) {
        return new EvalConfig(k, relevance, t, bootstrapResamples, bootstrapSeed,
                sampledNegatives, samplingSeed, scoreBatch);
    }

    /** @return a copy with other bootstrap settings */
    public EvalConfig withBootstrap(int resamples, long seed) {
        return new EvalConfig(k, relevance, threads, resamples, seed,
                sampledNegatives, samplingSeed, scoreBatch);
    }

    /** @return a copy with other sampled-protocol settings */
    public EvalConfig withSampling(int negatives, long seed) {
        return new EvalConfig(k, relevance, threads, bootstrapResamples, bootstrapSeed,
                negatives, seed, scoreBatch);
    }

    /** @return a copy with another scoring batch size */
    public EvalConfig withScoreBatch(int batch) {
        return new EvalConfig(k, relevance, threads, bootstrapResamples, bootstrapSeed,
                sampledNegatives, samplingSeed, batch);
    }

    Bootstrap bootstrap() {
        return bootstrapResamples == 0 ? null : new Bootstrap(bootstrapResamples, bootstrapSeed);
    }
}
