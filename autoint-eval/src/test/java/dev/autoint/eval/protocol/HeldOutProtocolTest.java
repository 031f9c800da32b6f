package dev.autoint.eval.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.autoint.core.train.Metrics;
import dev.autoint.eval.Interactions;
import dev.autoint.eval.TestData;
import dev.autoint.eval.protocol.ProtocolResult.MetricValue;
import org.junit.jupiter.api.Test;

class HeldOutProtocolTest {

    private static final double LOG2_3 = Math.log(3) / Math.log(2);

    @Test
    void handComputedUsers() {
        // user 1: items 10, 20, 30 labels 1, 0, 1 scored 0.9, 0.8, 0.1 -> ranked rel [1, 0, 1]
        // user 2: all negative -> skipped from ranking metrics, still in AUC / logloss
        // user 3: items 5, 6 labels 0, 1 with tied scores -> item 5 first (id ascending) -> rel [0, 1]
        Interactions test = Interactions.of(
                new int[] {1, 1, 1, 2, 2, 3, 3},
                new int[] {10, 20, 30, 40, 50, 6, 5},
                new float[] {1, 0, 1, 0, 0, 1, 0}, null);
        float[] scores = {0.9f, 0.8f, 0.1f, 0.3f, 0.2f, 0.5f, 0.5f};
        EvalConfig cfg = EvalConfig.defaults().withK(2).withThreads(1).withBootstrap(200, 1);
        ProtocolResult r = new HeldOutProtocol(cfg).evaluate(test, scores);
        assertThat(r.users()).containsExactly(1, 3);
        double ndcgU1 = 1.0 / (1 + 1 / LOG2_3);          // DCG@2 = 1 ; IDCG@2 = 1 + 1/log2 3
        double ndcgU3 = (1 / LOG2_3) / 1.0;              // DCG@2 = 1/log2 3 ; IDCG = 1
        assertThat(r.perUser("ndcg@2")).containsExactly(new double[] {ndcgU1, ndcgU3}, within(1e-12));
        // precision = hits in top 2 / min(2, n): u1 1/2, u3 1/2
        assertThat(r.perUser("precision@2")).containsExactly(0.5, 0.5);
        assertThat(r.perUser("recall@2")).containsExactly(0.5, 1.0);
        assertThat(r.perUser("hitrate@2")).containsExactly(1.0, 1.0);
        assertThat(r.perUser("map@2")).containsExactly(new double[] {0.5, 0.5}, within(1e-12));
        assertThat(r.perUser("mrr@2")).containsExactly(1.0, 0.5);
        assertThat(r.value("ndcg@2")).isCloseTo((ndcgU1 + ndcgU3) / 2, within(1e-12));
        double[] s = {0.9, 0.8, 0.1, 0.3, 0.2, 0.5, 0.5};
        double[] y = {1, 0, 1, 0, 0, 1, 0};
        assertThat(r.value("auc")).isCloseTo(Metrics.auc(s, y), within(1e-12));
        assertThat(r.value("logloss")).isCloseTo(Metrics.logLoss(s, y), within(1e-6));
        // gAUC: u1 AUC 0.5 (3 rows), u3 AUC 0.5 (2 rows), u2 single-class skipped
        assertThat(r.value("gauc")).isCloseTo(0.5, within(1e-12));
        MetricValue auc = r.metrics().get("auc");
        assertThat(auc.ciLow()).isNotNull();
        assertThat(auc.ciLow()).isLessThanOrEqualTo(auc.ciHigh());
        assertThat(r.toText()).contains("held-out-reranking", "ndcg@2", "auc");
    }

    @Test
    void gradedGainsUseLabels() {
        Interactions test = Interactions.of(new int[] {1, 1}, new int[] {1, 2}, new float[] {3, 5}, null);
        EvalConfig cfg = EvalConfig.defaults().withK(2).withThreads(1).withBootstrap(0, 0)
                .withRelevance(new dev.autoint.eval.Relevance(4, dev.autoint.eval.Relevance.Gain.LINEAR));
        ProtocolResult r = new HeldOutProtocol(cfg).evaluate(test, new float[] {0.9f, 0.1f});
        // ranked gains [3, 5], ideal [5, 3]
        assertThat(r.value("ndcg@2")).isCloseTo((3 + 5 / LOG2_3) / (5 + 3 / LOG2_3), within(1e-12));
        assertThat(r.value("precision@2")).isEqualTo(0.5); // one of two rows is relevant (rating >= 4)
        assertThat(r.metrics().get("auc").ciLow()).isNull();
    }

    @Test
    void deterministicAcrossThreadCountsAndScorerPath() {
        Interactions test = TestData.interactions(300, 12, 500, 3, 0);
        float[] scores = new float[test.size()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = TestData.hashScore(test.user(i), test.item(i));
        }
        EvalConfig cfg = EvalConfig.defaults().withK(5).withBootstrap(300, 9);
        ProtocolResult one = new HeldOutProtocol(cfg.withThreads(1)).evaluate(test, scores);
        ProtocolResult four = new HeldOutProtocol(cfg.withThreads(4)).evaluate(test,
                (u, items, out) -> {
                    for (int i = 0; i < items.length; i++) {
                        out[i] = TestData.hashScore(u, items[i]);
                    }
                });
        assertThat(four.users()).containsExactly(one.users());
        for (String m : one.perUserMetrics()) {
            assertThat(four.perUser(m)).containsExactly(one.perUser(m));
        }
        assertThat(four.metrics()).isEqualTo(one.metrics());
        // a different bootstrap seed moves the intervals, not the values
        ProtocolResult other = new HeldOutProtocol(cfg.withThreads(2).withBootstrap(300, 10)).evaluate(test, scores);
        assertThat(other.value("ndcg@5")).isEqualTo(one.value("ndcg@5"));
        assertThat(other.metrics().get("ndcg@5").ciLow()).isNotEqualTo(one.metrics().get("ndcg@5").ciLow());
        MetricValue ndcg = one.metrics().get("ndcg@5");
        assertThat(ndcg.ciLow()).isLessThan(ndcg.value());
        assertThat(ndcg.ciHigh()).isGreaterThan(ndcg.value());
    }
}
