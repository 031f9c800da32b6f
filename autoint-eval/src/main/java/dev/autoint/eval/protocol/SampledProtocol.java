package dev.autoint.eval.protocol;

import dev.autoint.core.internal.exec.ParallelFor;
import dev.autoint.data.Catalogue;
import dev.autoint.eval.CandidateScorer;
import dev.autoint.eval.Interactions;
import dev.autoint.eval.Relevance;
import dev.autoint.eval.internal.ItemIndex;
import dev.autoint.eval.internal.Ranking;
import dev.autoint.eval.internal.RankingMetrics;
import dev.autoint.eval.internal.UserItemSets;
import dev.autoint.eval.protocol.ProtocolResult.ProtocolSpec;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Sampled ranking: each held-out relevant item of a user is ranked against N items sampled
 * uniformly without replacement from the catalog items the user never interacted with (neither
 * in training nor in the held-out rows); N = 100 by default.
 *
 * <p>For a positive at 1-based rank {@code r} among its N + 1 candidates ({@link Ranking} order;
 * a tie with a negative is won by the smaller item id): {@code hitrate@K = [r ≤ K]},
 * {@code ndcg@K = [r ≤ K] / log2(r + 1)}, {@code mrr@K = [r ≤ K] / r}. A user's value is the mean
 * over the user's positives; users without positives are skipped. Positives already in the
 * user's training items or missing from the catalog are dropped.
 *
 * <p>Negatives come from a {@link SplittableRandom} seeded per user from the configured seed and
 * the user id, and positives are processed in ascending item id, so the sample — and the
 * result — do not depend on the thread count. If fewer than N items are available, all are used.
 */
public final class SampledProtocol {

    /** Protocol name in reports. */
    public static final String NAME = "sampled";

    private final EvalConfig config;

    /** @param config the settings (N = {@code sampledNegatives}, seed = {@code samplingSeed}) */
    public SampledProtocol(EvalConfig config) {
        this.config = config;
    }

    /** @return the protocol spelled out */
    public ProtocolSpec spec() {
        return new ProtocolSpec(NAME, "each held-out relevant item against " + config.sampledNegatives()
                + " items sampled uniformly without replacement from the items the user never interacted with",
                config.k(), config.sampledNegatives(), config.samplingSeed(), config.relevance().describe(),
                "test users with at least one relevant held-out item; per-user mean over positives, "
                        + "then unweighted mean over users", ProtocolSpec.TIE_RULE);
    }

    private static final class Scratch {
        final int[] mark;
        int stamp;

        Scratch(int n) {
            mark = new int[n];
        }

        int next() {
            return ++stamp;
        }
    }

    /**
     * Runs the protocol.
     *
     * @param catalogue the items (candidates are drawn from them), e.g. {@code bundle.encoder().catalogue()}
     * @param train  training rows
     * @param test   held-out rows
     * @param scorer the model
     * @return per-user values and aggregates
     */
    public ProtocolResult evaluate(Catalogue catalogue, Interactions train, Interactions test, CandidateScorer scorer) {
        ItemIndex index = ItemIndex.of(catalogue);
        int k = config.k();
        int nNeg = config.sampledNegatives();
        Relevance rel = config.relevance();
        UserItemSets trainSets = UserItemSets.of(train, index);
        UserItemSets testSets = UserItemSets.of(test, index);
        UserItemSets positives = UserItemSets.of(test, index, rel::isRelevant);
        int nItems = index.size();
        int nu = positives.userCount();
        int[] slotUsers = new int[nu];
        for (int u = 0; u < nu; u++) {
            slotUsers[u] = positives.userAt(u);
        }
        String[] names = {"hitrate@" + k, "ndcg@" + k, "mrr@" + k};
        Aggregator agg = new Aggregator(names, nu);
        long seed = config.samplingSeed();
        ParallelFor.forEach(nu, config.threads(), part -> new Scratch(nItems), (sc, u) -> {
            int user = slotUsers[u];
            int tr = trainSets.slot(user);
            int te = testSets.slot(user);
            int np = positives.size(u);
            int[] pos = new int[np];
            int p = 0;
            for (int j = 0; j < np; j++) {
                int idx = positives.itemAt(u, j);
                if (!trainSets.contains(tr, idx)) {
                    pos[p++] = idx;
                }
            }
            if (p == 0) {
                return;
            }
            // items the user interacted with (stamps never wrap within one user)
            if (sc.stamp > Integer.MAX_VALUE - p - 4) {
                Arrays.fill(sc.mark, 0);
                sc.stamp = 0;
            }
            int interacted = sc.next();
            for (int j = 0; j < trainSets.size(tr); j++) {
                sc.mark[trainSets.itemAt(tr, j)] = interacted;
            }
            for (int j = 0; j < testSets.size(te); j++) {
                sc.mark[testSets.itemAt(te, j)] = interacted;
            }
            int available = 0;
            for (int i = 0; i < nItems; i++) {
                if (sc.mark[i] != interacted) {
                    available++;
                }
            }
            int per = Math.min(nNeg, available);
            int block = per + 1;
            int[] items = new int[p * block];
            SplittableRandom rng = new SplittableRandom(mix(seed, user));
            for (int q = 0; q < p; q++) {
                int o = q * block;
                items[o] = index.id(pos[q]);
                if (per == available) {
                    int f = o + 1;
                    for (int i = 0; i < nItems; i++) {
                        if (sc.mark[i] != interacted) {
                            items[f++] = index.id(i);
                        }
                    }
                } else {
                    // a fresh stamp marks "drawn for this positive"; interacted items keep their older stamp
                    int drawn = sc.next();
                    int f = o + 1;
                    while (f < o + block) {
                        int i = rng.nextInt(nItems);
                        int mk = sc.mark[i];
                        if (mk == interacted || mk == drawn) {
                            continue;
                        }
                        sc.mark[i] = drawn;
                        items[f++] = index.id(i);
                    }
                }
            }
            float[] scores = new float[items.length];
            scorer.score(user, items, scores);
            double hr = 0;
            double ndcg = 0;
            double mrr = 0;
            for (int q = 0; q < p; q++) {
                int o = q * block;
                float ps = scores[o];
                int pid = items[o];
                int rank = 1;
                for (int t = o + 1; t < o + block; t++) {
                    if (Ranking.before(scores[t], items[t], ps, pid)) {
                        rank++;
                    }
                }
                if (rank <= k) {
                    hr += 1.0;
                    ndcg += RankingMetrics.discount(rank);
                    mrr += 1.0 / rank;
                }
            }
            agg.put(u, hr / p, ndcg / p, mrr / p);
        });
        return agg.build(spec(), slotUsers, config.bootstrap(), Map.of());
    }

    /** Seed of a user's generator: a 64-bit finaliser of (seed, user) so users get unrelated streams. */
    static long mix(long seed, int user) {
        long z = seed ^ (0x9E3779B97F4A7C15L * (user + 0x632BE59BD9B4E019L));
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
