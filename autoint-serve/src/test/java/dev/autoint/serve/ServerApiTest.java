package dev.autoint.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.autoint.core.model.AutoIntConfig;
import dev.autoint.core.model.AutoIntModel;
import dev.autoint.data.SplitSpec;
import dev.autoint.data.movielens.FeaturePreset;
import dev.autoint.data.movielens.MovieLensData;
import dev.autoint.data.movielens.SyntheticMovieLens;
import dev.autoint.data.table.DelimitedReader;
import dev.autoint.data.table.RawTable;
import dev.autoint.data.table.Schema;
import dev.autoint.data.table.TableEncoder;
import dev.autoint.eval.bundle.ModelBundle;
import dev.autoint.eval.movielens.MovieLensExperiment;
import dev.autoint.eval.recommend.Recommender;
import dev.autoint.eval.recommend.Recommender.Recommendation;
import dev.autoint.eval.recommend.Recommender.Rerank;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JSON API answers what the library computes: recommendations, scores, profiles, the evaluation. */
class ServerApiTest {

    @TempDir
    static Path dir;
    static AutoIntServer server;
    static ModelBundle movies;
    static ModelBundle table;
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        MovieLensData data = SyntheticMovieLens.builder().users(120).movies(90).ratingsPerUser(30).seed(5).generate();
        MovieLensExperiment x = MovieLensExperiment.prepare(data, FeaturePreset.SEEDS, SplitSpec.globalTemporal(0.8, 0.1));
        AutoIntModel model = AutoIntModel.create(AutoIntConfig.seedsAutoIntPlus().withSeed(3), x.encoder().fieldSpecs());
        x.bundle(model).write(dir.resolve("movies"));

        Path csv = dir.resolve("log.csv");
        StringBuilder sb = new StringBuilder("ts,user,item,tags,price,hour,clicked\n");
        java.util.Random rnd = new java.util.Random(1);
        for (int i = 0; i < 400; i++) {
            int item = rnd.nextInt(12);
            sb.append(1000 + i).append(",u").append(rnd.nextInt(20)).append(",it").append(item).append(',')
                    .append(item % 2 == 0 ? "sale|new" : "new").append(',').append(5 + item).append(',').append(rnd.nextInt(24))
                    .append(',').append(rnd.nextInt(2)).append('\n');
        }
        Files.writeString(csv, sb);
        Schema schema = Schema.fromJson("""
                {"fields": [
                  {"name": "user", "kind": "CATEGORICAL", "columns": ["user"]},
                  {"name": "item", "kind": "CATEGORICAL", "columns": ["item"]},
                  {"name": "tags", "kind": "MULTI_CATEGORICAL", "columns": ["tags"]},
                  {"name": "price", "kind": "NUMERIC", "columns": ["price"], "transform": "MIN_MAX"},
                  {"name": "hour", "kind": "CATEGORICAL", "columns": ["hour"]}],
                 "labelColumn": "clicked", "labelRule": {"positiveAtLeast": 1, "negativeBelow": 1},
                 "timestampColumn": "ts", "userColumn": "user",
                 "items": {"keyField": "item", "fields": ["tags", "price"], "tagsField": "tags"}}
                """);
        RawTable raw = DelimitedReader.read(csv, schema, schema.format());
        TableEncoder enc = TableEncoder.fit(raw);
        AutoIntModel tm = AutoIntModel.create(AutoIntConfig.seedsAutoIntPlus().withSeed(4), enc.fieldSpecs());
        ModelBundle.builder(tm, enc).trainInteractions(dev.autoint.eval.Interactions.of(enc.userIds(raw), enc.itemIds(raw), raw.labels(),
                raw.timestamps()), null).heldOut(enc.encode(raw), dev.autoint.eval.Interactions.of(enc.userIds(raw), enc.itemIds(raw),
                raw.labels(), raw.timestamps())).write(dir.resolve("shop"));

