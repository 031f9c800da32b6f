package dev.autoint.eval.recommend;

import dev.autoint.core.data.EncodedDataset;
import dev.autoint.core.model.Predictor;
import dev.autoint.core.train.Metrics;
import dev.autoint.data.Catalogue;
import dev.autoint.eval.CandidateScorer;
import dev.autoint.eval.Interactions;
import dev.autoint.eval.internal.CatalogScan;
import dev.autoint.eval.internal.ItemIndex;
import dev.autoint.eval.internal.Ranking;
import dev.autoint.eval.internal.TopK;
import dev.autoint.eval.internal.UserItemSets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * Top-N recommendation over a catalog with a {@link CandidateScorer}: every catalog item the
 * user has not rated in training is scored and the best are kept ({@code CatalogScan}, a bounded
 * heap: O(C log P) for C candidates and a pool of P), optionally re-ranked for recency
 * and genre diversity ({@link Rerank}), and explained.
 *
 * <p><b>Explanations</b> come from the user's liked training items: label ≥ the like threshold,
 * by default {@link Metrics#POSITIVE_THRESHOLD} (0.5), so with binary labels "liked" is exactly a
 * positive row as every metric counts it ({@link Metrics#isPositive}); graded labels set their own
 * threshold ({@link Builder#likeThreshold}):
 * <ul>
 *   <li>{@code "preferred genre: G, P% of liked movies"} (nouns set by {@link Builder#explanationNouns})
 *       where G is the item's genre (tag) with the
 *       highest share P among the user's liked movies (ties: the item's first listed genre);
 *       omitted if no liked movie shares a genre with the item;</li>
 *   <li>{@code "preferred decade: 1980s"} when the item's release decade is the user's
 *       most-liked decade (ties: the earliest decade);</li>
 * </ul>
 * and, with an {@link ExplanationHook}, model-based reasons.
 *
 * <p>Ranking ties are broken by item id ascending ({@link Ranking}). Thread-safe: each call
 * allocates only its own small buffers (one scoring batch and the pool), so one instance can
 * serve many threads if the scorer and hook are thread-safe.
 */
public final class Recommender {

    private final String name;
    private final ItemIndex index;
    private final CandidateScorer scorer;
    private final UserItemSets rated;
    private final UserItemSets liked;
    private final int batchSize;
    private final ExplanationHook hook;
    private final int minDecade;
    private final int decadeCount;
    private final String tagLabel;
    private final String itemNoun;

    private Recommender(Builder b) {
        this.name = b.name;
        this.index = b.index;
        this.scorer = b.scorer;
        this.rated = UserItemSets.of(b.train, b.index);
        double th = b.likeThreshold;
        this.liked = UserItemSets.of(b.train, b.index, l -> l >= th);
        this.batchSize = b.batchSize;
        this.hook = b.hook;
        this.tagLabel = b.tagLabel;
        this.itemNoun = b.itemNoun;
        int lo = Integer.MAX_VALUE;
        int hi = Integer.MIN_VALUE;
        for (int i = 0; i < index.size(); i++) {
            int y = index.year(i);
            if (y != ItemIndex.UNKNOWN_YEAR) {
                lo = Math.min(lo, Math.floorDiv(y, 10));
                hi = Math.max(hi, Math.floorDiv(y, 10));
            }
        }
        this.minDecade = lo == Integer.MAX_VALUE ? 0 : lo;
        this.decadeCount = lo == Integer.MAX_VALUE ? 0 : hi - lo + 1;
    }

    private Recommender(Recommender base, CandidateScorer scorer, ExplanationHook hook) {
        this.name = base.name;
        this.index = base.index;
        this.scorer = java.util.Objects.requireNonNull(scorer, "scorer");
        this.rated = base.rated;
        this.liked = base.liked;
        this.batchSize = base.batchSize;
        this.hook = hook;
        this.tagLabel = base.tagLabel;
        this.itemNoun = base.itemNoun;
        this.minDecade = base.minDecade;
        this.decadeCount = base.decadeCount;
    }

    /**
     * This recommender with another scorer and explanation hook, sharing its per-user indices:
     * cheap, so a service can build one per request for the request's context. Name, batch size, like
     * threshold and explanation nouns are kept.
     *
     * @param scorer the model, e.g. scoring in the request's context; not null
     * @param hook   model-based explanations, or null for none
     * @return a new recommender; this one is unchanged
     * @throws NullPointerException if {@code scorer} is null
     */
    public Recommender with(CandidateScorer scorer, ExplanationHook hook) {
        return new Recommender(this, scorer, hook);
    }

    /**
     * Starts a builder.
     *
     * @param catalogue the items to recommend, e.g. {@code bundle.encoder().catalogue()}
     * @param train     the training interactions (rated items are excluded; liked ones explain)
     * @param scorer    the model
     * @return the builder
     * @throws NullPointerException if an argument is null
     */
    public static Builder builder(Catalogue catalogue, Interactions train, CandidateScorer scorer) {
        return new Builder(ItemIndex.of(catalogue), train, scorer);
    }

    /** Configures a {@link Recommender}. */
    public static final class Builder {
        private final ItemIndex index;
        private final Interactions train;
        private final CandidateScorer scorer;
        private String name = "model";
        private double likeThreshold = Metrics.POSITIVE_THRESHOLD;
        private int batchSize = 512;
        private ExplanationHook hook;
        private String tagLabel = "tag";
        private String itemNoun = "items";

        private Builder(ItemIndex index, Interactions train, CandidateScorer scorer) {
            this.index = Objects.requireNonNull(index, "index");
            this.train = Objects.requireNonNull(train, "train");
            this.scorer = Objects.requireNonNull(scorer, "scorer");
        }

        /**
         * Sets the recommender's name in side-by-side views (default {@code "model"}).
         *
         * @param n the name; not null
         * @return this builder
         * @throws NullPointerException if {@code n} is null
         */
        public Builder name(String n) {
            this.name = Objects.requireNonNull(n);
            return this;
        }

        /**
         * Sets which training rows are liked: those whose label is at or above {@code t}.
         *
         * @param t the threshold (default {@link Metrics#POSITIVE_THRESHOLD}, the positive class of binary
         *          labels; e.g. 4 for 1..5 star ratings)
         * @return this builder
         * @throws IllegalArgumentException if {@code t} is NaN or infinite
         */
        public Builder likeThreshold(double t) {
            if (!Double.isFinite(t)) throw new IllegalArgumentException("likeThreshold must be finite, got " + t);
            this.likeThreshold = t;
            return this;
        }

        /**
         * Sets how many candidates each scorer call gets; the result does not depend on it.
         *
         * @param n most items per scorer call (default 512), at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code n < 1}
         */
        public Builder batchSize(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("batchSize < 1");
            }
            this.batchSize = n;
            return this;
        }

        /**
         * Sets the source of model-based explanations (default none).
         *
         * @param h model-based explanations, or null for none
         * @return this builder
         */
        public Builder explanationHook(ExplanationHook h) {
            this.hook = h;
            return this;
        }

        /**
         * How history explanations name things: {@code "preferred <tagLabel>: Drama, 38% of liked <itemNoun>"}
         * (default "tag" and "items"; a MovieLens catalogue says "genre" and "movies").
         *
         * @param tagLabel what an item's tag is called, e.g. {@code "genre"}; not null
         * @param itemNoun what the items are called, plural, e.g. {@code "movies"}; not null
         * @return this builder
         * @throws NullPointerException if either is null
         */
        public Builder explanationNouns(String tagLabel, String itemNoun) {
            this.tagLabel = Objects.requireNonNull(tagLabel, "tagLabel");
            this.itemNoun = Objects.requireNonNull(itemNoun, "itemNoun");
            return this;
        }

        /**
         * Builds the recommender, indexing each user's rated and liked training items once.
         *
         * @return the recommender
         */
        public Recommender build() {
            return new Recommender(this);
        }
    }

    /**
     * The recommender's name in side-by-side views.
     *
     * @return the name set by {@link Builder#name}, by default {@code "model"}
     */
    public String name() {
        return name;
    }

    /**
     * Top {@code n} items the user has not rated in training, by model score, without re-ranking
     * ({@link Rerank#NONE}).
     *
     * @param user the user; one without training rows gets every catalog item as a candidate
     * @param n    list length, at least 0 (fewer if fewer candidates)
     * @return the list, best first, explained; empty when {@code n} is 0 or no item is left
     * @throws IllegalArgumentException if {@code n < 0}
     */
    public List<Recommendation> recommend(int user, int n) {
        return recommend(user, n, Rerank.NONE);
    }

    /**
     * Top {@code n} items the user has not rated in training.
     *
     * @param user   the user; one without training rows gets every catalog item as a candidate
     * @param n      list length, at least 0 (fewer if fewer candidates)
     * @param rerank recency / diversity weights
     * @return the list, best first, explained; empty when {@code n} is 0 or no item is left
     * @throws IllegalArgumentException if {@code n < 0}
     */
    public List<Recommendation> recommend(int user, int n, Rerank rerank) {
        if (n < 0) {
            throw new IllegalArgumentException("n < 0");
        }
        int slot = rated.slot(user);
        int ratedCount = rated.size(slot);
        int candidates = index.size() - ratedCount;
        int pool = Math.min(rerank.pool(n), candidates);
        int keep = Math.min(n, candidates);
        if (keep <= 0) {
            return List.of();
        }
        double alpha = rerank.recencyWeight();

        // 1. score all candidates in batches, keep the best `pool` by adjusted score
        CatalogScan.Adjustment recency = alpha == 0 ? null : (raw, dense) -> raw + alpha * index.recency(dense);
        TopK top = new CatalogScan(index, batchSize).scan(scorer, user, rated, slot, pool, recency);
        int p = top.size();
        int[] pIdx = new int[p];
        double[] pAdj = new double[p];
        int[] pIds = new int[p];
        double[] pRaw = new double[p];
        top.drain(pIdx, pAdj, pIds, pRaw);

        // 2. greedy MMR over the pool (identity order when lambda = 0)
        int[] order = select(pIdx, pAdj, pIds, keep, rerank.diversityWeight());

        // 3. explain
        Profile profile = profile(user);
        List<Recommendation> out = new ArrayList<>(keep);
        for (int r = 0; r < order.length; r++) {
            int q = order[r];
            int idx = pIdx[q];
            int id = pIds[q];
            List<String> reasons = profile.explain(idx);
            List<String> model = hook == null ? List.of() : List.copyOf(hook.explain(user, id));
            Catalogue.Item item = index.item(idx);
            out.add(new Recommendation(r + 1, id, item.title(), index.year(idx), item.tags(),
                    pRaw[q], pAdj[q], reasons, model));
        }
        return out;
    }

    /** Positions into the pool, in final order. */
    private int[] select(int[] pIdx, double[] pAdj, int[] pIds, int keep, double lambda) {
        int p = pIdx.length;
        int[] order = new int[keep];
        if (lambda == 0) {
            for (int i = 0; i < keep; i++) {
                order[i] = i;
            }
            return order;
        }
        boolean[] taken = new boolean[p];
        double[] maxSim = new double[p];
        for (int r = 0; r < keep; r++) {
            int best = -1;
            double bestVal = 0;
            for (int q = 0; q < p; q++) {
                if (taken[q]) {
                    continue;
                }
                double v = (1 - lambda) * pAdj[q] - lambda * maxSim[q];
                if (best < 0 || Ranking.before(v, pIds[q], bestVal, pIds[best])) {
                    best = q;
                    bestVal = v;
                }
            }
            taken[best] = true;
            order[r] = best;
            for (int q = 0; q < p; q++) {
                if (!taken[q]) {
                    double s = index.jaccard(pIdx[best], pIdx[q]);
                    if (s > maxSim[q]) {
                        maxSim[q] = s;
                    }
                }
            }
        }
        return order;
    }

    /** The user's liked-history statistics. */
    private final class Profile {
        final int likedCount;
        final int[] genreCounts;
        final int bestDecade; // absolute decade number (year / 10), or MIN_VALUE

        Profile(int likedCount, int[] genreCounts, int bestDecade) {
            this.likedCount = likedCount;
            this.genreCounts = genreCounts;
            this.bestDecade = bestDecade;
        }

        List<String> explain(int idx) {
            if (likedCount == 0) {
                return List.of();
            }
            List<String> reasons = new ArrayList<>(2);
            List<String> genres = index.item(idx).tags();
            int bestG = -1;
            int bestC = 0;
            // walk the item's genres in listed order so ties go to the first listed
            for (String gName : genres) {
                int g = genreNumber(gName);
                if (g >= 0 && genreCounts[g] > bestC) {
                    bestC = genreCounts[g];
                    bestG = g;
                }
            }
            if (bestG >= 0) {
                long pct = Math.round(100.0 * bestC / likedCount);
                reasons.add("preferred " + tagLabel + ": " + index.genreName(bestG) + ", " + pct + "% of liked " + itemNoun);
            }
            int y = index.year(idx);
            if (y != ItemIndex.UNKNOWN_YEAR && bestDecade != Integer.MIN_VALUE && Math.floorDiv(y, 10) == bestDecade) {
                reasons.add("preferred decade: " + (bestDecade * 10) + "s");
            }
            return List.copyOf(reasons);
        }

        private int genreNumber(String gName) {
            for (int g = 0; g < genreCounts.length; g++) {
                if (index.genreName(g).equals(gName)) {
                    return g;
                }
            }
            return -1;
        }
    }

    private Profile profile(int user) {
        int slot = liked.slot(user);
        int m = liked.size(slot);
        int[] genreCounts = new int[index.genreCount()];
        int[] decades = new int[decadeCount];
        for (int j = 0; j < m; j++) {
            int idx = liked.itemAt(slot, j);
            for (int g = 0; g < genreCounts.length; g++) {
                if (index.hasGenre(idx, g)) {
                    genreCounts[g]++;
                }
            }
            int y = index.year(idx);
            if (y != ItemIndex.UNKNOWN_YEAR) {
                decades[Math.floorDiv(y, 10) - minDecade]++;
            }
        }
        int best = Integer.MIN_VALUE;
        int bestC = 0;
        for (int d = 0; d < decadeCount; d++) {
            if (decades[d] > bestC) {
                bestC = decades[d];
                best = minDecade + d;
            }
        }
        return new Profile(m, genreCounts, best);
    }

    /**
     * Two recommenders' lists for the same user and settings, aligned by rank.
     *
     * @param a      first recommender
     * @param b      second recommender
     * @param user   the user
     * @param n      list length, at least 0
     * @param rerank re-ranking applied to both
     * @return both lists
     * @throws IllegalArgumentException if {@code n < 0}
     */
    public static SideBySide compare(Recommender a, Recommender b, int user, int n, Rerank rerank) {
        return new SideBySide(user, a.name(), b.name(), a.recommend(user, n, rerank), b.recommend(user, n, rerank));
    }

    /**
     * Optional model-based explanations for a recommended item, supplied by the model module
     * (for instance the field pairs the attention layers weighted most for this user and item:
     * {@code "user.age × movie.genre"}). Called once per recommended item; must be thread-safe if
     * the recommender is used from several threads.
     */
    @FunctionalInterface
    public interface ExplanationHook {

        /**
         * @param user the user
         * @param item the recommended item
         * @return human-readable reasons (never null; may be empty)
         */
        List<String> explain(int user, int item);

        /**
         * Model-based explanations for any AutoInt model: the field pairs (i ≠ j) its last interacting layer
         * attended to most for the (user, item) row, averaged over heads, e.g.
         * {@code "attention: user_id→genre1 0.31, movie_id→age 0.18"}. Works for every dataset, since it needs
         * only the fields and the row. Thread-safe.
         *
         * @param predictor the model's predictor (it must have at least one interacting layer)
         * @param row       builds the one-row dataset of (user, item) as the model scores it
         * @param pairs     how many pairs to name (at least 1)
         * @return the hook
         * @throws NullPointerException     if {@code predictor} or {@code row} is null
         * @throws IllegalArgumentException if the model has no interacting layer or {@code pairs < 1}
         */
        static ExplanationHook attention(Predictor predictor, BiFunction<Integer, Integer, EncodedDataset> row, int pairs) {
            return new AttentionExplanations(predictor, row, pairs);
        }
    }

    /**
     * Two recommenders' lists for the same user, aligned by rank (for eyeballing two models or two
     * re-ranking settings).
     *
     * @param user  the user
     * @param nameA name of the first recommender
     * @param nameB name of the second
     * @param a     the first list
     * @param b     the second list
     */
    public record SideBySide(int user, String nameA, String nameB, List<Recommendation> a, List<Recommendation> b) {

        /**
         * One rank of both lists.
         *
         * @param rank 1-based rank
         * @param a    A's item at that rank, or null if A's list is shorter
         * @param b    B's item at that rank, or null
         */
        public record Row(int rank, Recommendation a, Recommendation b) {
            /** @return true iff both lists have the same item at this rank */
            public boolean same() {
                return a != null && b != null && a.item() == b.item();
            }
        }

        /**
         * Copies the lists.
         *
         * @param user  the user
         * @param nameA name of the first recommender
         * @param nameB name of the second
         * @param a     the first list, not null; copied
         * @param b     the second list, not null; copied
         * @throws NullPointerException if a list is null
         */
        public SideBySide {
            a = List.copyOf(a);
            b = List.copyOf(b);
        }

        /** @return the rows, as many as the longer list */
        public List<Row> rows() {
            int n = Math.max(a.size(), b.size());
            List<Row> rows = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                rows.add(new Row(i + 1, i < a.size() ? a.get(i) : null, i < b.size() ? b.get(i) : null));
            }
            return rows;
        }

        /** @return a two-column text table */
        public String toText() {
            StringBuilder sb = new StringBuilder();
            sb.append(String.format(Locale.ROOT, "user %d%n%-4s %-44s %-44s%n", user, "#", nameA, nameB));
            for (Row r : rows()) {
                sb.append(String.format(Locale.ROOT, "%-4d %-44s %-44s%n", r.rank(), cell(r.a()), cell(r.b())));
            }
            return sb.toString();
        }

        private static String cell(Recommendation r) {
            if (r == null) {
                return "";
            }
            String t = r.title().isEmpty() ? "item " + r.item() : r.title();
            String s = String.format(Locale.ROOT, "%s (%.3f)", t, r.score());
            return s.length() > 44 ? s.substring(0, 41) + "..." : s;
        }
    }

    /**
     * One recommended item with its scores and explanations.
     *
     * @param rank          1-based position in the list
     * @param item          item id
     * @param title         title
     * @param year          release year, or 0 if unknown
     * @param genres        genres
     * @param score         the model's score (click probability)
     * @param adjustedScore {@code score + α · recency} (equals {@code score} when α = 0)
     * @param reasons       explanations from the user's liked history, e.g.
     *                      {@code "preferred genre: Drama, 38% of liked movies"},
     *                      {@code "preferred decade: 1980s"}
     * @param modelReasons  explanations from the model hook (empty without a hook)
     */
    public record Recommendation(int rank, int item, String title, int year, List<String> genres, double score,
                                 double adjustedScore, List<String> reasons, List<String> modelReasons) {
    }

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
}
