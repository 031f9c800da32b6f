package dev.autoint.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autoint.data.UserDirectory;
import dev.autoint.eval.bundle.ModelBundle;
import dev.autoint.eval.recommend.Recommender;
import dev.autoint.eval.recommend.Recommender.Recommendation;
import dev.autoint.eval.recommend.Recommender.Rerank;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Top-N lists on {@code local[2]} equal the single-node {@link Recommender}'s for the same users: the same
 * items in the same order, scores within float tolerance, the same explanations; with re-ranking (recency and
 * MMR diversity) that does change the lists, for a MovieLens bundle and a table bundle; written as Parquet and
 * read back unchanged; for users given as a DataFrame of keys, unknown keys skipped and counted.
 */
class SparkRecommenderTest {

    static SparkSession spark;
    static Fixtures.Shared f;

    @BeforeAll
    static void start() throws Exception {
        f = Fixtures.shared();
        spark = LocalSpark.session();
    }

    @Test
    @Timeout(120)
    void everyMovieLensUsersListEqualsTheSingleNodeRecommendersWithReRanking() throws Exception {
        try (SparkRecommender r = SparkRecommender.forBundle(spark, f.movies())) {
            r.n(7).alpha(0.2).lambda(0.4).attention(2).partitions(5);
            List<Row> rows = RecommendChecks.allUsersEqualSingleNode(r, 2);
            assertThat(rows.get(0).<String>getList(6)).as("explanations").anyMatch(s -> s.startsWith("attention: "));
            assertReRankingChangedSomeList(r.bundle(), 7, r.rerank());
        }
    }

    @Test
    @Timeout(120)
    void everyTableUsersListEqualsTheSingleNodeRecommendersAndSurvivesParquet() throws Exception {
        Path out = Files.createTempDirectory("autoint-recs-").resolve("recommendations");
        try (SparkRecommender r = SparkRecommender.forBundle(spark, f.table())) {
            r.n(7).lambda(0.5).explanations(true);
            List<Row> rows = RecommendChecks.allUsersEqualSingleNode(r, 0);
            assertReRankingChangedSomeList(r.bundle(), 7, r.rerank());
            assertThat(rows).anyMatch(row -> !row.<String>getList(6).isEmpty());

            r.recommendAll().write().parquet(out.toUri().toString());
            Dataset<Row> back = spark.read().parquet(out.toUri().toString());
            assertThat(back.schema().fieldNames()).containsExactly("user", "rank", "item", "title", "score", "adjusted_score", "explanation");
            assertThat(text(back.collectAsList())).isEqualTo(text(rows));
        } finally {
            Fixtures.deleteTree(out.getParent());
        }
    }

    @Test
    @Timeout(120)
    void usersGivenAsADataFrameOfKeysUnknownOnesSkippedAndCounted() throws Exception {
        try (SparkRecommender r = SparkRecommender.forBundle(spark, f.movies())) {
            r.n(7).alpha(0.1);
            ModelBundle b = r.bundle();
            List<UserDirectory.User> all = b.encoder().users().all();
            List<UserDirectory.User> some = List.of(all.get(3), all.get(0), all.get(all.size() - 1));
            // MovieLens keys are user ids: an integer column works, as does a string one.
            List<Row> keys = new ArrayList<>();
            for (UserDirectory.User u : some) keys.add(RowFactory.create(Integer.parseInt(u.key()), "x"));
            keys.add(RowFactory.create(999_999, "unknown"));
            keys.add(RowFactory.create(null, "null key"));
            Dataset<Row> users = spark.createDataFrame(keys, new StructType().add("uid", DataTypes.IntegerType).add("note", DataTypes.StringType))
                    .repartition(2);
            long before = r.unknownUsers();
            List<Row> rows = r.recommend(users, "uid").collectAsList();
            assertThat(r.unknownUsers() - before).as("unknown users counted").isEqualTo(2);
            Map<String, List<Row>> byUser = RecommendChecks.byUser(rows);
            assertThat(byUser.keySet()).containsExactlyInAnyOrder(some.stream().map(UserDirectory.User::key).toArray(String[]::new));
            Recommender single = RecommendChecks.singleNode(b, 0);
            for (UserDirectory.User u : some) {
                RecommendChecks.assertSameList(u.key(), byUser.get(u.key()), single.recommend(u.id(), 7, r.rerank()), b.encoder().catalogue());
            }

            Dataset<Row> stringKeys = users.selectExpr("cast(uid as string) as key");
            assertThat(text(r.recommend(stringKeys).collectAsList())).isEqualTo(text(rows));
            assertThatThrownBy(() -> r.recommend(users)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one column");
            assertThatThrownBy(() -> r.recommend(users, "nope")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[nope]");
        }
    }

    @Test
    void refusesBadSettings() throws Exception {
        try (SparkRecommender r = SparkRecommender.forBundle(spark, f.movies())) {
            assertThatThrownBy(() -> r.n(0)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> r.alpha(-1)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> r.lambda(1.5)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> r.context(Map.of("year", "not a year"))).isInstanceOf(IllegalArgumentException.class);
            assertThat(r.rerank()).isEqualTo(Rerank.NONE);
        }
    }

    /** The single-node lists with {@code rerank} differ from those without for some user: the settings matter. */
    static void assertReRankingChangedSomeList(ModelBundle b, int n, Rerank rerank) {
        Recommender single = RecommendChecks.singleNode(b, 0);
        boolean changed = false;
        for (UserDirectory.User u : b.encoder().users().all()) {
            List<Integer> plain = single.recommend(u.id(), n, Rerank.NONE).stream().map(Recommendation::item).toList();
            List<Integer> reranked = single.recommend(u.id(), n, rerank).stream().map(Recommendation::item).toList();
            if (!plain.equals(reranked)) {
                changed = true;
                break;
            }
        }
        assertThat(changed).as("re-ranking %s changed some list", rerank).isTrue();
    }

    static List<String> text(List<Row> rows) {
        List<String> out = new ArrayList<>();
        for (Row r : rows) out.add(r.mkString("\t"));
        out.sort(null);
        return out;
    }
}
