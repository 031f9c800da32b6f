package dev.autoint.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.autoint.core.internal.kernel.KernelProvider;
import dev.autoint.data.Catalogue;
import dev.autoint.data.FeatureEncoder;
import dev.autoint.data.movielens.MovieLensEncoder;
import dev.autoint.eval.bundle.ModelBundle;
import dev.autoint.eval.recommend.Recommender;
import dev.autoint.eval.recommend.Recommender.Recommendation;
import dev.autoint.eval.recommend.Recommender.Rerank;
import dev.autoint.serve.AutoIntServer;
import dev.autoint.serve.ServeConfig;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Load test of the HTTP service ({@code autoint-serve}) over one bundle, in one JVM: the server on a free
 * port of 127.0.0.1, and concurrent clients ({@link HttpClient}, HTTP/1.1 with keep-alive, one client and
 * one connection per worker thread) sending
 *
 * <ul>
 *   <li>{@code GET /v1/recommend?user=U&n=10&alpha=0.05&lambda=0.2} (explanations on) for the first 1,000
 *       users with history ({@code GET /v1/users?limit=1000}), round robin;</li>
 *   <li>{@code POST /v1/score} with 256 {@code {"user", "item"}} rows a request (those users × random
 *       catalogue items, fixed seed);</li>
 * </ul>
 *
 * at 1, 2, 8 and 64 clients: throughput, p50 / p99 / p99.9 latency, errors, heap in use after the run
 * (after {@code System.gc()}). In the same run the same recommendations are computed in-process, without
 * HTTP and JSON (the bundle, the recommender and per request its scorer and attention explanations, exactly
 * as the server builds them) at 1, 2 and 8 threads, and the ratio HTTP / in-process is printed. The target
 * comparison (HTTP at 8 clients against in-process at as many threads as cores) is measured again in
 * alternating pairs of cells, and judged on the median ratio, so that drift of a shared machine's speed
 * touches both sides alike. Every cell is bounded in requests and in time.
 *
 * <pre>{@code
 * java --add-modules jdk.incubator.vector -Xmx2g -cp autoint-bench/target/benchmarks.jar \
 *     dev.autoint.bench.ServeLoadBenchmark BUNDLE_DIR [--requests 2000] [--score-requests 2000] [--seconds 30]
 *     [--clients 1,2,8,64] [--threads 1,2,8] [--warmup 400] [--pairs 3] [--pair-requests 1000]
 * }</pre>
 */
