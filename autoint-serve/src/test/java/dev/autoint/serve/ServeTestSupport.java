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
import dev.autoint.eval.Interactions;
import dev.autoint.eval.bundle.ModelBundle;
import dev.autoint.eval.movielens.MovieLensExperiment;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Random;

/** Tiny bundles trained in a test, an HTTP client for a server on 127.0.0.1, and checks of the JSON error form. */
final class ServeTestSupport {

    static final ObjectMapper JSON = new ObjectMapper();

    private ServeTestSupport() {
    }

    /** A small synthetic MovieLens experiment (seeds features): 120 users, 90 movies. */
    static MovieLensExperiment movieLens() {
        MovieLensData data = SyntheticMovieLens.builder().users(120).movies(90).ratingsPerUser(30).seed(5).generate();
        return MovieLensExperiment.prepare(data, FeaturePreset.SEEDS, SplitSpec.globalTemporal(0.8, 0.1));
    }

    /** An untrained (initialised) model of the experiment's fields; different seeds give different scores. */
    static AutoIntModel model(MovieLensExperiment x, long seed) {
        return AutoIntModel.create(AutoIntConfig.seedsAutoIntPlus().withSeed(seed), x.encoder().fieldSpecs());
    }

    /** A schema-trained bundle without users and items: rows are scored from their raw columns (site, price, tags). */
    static void writeColumnsBundle(Path work, Path dir) throws IOException {
        Schema schema = Schema.fromJson("""
                {"fields": [
                  {"name": "site", "kind": "CATEGORICAL", "columns": ["site"]},
                  {"name": "price", "kind": "NUMERIC", "columns": ["price"], "transform": "MIN_MAX"},
                  {"name": "tags", "kind": "MULTI_CATEGORICAL", "columns": ["tags"]}],
                 "labelColumn": "clicked", "labelRule": {"positiveAtLeast": 1, "negativeBelow": 1}}
                """);
        StringBuilder csv = new StringBuilder("site,price,tags,clicked\n");
        Random r = new Random(7);
        String[] sites = {"news", "shop", "blog", "mail"};
        String[] tags = {"x", "y", "z", "x|y", ""};
        for (int i = 0; i < 60; i++) {
            csv.append(sites[r.nextInt(sites.length)]).append(',').append(String.format(Locale.ROOT, "%.2f", 5 + 50 * r.nextDouble()))
                    .append(',').append(tags[r.nextInt(tags.length)]).append(',').append(r.nextInt(2)).append('\n');
        }
        Path f = work.resolve("columns.csv");
        Files.writeString(f, csv);
        RawTable t = DelimitedReader.read(f, schema, schema.format());
        TableEncoder enc = TableEncoder.fit(t);
        AutoIntModel m = AutoIntModel.create(AutoIntConfig.seedsAutoIntPlus().withSeed(11), enc.fieldSpecs());
        ModelBundle.builder(m, enc).write(dir);
    }

    /**
     * A schema-trained bundle with users and items whose columns are literally named "user" and "item", as
     * a click log often has them: rows can be {user, item, ...context} or the raw columns of a data row.
     */
    static void writeShopBundle(Path work, Path dir) throws IOException {
        Schema schema = Schema.fromJson("""
                {"fields": [
                  {"name": "user", "kind": "CATEGORICAL", "columns": ["user"]},
                  {"name": "item", "kind": "CATEGORICAL", "columns": ["item"]},
                  {"name": "tags", "kind": "MULTI_CATEGORICAL", "columns": ["tags"]},
                  {"name": "price", "kind": "NUMERIC", "columns": ["price"], "transform": "MIN_MAX"},
                  {"name": "hour", "kind": "NUMERIC", "columns": ["hour"], "transform": "MIN_MAX"}],
                 "labelColumn": "clicked", "labelRule": {"positiveAtLeast": 1, "negativeBelow": 1},
                 "timestampColumn": "ts", "userColumn": "user",
                 "items": {"keyField": "item", "fields": ["tags", "price"], "tagsField": "tags"}}
                """);
        Path f = work.resolve("shop.csv");
        Files.writeString(f, """
                ts,user,item,tags,price,hour,clicked
                100,u1,b,x|y,10,9,1
                200,u1,a,y,20,10,0
                300,u2,b,z,30,11,1
                400,u2,c,,40,12,0
                500,u1,a,y,25,13,1
                """);
        RawTable t = DelimitedReader.read(f, schema, schema.format());
        TableEncoder enc = TableEncoder.fit(t);
        AutoIntModel m = AutoIntModel.create(AutoIntConfig.seedsAutoIntPlus().withSeed(12), enc.fieldSpecs());
        Interactions train = Interactions.of(enc.userIds(t), enc.itemIds(t), t.labels(), t.timestamps());
        ModelBundle.builder(m, enc).trainInteractions(train, null).write(dir);
    }

