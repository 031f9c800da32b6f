package dev.autoint.eval.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.autoint.data.Catalogue;
import dev.autoint.eval.TestData;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Ranking and list metrics by hand. AUC, logloss and gAUC are core's {@code Metrics}, tested in {@code MetricsTest}. */
class HandComputedMetricsTest {

    private static final double TOL = 1e-12;
    private static final double LOG2_3 = Math.log(3) / Math.log(2);

    @Test
    void rankingMetricsByHand() {
        double[] rel = {0, 1, 1, 0};
        // DCG@3 = 1/log2(3) + 1/log2(4); IDCG@3 = 1 + 1/log2(3)
        double expected = (1 / LOG2_3 + 0.5) / (1 + 1 / LOG2_3);
        assertThat(RankingMetrics.ndcgAtK(rel, rel, 3)).isCloseTo(expected, within(TOL));
        assertThat(RankingMetrics.precisionAtK(rel, 2)).isCloseTo(0.5, within(TOL));
        assertThat(RankingMetrics.precisionAtK(rel, 10)).isCloseTo(0.2, within(TOL));
        assertThat(RankingMetrics.truncatedPrecisionAtK(rel, 10)).isCloseTo(0.5, within(TOL));
        assertThat(RankingMetrics.recallAtK(rel, 4, 2)).isCloseTo(0.25, within(TOL));
        assertThat(RankingMetrics.hitRateAtK(rel, 1)).isZero();
        assertThat(RankingMetrics.hitRateAtK(rel, 2)).isEqualTo(1.0);
        assertThat(RankingMetrics.reciprocalRankAtK(rel, 5)).isCloseTo(0.5, within(TOL));
        assertThat(RankingMetrics.reciprocalRankAtK(rel, 1)).isZero();
        // AP: hits at ranks 2 and 3 -> (1/2 + 2/3) / min(K=4, 2)
        assertThat(RankingMetrics.averagePrecisionAtK(rel, 2, 4)).isCloseTo((0.5 + 2.0 / 3) / 2, within(TOL));
        // AP@2 with 2 relevant: (1/2) / min(2, 2)
        assertThat(RankingMetrics.averagePrecisionAtK(rel, 2, 2)).isCloseTo(0.25, within(TOL));
        // AP normalised by min(K, R): K=1 -> denominator 1, but no hit in top 1
        assertThat(RankingMetrics.averagePrecisionAtK(new double[] {1, 1, 1}, 3, 1)).isCloseTo(1.0, within(TOL));
        // graded exponential gains 2^rel - 1: ranked rels [1, 3] -> gains [1, 7]
        double dcg = 1 + 7 / LOG2_3;
        double idcg = 7 + 1 / LOG2_3;
        assertThat(RankingMetrics.ndcgAtK(new double[] {1, 7}, new double[] {7, 1}, 5)).isCloseTo(dcg / idcg, within(TOL));
        // no relevant items: 0, not NaN
        assertThat(RankingMetrics.ndcgAtK(new double[] {0, 0}, new double[] {0, 0}, 2)).isZero();
        assertThat(RankingMetrics.recallAtK(new double[] {0, 0}, 0, 2)).isZero();
    }

    @Test
    void tieRuleIsScoreDescendingThenIdAscending() {
        double[] s = {0.5, 0.9, 0.5, Double.NaN, 0.5};
        int[] ids = {30, 7, 10, 1, 20};
        int[] order = Ranking.order(s, ids);
        assertThat(order).containsExactly(1, 2, 4, 0, 3);
        assertThat(Ranking.topK(new float[] {0.5f, 0.9f, 0.5f, Float.NaN, 0.5f}, ids, 5, 3)).containsExactly(1, 2, 4);
    }

    @Test
    void topKEqualsFullSortOnRandomData() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(7);
        for (int trial = 0; trial < 200; trial++) {
            int n = 1 + r.nextInt(300);
            int k = r.nextInt(n + 5);
            float[] s = new float[n];
            double[] sd = new double[n];
            int[] ids = new int[n];
            for (int i = 0; i < n; i++) {
                s[i] = (float) (r.nextInt(20) / 20.0); // many ties
                sd[i] = s[i];
                ids[i] = r.nextInt(1000);
            }
            int[] full = Ranking.order(sd, ids);
            int[] top = Ranking.topK(s, ids, n, k);
            int m = Math.min(k, n);
            assertThat(top).hasSize(m);
            for (int i = 0; i < m; i++) {
                // equal (score, id) pairs may swap positions; compare the pairs
                assertThat(sd[top[i]]).isEqualTo(sd[full[i]]);
                assertThat(ids[top[i]]).isEqualTo(ids[full[i]]);
            }
        }
    }

    @Test
    void coverageDiversityNovelty() {
        Catalogue cat = TestData.catalogue(List.of(
                TestData.item(1, "A", 1980, List.of("Drama", "Comedy")),
                TestData.item(2, "B", 1990, List.of("Drama")),
                TestData.item(3, "C", 2000, List.of("Horror")),
                TestData.item(4, "D", 2000, List.of())));
        ItemIndex idx = ItemIndex.of(cat);
        assertThat(ListMetrics.catalogCoverage(List.of(new int[] {1, 2}, new int[] {2, 99}), idx)).isCloseTo(0.5, within(TOL));
        // pairs: (1,2) J=1/2 -> 1/2 ; (1,3) J=0 -> 1 ; (2,3) -> 1 ; mean = 2.5/3
        assertThat(ListMetrics.intraListDiversity(new int[] {1, 2, 3}, idx)).isCloseTo(2.5 / 3, within(TOL));
        assertThat(ListMetrics.intraListDiversity(new int[] {1}, idx)).isZero();
        assertThat(idx.jaccard(idx.indexOf(4), idx.indexOf(4))).isEqualTo(1.0);
        // popularity: item1 by 2 of 4 users (1 bit), item2 by 1 of 4 (2 bits), item3 by 0 -> floor 1 (2 bits)
        int[] pop = {2, 1, 0, 4};
        assertThat(ListMetrics.novelty(new int[] {1, 2, 3}, idx, pop, 4)).isCloseTo(5.0 / 3, within(TOL));
        assertThat(idx.recency(idx.indexOf(1))).isZero();
        assertThat(idx.recency(idx.indexOf(2))).isCloseTo(0.5, within(TOL));
        assertThat(idx.recency(idx.indexOf(3))).isEqualTo(1.0);
    }
}
