package dev.autoint.eval.protocol;

import dev.autoint.core.internal.exec.ParallelFor;
import dev.autoint.core.train.Metrics;
import dev.autoint.eval.CandidateScorer;
import dev.autoint.eval.Interactions;
import dev.autoint.eval.Relevance;
import dev.autoint.eval.internal.Bootstrap;
import dev.autoint.eval.internal.Ranking;
import dev.autoint.eval.internal.RankingMetrics;
import dev.autoint.eval.protocol.ProtocolResult.MetricValue;
import dev.autoint.eval.protocol.ProtocolResult.ProtocolSpec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Held-out re-ranking (the protocol of the reference AutoInt experiments): each test user's own
 * held-out rows are ranked by the model's score, and ranking metrics are computed on that short
 * list; in addition the row metrics AUC, logloss and gAUC are computed over all held-out rows.
 *
 * <p>Per test user with at least one relevant row (others are skipped), with {@code n} the
 * user's held-out row count and rows ranked by {@link Ranking} (ties: item id, then row order):
 * <ul>
 *   <li>{@code ndcg@K}: DCG@K of the ranked gains over the ideal DCG@K of the user's own
 *       held-out gains (binary gain = relevance by default);</li>
 *   <li>{@code precision@K} = relevant in top K / {@code min(K, n)};</li>
 *   <li>{@code recall@K}, {@code hitrate@K}, {@code map@K} (normalised by
 *       {@code min(K, #relevant)}), {@code mrr@K}: see {@link RankingMetrics}.</li>
 * </ul>
 * Row metrics, labels binarised by the relevance rule and computed by {@link Metrics} (ties count one
 * half; a NaN score makes them NaN): {@code auc} over all rows, {@code logloss} (scores must be
 * probabilities), {@code gauc} over the users with a relevant and a non-relevant row. Intervals are bootstrap intervals over users
 * (a user's rows move together). Deterministic for any thread count.
 */
public final class HeldOutProtocol {

    /** Protocol name in reports. */
    public static final String NAME = "held-out-reranking";

    private final EvalConfig config;

    /**
     * A protocol run with the given settings (K, relevance, threads, bootstrap).
     *
     * @param config the settings; not null
     */
    public HeldOutProtocol(EvalConfig config) {
        this.config = config;
    }

    /**
     * The protocol spelled out for reports.
     *
     * @return the spec for this configuration
     */
    public ProtocolSpec spec() {
        return new ProtocolSpec(NAME, "each test user's own held-out rated items", config.k(), null, null,
                config.relevance().describe(),
                "test users with at least one relevant held-out item; unweighted mean over users",
                ProtocolSpec.TIE_RULE);
    }

    /**
     * Scores every held-out row with a candidate scorer, one call per user (users in parallel).
     *
     * @param test    the held-out rows
     * @param scorer  the model; thread-safe, as {@link CandidateScorer} requires
     * @param threads the most worker threads, the caller included (at least 1); the scores do not depend on it
     * @return a new array with the score of every row, aligned with {@code test}
     */
    public static float[] scoreRows(Interactions test, CandidateScorer scorer, int threads) {
        UserRows g = new UserRows(test);
        float[] out = new float[test.size()];
        ParallelFor.forEach(g.userCount(), threads, part -> null, (s, u) -> {
            int from = g.offsets[u];
            int m = g.offsets[u + 1] - from;
            int[] items = new int[m];
            float[] sc = new float[m];
            for (int i = 0; i < m; i++) {
                items[i] = test.item(g.rows[from + i]);
            }
            scorer.score(g.users[u], items, sc);
            for (int i = 0; i < m; i++) {
                out[g.rows[from + i]] = sc[i];
            }
        });
        return out;
    }

    /**
     * Scores the rows with {@link #scoreRows} on {@link EvalConfig#threads()} threads and evaluates them.
     *
     * @param test   the held-out rows
     * @param scorer the model; thread-safe, returning click probabilities (for {@code logloss})
     * @return per-user values and aggregates
     */
    public ProtocolResult evaluate(Interactions test, CandidateScorer scorer) {
        return evaluate(test, scoreRows(test, scorer, config.threads()));
    }

    /**
     * Evaluates precomputed scores.
     *
     * @param test   the held-out rows
     * @param scores one score (click probability) per row of {@code test}
     * @return per-user values and aggregates
     * @throws IllegalArgumentException if {@code scores.length} differs from {@code test.size()}
     */
    public ProtocolResult evaluate(Interactions test, float[] scores) {
        if (scores.length != test.size()) {
            throw new IllegalArgumentException("scores.length " + scores.length + " != rows " + test.size());
        }
        int k = config.k();
        Relevance rel = config.relevance();
        UserRows g = new UserRows(test);
        int nu = g.userCount();
        String[] names = {"ndcg@" + k, "precision@" + k, "recall@" + k, "hitrate@" + k, "map@" + k, "mrr@" + k};
        Aggregator agg = new Aggregator(names, nu);
        double[] userAuc = new double[nu];
        boolean[] userHasAuc = new boolean[nu];
        int[] userRows = new int[nu];
        ParallelFor.forEach(nu, config.threads(), part -> null, (s, u) -> {
            int from = g.offsets[u];
            int m = g.offsets[u + 1] - from;
            userRows[u] = m;
            double[] sc = new double[m];
            double[] lab = new double[m];
            int[] ids = new int[m];
            for (int i = 0; i < m; i++) {
                int r = g.rows[from + i];
                sc[i] = scores[r];
                lab[i] = rel.isRelevant(test.label(r)) ? 1.0 : 0.0;
                ids[i] = test.item(r);
            }
            userAuc[u] = Metrics.auc(sc, lab);
            userHasAuc[u] = Metrics.hasBothClasses(lab);
            int[] order = Ranking.order(sc, ids);
            double[] ranked = new double[m];
            double[] gains = new double[m];
            double[] rankedGains = new double[m];
            int pos = 0;
            for (int i = 0; i < m; i++) {
                int r = g.rows[from + order[i]];
                ranked[i] = lab[order[i]];
                rankedGains[i] = rel.gain(test.label(r));
                gains[i] = rankedGains[i];
                if (ranked[i] > 0) {
                    pos++;
                }
            }
            if (pos == 0) {
                return;
            }
            agg.put(u,
                    RankingMetrics.ndcgAtK(rankedGains, gains, k),
                    RankingMetrics.truncatedPrecisionAtK(ranked, k),
                    RankingMetrics.recallAtK(ranked, pos, k),
                    RankingMetrics.hitRateAtK(ranked, k),
                    RankingMetrics.averagePrecisionAtK(ranked, pos, k),
                    RankingMetrics.reciprocalRankAtK(ranked, k));
        });
        Map<String, MetricValue> extra = rowMetrics(test, scores, g, userAuc, userHasAuc, userRows);
        return agg.build(spec(), g.users, config.bootstrap(), extra);
    }

    private Map<String, MetricValue> rowMetrics(Interactions test, float[] scores, UserRows g,
                                                double[] userAuc, boolean[] userHasAuc, int[] userRows) {
        int n = test.size();
        Relevance rel = config.relevance();
        double[] s = new double[n];
        double[] y = new double[n];
        double[] rowLoss = new double[n];
        int nu = g.userCount();
        double[] userLoss = new double[nu];
        for (int r = 0; r < n; r++) {
            s[r] = scores[r];
            y[r] = rel.isRelevant(test.label(r)) ? 1.0 : 0.0;
            rowLoss[r] = Metrics.rowLogLoss(s[r], y[r]);
            userLoss[g.slotOfRow[r]] += rowLoss[r];
        }
        int[] groups = Metrics.scoreGroups(s);
        double auc = Metrics.weightedAuc(groups, y, null);
        double loss = 0;
        for (double l : rowLoss) {
            loss += l;
        }
        loss = n == 0 ? Double.NaN : loss / n;
        double gNum = 0;
        double gDen = 0;
        int gUsers = 0;
        for (int u = 0; u < nu; u++) {
            if (userHasAuc[u]) {
                gNum += userRows[u] * userAuc[u];
                gDen += userRows[u];
                gUsers++;
            }
        }
        double gauc = gDen == 0 ? Double.NaN : gNum / gDen;

        Bootstrap b = config.bootstrap();
        Map<String, MetricValue> out = new LinkedHashMap<>();
        if (b == null) {
            out.put("auc", MetricValue.of(auc, null, n));
            out.put("logloss", MetricValue.of(loss, null, n));
            out.put("gauc", MetricValue.of(gauc, null, gUsers));
            return out;
        }
        double[] w = new double[n];
        int[] slot = g.slotOfRow;
        out.put("auc", MetricValue.of(auc, b.interval(nu, c -> {
            for (int r = 0; r < n; r++) {
                w[r] = c[slot[r]];
            }
            return Metrics.weightedAuc(groups, y, w);
        }), n));
        out.put("logloss", MetricValue.of(loss, b.interval(nu, c -> {
            double num = 0;
            double den = 0;
            for (int u = 0; u < nu; u++) {
                num += c[u] * userLoss[u];
                den += (double) c[u] * userRows[u];
            }
            return den == 0 ? Double.NaN : num / den;
        }), n));
        out.put("gauc", MetricValue.of(gauc, b.interval(nu, c -> {
            double num = 0;
            double den = 0;
            for (int u = 0; u < nu; u++) {
                if (userHasAuc[u]) {
                    num += c[u] * (double) userRows[u] * userAuc[u];
                    den += (double) c[u] * userRows[u];
                }
            }
            return den == 0 ? Double.NaN : num / den;
        }), gUsers));
        return out;
    }
}
