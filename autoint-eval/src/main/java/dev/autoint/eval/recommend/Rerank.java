package dev.autoint.eval.recommend;

/**
 * Re-ranking weights of a {@link Recommender} call.
 *
 * <ul>
 *   <li>Recency weight α ≥ 0: {@code score_adj = score + α · recency}, with
 *       {@code recency = (year − minYear) / (maxYear − minYear)} over the catalogue's items with a known
 *       year (0 for an unknown year, and for every item when all known years are equal).</li>
 *   <li>Diversity weight λ in [0, 1]: the list is built greedily (MMR): from a pool of the best
 *       candidates by {@code score_adj}, repeatedly pick the argmax of
 *       {@code (1 − λ) · score_adj − λ · max_{j picked} Jaccard(genres_i, genres_j)}, the Jaccard index of the tag
 *       (genre) sets with {@code J(∅, ∅) = 1}
 *       (ties: item id ascending). λ = 0 keeps the order of {@code score_adj}.</li>
 * </ul>
 *
 * @param recencyWeight   α
 * @param diversityWeight λ
 * @param poolSize        candidates considered by MMR; 0 = {@code max(5n, 50)}
 */
public record Rerank(double recencyWeight, double diversityWeight, int poolSize) {

    /** No re-ranking: order by model score. */
    public static final Rerank NONE = new Rerank(0, 0, 0);

    /**
     * Checks the arguments.
     *
     * @param recencyWeight   α, finite and >= 0
     * @param diversityWeight λ, in [0, 1]
     * @param poolSize        candidates considered by MMR, >= 0; 0 = {@code max(5n, 50)}
     * @throws IllegalArgumentException if an argument is out of range
     */
    public Rerank {
        if (!(recencyWeight >= 0) || Double.isInfinite(recencyWeight)) {
            throw new IllegalArgumentException("recencyWeight must be finite and >= 0");
        }
        if (!(diversityWeight >= 0 && diversityWeight <= 1)) {
            throw new IllegalArgumentException("diversityWeight must be in [0, 1]");
        }
        if (poolSize < 0) {
            throw new IllegalArgumentException("poolSize < 0");
        }
    }

    /**
     * Recency re-ranking only.
     *
     * @param alpha the recency weight α, finite and >= 0
     * @return the settings
     * @throws IllegalArgumentException if {@code alpha} is out of range
     */
    public static Rerank recency(double alpha) {
        return new Rerank(alpha, 0, 0);
    }

    /**
     * Diversity re-ranking (MMR) only.
     *
     * @param lambda the diversity weight λ, in [0, 1]
     * @return the settings
     * @throws IllegalArgumentException if {@code lambda} is out of range
     */
    public static Rerank diversity(double lambda) {
        return new Rerank(0, lambda, 0);
    }

    int pool(int n) {
        if (diversityWeight == 0) {
            return n;
        }
        return Math.max(n, poolSize > 0 ? poolSize : Math.max(5 * n, 50));
    }
}