        Map<String, Path> bundles = new LinkedHashMap<>();
        bundles.put("movies", dir.resolve("movies"));
        bundles.put("shop", dir.resolve("shop"));
        server = AutoIntServer.start(ServeConfig.defaults().withPort(0), bundles);
        movies = ModelBundle.load(dir.resolve("movies"));
        table = ModelBundle.load(dir.resolve("shop"));
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    static JsonNode get(String path, int status) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(status);
        return JSON.readTree(r.body());
    }

    static JsonNode post(String path, String body, int status) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(status);
        return JSON.readTree(r.body());
    }

    @Test
    void recommendAnswersWhatTheLibraryRecommends() throws Exception {
        int user = movies.trainInteractions().user(0);
        JsonNode r = get("/v1/recommend?user=" + user + "&n=5&alpha=0.05&lambda=0.2&explain=false", 200);
        Map<String, String> ctx = movies.encoder().defaultContext();
        Recommender rec = Recommender.builder(movies.encoder().catalogue(), movies.trainInteractions(), movies.scorer(ctx, new ArrayList<>())).build();
        List<Recommendation> expected = rec.recommend(user, 5, new Rerank(0.05, 0.2, 0));
        assertThat(r.path("items")).hasSize(5);
        for (int i = 0; i < 5; i++) {
            assertThat(r.path("items").get(i).path("item").asInt()).isEqualTo(expected.get(i).item());
            assertThat(r.path("items").get(i).path("score").asDouble()).isEqualTo(expected.get(i).score());
            assertThat(r.path("items").get(i).path("adjustedScore").asDouble()).isEqualTo(expected.get(i).adjustedScore());
        }
        assertThat(r.path("context").path("year").asText()).isEqualTo(ctx.get("year"));
        JsonNode explained = get("/v1/recommend?user=" + user + "&n=2", 200);
        assertThat(explained.path("items").get(0).path("modelReasons").get(0).asText()).startsWith("attention:");
        JsonNode later = get("/v1/recommend?user=" + user + "&n=2&year=2030&month=1", 200);
        assertThat(later.path("warnings").get(0).asText()).contains("after the training period");
    }

    @Test
    void scoreAnswersThePredictorsProbabilities() throws Exception {
        int user = movies.trainInteractions().user(0);
        int[] items = movies.encoder().catalogue().itemIds();
        JsonNode r = post("/v1/score", "{\"rows\": [{\"user\": \"" + user + "\", \"item\": \"" + items[0] + "\"}, {\"user\": \"" + user
                + "\", \"item\": \"" + items[1] + "\", \"year\": \"2001\", \"month\": \"3\"}, {\"user\": \"" + user + "\", \"item\": \""
                + items[2] + "\"}]}", 200);
        float[] p = new float[3];
        movies.scorer(Map.of(), null).score(user, new int[] {items[0]}, p);
        float[] q = new float[1];
        movies.scorer(Map.of("year", "2001", "month", "3"), null).score(user, new int[] {items[1]}, q);
        float[] s = new float[1];
        movies.scorer(Map.of(), null).score(user, new int[] {items[2]}, s);
        assertThat(r.path("probabilities").get(0).floatValue()).isEqualTo(p[0]);
        assertThat(r.path("probabilities").get(1).floatValue()).isEqualTo(q[0]);
        assertThat(r.path("probabilities").get(2).floatValue()).isEqualTo(s[0]);

        // a table bundle scores raw columns
        JsonNode t = post("/v1/score?model=shop", "{\"rows\": [{\"ts\": 5000, \"user\": \"u3\", \"item\": \"it4\", \"tags\": \"sale|new\","
                + " \"price\": 9, \"hour\": \"7\"}, {\"ts\": 5001, \"user\": \"u3\", \"item\": \"it5\", \"tags\": null, \"price\": 10.5,"
                + " \"hour\": 8}]}", 200);
        TableEncoder enc = (TableEncoder) table.encoder();
        List<Map<String, Object>> rows = List.of(
                new LinkedHashMap<>(Map.of("ts", 5000, "user", "u3", "item", "it4", "tags", "sale|new", "price", 9, "hour", "7")),
                mapWithNull());
        float[] expected = table.predictor().predict(enc.encodeRows(rows));
        assertThat(t.path("probabilities").get(0).floatValue()).isEqualTo(expected[0]);
        assertThat(t.path("probabilities").get(1).floatValue()).isEqualTo(expected[1]);
        JsonNode bad = post("/v1/score?model=shop", "{\"rows\": [{\"ts\": 1, \"user\": \"u3\", \"item\": \"it4\", \"tags\": \"x\","
                + " \"price\": \"cheap\", \"hour\": 1}]}", 400);
        assertThat(bad.path("error").path("field").asText()).isEqualTo("rows[0].price");
        JsonNode unknown = post("/v1/score?model=shop", "{\"rows\": [{\"ts\": 1, \"user\": \"u3\", \"item\": \"it4\", \"tags\": \"x\","
                + " \"price\": 1, \"hour\": 1, \"colour\": \"red\"}]}", 400);
        assertThat(unknown.path("error").path("field").asText()).isEqualTo("rows[0].colour");
    }

    private static Map<String, Object> mapWithNull() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ts", 5001);
        m.put("user", "u3");
        m.put("item", "it5");
        m.put("tags", null);
        m.put("price", 10.5);
        m.put("hour", 8);
        return m;
    }

    @Test
    void modelsUsersProfilesAndEvaluation() throws Exception {
        JsonNode models = get("/v1/models", 200);
        assertThat(models.path("default").asText()).isEqualTo("movies");
        assertThat(models.path("models")).hasSize(2);
        assertThat(models.path("models").get(1).path("kind").asText()).isEqualTo("table");
        JsonNode users = get("/v1/users?model=shop&prefix=u1&limit=3", 200);
        assertThat(users.path("users")).hasSizeLessThanOrEqualTo(3);
        for (JsonNode u : users.path("users")) assertThat(u.asText()).startsWith("u1");
        JsonNode profile = get("/v1/users/u3?model=shop&history=4", 200);
        assertThat(profile.path("history")).hasSize(4);
        assertThat(profile.path("history").get(0).path("timestamp").asLong())
                .isGreaterThanOrEqualTo(profile.path("history").get(1).path("timestamp").asLong());
        JsonNode shopRec = get("/v1/recommend?model=shop&user=u3&n=3&set.hour=23", 200);
        int unrated = 12 - (int) java.util.stream.StreamSupport.stream(get("/v1/users/u3?model=shop&history=1000", 200).path("history")
                .spliterator(), false).map(h -> h.path("key").asText()).distinct().count();
        assertThat(shopRec.path("items")).hasSize(Math.min(3, unrated));
        if (unrated > 0) assertThat(shopRec.path("items").get(0).path("key").asText()).startsWith("it");
        JsonNode eval = get("/v1/metrics/eval", 200);
        assertThat(eval.path("heldOut").path("perUser").path("auc").size()).isGreaterThan(0);
        assertThat(eval.path("heldOut").path("metrics").path("ndcg@10").path("value").asDouble()).isBetween(0.0, 1.0);
        JsonNode cmp = get("/v1/compare?user=u3&models=shop,shop&n=3", 200);
        assertThat(cmp.path("overlap").asInt()).isEqualTo(Math.min(3, unrated));
        String metrics = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).contains("autoint_http_requests_total{route=\"/v1/recommend\",method=\"GET\",status=\"200\"}")
                .contains("autoint_model_info{model=\"movies\"");
    }
}
