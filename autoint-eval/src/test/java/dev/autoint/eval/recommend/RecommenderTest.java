package dev.autoint.eval.recommend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.autoint.data.Catalogue;
import dev.autoint.data.Catalogue.Item;
import dev.autoint.eval.CandidateScorer;
import dev.autoint.eval.Interactions;
import dev.autoint.eval.TestData;
import dev.autoint.eval.internal.Ranking;
import dev.autoint.eval.recommend.Recommender.ExplanationHook;
import dev.autoint.eval.recommend.Recommender.Recommendation;
import dev.autoint.eval.recommend.Recommender.Rerank;
import dev.autoint.eval.recommend.Recommender.SideBySide;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RecommenderTest {

    private static final CandidateScorer HASH = (u, items, out) -> {
        for (int i = 0; i < items.length; i++) {
            out[i] = TestData.hashScore(u, items[i]);
        }
    };

    private static CandidateScorer fixed(Map<Integer, Float> scores) {
        return (u, items, out) -> {
            for (int i = 0; i < items.length; i++) {
                out[i] = scores.getOrDefault(items[i], 0f);
            }
        };
    }

    @Test
    void excludesRatedItemsAndEqualsAFullSort() {
        Catalogue cat = TestData.catalog(800, 21);
        Catalogue idx = cat;
        Interactions train = TestData.interactions(30, 120, 800, 22, 0);
        for (int batch : new int[] {1, 7, 512, 5000}) {
            Recommender rec = Recommender.builder(idx, train, HASH).batchSize(batch).build();
            for (int user = 0; user < 30; user += 7) {
                Set<Integer> rated = new HashSet<>();
                for (int r = 0; r < train.size(); r++) {
                    if (train.user(r) == user) {
                        rated.add(train.item(r));
                    }
                }
                List<Recommendation> got = rec.recommend(user, 25);
                // full sort of every unrated item
                List<Integer> cands = new ArrayList<>();
                for (int i = 1; i <= 800; i++) {
                    if (!rated.contains(i)) {
                        cands.add(i);
                    }
                }
                double[] s = new double[cands.size()];
                int[] ids = new int[cands.size()];
                for (int i = 0; i < ids.length; i++) {
                    ids[i] = cands.get(i);
                    s[i] = TestData.hashScore(user, ids[i]);
                }
                int[] order = Ranking.order(s, ids);
                int[] expected = new int[25];
                for (int i = 0; i < 25; i++) {
                    expected[i] = ids[order[i]];
                }
                assertThat(got.stream().mapToInt(Recommendation::item).toArray()).containsExactly(expected);
                assertThat(got).extracting(Recommendation::item).doesNotContainAnyElementsOf(rated);
                assertThat(got.get(0).rank()).isEqualTo(1);
                assertThat(got.get(0).score()).isEqualTo((double) TestData.hashScore(user, expected[0]));
            }
        }
    }

    @Test
    void shortCatalogAndUnknownUser() {
        Catalogue idx = TestData.catalog(5, 1);
        Interactions train = Interactions.of(new int[] {1, 1, 1}, new int[] {1, 2, 3}, new float[] {1, 1, 0}, null);
        Recommender rec = Recommender.builder(idx, train, HASH).build();
        assertThat(rec.recommend(1, 10)).extracting(Recommendation::item).containsExactlyInAnyOrder(4, 5);
        assertThat(rec.recommend(99, 10)).hasSize(5);
        assertThat(rec.recommend(1, 0)).isEmpty();
    }

    @Test
    void recencyWeightPromotesNewerItems() {
        Catalogue cat = TestData.catalogue(List.of(
                TestData.item(1, "Old", 1950, List.of("Drama")),
                TestData.item(2, "New", 2000, List.of("Drama")),
                TestData.item(3, "Mid", 1975, List.of("Comedy"))));
        Catalogue idx = cat;
        Interactions none = Interactions.of(new int[0], new int[0], new float[0], null);
        Recommender rec = Recommender.builder(idx, none, fixed(Map.of(1, 0.6f, 2, 0.5f, 3, 0.55f))).build();
        assertThat(rec.recommend(1, 3)).extracting(Recommendation::item).containsExactly(1, 3, 2);
        List<Recommendation> r = rec.recommend(1, 3, Rerank.recency(0.2));
        // adjusted: old 0.6, new 0.5 + 0.2 = 0.7, mid 0.55 + 0.1 = 0.65
        assertThat(r).extracting(Recommendation::item).containsExactly(2, 3, 1);
        assertThat(r.get(0).adjustedScore()).isCloseTo(0.7, within(1e-6));
        assertThat(r.get(0).score()).isCloseTo(0.5, within(1e-6));
    }

    @Test
    void diversityWeightDemotesSameGenreItems() {
        Catalogue cat = TestData.catalogue(List.of(
                TestData.item(1, "D1", 1990, List.of("Drama")),
                TestData.item(2, "D2", 1990, List.of("Drama")),
                TestData.item(3, "D3", 1990, List.of("Drama")),
                TestData.item(4, "C", 1990, List.of("Comedy")),
                TestData.item(5, "DC", 1990, List.of("Drama", "Comedy"))));
        Catalogue idx = cat;
        Interactions none = Interactions.of(new int[0], new int[0], new float[0], null);
        Recommender rec = Recommender.builder(idx, none,
                fixed(Map.of(1, 0.90f, 2, 0.89f, 3, 0.88f, 4, 0.80f, 5, 0.10f))).build();
        assertThat(rec.recommend(1, 3)).extracting(Recommendation::item).containsExactly(1, 2, 3);
        assertThat(rec.recommend(1, 3, Rerank.diversity(0.0))).extracting(Recommendation::item).containsExactly(1, 2, 3);
        // lambda 0.5: D1, then C (0.40 vs D2 0.445 - 0.5), then D2 (0.445 - 0.5 vs DC 0.05 - 0.25)
        assertThat(rec.recommend(1, 3, Rerank.diversity(0.5))).extracting(Recommendation::item).containsExactly(1, 4, 2);
        // lambda 0.95: D1, C, then DC (similarity 1/2 beats the Drama copies' 1)
        assertThat(rec.recommend(1, 3, Rerank.diversity(0.95))).extracting(Recommendation::item).containsExactly(1, 4, 5);
    }

    @Test
    void explanationsFromLikedHistoryAndModelHook() {
        List<Item> items = new ArrayList<>();
        items.add(TestData.item(1, "Liked A", 1984, List.of("Drama", "War")));
        items.add(TestData.item(2, "Liked B", 1986, List.of("Drama")));
        items.add(TestData.item(3, "Liked C", 1982, List.of("Comedy", "Drama")));
        items.add(TestData.item(4, "Liked D", 1995, List.of("Comedy")));
        items.add(TestData.item(5, "Disliked", 1999, List.of("Horror")));
        items.add(TestData.item(10, "Candidate 80s war", 1987, List.of("War", "Drama")));
        items.add(TestData.item(11, "Candidate 90s comedy", 1993, List.of("Comedy")));
        items.add(TestData.item(12, "Candidate horror", 1985, List.of("Horror")));
        Catalogue idx = TestData.catalogue(items);
        Interactions train = Interactions.of(new int[] {7, 7, 7, 7, 7}, new int[] {1, 2, 3, 4, 5},
                new float[] {1, 1, 1, 1, 0}, null);
        ExplanationHook hook = (u, item) -> List.of("attention: user.age x movie.genre (item " + item + ")");
        Recommender rec = Recommender.builder(idx, train, fixed(Map.of(10, 0.9f, 11, 0.8f, 12, 0.7f)))
                .explanationHook(hook).explanationNouns("genre", "movies").name("AutoInt").build();
        List<Recommendation> r = rec.recommend(7, 3);
        assertThat(r).extracting(Recommendation::item).containsExactly(10, 11, 12);
        // liked: 4 movies; Drama 3/4 = 75%, War 1/4, Comedy 2/4; decades: 1980s x3, 1990s x1
        assertThat(r.get(0).reasons()).containsExactly("preferred genre: Drama, 75% of liked movies",
                "preferred decade: 1980s");
        assertThat(r.get(1).reasons()).containsExactly("preferred genre: Comedy, 50% of liked movies");
        // horror was only disliked: no genre reason; 1985 is the preferred decade
        assertThat(r.get(2).reasons()).containsExactly("preferred decade: 1980s");
        assertThat(r.get(0).modelReasons()).containsExactly("attention: user.age x movie.genre (item 10)");
        assertThat(r.get(0).title()).isEqualTo("Candidate 80s war");

        Recommender plain = Recommender.builder(idx, train, fixed(Map.of(10, 0.1f, 11, 0.8f, 12, 0.7f)))
                .name("Baseline").build();
        SideBySide sbs = Recommender.compare(rec, plain, 7, 3, Rerank.NONE);
        assertThat(sbs.rows()).hasSize(3);
        assertThat(sbs.rows().get(0).a().item()).isEqualTo(10);
        assertThat(sbs.rows().get(0).b().item()).isEqualTo(11);
        assertThat(sbs.rows().get(2).same()).isFalse();
        assertThat(sbs.toText()).contains("AutoInt", "Baseline", "Candidate 80s war");
        assertThat(plain.recommend(7, 1).get(0).modelReasons()).isEmpty();
    }

    @Test
    void oneUserOverMovieLensSizedCatalogIsFast() {
        Catalogue idx = TestData.catalog(3706, 5);
        Interactions train = TestData.interactions(50, 150, 3706, 6, 0);
        Recommender rec = Recommender.builder(idx, train, HASH).build();
        Rerank both = new Rerank(0.1, 0.3, 0);
        for (int i = 0; i < 300; i++) {
            rec.recommend(i % 50, 10, both);
        }
        long[] t = new long[200];
        for (int i = 0; i < t.length; i++) {
            long s = System.nanoTime();
            rec.recommend(i % 50, 10, both);
            t[i] = System.nanoTime() - s;
        }
        Arrays.sort(t);
        double medianMs = t[t.length / 2] / 1e6;
        System.out.printf(java.util.Locale.ROOT,
                "Recommender: 3706 items, top-10 with recency + MMR + explanations: median %.3f ms per user"
                        + " (incl. trivial hash scorer)%n", medianMs);
        assertThat(medianMs).isLessThan(20.0);
    }
}
