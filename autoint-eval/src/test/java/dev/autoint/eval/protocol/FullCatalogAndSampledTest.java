package dev.autoint.eval.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.autoint.data.Catalogue;
import dev.autoint.eval.CandidateScorer;
import dev.autoint.eval.Interactions;
import dev.autoint.eval.TestData;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class FullCatalogAndSampledTest {

    private static final double LOG2_3 = Math.log(3) / Math.log(2);

    /** Score = item id / 100: higher ids first. */
    private static final CandidateScorer BY_ID = (u, items, out) -> {
        for (int i = 0; i < items.length; i++) {
            out[i] = items[i] / 100f;
        }
    };

    @Test
    void fullCatalogExcludesTrainingItemsAndRanksTheRest() {
        Catalogue idx = TestData.catalog(10, 1);
        // user 7 trained on items 10 and 9 -> candidates 8, 7, ..., 1 in that order
        Interactions train = Interactions.of(new int[] {7, 7}, new int[] {10, 9}, new float[] {1, 0}, null);
        // held out: 7 (relevant), 5 (not relevant), 2 (relevant), 9 (relevant but in train: dropped)
        Interactions test = Interactions.of(new int[] {7, 7, 7, 7}, new int[] {7, 5, 2, 9},
                new float[] {1, 0, 1, 1}, null);
        Set<Integer> scored = ConcurrentHashMap.newKeySet();
        CandidateScorer spy = (u, items, out) -> {
            for (int it : items) {
                scored.add(it);
            }
            BY_ID.score(u, items, out);
        };
        EvalConfig cfg = EvalConfig.defaults().withK(3).withThreads(2).withBootstrap(100, 1).withScoreBatch(3);
        ProtocolResult r = new FullCatalogProtocol(cfg).evaluate(idx, train, test, spy);
        assertThat(scored).doesNotContain(9, 10).contains(1, 2, 3, 4, 5, 6, 7, 8);
        // top 3: 8, 7, 6 -> rel [0, 1, 0]; 2 relevant items (7 and 2)
        assertThat(r.users()).containsExactly(7);
        assertThat(r.value("precision@3")).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(r.value("recall@3")).isCloseTo(0.5, within(1e-12));
        assertThat(r.value("ndcg@3")).isCloseTo((1 / LOG2_3) / (1 + 1 / LOG2_3), within(1e-12));
        assertThat(r.value("mrr@3")).isCloseTo(0.5, within(1e-12));
        assertThat(r.value("map@3")).isCloseTo(0.5 / 2, within(1e-12));
        assertThat(r.value("coverage@3")).isCloseTo(0.3, within(1e-12));
        assertThat(r.value("diversity@3")).isBetween(0.0, 1.0);
        assertThat(r.value("novelty@3")).isGreaterThanOrEqualTo(0.0);
    }

    @Test
    void fullCatalogIsDeterministicAcrossThreads() {
        Catalogue cat = TestData.catalog(400, 2);
        Catalogue idx = cat;
        Interactions train = TestData.interactions(120, 20, 400, 5, 0);
        Interactions test = TestData.interactions(120, 5, 400, 6, 0);
        CandidateScorer s = (u, items, out) -> {
            for (int i = 0; i < items.length; i++) {
                out[i] = TestData.hashScore(u, items[i]);
            }
        };
        EvalConfig cfg = EvalConfig.defaults().withK(10).withBootstrap(200, 3);
        ProtocolResult a = new FullCatalogProtocol(cfg.withThreads(1)).evaluate(idx, train, test, s);
        ProtocolResult b = new FullCatalogProtocol(cfg.withThreads(3).withScoreBatch(64)).evaluate(idx, train, test, s);
        assertThat(b.metrics()).isEqualTo(a.metrics());
        assertThat(b.perUser("ndcg@10")).containsExactly(a.perUser("ndcg@10"));
    }

    @Test
    void sampledOracleAndAntiOracle() {
        Catalogue idx = TestData.catalog(300, 3);
        Interactions train = TestData.interactions(50, 30, 300, 8, 0);
        Interactions test = TestData.interactions(50, 6, 300, 9, 0);
        Set<Long> positives = new HashSet<>();
        Set<Long> interacted = new HashSet<>();
        for (int i = 0; i < test.size(); i++) {
            interacted.add(key(test.user(i), test.item(i)));
            if (test.label(i) >= 0.5f) {
                positives.add(key(test.user(i), test.item(i)));
            }
        }
        for (int i = 0; i < train.size(); i++) {
            interacted.add(key(train.user(i), train.item(i)));
        }
        CandidateScorer oracle = (u, items, out) -> {
            for (int i = 0; i < items.length; i++) {
                out[i] = positives.contains(key(u, items[i])) ? 1f : 0f;
            }
        };
        CandidateScorer anti = (u, items, out) -> {
            int block = 101;
            assertThat(items.length % block).isZero();
            for (int q = 0; q < items.length; q += block) {
                Set<Integer> distinct = new HashSet<>();
                for (int t = q + 1; t < q + block; t++) {
                    // negatives: never interacted, distinct
                    assertThat(interacted).doesNotContain(key(u, items[t]));
                    assertThat(distinct.add(items[t])).isTrue();
                }
            }
            for (int i = 0; i < items.length; i++) {
                out[i] = positives.contains(key(u, items[i])) ? 0f : 1f;
            }
        };
        EvalConfig cfg = EvalConfig.defaults().withK(10).withThreads(2).withBootstrap(100, 1);
        ProtocolResult good = new SampledProtocol(cfg).evaluate(idx, train, test, oracle);
        ProtocolResult bad = new SampledProtocol(cfg).evaluate(idx, train, test, anti);
        assertThat(good.value("hitrate@10")).isEqualTo(1.0);
        assertThat(good.value("ndcg@10")).isEqualTo(1.0);
        assertThat(bad.value("hitrate@10")).isZero();
        assertThat(good.spec().sampledNegatives()).isEqualTo(100);
    }

    @Test
    void sampledIsDeterministicBySeedAndThreadIndependent() {
        Catalogue idx = TestData.catalog(500, 4);
        Interactions train = TestData.interactions(80, 25, 500, 10, 0);
        Interactions test = TestData.interactions(80, 8, 500, 11, 0);
        CandidateScorer s = (u, items, out) -> {
            for (int i = 0; i < items.length; i++) {
                out[i] = TestData.hashScore(u, items[i]);
            }
        };
        EvalConfig cfg = EvalConfig.defaults().withK(10).withBootstrap(100, 1).withSampling(100, 77);
        ProtocolResult a = new SampledProtocol(cfg.withThreads(1)).evaluate(idx, train, test, s);
        ProtocolResult b = new SampledProtocol(cfg.withThreads(4)).evaluate(idx, train, test, s);
        ProtocolResult c = new SampledProtocol(cfg.withSampling(100, 78)).evaluate(idx, train, test, s);
        assertThat(b.metrics()).isEqualTo(a.metrics());
        assertThat(b.perUser("hitrate@10")).containsExactly(a.perUser("hitrate@10"));
        assertThat(c.perUser("ndcg@10")).isNotEqualTo(a.perUser("ndcg@10"));
        // random scores: HR@10 of 1 positive among 101 is about 10/101
        assertThat(a.value("hitrate@10")).isBetween(0.03, 0.2);
    }

    private static long key(int u, int i) {
        return ((long) u << 32) | (i & 0xffffffffL);
    }
}
