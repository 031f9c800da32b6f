package dev.autoint.serve;

import static dev.autoint.serve.ServeTestSupport.assertError;
import static dev.autoint.serve.ServeTestSupport.assertNoInternals;
import static dev.autoint.serve.ServeTestSupport.get;
import static dev.autoint.serve.ServeTestSupport.json;
import static dev.autoint.serve.ServeTestSupport.raw;
import static dev.autoint.serve.ServeTestSupport.send;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.autoint.core.model.AutoIntModel;
import dev.autoint.eval.movielens.MovieLensExperiment;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service under hostile and faulty requests, against a server on a free loopback port with tiny bundles
 * trained here: every refusal is the documented JSON error (status, kind, the field at fault, no internals);
 * static files never leave the jar's public folder; slow and vanishing clients do not disturb others;
 * reloading a bundle under load fails no request; /metrics is valid Prometheus text.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ServerFaultTest {

    static final long MAX_BODY = 64 * 1024;
    static final int MAX_BATCH = 64;
    static final int MAX_N = 100;

    @TempDir
    static Path tmp;

    static MovieLensExperiment x;
    static AutoIntModel modelA, modelB;
    static Path liveDir;
    static AutoIntServer server;
    static int port;
    static HttpClient http;
    static String user; // a user with training history
    static String item; // an item of the catalogue

    @BeforeAll
    static void start() throws Exception {
        x = ServeTestSupport.movieLens();
        modelA = ServeTestSupport.model(x, 3);
        modelB = ServeTestSupport.model(x, 4);
        Path movies = tmp.resolve("movies"), other = tmp.resolve("other"), columns = tmp.resolve("columns"), shop = tmp.resolve("shop");
        liveDir = tmp.resolve("live");
        x.bundle(modelA).write(movies);
        x.bundle(modelB).write(other);
        x.bundle(modelA).write(liveDir);
        ServeTestSupport.writeColumnsBundle(tmp, columns);
        ServeTestSupport.writeShopBundle(tmp, shop);
        Map<String, Path> bundles = new LinkedHashMap<>();
        bundles.put("movies", movies);
        bundles.put("other", other);
        bundles.put("columns", columns);
        bundles.put("shop", shop);
        bundles.put("live", liveDir);
        server = AutoIntServer.start(ServeConfig.defaults().withPort(0).withLimits(MAX_BODY, MAX_BATCH, MAX_N), bundles);
        port = server.port();
        http = ServeTestSupport.client();
        user = json(get(http, port, "/v1/users?limit=1")).path("users").get(0).asText();
        item = json(get(http, port, "/v1/recommend?user=" + user + "&n=1")).path("items").get(0).path("key").asText();
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    // ------------------------------------------------------------------ unknown things

    @Test
    void unknownUsersItemsModelsAndPathsAre404sNamingTheField() throws Exception {
        assertError(get(http, port, "/v1/recommend?user=no-such-user"), 404, "not_found", "user");
        assertError(get(http, port, "/v1/users/no-such-user"), 404, "not_found", "user");
        assertError(get(http, port, "/v1/compare?user=no-such-user&models=movies,other"), 404, "not_found", "user");
        assertError(score("movies", "{\"rows\": [{\"user\": \"" + user + "\", \"item\": \"" + item + "\"}, {\"user\": \"nobody\", \"item\": \""
                + item + "\"}]}"), 404, "not_found", "rows[1].user");
        assertError(score("movies", "{\"rows\": [{\"user\": \"" + user + "\", \"item\": \"no-such-item\"}]}"), 404, "not_found", "rows[0].item");

        assertError(get(http, port, "/v1/recommend?user=" + user + "&model=nope"), 404, "not_found", "model");
        assertThat(get(http, port, "/v1/models?model=nope").statusCode()).isEqualTo(200); // lists every model
        assertError(get(http, port, "/v1/users?model=nope"), 404, "not_found", "model");
        assertError(get(http, port, "/v1/metrics/eval?model=nope"), 404, "not_found", "model");
        assertError(get(http, port, "/v1/compare?user=" + user + "&models=movies,nope"), 404, "not_found", "models");
        assertError(send(http, port, "POST", "/v1/admin/reload?model=nope", null), 404, "not_found", "model");
        assertError(score("nope", "{\"rows\": [{\"user\": \"" + user + "\", \"item\": \"" + item + "\"}]}"), 404, "not_found", "model");

        assertError(get(http, port, "/v1/nothing-here"), 404, "not_found", null);
        assertError(get(http, port, "/no-such-page.html"), 404, "not_found", null);
        assertError(get(http, port, "/v1/users/" + user + "/extra"), 404, "not_found", null);
    }

    @Test
    void recommendingFromAModelWithoutUsersIsABadRequestNamingTheModel() throws Exception {
        assertError(get(http, port, "/v1/recommend?user=1&model=columns"), 400, "bad_request", "model");
        assertError(score("columns", "{\"rows\": [{\"user\": \"1\", \"item\": \"2\"}]}"), 400, "bad_request", "rows[0]");
    }

    // ------------------------------------------------------------------ parameters

    @Test
    void nanInfinityAndOutOfRangeParametersAre400sNamingTheParameter() throws Exception {
        String rec = "/v1/recommend?user=" + user;
        for (String v : new String[] {"NaN", "Infinity", "-Infinity", "abc", "1e999", "0x10", ""}) {
            if (v.isEmpty()) continue; // empty means the default
            assertError(get(http, port, rec + "&alpha=" + v), 400, "bad_request", "alpha");
            assertError(get(http, port, rec + "&lambda=" + v), 400, "bad_request", "lambda");
            assertError(get(http, port, "/v1/compare?user=" + user + "&alpha=" + v), 400, "bad_request", "alpha");
        }
        assertError(get(http, port, rec + "&alpha=-0.1"), 400, "bad_request", "alpha");
        assertError(get(http, port, rec + "&lambda=1.5"), 400, "bad_request", "lambda");
        assertError(get(http, port, rec + "&lambda=-1"), 400, "bad_request", "lambda");
        for (String n : new String[] {"0", "-1", String.valueOf(MAX_N + 1), "99999999999999999999", "ten", "1.5", "NaN"}) {
            assertError(get(http, port, rec + "&n=" + n), 400, "bad_request", "n");
            assertError(get(http, port, "/v1/compare?user=" + user + "&n=" + n), 400, "bad_request", "n");
        }
        assertThat(get(http, port, rec + "&n=" + MAX_N).statusCode()).isEqualTo(200);
        assertError(get(http, port, "/v1/users?limit=0"), 400, "bad_request", "limit");
        assertError(get(http, port, "/v1/users?limit=1001"), 400, "bad_request", "limit");
        assertError(get(http, port, "/v1/users/" + user + "?history=-1"), 400, "bad_request", "history");
        assertError(get(http, port, "/v1/users/" + user + "?history=NaN"), 400, "bad_request", "history");
        // the context: year and month are checked, and a MovieLens model has no other context key
        assertError(get(http, port, rec + "&year=NaN"), 400, "bad_request", "year");
        assertError(get(http, port, rec + "&year=0"), 400, "bad_request", "year");
        assertError(get(http, port, rec + "&month=13"), 400, "bad_request", "month");
        assertError(get(http, port, rec + "&month=Infinity"), 400, "bad_request", "month");
        assertError(get(http, port, rec + "&set.colour=red"), 400, "bad_request", "set.colour");
        assertError(get(http, port, "/v1/compare?user=" + user + "&models=movies"), 400, "bad_request", "models");
        assertError(get(http, port, "/v1/compare?user=" + user + "&models=movies,other,live"), 400, "bad_request", "models");
        assertError(get(http, port, "/v1/recommend"), 400, "bad_request", "user");
    }

    // ------------------------------------------------------------------ score bodies

    @Test
    void badJsonIsA400NamingTheBody() throws Exception {
        for (String body : new String[] {"{\"rows\": [", "rows", "{\"rows\": [{\"user\": 1,}]}", "{'rows': []}",
                "{\"rows\": [{\"user\": \"1\", \"user\": \"2\", \"item\": \"3\"}]}", "{\"rows\": [{\"user\": NaN, \"item\": \"3\"}]}",
                "{\"rows\": [{\"user\": \"" + "1" + "\", \"item\": \"2\", \"year\": NaN}]}", "{\"rows\": [{\"user\": \"1\", \"item\": Infinity}]}",
                "\u0000\u0001"}) {
            assertError(score("movies", body), 400, "bad_request", "body");
        }
        for (String body : new String[] {"", "[]", "null", "42", "{}", "{\"rows\": {}}", "{\"rows\": \"x\"}", "{\"row\": []}", "{\"rows\": []}"}) {
            assertError(score("movies", body), 400, "bad_request", "rows");
        }
    }

    @Test
    void wrongFieldNamesAndTypesInUserItemRowsAre400sNamingRowAndField() throws Exception {
        String ok = "{\"user\": \"" + user + "\", \"item\": \"" + item + "\"}";
        assertError(score("movies", rows(ok, "{\"user\": \"" + user + "\", \"itm\": \"" + item + "\"}")), 400, "bad_request", "rows[1].item");
        assertError(score("movies", rows(ok, "{\"usr\": \"" + user + "\", \"item\": \"" + item + "\"}")), 400, "bad_request", "rows[1].user");
        assertError(score("movies", rows(ok, "[\"" + user + "\", \"" + item + "\"]")), 400, "bad_request", "rows[1]");
        assertError(score("movies", rows(ok, "\"" + user + "\"")), 400, "bad_request", "rows[1]");
        assertError(score("movies", rows("{\"user\": {\"id\": 1}, \"item\": \"" + item + "\"}")), 400, "bad_request", "rows[0].user");
        assertError(score("movies", rows("{\"user\": true, \"item\": \"" + item + "\"}")), 400, "bad_request", "rows[0].user");
        assertError(score("movies", rows(ok, "{\"user\": \"" + user + "\", \"item\": [1, 2]}")), 400, "bad_request", "rows[1].item");
        assertError(score("movies", rows(ok, "{\"user\": \"" + user + "\", \"item\": null}")), 400, "bad_request", "rows[1].item");
        // context keys: unknown ones, wrong types, NaN and out-of-range values name the row and the key
        assertError(score("movies", rows(ok, "{\"user\": \"" + user + "\", \"item\": \"" + item + "\", \"colour\": \"red\"}")), 400,
                "bad_request", "rows[1].colour");
        assertError(score("movies", rows("{\"user\": \"" + user + "\", \"item\": \"" + item + "\", \"year\": \"NaN\"}")), 400,
                "bad_request", "rows[0].year");
        assertError(score("movies", rows("{\"user\": \"" + user + "\", \"item\": \"" + item + "\", \"month\": \"Infinity\"}")), 400,
                "bad_request", "rows[0].month");
        assertError(score("movies", rows("{\"user\": \"" + user + "\", \"item\": \"" + item + "\", \"month\": 13}")), 400,
                "bad_request", "rows[0].month");
        assertError(score("movies", rows("{\"user\": \"" + user + "\", \"item\": \"" + item + "\", \"year\": [2000]}")), 400,
                "bad_request", "rows[0].year");
        assertError(score("movies", rows("{\"user\": \"" + user + "\", \"item\": \"" + item + "\", \"year\": 2000.5}")), 400,
                "bad_request", "rows[0].year");
        // and good rows score
        HttpResponse<String> r = score("movies", rows(ok, "{\"user\": \"" + user + "\", \"item\": \"" + item + "\", \"year\": 2000, \"month\": \"2\"}"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(json(r).path("probabilities")).hasSize(2);
    }

    @Test
    void rawColumnRowsNameTheColumnAtFaultIncludingNaNAndInfinityAsStrings() throws Exception {
        String ok = "{\"site\": \"news\", \"price\": 12.5, \"tags\": \"x|y\"}";
        HttpResponse<String> good = score("columns", rows(ok, "{\"site\": \"unseen\", \"price\": \"20\", \"tags\": null}"));
        assertThat(good.statusCode()).as(good.body()).isEqualTo(200);
        assertThat(json(good).path("probabilities")).hasSize(2);
        for (String v : new String[] {"\"NaN\"", "\"Infinity\"", "\"-Infinity\"", "\"abc\"", "\"1e999\"", "true", "{}", "[1]"}) {
            assertError(score("columns", rows(ok, "{\"site\": \"news\", \"price\": " + v + ", \"tags\": \"x\"}")), 400, "bad_request", "rows[1].price");
        }
        assertError(score("columns", rows("{\"site\": \"news\", \"price\": NaN, \"tags\": \"x\"}")), 400, "bad_request", "body");
        assertError(score("columns", rows(ok, "{\"site\": \"news\", \"tags\": \"x\"}")), 400, "bad_request", "rows[1].price");
        assertError(score("columns", rows(ok, "{\"site\": \"news\", \"price\": 1, \"tags\": \"x\", \"colour\": \"red\"}")), 400, "bad_request",
                "rows[1].colour");
        assertError(score("columns", rows(ok, "{\"site\": \"news\", \"prize\": 1, \"tags\": \"x\"}")), 400, "bad_request", "rows[1].prize");
    }

    @Test
    void aSchemaBundleWithUserAndItemColumnsScoresBothRowForms() throws Exception {
        // {user, item, ...context}: the user's latest row in the given context
        HttpResponse<String> ui = score("shop", rows("{\"user\": \"u1\", \"item\": \"a\", \"hour\": 12}", "{\"user\": \"u2\", \"item\": \"c\"}"));
        assertThat(ui.statusCode()).as(ui.body()).isEqualTo(200);
        assertThat(json(ui).path("probabilities")).hasSize(2);
        assertError(score("shop", rows("{\"user\": \"u1\", \"item\": \"a\", \"price\": 5}")), 400, "bad_request", "rows[0].price");
        // the raw columns of a data row, which also have "user" and "item"
        HttpResponse<String> cols = score("shop", rows("{\"ts\": 600, \"user\": \"u1\", \"item\": \"a\", \"tags\": \"y\", \"price\": 20, \"hour\": 11}"));
        assertThat(cols.statusCode()).as(cols.body()).isEqualTo(200);
        assertThat(json(cols).path("probabilities")).hasSize(1);
        assertError(score("shop", rows("{\"ts\": 600, \"user\": \"u1\", \"item\": \"a\", \"tags\": \"y\", \"price\": \"NaN\", \"hour\": 11}")), 400,
                "bad_request", "rows[0].price");
    }

    // ------------------------------------------------------------------ limits

    @Test
    void oversizedBodiesAndBatchesAre413s() throws Exception {
        String one = "{\"user\": \"" + user + "\", \"item\": \"" + item + "\"}";
        List<String> many = new ArrayList<>();
        for (int i = 0; i <= MAX_BATCH; i++) many.add(one);
        assertError(score("movies", rows(many.toArray(new String[0]))), 413, "too_large", "rows");
        many.remove(0);
        assertThat(score("movies", rows(many.toArray(new String[0]))).statusCode()).isEqualTo(200);

        // a body over the limit, with its length declared
        String pad = " ".repeat((int) MAX_BODY);
        assertError(score("movies", "{\"rows\": [" + one + "]" + pad + "}"), 413, "too_large", "body");
        // and chunked, without a declared length
        StringBuilder chunked = new StringBuilder("POST /v1/score HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
        String head = "{\"rows\": [" + one + "]";
        chunked.append(Integer.toHexString(head.length())).append("\r\n").append(head).append("\r\n");
        for (int i = 0; i < 20; i++) chunked.append(Integer.toHexString(8192)).append("\r\n").append(" ".repeat(8192)).append("\r\n");
        chunked.append("1\r\n}\r\n0\r\n\r\n");
        ServeTestSupport.RawResponse r = raw(port, chunked.toString());
        assertThat(r.status()).as(r.head()).isEqualTo(413);
        JsonNode e = ServeTestSupport.JSON.readTree(r.body()).path("error");
        assertThat(e.path("kind").asText()).isEqualTo("too_large");
        assertNoInternals(r.bodyText());
        // the server still answers
        assertThat(get(http, port, "/healthz").statusCode()).isEqualTo(200);
    }

    @Test
    void wrongMethodsAre405s() throws Exception {
        assertError(send(http, port, "POST", "/v1/recommend?user=" + user, "{}"), 405, "method_not_allowed", null);
        assertError(send(http, port, "DELETE", "/v1/models", null), 405, "method_not_allowed", null);
        assertError(send(http, port, "PUT", "/v1/score", "{}"), 405, "method_not_allowed", null);
        assertError(get(http, port, "/v1/score"), 405, "method_not_allowed", null);
        assertError(get(http, port, "/v1/admin/reload"), 405, "method_not_allowed", null);
        assertError(send(http, port, "PATCH", "/healthz", "{}"), 405, "method_not_allowed", null);
    }

    // ------------------------------------------------------------------ static files

    @Test
    void pathTraversalNeverLeavesThePublicFolder() throws Exception {
        ServeTestSupport.RawResponse index = raw(port, request("/"));
        assertThat(index.status()).isEqualTo(200);
        assertThat(index.bodyText()).containsIgnoringCase("<html");
        // what lies beside public/ on the classpath and on disk
        String[] targets = {"dev/autoint/serve/AutoIntServer.class", "logback.xml", "META-INF/MANIFEST.MF", "etc/passwd",
                "pom.xml", "bundle.json"};
        String[] forms = {"/../%s", "/../../../../../../../../%s", "/%%2e%%2e/%s", "/%%2e%%2e/%%2e%%2e/%%2e%%2e/%%2e%%2e/%s",
                "/public/../../%s", "/public/../%s", "/public/%%2e%%2e/%s", "/..%%2f..%%2f..%%2f%s", "/%%2e%%2e%%2f%s",
                "/..%%5c..%%5c..%%5c%s", "/%%5c..%%5c..%%5c%s", "/..\\..\\%s", "/index.html/../../%s", "/..;/%s",
                "/%%252e%%252e/%s", "/%%c0%%ae%%c0%%ae/%s", "/.%%2e/%s", "//%s", "/./../%s", "/%%2e%%2e%%5c%s", "/public/%s"};
        int checked = 0;
        for (String t : targets) {
            for (String f : forms) {
                String path = String.format(f, t);
                ServeTestSupport.RawResponse r = raw(port, request(path));
                assertThat(r.status()).as("GET %s: %s", path, r.head()).isBetween(400, 499);
                String body = r.bodyText();
                assertThat(body).as("GET %s", path).doesNotContain("root:x:0", "<project", "Manifest-Version", "autoint-java bundle")
                        .doesNotContain("\u00ca\u00fe\u00ba\u00be");
                assertThat(r.body().length < 4 || !(r.body()[0] == (byte) 0xCA && r.body()[1] == (byte) 0xFE)).as("class file at %s", path).isTrue();
                assertNoInternals(body);
                assertThat(r.head().toLowerCase(java.util.Locale.ROOT)).as("GET %s", path).contains("content-type: application/json");
                checked++;
            }
        }
        // the classpath root itself (compiled classes live beside public/)
        for (String path : new String[] {"/dev/autoint/serve/AutoIntServer.class", "/META-INF/MANIFEST.MF"}) {
            ServeTestSupport.RawResponse r = raw(port, request(path));
            assertThat(r.status()).as("GET %s", path).isEqualTo(404);
        }
        assertThat(checked).isEqualTo(targets.length * forms.length);
        assertThat(get(http, port, "/healthz").statusCode()).isEqualTo(200);
    }

    private static String request(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    }

    // ------------------------------------------------------------------ hostile clients

    @Test
    void slowAndVanishingClientsDoNotDisturbOthers() throws Exception {
        String goodPath = "/v1/recommend?user=" + user + "&n=5&alpha=0.05&lambda=0.2";
        JsonNode expected = json(get(http, port, goodPath)).path("items");
        assertThat(expected).hasSize(5);
        double internalBefore = metric(metrics(), "autoint_errors_total{kind=\"internal\"}");

        AtomicBoolean stop = new AtomicBoolean();
        List<String> failures = new CopyOnWriteArrayList<>();
        AtomicInteger good = new AtomicInteger();
        int whileStalled;
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> goodClient = pool.submit(() -> {
                HttpClient c = ServeTestSupport.client();
                long deadline = System.nanoTime() + 25_000_000_000L;
                for (int i = 0; i < 2_000 && !stop.get() && System.nanoTime() < deadline; i++) {
                    try {
                        HttpResponse<String> r = get(c, port, goodPath);
                        if (r.statusCode() != 200) failures.add(r.statusCode() + " " + r.body());
                        else if (!keys(json(r).path("items")).equals(keys(expected))) failures.add("other items: " + r.body());
                        else good.incrementAndGet();
                    } catch (Exception e) {
                        failures.add(e.toString());
                    }
                }
                return null;
            });

            // slow clients, more of them than the server has request threads: headers and half a body, then nothing
            String body = rows("{\"user\": \"" + user + "\", \"item\": \"" + item + "\"}");
            List<Socket> slow = new ArrayList<>();
            for (int i = 0; i < ServeConfig.defaults().threads() + 8; i++) {
                Socket s = ServeTestSupport.socket(port, 5_000);
                OutputStream out = s.getOutputStream();
                out.write(("POST /v1/score HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: " + body.length()
                        + "\r\n\r\n" + body.substring(0, body.length() / 2)).getBytes(StandardCharsets.UTF_8));
                out.flush();
                slow.add(s);
            }
            // and one that never finishes its headers
            Socket halfHead = ServeTestSupport.socket(port, 5_000);
            halfHead.getOutputStream().write("GET /v1/models HTTP/1.1\r\nHost: 127".getBytes(StandardCharsets.US_ASCII));
            slow.add(halfHead);

            // vanishing clients: ask for a large answer, read a few bytes, hang up
            String[] large = {"/v1/compare?user=" + user + "&models=movies,other&n=" + MAX_N, "/v1/metrics/eval?model=movies",
                    "/v1/recommend?user=" + user + "&n=" + MAX_N, "/v1/users/" + user + "?history=1000"};
            for (int round = 0; round < 3; round++) {
                for (String path : large) {
                    Socket s = new Socket();
                    s.setReceiveBufferSize(1024);
                    s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 5_000);
                    s.setSoTimeout(5_000);
                    s.getOutputStream().write(request(path).getBytes(StandardCharsets.US_ASCII));
                    s.getOutputStream().flush();
                    InputStream in = s.getInputStream();
                    byte[] few = new byte[64];
                    int n = in.read(few);
                    assertThat(n).isPositive();
                    assertThat(new String(few, 0, n, StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 200");
                    if (round == 2) s.setSoLinger(true, 0); // the last round resets the connection instead of closing it
                    s.close();
                }
            }
            // keep the slow clients stalled while good requests go on
            int atStall = good.get();
            long until = System.nanoTime() + 8_000_000_000L;
            while (good.get() < atStall + 20 && System.nanoTime() < until && failures.isEmpty()) Thread.sleep(20);
            whileStalled = good.get() - atStall;
            for (Socket s : slow) s.close();
            int atClose = good.get();
            until = System.nanoTime() + 8_000_000_000L;
            while (good.get() < atClose + 20 && System.nanoTime() < until && failures.isEmpty()) Thread.sleep(20);
            stop.set(true);
            goodClient.get(20, TimeUnit.SECONDS);
        } finally {
            stop.set(true);
            pool.shutdownNow();
        }
        assertThat(failures).isEmpty();
        assertThat(whileStalled).as("good answers while the slow clients held their connections").isGreaterThanOrEqualTo(20);
        assertThat(good.get()).isGreaterThanOrEqualTo(40);
        // hang-ups are the client's doing: nothing is logged or counted as an internal error
        assertThat(metric(metrics(), "autoint_errors_total{kind=\"internal\"}")).isEqualTo(internalBefore);
        assertThat(get(http, port, goodPath).statusCode()).isEqualTo(200);
    }

    // ------------------------------------------------------------------ reload

    @Test
    void reloadUnderLoadFailsNoRequestAndEndsOnTheNewVersion() throws Exception {
        String recPath = "/v1/recommend?model=live&user=" + user + "&n=5&alpha=0.05&lambda=0.2";
        String scoreBody = rows("{\"user\": \"" + user + "\", \"item\": \"" + item + "\"}");
        Map<String, String> letter = new ConcurrentHashMap<>(); // version -> "A" or "B"
        String v0 = json(get(http, port, recPath)).path("version").asText();
        letter.put(v0, "A");
        Map<String, List<String>> itemsByLetter = new ConcurrentHashMap<>();
        Map<String, Double> probByLetter = new ConcurrentHashMap<>();
        List<String> failures = new CopyOnWriteArrayList<>();
        AtomicInteger done = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        long[] lastReload = {Long.MAX_VALUE};
        String[] lastVersion = {null};
        List<String[]> late = new CopyOnWriteArrayList<>(); // versions of requests sent after the last reload answered

        int clients = 4;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < clients; t++) {
            boolean scoring = t % 2 == 1;
            futures.add(pool.submit(() -> {
                HttpClient c = ServeTestSupport.client();
                long deadline = System.nanoTime() + 25_000_000_000L;
                for (int i = 0; i < 5_000 && !stop.get() && System.nanoTime() < deadline; i++) {
                    long sent = System.nanoTime();
                    try {
                        HttpResponse<String> r = scoring ? score("live", scoreBody, c) : get(c, port, recPath);
                        if (r.statusCode() != 200) {
                            failures.add(r.statusCode() + " " + r.body());
                            continue;
                        }
                        JsonNode j = json(r);
                        String v = j.path("version").asText();
                        if (sent > lastReload[0]) late.add(new String[] {v});
                        String l = letter.get(v);
                        if (l == null) {
                            failures.add("unknown version " + v + " (known " + letter.keySet() + ")");
                            continue;
                        }
                        if (scoring) {
                            double p = j.path("probabilities").get(0).asDouble();
                            Double ref = probByLetter.putIfAbsent(l, p);
                            if (ref != null && Math.abs(ref - p) > 1e-6) failures.add("model " + l + " scored " + p + " and " + ref);
                        } else {
                            List<String> k = keys(j.path("items"));
                            List<String> ref = itemsByLetter.putIfAbsent(l, k);
                            if (ref != null && !ref.equals(k)) failures.add("model " + l + " recommended " + k + " and " + ref);
                        }
                        done.incrementAndGet();
                    } catch (Exception e) {
                        failures.add(e.toString());
                    }
                }
                return null;
            }));
        }
        try {
            AutoIntModel[] next = {modelB, modelA, modelB};
            String[] names = {"B", "A", "B"};
            for (int k = 0; k < next.length; k++) {
                int before = done.get();
                await(() -> done.get() >= before + 12 || !failures.isEmpty(), 5_000); // requests on the old version first
                x.bundle(next[k]).write(liveDir);
                // the new version is known before the swap, so no response can carry a version not yet announced
                String version = ServeTestSupport.sha256Prefix(liveDir.resolve("bundle.json"));
                letter.putIfAbsent(version, names[k]);
                HttpResponse<String> r = send(http, port, "POST", "/v1/admin/reload?model=live", null);
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                assertThat(json(r).path("version").asText()).isEqualTo(version);
                lastVersion[0] = version;
            }
            lastReload[0] = System.nanoTime();
            await(() -> late.size() >= 12 || !failures.isEmpty(), 5_000);
            stop.set(true);
            for (Future<?> f : futures) f.get(20, TimeUnit.SECONDS);
        } finally {
            stop.set(true);
            pool.shutdownNow();
        }
        assertThat(failures).isEmpty();
        assertThat(done.get()).isGreaterThanOrEqualTo(4 * 12);
        assertThat(itemsByLetter).containsKeys("A", "B");
        assertThat(probByLetter).containsKeys("A", "B");
        assertThat(probByLetter.get("A")).isNotCloseTo(probByLetter.get("B"), org.assertj.core.data.Offset.offset(1e-6));
        assertThat(late).isNotEmpty().allSatisfy(v -> assertThat(v[0]).isEqualTo(lastVersion[0]));
        assertThat(json(get(http, port, "/readyz")).path("models").path("live").asText()).isEqualTo(lastVersion[0]);
        assertThat(json(get(http, port, recPath)).path("version").asText()).isEqualTo(lastVersion[0]);
    }

    @Test
    void aFailedReloadKeepsServingTheOldVersion() throws Exception {
        Path broken = tmp.resolve("movies").resolve("stray.txt");
        String before = json(get(http, port, "/readyz")).path("models").path("movies").asText();
        java.nio.file.Files.writeString(broken, "not part of the bundle");
        try {
            HttpResponse<String> r = send(http, port, "POST", "/v1/admin/reload?model=movies", null);
            assertError(r, 409, "reload_failed", "model");
        } finally {
            java.nio.file.Files.delete(broken);
        }
        assertThat(json(get(http, port, "/readyz")).path("models").path("movies").asText()).isEqualTo(before);
        assertThat(get(http, port, "/v1/recommend?user=" + user).statusCode()).isEqualTo(200);
    }

    // ------------------------------------------------------------------ operational endpoints

    @Test
    void healthReadinessAndPrometheusMetricsCountRequestsAndErrorsByKind() throws Exception {
        HttpResponse<String> h = get(http, port, "/healthz");
        assertThat(h.statusCode()).isEqualTo(200);
        assertThat(json(h).path("status").asText()).isEqualTo("ok");
        HttpResponse<String> ready = get(http, port, "/readyz");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(json(ready).path("status").asText()).isEqualTo("ready");
        assertThat(json(ready).path("models").size()).isEqualTo(5);

        Map<String, Double> before = parsePrometheus(metrics());
        for (int i = 0; i < 3; i++) get(http, port, "/v1/recommend?user=no-such-user");
        for (int i = 0; i < 2; i++) get(http, port, "/v1/recommend?user=" + user + "&alpha=NaN");
        get(http, port, "/v1/score");
        for (int i = 0; i < 4; i++) get(http, port, "/v1/recommend?user=" + user + "&n=3");
        List<String> many = new ArrayList<>();
        for (int i = 0; i <= MAX_BATCH; i++) many.add("{\"user\": \"" + user + "\", \"item\": \"" + item + "\"}");
        score("movies", rows(many.toArray(new String[0])));

        String rec = "autoint_http_requests_total{route=\"/v1/recommend\",method=\"GET\",status=\"%d\"}";
        Map<String, Double> after = null;
        long deadline = System.nanoTime() + 3_000_000_000L; // the request log may be written just after the answer
        while (System.nanoTime() < deadline) {
            after = parsePrometheus(metrics());
            if (delta(before, after, String.format(rec, 200)) >= 4 && delta(before, after, String.format(rec, 404)) >= 3) break;
            Thread.sleep(20);
        }
        assertThat(delta(before, after, String.format(rec, 404))).isEqualTo(3);
        assertThat(delta(before, after, String.format(rec, 400))).isEqualTo(2);
        assertThat(delta(before, after, String.format(rec, 200))).isEqualTo(4);
        assertThat(delta(before, after, "autoint_errors_total{kind=\"not_found\"}")).isEqualTo(3);
        assertThat(delta(before, after, "autoint_errors_total{kind=\"bad_request\"}")).isEqualTo(2);
        assertThat(delta(before, after, "autoint_errors_total{kind=\"method_not_allowed\"}")).isEqualTo(1);
        assertThat(delta(before, after, "autoint_errors_total{kind=\"too_large\"}")).isEqualTo(1);
        assertThat(delta(before, after, "autoint_http_request_duration_seconds_count{route=\"/v1/recommend\"}")).isEqualTo(9);
        assertThat(after).containsKey("autoint_model_info{model=\"movies\",version=\""
                + json(get(http, port, "/readyz")).path("models").path("movies").asText() + "\"}");
        assertThat(after.get("autoint_jvm_heap_used_bytes")).isPositive();
    }

    static final Pattern SAMPLE = Pattern.compile(
            "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\[\\\\\"n])*\"(?:,[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\[\\\\\"n])*\")*\\})? "
                    + "(-?[0-9]+(?:\\.[0-9]+)?(?:[eE][+-]?[0-9]+)?|NaN|[+-]Inf)");
    static final Pattern LE = Pattern.compile("le=\"([^\"]+)\"");

    /**
     * Parses the text exposition format strictly (HELP and TYPE before a family's samples, each family once,
     * a histogram's buckets cumulative and ending in +Inf = _count) into sample → value.
     */
    static Map<String, Double> parsePrometheus(String text) {
        assertThat(text).endsWith("\n");
        Map<String, Double> out = new TreeMap<>();
        Map<String, String> types = new LinkedHashMap<>();
        Set<String> helped = new java.util.HashSet<>();
        Map<String, Double> lastBucket = new LinkedHashMap<>(); // series without le -> last cumulative count
        for (String line : text.split("\n")) {
            if (line.startsWith("# HELP ")) {
                String[] p = line.split(" ", 4);
                assertThat(helped.add(p[2])).as("one HELP for %s", p[2]).isTrue();
                continue;
            }
            if (line.startsWith("# TYPE ")) {
                String[] p = line.split(" ");
                assertThat(p).as(line).hasSize(4);
                assertThat(p[3]).isIn("counter", "gauge", "histogram", "summary", "untyped");
                assertThat(types.put(p[2], p[3])).as("one TYPE for %s", p[2]).isNull();
                continue;
            }
            assertThat(line).as("no blank or other comment lines").isNotBlank().doesNotStartWith("#");
            Matcher m = SAMPLE.matcher(line);
            assertThat(m.matches()).as("sample line: %s", line).isTrue();
            String name = m.group(1);
            String family = name.replaceAll("_(bucket|sum|count)$", "");
            String type = types.containsKey(name) ? types.get(name) : types.get(family);
            assertThat(type).as("TYPE declared before %s", line).isNotNull();
            String key = line.substring(0, line.lastIndexOf(' '));
            assertThat(out.put(key, Double.parseDouble(m.group(3).replace("Inf", "Infinity")))).as("one sample %s", key).isNull();
            if (name.endsWith("_bucket")) {
                Matcher le = LE.matcher(key);
                assertThat(le.find()).as(line).isTrue();
                String series = key.replaceAll(",?le=\"[^\"]+\"", "");
                double v = out.get(key);
                Double prev = lastBucket.put(series, v);
                if (prev != null) assertThat(v).as("cumulative %s", line).isGreaterThanOrEqualTo(prev);
            }
        }
        for (Map.Entry<String, Double> e : out.entrySet()) {
            if (e.getKey().startsWith("autoint_http_request_duration_seconds_count")) {
                String inf = e.getKey().replace("_count{", "_bucket{").replace("\"}", "\",le=\"+Inf\"}");
                assertThat(out.get(inf)).as(inf).isEqualTo(e.getValue());
            }
        }
        assertThat(types).containsEntry("autoint_http_requests_total", "counter").containsEntry("autoint_errors_total", "counter")
                .containsEntry("autoint_http_request_duration_seconds", "histogram").containsEntry("autoint_model_info", "gauge");
        return out;
    }

    // ------------------------------------------------------------------ helpers

    /** Waits until the condition holds or the time is up (the caller's assertions tell which). */
    private static void await(java.util.function.BooleanSupplier condition, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) Thread.sleep(10);
    }

    private static String metrics() throws Exception {
        HttpResponse<String> r = get(http, port, "/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        return r.body();
    }

    private static double metric(String text, String key) {
        return parsePrometheus(text).getOrDefault(key, 0.0);
    }

    private static double delta(Map<String, Double> a, Map<String, Double> b, String key) {
        return b.getOrDefault(key, 0.0) - a.getOrDefault(key, 0.0);
    }

    private static List<String> keys(JsonNode items) {
        List<String> k = new ArrayList<>();
        for (JsonNode it : items) k.add(it.path("key").asText());
        return k;
    }

    private static String rows(String... rows) {
        return "{\"rows\": [" + String.join(", ", rows) + "]}";
    }

    private static HttpResponse<String> score(String model, String body) throws Exception {
        return score(model, body, http);
    }

    private static HttpResponse<String> score(String model, String body, HttpClient c) throws Exception {
        return send(c, port, "POST", "/v1/score?model=" + model, body);
    }
}