    /** The version the server gives a bundle: the first 12 hex digits of the SHA-256 of its bundle.json. */
    static String sha256Prefix(Path manifest) throws IOException {
        return dev.autoint.core.internal.io.Digests.sha256(manifest).substring(0, 12);
    }

    // ------------------------------------------------------------------ HTTP

    static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    static HttpResponse<String> get(HttpClient c, int port, String pathAndQuery) throws IOException, InterruptedException {
        return c.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery)).timeout(Duration.ofSeconds(10)).GET()
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> send(HttpClient c, int port, String method, String pathAndQuery, String body)
            throws IOException, InterruptedException {
        HttpRequest.BodyPublisher p = body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body);
        return c.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").method(method, p).build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> r) throws IOException {
        return JSON.readTree(r.body());
    }

    /**
     * The documented error answer: the status, {"error": {"status", "kind", "field", "message"}} with the given
     * kind and field (null: no field), a JSON content type, and nothing of the implementation in the body.
     */
    static JsonNode assertError(HttpResponse<String> r, int status, String kind, String field) throws IOException {
        assertThat(r.statusCode()).as("status of %s: %s", r.request().uri(), r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).as("content type of %s", r.request().uri()).startsWith("application/json");
        assertNoInternals(r.body());
        JsonNode e = json(r).path("error");
        assertThat(e.path("status").asInt()).as("error.status of %s", r.body()).isEqualTo(status);
        assertThat(e.path("kind").asText()).as("error.kind of %s", r.body()).isEqualTo(kind);
        if (field == null) {
            assertThat(e.has("field")).as("error.field of %s", r.body()).isFalse();
        } else {
            assertThat(e.path("field").asText(null)).as("error.field of %s", r.body()).isEqualTo(field);
        }
        assertThat(e.path("message").asText()).as("error.message of %s", r.body()).isNotBlank();
        return e;
    }

    /** No stack trace, Java class or package name, or server internals in a body meant for clients. */
    static void assertNoInternals(String body) {
        assertThat(body).doesNotContain("Exception", "\tat ", "at dev.", "at java.", "java.lang", "java.io", "java.util",
                "dev.autoint", "org.eclipse", "io.javalin", "com.fasterxml", "jakarta.", ".java:", "Caused by");
    }

    // ------------------------------------------------------------------ raw sockets

    /** A raw connection to the server, for requests the JDK client would not send as written. */
    static Socket socket(int port, int timeoutMs) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        s.setSoTimeout(timeoutMs);
        return s;
    }

    /** Sends a request as raw bytes (Connection: close) and reads the whole response, bounded in time and size. */
    static RawResponse raw(int port, String request) throws IOException {
        try (Socket s = socket(port, 5_000)) {
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            byte[] b = new byte[8192];
            long deadline = System.nanoTime() + 5_000_000_000L;
            int n;
            while (buf.size() < 4 << 20 && System.nanoTime() < deadline && (n = in.read(b)) > 0) buf.write(b, 0, n);
            return RawResponse.parse(buf.toByteArray());
        }
    }

    /** A response read off a socket: status, head and the body (de-chunked when chunked). */
    record RawResponse(int status, String head, byte[] body) {

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        static RawResponse parse(byte[] all) {
            String text = new String(all, StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            if (!text.startsWith("HTTP/1.1 ") || end < 0) throw new AssertionError("not an HTTP/1.1 response: " + text);
            String head = text.substring(0, end);
            int status = Integer.parseInt(head.substring(9, 12));
            byte[] body = java.util.Arrays.copyOfRange(all, end + 4, all.length);
            if (head.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked")) body = dechunk(body);
            return new RawResponse(status, head, body);
        }

        private static byte[] dechunk(byte[] b) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int i = 0;
            while (i < b.length) {
                int eol = i;
                while (eol + 1 < b.length && !(b[eol] == '\r' && b[eol + 1] == '\n')) eol++;
                String size = new String(b, i, eol - i, StandardCharsets.ISO_8859_1).trim();
                int semi = size.indexOf(';');
                int len = Integer.parseInt(semi >= 0 ? size.substring(0, semi) : size, 16);
                if (len == 0) break;
                out.write(b, eol + 2, Math.min(len, b.length - eol - 2));
                i = eol + 2 + len + 2;
            }
            return out.toByteArray();
        }
    }
}
