package dev.autoint.eval.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autoint.eval.CandidateScorer;
import dev.autoint.eval.Interactions;
import dev.autoint.eval.TestData;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link CatalogScan} against a full sort in the {@link Ranking} order, on scores with many ties and some NaN, with
 * and without an adjustment, for batch sizes around the candidate count; every scorer call must get an array of
 * exactly its batch's length and never an excluded item.
 */
class CatalogScanTest {

    @Test
    void keepsTheTopKOfTheNonExcludedItemsInRankingOrderForEveryBatchSize() {
        int nItems = 90;
        ItemIndex index = ItemIndex.of(TestData.catalog(nItems, 3));
        Interactions train = TestData.interactions(6, 30, nItems, 4, 0);
        UserItemSets excluded = UserItemSets.of(train, index);
        CandidateScorer coarse = (user, items, out) -> {
            for (int i = 0; i < items.length; i++) {
                out[i] = items[i] % 17 == 0 ? Float.NaN : Math.round(TestData.hashScore(user, items[i]) * 4) / 4f; // ties
            }
        };
        for (int batch : new int[] {1, 7, 59, 60, 61, 1000}) {
            CatalogScan scan = new CatalogScan(index, batch);
            for (int user = 0; user < 6; user++) {
                int slot = excluded.slot(user);
                Set<Integer> ex = new HashSet<>();
                for (int j = 0; j < excluded.size(slot); j++) ex.add(index.id(excluded.itemAt(slot, j)));
                List<Integer> calls = new ArrayList<>();
                CandidateScorer checked = (u, items, out) -> {
                    assertThat(out).hasSize(items.length);
                    for (int item : items) assertThat(ex).doesNotContain(item);
                    calls.add(items.length);
                    coarse.score(u, items, out);
                };
                for (CatalogScan.Adjustment adj : new CatalogScan.Adjustment[] {null, (raw, dense) -> raw + 0.01 * (dense % 3)}) {
                    calls.clear();
                    int k = 12;
                    TopK top = scan.scan(checked, user, excluded, slot, k, adj);
                    int m = top.size();
                    int[] dense = new int[m];
                    double[] rankScore = new double[m];
                    int[] ids = new int[m];
                    double[] raw = new double[m];
                    top.drain(dense, rankScore, ids, raw);

                    List<Integer> cands = new ArrayList<>();
                    for (int d = 0; d < nItems; d++) if (!ex.contains(index.id(d))) cands.add(d);
                    assertThat(calls.stream().mapToInt(Integer::intValue).sum()).isEqualTo(cands.size());
                    assertThat(calls.stream().mapToInt(Integer::intValue).max().orElse(0)).isLessThanOrEqualTo(batch);
                    double[] s = new double[cands.size()];
                    int[] candIds = new int[cands.size()];
                    float[] one = new float[1];
                    for (int i = 0; i < s.length; i++) {
                        int d = cands.get(i);
                        candIds[i] = index.id(d);
                        coarse.score(user, new int[] {candIds[i]}, one);
                        s[i] = adj == null ? one[0] : adj.rankingScore(one[0], d);
                    }
                    int[] order = Ranking.order(s, candIds);
                    assertThat(m).isEqualTo(Math.min(k, cands.size()));
                    for (int i = 0; i < m; i++) {
                        assertThat(ids[i]).as("batch %d user %d rank %d", batch, user, i).isEqualTo(candIds[order[i]]);
                        assertThat(dense[i]).isEqualTo(index.indexOf(ids[i]));
                        coarse.score(user, new int[] {ids[i]}, one);
                        assertThat(raw[i]).isEqualTo((double) one[0]);
                    }
                }
            }
        }
    }
}
