package dev.autoint.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.autoint.core.data.EncodedDataset;
import dev.autoint.core.train.Metrics;
import dev.autoint.data.Catalogue;
import dev.autoint.data.FeatureEncoder;
import dev.autoint.data.UserDirectory;
import dev.autoint.data.movielens.MovieLensEncoder;
import dev.autoint.data.table.TableEncoder;
import dev.autoint.eval.Interactions;
import dev.autoint.eval.bundle.ModelBundle;
import dev.autoint.eval.recommend.Recommender;
import dev.autoint.eval.recommend.Recommender.Recommendation;
import dev.autoint.eval.recommend.Recommender.Rerank;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.server.handler.EagerContentHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recommendation service: one or more bundles behind a JSON API (see {@code docs/SERVING.md}),
 * operational endpoints and the page at {@code /}. Thread-safe; a bundle is swapped atomically on reload
 * while requests that already hold the old one finish with it.
 *
 * <pre>{@code
 * AutoIntServer server = AutoIntServer.start(ServeConfig.defaults().withPort(0), Map.of("model", Path.of("runs/model")));
 * System.out.println("http://127.0.0.1:" + server.port() + "/");
 * }</pre>
 */
public final class AutoIntServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AutoIntServer.class);

    private final ServeConfig config;
    private final Map<String, ServedModel> models = new ConcurrentHashMap<>();
    private final List<String> order; // model names in the order given; the first is the default
    private final Map<String, Path> dirs;
    private final ObjectMapper json = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    private final OperationalMetrics metrics;
    private final Javalin app;

    private AutoIntServer(ServeConfig config, Map<String, Path> bundles) throws IOException {
        this.config = Objects.requireNonNull(config, "config");
        if (bundles.isEmpty()) throw new IllegalArgumentException("serve at least one bundle");
        this.order = List.copyOf(bundles.keySet());
        this.dirs = Map.copyOf(bundles);
        for (Map.Entry<String, Path> e : bundles.entrySet()) models.put(e.getKey(), ServedModel.load(e.getKey(), e.getValue()));
        this.metrics = new OperationalMetrics(this::versions);
        this.app = Javalin.create(c -> {
            c.jsonMapper(new JavalinJackson(json, false));
            c.http.maxRequestSize = config.maxBodyBytes();
            c.http.prefer405over404 = true;
            c.startup.showJavalinBanner = false;
            QueuedThreadPool pool = new QueuedThreadPool(config.threads(), Math.min(8, config.threads()), 60_000);
            pool.setName("autoint-http");
            c.jetty.threadPool = pool;
            c.jetty.modifyServer(server -> {
                server.setErrorHandler(new JsonErrorHandler(metrics::error));
                // Bodies are read ahead without holding a thread, and a handler runs only once its body has
                // arrived: otherwise every client that sends half a body holds a request thread until the idle
                // timeout (30 s), and as many such clients as threads stall the service. Javalin puts its
                // servlet context inside this wrapper. Over the limit (plus framing slack): 413.
                server.setHandler(new EagerContentHandler(new EagerContentHandler.RetainedContentLoaderFactory(
                        config.maxBodyBytes() + 16 * 1024, -1, true)));
            });
            c.jetty.modifyServletContextHandler(h -> h.setErrorHandler(new JsonErrorHandler(metrics::error)));
            c.staticFiles.add(s -> {
                s.hostedPath = "/";
                s.directory = "/public";
                s.location = Location.CLASSPATH;
            });
            c.requestLogger.http((ctx, ms) -> metrics.record(route(ctx), ctx.method().name(), ctx.statusCode(), ms / 1000.0));
            c.routes.exception(ApiException.class, (e, ctx) -> error(ctx, e.status(), e.kind(), e.field(), e.getMessage()));
            c.routes.exception(HttpResponseException.class, (e, ctx) -> {
                int st = e.getStatus();
                error(ctx, st, st == 413 ? "too_large" : st == 404 ? "not_found" : st == 405 ? "method_not_allowed" : "bad_request",
                        st == 413 ? "body" : null, st == 413 ? "request body over the limit of " + config.maxBodyBytes() + " bytes" : e.getMessage());
            });
            c.routes.exception(Exception.class, (e, ctx) -> {
                if (clientHungUp(e)) {
                    // the body ended early: the client closed the connection mid-request; not a server fault
                    LOG.debug("request {} {}: the client closed the connection: {}", ctx.method(), ctx.path(), e.toString());
                    error(ctx, 400, "bad_request", "body", "the request body ended before its declared length");
                    return;
                }
                String id = UUID.randomUUID().toString().substring(0, 8);
                LOG.error("request {} {} failed (error id {})", ctx.method(), ctx.path(), id, e);
                error(ctx, 500, "internal", null, "internal error " + id + " (details are in the server log)");
            });
            c.routes.error(404, "*", ctx -> {
                if (ctx.result() == null || ctx.result().isEmpty()) error(ctx, 404, "not_found", null, "no such path: " + ctx.path());
            });
            c.routes.error(405, "*", ctx -> {
                if (ctx.result() == null || ctx.result().isEmpty()) {
                    error(ctx, 405, "method_not_allowed", null, ctx.method() + " is not allowed on " + ctx.path());
                }
            });
            c.routes.get("/healthz", ctx -> ctx.json(Map.of("status", "ok")));
            c.routes.get("/readyz", this::ready);
            c.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.render()));
            c.routes.get("/v1/models", this::listModels);
            c.routes.get("/v1/users", this::listUsers);
            c.routes.get("/v1/users/{key}", this::user);
            c.routes.get("/v1/recommend", this::recommend);
            c.routes.get("/v1/compare", this::compare);
            c.routes.post("/v1/score", this::score);
            c.routes.get("/v1/metrics/eval", this::evaluation);
            c.routes.post("/v1/admin/reload", this::reload);
        });
    }

    /** Loads the bundles (name → directory, the first the default) and starts listening. */
    public static AutoIntServer start(ServeConfig config, Map<String, Path> bundles) throws IOException {
        AutoIntServer s = new AutoIntServer(config, new LinkedHashMap<>(bundles));
        s.app.start(config.host(), config.port());
        return s;
    }

    /** The port it listens on (the chosen one when the configuration said 0). */
    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
    }

    /** Model name → version, for metrics and the models list. */
    Map<String, String> versions() {
        Map<String, String> v = new LinkedHashMap<>();
        for (String n : order) {
            ServedModel m = models.get(n);
            if (m != null) v.put(n, m.version);
        }
        return v;
    }

    // ------------------------------------------------------------------ helpers

    private void error(Context ctx, int status, String kind, String field, String message) {
        metrics.error(kind);
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("status", status);
        e.put("kind", kind);
        if (field != null) e.put("field", field);
        e.put("message", message);
        ctx.status(status).json(Map.of("error", e));
    }

    /** An end of input while a handler read the request: the client went away (Jetty's EofException is an EOFException). */
    private static boolean clientHungUp(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) if (t instanceof java.io.EOFException) return true;
        return false;
    }

    /**
     * The context key an encoder's complaint is about: the longest key of {@code ctx} the message starts with,
     * followed by ':' or ' ' ("year: 'x' is not an integer", "year must be between 1 and 9999, got 0").
     */
    private static String contextKey(String message, Map<String, String> ctx) {
        if (message == null) return null;
        String best = null;
        for (String k : ctx.keySet()) {
            if (message.startsWith(k) && message.length() > k.length() && (message.charAt(k.length()) == ':' || message.charAt(k.length()) == ' ')
                    && (best == null || k.length() > best.length())) {
                best = k;
            }
        }
        return best;
    }

    private static String route(Context ctx) {
        try {
            var ep = ctx.endpoint();
            return ep == null ? "unmatched" : ep.path;
        } catch (RuntimeException e) {
            return "unmatched";
        }
    }

    private ServedModel model(Context ctx) {
        String name = ctx.queryParam("model");
        if (name == null || name.isEmpty()) name = order.get(0);
        ServedModel m = models.get(name);
        if (m == null) throw ApiException.notFound("model", "no model '" + name + "'; models: " + order);
        return m;
    }

    private ServedModel recommending(Context ctx) {
        ServedModel m = model(ctx);
        if (!m.bundle.canRecommend()) {
            throw ApiException.badRequest("model", "model '" + m.name + "' cannot recommend: its data declares no users and items");
        }
        return m;
    }

    private static int intParam(Context ctx, String name, int def, int min, int max) {
        String v = ctx.queryParam(name);
        if (v == null || v.isEmpty()) return def;
        long x;
        try {
            x = Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(name, name + " must be an integer, got '" + v + "'");
        }
        if (x < min || x > max) throw ApiException.badRequest(name, name + " must be between " + min + " and " + max + ", got " + v);
        return (int) x;
    }

    private static double doubleParam(Context ctx, String name, double def) {
        String v = ctx.queryParam(name);
        if (v == null || v.isEmpty()) return def;
        double x;
        try {
            x = Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(name, name + " must be a finite number, got '" + v + "'");
        }
        if (!Double.isFinite(x)) throw ApiException.badRequest(name, name + " must be a finite number, got '" + v + "'");
        return x;
    }

    private static int userId(ServedModel m, String key, String field) {
        if (key == null || key.isEmpty()) throw ApiException.badRequest(field, field + " is required");
        int id = m.bundle.encoder().users().idOf(key);
        if (id < 0) throw ApiException.notFound(field, "no user '" + key + "' in model '" + m.name + "'");
        return id;
    }

    /** year, month and every set.FIELD parameter. */
    private static Map<String, String> context(Context ctx) {
        Map<String, String> c = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : ctx.queryParamMap().entrySet()) {
            String k = e.getKey();
            String v = e.getValue().isEmpty() ? "" : e.getValue().get(0);
            if (k.equals("year") || k.equals("month")) {
                if (!v.isEmpty()) c.put(k, v);
            } else if (k.startsWith("set.")) {
                c.put(k.substring(4), v);
            }
        }
        return c;
    }

    /** Checks a context by encoding it once; problems become a 400 naming the key. */
    private static void checkContext(ServedModel m, int user, Map<String, String> ctx, List<String> warnings) {
        try {
            m.bundle.encoder().contextRow(user, ctx, warnings);
        } catch (IllegalArgumentException e) {
            String msg = e.getMessage();
            String key = contextKey(msg, ctx);
            if (key == null) {
                int colon = msg == null ? -1 : msg.indexOf(':');
                key = colon > 0 ? msg.substring(0, colon) : null;
            }
            String field = key == null ? null : ctx.containsKey(key) && !key.equals("year") && !key.equals("month") ? "set." + key : key;
            throw ApiException.badRequest(field, msg);
        }
    }

    private Rerank rerank(Context ctx) {
        double alpha = doubleParam(ctx, "alpha", 0), lambda = doubleParam(ctx, "lambda", 0);
        if (alpha < 0) throw ApiException.badRequest("alpha", "alpha must be >= 0, got " + alpha);
        if (lambda < 0 || lambda > 1) throw ApiException.badRequest("lambda", "lambda must be in [0, 1], got " + lambda);
        try {
            return new Rerank(alpha, lambda, 0);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("alpha", e.getMessage());
        }
    }

    /** A recommendation list for one model, as the API answers it. */
    private Map<String, Object> recommendation(ServedModel m, int user, int n, Rerank rerank, Map<String, String> ctx,
                                               boolean explain) {
        List<String> warnings = Collections.synchronizedList(new ArrayList<>());
        checkContext(m, user, ctx, warnings);
        FeatureEncoder enc = m.bundle.encoder();
        Catalogue cat = enc.catalogue();
        Recommender.ExplanationHook hook = explain && m.bundle.model().config().layers() > 0
                ? Recommender.ExplanationHook.attention(m.bundle.predictor(), (u, item) -> cat.candidates(enc.contextRow(u, ctx, new ArrayList<>()), 0,
                        new int[] {item}), 2) : null;
        Recommender r = m.recommender.with(m.bundle.scorer(ctx, warnings), hook);
        long t0 = System.nanoTime();
        List<Recommendation> recs = r.recommend(user, n, rerank);
        double ms = (System.nanoTime() - t0) / 1e6;
        List<Map<String, Object>> items = new ArrayList<>(recs.size());
        for (Recommendation rec : recs) {
            Map<String, Object> it = new LinkedHashMap<>();
            it.put("rank", rec.rank());
            it.put("item", rec.item());
            it.put("key", cat.item(rec.item()).key());
            it.put("title", rec.title());
            it.put("year", rec.year());
            it.put("tags", rec.genres());
            it.put("score", rec.score());
            it.put("adjustedScore", rec.adjustedScore());
            it.put("reasons", rec.reasons());
            it.put("modelReasons", rec.modelReasons());
            items.add(it);
        }
        Map<String, Object> shown = new LinkedHashMap<>(enc instanceof MovieLensEncoder ? enc.defaultContext() : Map.of());
        shown.putAll(ctx);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", m.name);
        out.put("version", m.version);
        out.put("user", enc.users().get(user).key());
        out.put("context", shown);
        out.put("warnings", new ArrayList<>(warnings));
        out.put("tookMs", Math.round(ms * 100) / 100.0);
        out.put("items", items);
        return out;
    }

    // ------------------------------------------------------------------ handlers

    private void ready(Context ctx) {
        if (models.isEmpty()) {
            error(ctx, 503, "not_ready", null, "no model is loaded");
            return;
        }
        ctx.json(Map.of("status", "ready", "models", versions()));
    }

    private void listModels(Context ctx) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String n : order) {
            ServedModel m = models.get(n);
            FeatureEncoder enc = m.bundle.encoder();
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("name", n);
            o.put("kind", enc instanceof MovieLensEncoder ? "movielens" : enc instanceof TableEncoder ? "table" : enc.getClass().getSimpleName());
            o.put("version", m.version);
            o.put("createdAt", m.bundle.manifest().createdAt());
            o.put("libraryVersion", m.bundle.manifest().libraryVersion());
            o.put("model", m.bundle.model().config());
            o.put("fields", m.bundle.model().fields());
            o.put("items", enc.catalogue().size());
            o.put("users", enc.users().size());
            o.put("canRecommend", m.bundle.canRecommend());
            o.put("tagLabel", enc.catalogue().tagLabel());
            o.put("itemNoun", m.itemNoun);
            o.put("context", enc instanceof MovieLensEncoder ? enc.defaultContext() : enc.defaultContext().keySet());
            Map<String, Object> prov = m.bundle.manifest().provenance();
            for (String k : new String[] {"dataFingerprint", "split", "test", "bestEpoch"}) if (prov.containsKey(k)) o.put(k, prov.get(k));
            out.add(o);
        }
        ctx.json(Map.of("default", order.get(0), "models", out));
    }

    private void listUsers(Context ctx) {
        ServedModel m = model(ctx);
        String prefix = Objects.requireNonNullElse(ctx.queryParam("prefix"), "");
        int limit = intParam(ctx, "limit", 50, 1, 1000);
        List<String> keys = new ArrayList<>();
        int total = 0;
        for (UserDirectory.User u : m.bundle.encoder().users().all()) {
            if (!u.key().startsWith(prefix)) continue;
            total++;
            if (keys.size() < limit && m.history(u.id()).length > 0) keys.add(u.key());
        }
        ctx.json(Map.of("model", m.name, "users", keys, "matching", total));
    }

    private void user(Context ctx) {
        ServedModel m = recommending(ctx);
        String key = ctx.pathParam("key");
        int id = userId(m, key, "user");
        int h = intParam(ctx, "history", 20, 0, 1000);
        UserDirectory.User u = m.bundle.encoder().users().get(id);
        Interactions t = m.bundle.trainInteractions();
        float[] targets = m.bundle.trainTargets();
        Catalogue cat = m.bundle.encoder().catalogue();
        int[] rows = m.history(id);
        int liked = 0;
        for (int r : rows) if (Metrics.isPositive(t.label(r))) liked++;
        List<Map<String, Object>> hist = new ArrayList<>();
        for (int i = 0; i < Math.min(h, rows.length); i++) {
            int r = rows[i];
            int idx = cat.indexOf(t.item(r));
            Map<String, Object> it = new LinkedHashMap<>();
            it.put("item", t.item(r));
            if (idx >= 0) {
                Catalogue.Item c = cat.items().get(idx);
                it.put("key", c.key());
                it.put("title", c.title());
                it.put("year", c.year());
                it.put("tags", c.tags());
            }
            it.put("label", t.label(r));
            if (targets != null) it.put("target", targets[r]);
            it.put("timestamp", t.timestamp(r));
            hist.add(it);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", m.name);
        out.put("user", Map.of("id", id, "key", u.key(), "profile", u.profile()));
        out.put("rated", rows.length);
        out.put("liked", liked);
        out.put("history", hist);
        ctx.json(out);
    }

    private void recommend(Context ctx) {
        ServedModel m = recommending(ctx);
        int user = userId(m, ctx.queryParam("user"), "user");
        int n = intParam(ctx, "n", 10, 1, config.maxN());
        Rerank rr = rerank(ctx);
        boolean explain = !"false".equalsIgnoreCase(ctx.queryParam("explain"));
        ctx.json(recommendation(m, user, n, rr, context(ctx), explain));
    }

    private void compare(Context ctx) {
        String names = ctx.queryParam("models");
        List<String> pick = names == null || names.isBlank() ? order.subList(0, Math.min(2, order.size()))
                : List.of(names.split(","));
        if (pick.size() != 2) throw ApiException.badRequest("models", "models must name two models, e.g. models=a,b; loaded: " + order);
        int n = intParam(ctx, "n", 10, 1, config.maxN());
        Rerank rr = rerank(ctx);
        Map<String, String> c = context(ctx);
        String key = ctx.queryParam("user");
        List<Map<String, Object>> lists = new ArrayList<>();
        for (String name : pick) {
            ServedModel m = models.get(name.trim());
            if (m == null) throw ApiException.notFound("models", "no model '" + name + "'; models: " + order);
            if (!m.bundle.canRecommend()) throw ApiException.badRequest("models", "model '" + name + "' cannot recommend");
            lists.add(recommendation(m, userId(m, key, "user"), n, rr, c, true));
        }
        java.util.Set<String> a = new java.util.HashSet<>();
        for (Object o : (List<?>) lists.get(0).get("items")) a.add(String.valueOf(((Map<?, ?>) o).get("key")));
        int overlap = 0;
        for (Object o : (List<?>) lists.get(1).get("items")) if (a.contains(String.valueOf(((Map<?, ?>) o).get("key")))) overlap++;
        ctx.json(Map.of("user", key, "models", pick, "lists", lists, "overlap", overlap));
    }

    private void score(Context ctx) throws IOException {
        ServedModel m = model(ctx);
        JsonNode body;
        try {
            body = json.readTree(ctx.bodyAsBytes());
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("body", "the body is not valid JSON: " + e.getOriginalMessage());
        }
        if (body == null || !body.isObject() || !body.path("rows").isArray()) {
            throw ApiException.badRequest("rows", "the body must be a JSON object with an array \"rows\"");
        }
        JsonNode rows = body.get("rows");
        if (rows.isEmpty()) throw ApiException.badRequest("rows", "rows is empty");
        if (rows.size() > config.maxBatch()) {
            throw ApiException.tooLarge("rows", rows.size() + " rows is over the limit of " + config.maxBatch() + " per request");
        }
        List<String> warnings = new ArrayList<>();
        float[] p = isUserItem(m, rows) ? scoreUserItem(m, rows, warnings) : scoreColumns(m, rows);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", m.name);
        out.put("version", m.version);
        out.put("probabilities", p);
        out.put("warnings", warnings);
        ctx.json(out);
    }

    /**
     * Whether the rows are {user, item, ...context}: the first has "user" and "item", and it is not the raw
     * columns of a schema whose user and item columns are called that (a row with every column it reads).
     */
    private static boolean isUserItem(ServedModel m, JsonNode rows) {
        JsonNode first = rows.get(0);
        if (!first.isObject() || !first.has("user") || !first.has("item")) return false;
        if (m.bundle.encoder() instanceof TableEncoder t) {
            List<String> columns = new ArrayList<>(t.schema().columns());
            columns.remove(t.schema().labelColumn());
            columns.removeAll(List.of("user", "item"));
            boolean raw = !columns.isEmpty();
            for (String c : columns) raw &= first.has(c);
            return !raw;
        }
        return true;
    }

    private static String text(JsonNode v, String field) {
        if (v == null || v.isNull()) return null;
        if (v.isTextual()) return v.asText();
        if (v.isNumber()) {
            double d = v.asDouble();
            if (!Double.isFinite(d)) throw ApiException.badRequest(field, field + ": " + v + " is not a finite number");
            return v.isIntegralNumber() ? v.asText() : Double.toString(d);
        }
        throw ApiException.badRequest(field, field + " must be a string, a number or null");
    }

    private float[] scoreUserItem(ServedModel m, JsonNode rows, List<String> warnings) {
        if (!m.bundle.canRecommend()) {
            throw ApiException.badRequest("rows[0]", "model '" + m.name + "' has no users and items: send the raw columns of each row");
        }
        FeatureEncoder enc = m.bundle.encoder();
        Catalogue cat = enc.catalogue();
        int n = rows.size();
        // rows grouped by (user, context): the context is encoded once per group
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        Map<String, Map<String, String>> groupContext = new LinkedHashMap<>();
        Map<String, Integer> groupUser = new LinkedHashMap<>();
        int[] items = new int[n];
        for (int i = 0; i < n; i++) {
            JsonNode row = rows.get(i);
            String at = "rows[" + i + "]";
            if (!row.isObject()) throw ApiException.badRequest(at, at + " must be an object");
            String userKey = text(row.get("user"), at + ".user");
            String itemKey = text(row.get("item"), at + ".item");
            if (userKey == null || itemKey == null) {
                throw ApiException.badRequest(at + (userKey == null ? ".user" : ".item"), at + " needs \"user\" and \"item\"");
            }
            int uid = userId(m, userKey, at + ".user");
            Catalogue.Item it = cat.byKey(itemKey);
            if (it == null) throw ApiException.notFound(at + ".item", "no item '" + itemKey + "' in model '" + m.name + "'");
            items[i] = it.id();
            Map<String, String> c = new java.util.TreeMap<>();
            var names = row.fieldNames();
            while (names.hasNext()) {
                String k = names.next();
                if (k.equals("user") || k.equals("item")) continue;
                String v = text(row.get(k), at + "." + k);
                if (v != null) c.put(k, v);
            }
            String g = uid + "|" + c;
            groups.computeIfAbsent(g, k -> new ArrayList<>()).add(i);
            groupContext.putIfAbsent(g, c);
            groupUser.putIfAbsent(g, uid);
        }
        List<EncodedDataset> parts = new ArrayList<>();
        int[] order = new int[n];
        int pos = 0;
        for (Map.Entry<String, List<Integer>> g : groups.entrySet()) {
            List<Integer> idx = g.getValue();
            EncodedDataset row;
            try {
                row = enc.contextRow(groupUser.get(g.getKey()), groupContext.get(g.getKey()), warnings);
            } catch (IllegalArgumentException e) {
                String key = contextKey(e.getMessage(), groupContext.get(g.getKey()));
                String at = "rows[" + idx.get(0) + "]";
                throw ApiException.badRequest(key == null ? at : at + "." + key, at + ": " + e.getMessage());
            }
            int[] its = new int[idx.size()];
            for (int k = 0; k < its.length; k++) {
                its[k] = items[idx.get(k)];
                order[pos++] = idx.get(k);
            }
            parts.add(cat.candidates(row, 0, its));
        }
        EncodedDataset all = parts.size() == 1 ? parts.get(0) : EncodedDataset.concat(parts);
        float[] scored = m.bundle.predictor().predict(all);
        float[] out = new float[n];
        for (int k = 0; k < n; k++) out[order[k]] = scored[k];
        return out;
    }

    private float[] scoreColumns(ServedModel m, JsonNode rows) {
        if (!(m.bundle.encoder() instanceof TableEncoder enc)) {
            throw ApiException.badRequest("rows[0]", "rows for model '" + m.name + "' are {\"user\": KEY, \"item\": KEY, ...context}");
        }
        List<Map<String, Object>> list = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            JsonNode row = rows.get(i);
            String at = "rows[" + i + "]";
            if (!row.isObject()) throw ApiException.badRequest(at, at + " must be an object");
            Map<String, Object> r = new LinkedHashMap<>();
            var names = row.fieldNames();
            while (names.hasNext()) {
                String k = names.next();
                r.put(k, text(row.get(k), at + "." + k));
            }
            list.add(r);
        }
        EncodedDataset encoded;
        try {
            encoded = enc.encodeRows(list);
        } catch (IllegalArgumentException e) {
            String msg = e.getMessage();
            int colon = msg.indexOf(':');
            throw ApiException.badRequest(colon > 0 ? msg.substring(0, colon) : "rows", msg);
        }
        return m.bundle.predictor().predict(encoded);
    }

    private void evaluation(Context ctx) throws IOException {
        ctx.json(model(ctx).evaluation(json));
    }

    private synchronized void reload(Context ctx) throws IOException {
        String name = ctx.queryParam("model");
        if (name == null || name.isEmpty()) name = order.get(0);
        Path dir = dirs.get(name);
        if (dir == null) throw ApiException.notFound("model", "no model '" + name + "'; models: " + order);
        ServedModel old = models.get(name);
        ServedModel fresh;
        try {
            fresh = ServedModel.load(name, dir);
        } catch (IOException e) {
            LOG.warn("reload of {} from {} failed; keeping version {}: {}", name, dir, old.version, e.getMessage());
            throw new ApiException(409, "reload_failed", "model", "cannot reload '" + name + "' from " + dir
                    + " (still serving version " + old.version + "): " + e.getMessage());
        }
        models.put(name, fresh);
        LOG.info("reloaded {} from {}: version {} -> {}", name, dir, old.version, fresh.version);
        ctx.json(Map.of("model", name, "version", fresh.version, "previousVersion", old.version));
    }

}