public final class ServeLoadBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int USERS = 1_000;
    private static final int N = 10;
    private static final double ALPHA = 0.05, LAMBDA = 0.2;
    private static final int SCORE_ROWS = 256;

    private ServeLoadBenchmark() {
    }

    /** One measured cell: requests, errors, wall time and every latency. */
    record Cell(String what, int concurrency, int requests, int errors, double seconds, long[] latencyNanos, long heapBytes,
                List<String> firstErrors) {

        double rate() {
            return requests / seconds;
        }

        double percentileMs(double p) {
            if (latencyNanos.length == 0) return Double.NaN;
            int rank = (int) Math.ceil(p * latencyNanos.length) - 1;
            return latencyNanos[Math.max(0, Math.min(latencyNanos.length - 1, rank))] / 1e6;
        }
    }

    /** A worker's request i (0-based, shared counter); false or an exception counts as an error. */
    @FunctionalInterface
    interface Call {
        boolean run(int i) throws Exception;
    }

    /** Makes one worker's call (each worker its own HTTP client, say). */
    @FunctionalInterface
    interface Worker {
        Call create();
    }

    public static void main(String[] args) throws Exception {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        if (args.length < 1 || args[0].startsWith("--")) {
            System.err.println("usage: ServeLoadBenchmark BUNDLE_DIR [--requests 2000] [--score-requests 2000] [--seconds 30] "
                    + "[--clients 1,2,8,64] [--threads 1,2,8] [--warmup 400] [--pairs 3] [--pair-requests 1000]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        int requests = 2_000, scoreRequests = 2_000, warmup = 400, rounds = 3, roundRequests = 1_000;
        double seconds = 30;
        int[] clients = {1, 2, 8, 64}, threads = {1, 2, 8};
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--requests" -> requests = Integer.parseInt(args[++i]);
                case "--score-requests" -> scoreRequests = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Double.parseDouble(args[++i]);
                case "--clients" -> clients = ints(args[++i]);
                case "--threads" -> threads = ints(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--pairs" -> rounds = Integer.parseInt(args[++i]);
                case "--pair-requests" -> roundRequests = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        run(dir, requests, scoreRequests, seconds, clients, threads, warmup, rounds, roundRequests);
    }

    static void run(Path dir, int requests, int scoreRequests, double seconds, int[] clients, int[] threads, int warmup, int rounds,
                    int roundRequests) throws Exception {
        String name = dir.getFileName().toString();
        ServeConfig config = ServeConfig.defaults().withPort(0);
        long t0 = System.nanoTime();
        try (AutoIntServer server = AutoIntServer.start(config, Map.of(name, dir))) {
            int port = server.port();
            System.out.printf(Locale.ROOT, "server on 127.0.0.1:%d (%d request threads), bundle %s loaded in %.1f s%n", port,
                    config.threads(), dir, (System.nanoTime() - t0) / 1e9);
            HttpClient setup = client();
            JsonNode users = JSON.readTree(get(setup, port, "/v1/users?limit=" + USERS).body());
            List<String> userKeys = new ArrayList<>();
            for (JsonNode u : users.path("users")) userKeys.add(u.asText());
            if (userKeys.isEmpty()) throw new IllegalStateException("the bundle has no users with history");

            // the in-process side: the same bundle and recommender as the server's
            ModelBundle bundle = ModelBundle.load(dir);
            FeatureEncoder enc = bundle.encoder();
            Catalogue cat = enc.catalogue();
            Recommender base = Recommender.builder(bundle.encoder().catalogue(), bundle.trainInteractions(), (u, items, out) -> {
                throw new IllegalStateException("the base recommender has no scorer");
            }).name(name).explanationNouns(cat.tagLabel(), enc instanceof MovieLensEncoder ? "movies" : "items").build();
            int[] userIds = userKeys.stream().mapToInt(k -> enc.users().idOf(k)).toArray();
            Rerank rerank = new Rerank(ALPHA, LAMBDA, 0);
            boolean explains = bundle.model().config().layers() > 0;

            List<String> paths = new ArrayList<>();
            for (String k : userKeys) paths.add("/v1/recommend?user=" + k + "&n=" + N + "&alpha=" + ALPHA + "&lambda=" + LAMBDA);
            List<String> bodies = scoreBodies(userKeys, cat, 97);

            System.out.println(header(bundle, userKeys.size(), users.path("matching").asInt(), config));
            System.out.println();

            Worker inProcess = () -> i -> {
                int u = userIds[i % userIds.length];
                List<Recommendation> recs = recommendInProcess(bundle, base, u, rerank);
                return recs.size() == N && (!explains || !recs.get(0).modelReasons().isEmpty());
            };
            Worker recommend = () -> {
                HttpClient c = client();
                return i -> {
                    HttpResponse<String> r = get(c, port, paths.get(i % paths.size()));
                    return r.statusCode() == 200 && r.body().contains("\"rank\":" + N + ",")
                            && (!explains || r.body().contains("\"modelReasons\":[\"attention"));
                };
            };
            Worker score = () -> {
                HttpClient c = client();
                return i -> {
                    HttpResponse<String> r = post(c, port, "/v1/score?model=" + name, bodies.get(i % bodies.size()));
                    return r.statusCode() == 200 && r.body().contains("\"probabilities\":[");
                };
            };

            // warm-up: every path compiled before anything is measured
            System.out.printf(Locale.ROOT, "warm-up: %d requests each of in-process, HTTP recommend and HTTP score...%n", warmup);
            cell("warm-up", 2, warmup, seconds, inProcess);
            cell("warm-up", 8, warmup, seconds, recommend);
            cell("warm-up", 8, warmup, seconds, score);

            List<Cell> local = new ArrayList<>(), http = new ArrayList<>(), scoring = new ArrayList<>();
            for (int t : threads) local.add(print(cell("in-process recommend", t, requests, seconds, inProcess)));
            for (int c : clients) http.add(print(cell("HTTP recommend", c, requests, seconds, recommend)));
            for (int c : clients) scoring.add(print(cell("HTTP score x" + SCORE_ROWS, c, scoreRequests, seconds, score)));
            // the target comparison in alternating pairs, so that a drift of the machine's speed (a shared VM)
            // touches both sides of each ratio alike
            int cores = Runtime.getRuntime().availableProcessors();
            List<Cell[]> pairs = new ArrayList<>();
            for (int r = 0; r < rounds; r++) {
                Cell a = print(cell("pair " + (r + 1) + ": in-process recommend", cores, roundRequests, seconds, inProcess));
                Cell b = print(cell("pair " + (r + 1) + ": HTTP recommend", 8, roundRequests, seconds, recommend));
                pairs.add(new Cell[] {a, b});
            }

            System.out.println();
            System.out.println(table(local, http, scoring, pairs));
            System.out.println(targets(local, http, pairs));
        }
    }

    // ------------------------------------------------------------------ requests

    /** What the server computes for GET /v1/recommend (see AutoIntServer.recommendation), minus HTTP and JSON. */
    static List<Recommendation> recommendInProcess(ModelBundle bundle, Recommender base, int user, Rerank rerank) {
        Map<String, String> ctx = Map.of(); // no year, month or set.FIELD: the bundle's default context
        List<String> warnings = Collections.synchronizedList(new ArrayList<>());
        FeatureEncoder enc = bundle.encoder();
        Catalogue cat = enc.catalogue();
        enc.contextRow(user, ctx, warnings); // the server checks the context once before scoring
        Recommender.ExplanationHook hook = bundle.model().config().layers() > 0
                ? Recommender.ExplanationHook.attention(bundle.predictor(), (u, item) -> cat.candidates(enc.contextRow(u, ctx, new ArrayList<>()), 0,
                        new int[] {item}), 2) : null;
        return base.with(bundle.scorer(ctx, warnings), hook).recommend(user, N, rerank);
    }

    /** Score bodies: 256 rows each of a random user of the list and a random catalogue item (fixed seed). */
    static List<String> scoreBodies(List<String> users, Catalogue cat, int count) {
        Random r = new Random(20_260_101L);
        List<Catalogue.Item> items = cat.items();
        List<String> out = new ArrayList<>(count);
        for (int b = 0; b < count; b++) {
            StringBuilder sb = new StringBuilder("{\"rows\":[");
            for (int i = 0; i < SCORE_ROWS; i++) {
                if (i > 0) sb.append(',');
                sb.append("{\"user\":\"").append(users.get(r.nextInt(users.size()))).append("\",\"item\":\"")
                        .append(items.get(r.nextInt(items.size())).key()).append("\"}");
            }
            out.add(sb.append("]}").toString());
        }
        return out;
    }

    static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    static HttpResponse<String> get(HttpClient c, int port, String path) throws IOException, InterruptedException {
        return c.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(60)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(HttpClient c, int port, String path, String body) throws IOException, InterruptedException {
        return c.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    // ------------------------------------------------------------------ measuring

    /**
     * Runs {@code max} calls on {@code concurrency} threads (each with its own {@link Worker#create()}), or
     * fewer when {@code seconds} run out; then the heap in use after a GC.
     */
    static Cell cell(String what, int concurrency, int max, double seconds, Worker worker) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        List<String> firstErrors = new CopyOnWriteArrayList<>();
        long[][] lat = new long[concurrency][];
        int[] counts = new int[concurrency];
        CountDownLatch ready = new CountDownLatch(concurrency), go = new CountDownLatch(1), done = new CountDownLatch(concurrency);
        long[] deadline = new long[1];
        Thread[] ts = new Thread[concurrency];
        for (int w = 0; w < concurrency; w++) {
            int id = w;
            ts[w] = new Thread(() -> {
                long[] mine = new long[max];
                int k = 0;
                boolean counted = false;
                try {
                    Call call = worker.create();
                    ready.countDown();
                    counted = true;
                    go.await();
                    int i;
                    while (System.nanoTime() < deadline[0] && (i = next.getAndIncrement()) < max) {
                        long s = System.nanoTime();
                        boolean ok;
                        String problem = null;
                        try {
                            ok = call.run(i);
                            if (!ok) problem = "unexpected answer";
                        } catch (Exception e) {
                            ok = false;
                            problem = e.toString();
                        }
                        mine[k++] = System.nanoTime() - s;
                        if (!ok) {
                            errors.incrementAndGet();
                            if (firstErrors.size() < 5) firstErrors.add(problem);
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    lat[id] = mine;
                    counts[id] = k;
                    if (!counted) ready.countDown();
                    done.countDown();
                }
            }, "load-" + what.replace(' ', '-') + "-" + w);
            ts[w].setDaemon(true);
            ts[w].start();
        }
        ready.await();
        long start = System.nanoTime();
        deadline[0] = start + (long) (seconds * 1e9);
        go.countDown();
        done.await();
        long end = System.nanoTime();
        for (Thread t : ts) t.join();
        int total = 0;
        for (int c : counts) total += c;
        long[] all = new long[total];
        int p = 0;
        for (int w = 0; w < concurrency; w++) {
            System.arraycopy(lat[w], 0, all, p, counts[w]);
            p += counts[w];
        }
        Arrays.sort(all);
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        return new Cell(what, concurrency, total, errors.get(), (end - start) / 1e9, all, heap, List.copyOf(firstErrors));
    }

    private static Cell print(Cell c) {
        System.out.printf(Locale.ROOT, "  %-30s %3d: %6d requests in %5.1f s, %8.1f/s, p50 %7.2f ms, p99 %7.2f ms, %d errors%s%n", c.what(),
                c.concurrency(), c.requests(), c.seconds(), c.rate(), c.percentileMs(0.5), c.percentileMs(0.99), c.errors(),
                c.firstErrors().isEmpty() ? "" : " " + c.firstErrors());
        return c;
    }

    // ------------------------------------------------------------------ report

    static String header(ModelBundle bundle, int users, int withHistory, ServeConfig config) {
        Runtime rt = Runtime.getRuntime();
        String kernels;
        try {
            kernels = KernelProvider.current().toString();
        } catch (IllegalStateException e) {
            kernels = "unavailable: " + e.getMessage();
        }
        return String.format(Locale.ROOT, """
                ServeLoadBenchmark
                  JDK %s (%s %s), %d cores: %s
                  flags: %s
                  %s, max heap %d MB
                  bundle: %s: %s model, %,d items, %,d users (%,d listed by /v1/users with history; the first %,d used)
                  server: Javalin on 127.0.0.1, %d request threads; clients: java.net.http.HttpClient, HTTP/1.1 keep-alive,
                          one client (one connection) per worker thread, in the same JVM
                  recommend: n=%d, alpha=%s, lambda=%s, explanations on; score: %d {user, item} rows a request""",
                System.getProperty("java.version"), System.getProperty("java.vm.name"), System.getProperty("java.vm.version"),
                rt.availableProcessors(), Machine.cpu(), String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()), kernels,
                rt.maxMemory() >> 20, bundle.directory(), bundle.model().config().layers() > 0 ? "AutoInt" : "embedding-only",
                bundle.encoder().catalogue().size(), bundle.encoder().users().size(), withHistory, users, config.threads(), N, ALPHA, LAMBDA,
                SCORE_ROWS);
    }

    static String table(List<Cell> local, List<Cell> http, List<Cell> scoring, List<Cell[]> pairs) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-32s %11s %9s %7s %10s %9s %9s %9s %9s%n", "what", "concurrency", "requests", "errors",
                "req/s", "p50 ms", "p99 ms", "p99.9 ms", "heap MB"));
        List<Cell> all = new ArrayList<>(local);
        all.addAll(http);
        all.addAll(scoring);
        for (Cell[] p : pairs) all.addAll(List.of(p));
        for (Cell c : all) {
            sb.append(String.format(Locale.ROOT, "%-32s %11d %9d %7d %10.1f %9.2f %9.2f %9.2f %9d%n", c.what(), c.concurrency(), c.requests(),
                    c.errors(), c.rate(), c.percentileMs(0.5), c.percentileMs(0.99), c.percentileMs(0.999), c.heapBytes() >> 20));
        }
        return sb.toString();
    }

    static String targets(List<Cell> local, List<Cell> http, List<Cell[]> pairs) {
        StringBuilder sb = new StringBuilder();
        int cores = Runtime.getRuntime().availableProcessors();
        Cell http1 = find(http, 1), http8 = find(http, 8), httpCores = find(http, cores);
        Cell in1 = find(local, 1), in8 = find(local, 8);
        sb.append("HTTP recommend throughput / in-process (the same requests):\n");
        if (http1 != null && in1 != null) sb.append(ratio("1 client vs 1 thread", http1, in1));
        if (http8 != null && in8 != null) sb.append(ratio("8 clients vs 8 threads", http8, in8));
        if (!pairs.isEmpty()) {
            double[] r = new double[pairs.size()];
            for (int k = 0; k < r.length; k++) {
                r[k] = pairs.get(k)[1].rate() / pairs.get(k)[0].rate();
                sb.append(ratio("pair " + (k + 1) + ": 8 clients vs " + cores + " threads (= cores)", pairs.get(k)[1], pairs.get(k)[0]));
            }
            double median = Stats.median(r);
            sb.append(String.format(Locale.ROOT, "  target: 8 clients >= 0.70 x %d in-process threads (median of the %d alternating pairs): %.2f, %s%n",
                    cores, r.length, median, median >= 0.70 ? "met" : "MISSED"));
        }
        if (http1 != null && http8 != null) {
            double single = http1.percentileMs(0.5);
            sb.append(String.format(Locale.ROOT, "latency: p99 at 8 clients %.2f ms = %.2f x the single-request latency (p50 at 1 client, %.2f ms);"
                    + " target <= 3: %s%n", http8.percentileMs(0.99), http8.percentileMs(0.99) / single, single,
                    http8.percentileMs(0.99) / single <= 3 ? "met" : "MISSED"));
            if (cores < 8) {
                sb.append(String.format(Locale.ROOT, "  (8 clients on %d cores queue: by Little's law the mean latency at 8 clients is at least"
                        + " 8 / throughput = %.2f ms here, %.1f x the single-request latency, before any server overhead)%n", cores,
                        8_000 / http8.rate(), 8_000 / http8.rate() / single));
            }
            if (httpCores != null && cores != 1 && cores != 8) {
                sb.append(String.format(Locale.ROOT, "  at %d clients (= cores): p99 %.2f ms = %.2f x the single-request latency%n", cores,
                        httpCores.percentileMs(0.99), httpCores.percentileMs(0.99) / single));
            }
        }
        return sb.toString();
    }

    private static String ratio(String label, Cell http, Cell local) {
        return String.format(Locale.ROOT, "  %-58s %8.1f / %8.1f req/s = %.2f%n", label, http.rate(), local.rate(), http.rate() / local.rate());
    }

    private static Cell find(List<Cell> cells, int concurrency) {
        for (Cell c : cells) if (c.concurrency() == concurrency) return c;
        return null;
    }

    private static int[] ints(String csv) {
        return Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).mapToInt(Integer::parseInt).toArray();
    }
}
