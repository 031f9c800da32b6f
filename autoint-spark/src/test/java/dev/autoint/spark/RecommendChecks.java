package dev.autoint.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autoint.data.Catalogue;
import dev.autoint.data.UserDirectory;
import dev.autoint.data.movielens.MovieLensEncoder;
import dev.autoint.eval.bundle.ModelBundle;
import dev.autoint.eval.recommend.Recommender;
import dev.autoint.eval.recommend.Recommender.Recommendation;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.assertj.core.data.Offset;

/**
 * The comparison both recommendation tests make (local[2] and the standalone cluster): Spark's lists against the
 * single-node {@link Recommender}'s for the same users, built here as {@code bin/autoint recommend} builds it.
 */
final class RecommendChecks {

    private RecommendChecks() {
    }

    /** The single-node recommender of a bundle with the default context, as the CLI makes it. */
    static Recommender singleNode(ModelBundle b, int attentionPairs) {
        Catalogue cat = b.encoder().catalogue();
        Recommender.Builder rb = Recommender.builder(cat, b.trainInteractions(), b.scorer(Map.of(), null))
                .explanationNouns(cat.tagLabel(), b.encoder() instanceof MovieLensEncoder ? "movies" : "items");
        if (attentionPairs > 0) {
            rb.explanationHook(Recommender.ExplanationHook.attention(b.predictor(),
                    (u, item) -> cat.candidates(b.encoder().contextRow(u, Map.of(), new ArrayList<>()), 0, new int[] {item}), attentionPairs));
        }
        return rb.build();
    }

    /**
     * {@code recommendAll} with the given settings equals the single-node lists of every user: same items in the
     * same order, titles, scores within float tolerance, explanations. Returns the rows Spark gave.
     */
    static List<Row> allUsersEqualSingleNode(SparkRecommender spark, int attentionPairs) throws IOException {
        ModelBundle b = spark.bundle();
        Recommender single = singleNode(b, attentionPairs);
        List<Row> rows = spark.recommendAll().collectAsList();
        Map<String, List<Row>> byUser = byUser(rows);
        UserDirectory users = b.encoder().users();
        assertThat(byUser.keySet()).as("users with lists").hasSize(users.size());
        int n = 0;
        for (UserDirectory.User u : users.all()) {
            List<Recommendation> expected = single.recommend(u.id(), spark.n(), spark.rerank());
            assertSameList(u.key(), byUser.get(u.key()), expected, b.encoder().catalogue());
            n += expected.size();
        }
        assertThat(rows).hasSize(n);
        return rows;
    }

    static Map<String, List<Row>> byUser(List<Row> rows) {
        Map<String, List<Row>> m = new HashMap<>();
        for (Row r : rows) m.computeIfAbsent(r.getString(0), k -> new ArrayList<>()).add(r);
        for (List<Row> l : m.values()) l.sort(Comparator.comparingInt(r -> r.getInt(1)));
        return m;
    }

    static void assertSameList(String user, List<Row> got, List<Recommendation> expected, Catalogue cat) {
        assertThat(got).as("list of user %s", user).isNotNull().hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            Recommendation e = expected.get(i);
            Row r = got.get(i);
            String what = "user " + user + " rank " + (i + 1);
            assertThat(r.getInt(1)).as(what).isEqualTo(e.rank()).isEqualTo(i + 1);
            assertThat(r.getString(2)).as(what + " item").isEqualTo(cat.item(e.item()).key());
            assertThat(r.getString(3)).as(what + " title").isEqualTo(e.title());
            assertThat(r.getDouble(4)).as(what + " score").isCloseTo(e.score(), Offset.offset(1e-6));
            assertThat(r.getDouble(5)).as(what + " adjusted score").isCloseTo(e.adjustedScore(), Offset.offset(1e-6));
            if (r.length() > 6) {
                List<String> why = new ArrayList<>(e.reasons());
                why.addAll(e.modelReasons());
                assertThat(r.<String>getList(6)).as(what + " explanation").containsExactlyElementsOf(why);
            }
        }
    }
}
