package dev.autoint.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.autoint.core.internal.io.Digests;
import dev.autoint.core.train.Metrics;
import dev.autoint.data.movielens.MovieLensEncoder;
import dev.autoint.eval.Interactions;
import dev.autoint.eval.Relevance;
import dev.autoint.eval.bundle.ModelBundle;
import dev.autoint.eval.protocol.EvalConfig;
import dev.autoint.eval.protocol.HeldOutProtocol;
import dev.autoint.eval.protocol.ProtocolResult;
import dev.autoint.eval.recommend.Recommender;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One loaded bundle and what requests need from it, built once per load: the recommender's per-user
 * indices, each user's training interactions (most recent first), and, on first request, the evaluation
 * on the held-out rows. Immutable after construction apart from that cached evaluation; a reload builds a
 * new instance and swaps it in whole.
 */
final class ServedModel {

    final String name;
    final Path dir;
    final ModelBundle bundle;
    final String version;
    final Recommender recommender; // scorer replaced per request with Recommender.with
    final String itemNoun;
    private final Map<Integer, int[]> history; // user id -> rows of the training interactions, newest first
    private volatile Map<String, Object> evaluation;

    private ServedModel(String name, Path dir, ModelBundle bundle, String version) throws IOException {
        this.name = name;
        this.dir = dir;
        this.bundle = bundle;
        this.version = version;
        this.itemNoun = bundle.encoder() instanceof MovieLensEncoder ? "movies" : "items";
        if (bundle.canRecommend()) {
            this.recommender = Recommender.builder(bundle.encoder().catalogue(), bundle.trainInteractions(), (u, items, out) -> {
                throw new IllegalStateException("the base recommender has no scorer");
            }).name(name).explanationNouns(bundle.encoder().catalogue().tagLabel(), itemNoun).build();
            this.history = historyByUser(bundle.trainInteractions());
        } else {
            this.recommender = null;
            this.history = Map.of();
        }
    }

    /**
     * Loads the bundle in {@code dir}. Its version is the SHA-256 prefix of {@code bundle.json}, read before and
     * after loading: when a writer replaced the bundle in between, the load is repeated, so a version never
     * labels another bundle's model.
     */
    static ServedModel load(String name, Path dir) throws IOException {
        for (int attempt = 0; attempt < 5; attempt++) {
            String before = Digests.sha256(dir.resolve(ModelBundle.MANIFEST)).substring(0, 12);
            ModelBundle b = ModelBundle.load(dir);
            String after = Digests.sha256(dir.resolve(ModelBundle.MANIFEST)).substring(0, 12);
            if (before.equals(after)) return new ServedModel(name, dir, b, after);
        }
        throw new IOException(dir + " kept changing while it was loaded (5 attempts)");
    }

    private static Map<Integer, int[]> historyByUser(Interactions t) {
        Map<Integer, List<Integer>> rows = new HashMap<>();
        for (int i = 0; i < t.size(); i++) rows.computeIfAbsent(t.user(i), k -> new ArrayList<>()).add(i);
        Map<Integer, int[]> out = new HashMap<>(rows.size() * 2);
        rows.forEach((u, list) -> {
            Integer[] r = list.toArray(new Integer[0]);
            Arrays.sort(r, (a, b) -> {
                int c = Long.compare(t.timestamp(b), t.timestamp(a));
                return c != 0 ? c : Integer.compare(b, a);
            });
            out.put(u, Arrays.stream(r).mapToInt(Integer::intValue).toArray());
        });
        return out;
    }

    /**
     * The AUC of each held-out user's own rows (the values gAUC averages), for the users with both a relevant
     * and an irrelevant row, in ascending user id order.
     */
    static double[] perUserAuc(Interactions held, float[] scores, Relevance relevance) {
        Map<Integer, List<Integer>> rows = new TreeMap<>();
        for (int i = 0; i < held.size(); i++) rows.computeIfAbsent(held.user(i), k -> new ArrayList<>()).add(i);
        List<Double> out = new ArrayList<>();
        for (List<Integer> r : rows.values()) {
            double[] s = new double[r.size()], y = new double[r.size()];
            for (int j = 0; j < s.length; j++) {
                s[j] = scores[r.get(j)];
                y[j] = relevance.isRelevant(held.label(r.get(j))) ? 1 : 0;
            }
            if (Metrics.hasBothClasses(y)) out.add(Metrics.auc(s, y));
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** The user's training interaction rows, newest first (empty when none). */
    int[] history(int user) {
        return history.getOrDefault(user, new int[0]);
    }

    /**
     * The held-out evaluation (per-user values for the page's distributions) and every stored metrics file,
     * computed once.
     */
    Map<String, Object> evaluation(ObjectMapper json) throws IOException {
        Map<String, Object> e = evaluation;
        if (e != null) return e;
        synchronized (this) {
            if (evaluation != null) return evaluation;
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("model", name);
            out.put("version", version);
            ModelBundle.HeldOut held = bundle.heldOut();
            if (held != null) {
                float[] scores = bundle.predictor().predict(held.rows());
                Map<String, Object> h = new LinkedHashMap<>();
                if (bundle.canRecommend()) {
                    EvalConfig config = EvalConfig.defaults();
                    ProtocolResult r = new HeldOutProtocol(config).evaluate(held.interactions(), scores);
                    h.put("protocol", r.spec().name());
                    h.put("users", r.users().length);
                    h.put("metrics", r.metrics());
                    Map<String, double[]> perUser = new LinkedHashMap<>();
                    perUser.put("auc", perUserAuc(held.interactions(), scores, config.relevance()));
                    for (String m : r.perUserMetrics()) perUser.put(m, r.perUser(m));
                    h.put("perUser", perUser);
                } else {
                    float[] labels = new float[held.interactions().size()];
                    for (int i = 0; i < labels.length; i++) labels[i] = held.interactions().label(i);
                    h.put("metrics", Map.of("auc", Map.of("value", Metrics.auc(scores, labels, labels.length)),
                            "logloss", Map.of("value", Metrics.logLoss(scores, labels, labels.length))));
                    h.put("perUser", Map.of());
                }
                h.put("rows", held.rows().size());
                out.put("heldOut", h);
            }
            Map<String, JsonNode> stored = new LinkedHashMap<>();
            for (String f : bundle.files().keySet()) {
                if (f.startsWith("metrics") && f.endsWith(".json")) stored.put(f, json.readTree(dir.resolve(f).toFile()));
            }
            out.put("stored", stored);
            evaluation = out;
            return out;
        }
    }
}
