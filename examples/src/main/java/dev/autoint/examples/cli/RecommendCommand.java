package dev.autoint.examples.cli;

import dev.autoint.core.train.Metrics;
import dev.autoint.data.Catalogue;
import dev.autoint.data.UserDirectory;
import dev.autoint.data.movielens.MovieLensEncoder;
import dev.autoint.eval.Interactions;
import dev.autoint.eval.bundle.ModelBundle;
import dev.autoint.eval.recommend.Recommender;
import dev.autoint.eval.recommend.Recommender.Recommendation;
import dev.autoint.eval.recommend.Recommender.Rerank;
import dev.autoint.eval.recommend.Recommender.SideBySide;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "recommend", mixinStandardHelpOptions = true,
        description = "Show a user's profile and liked history, and the top-N items they have not rated, with score, "
                + "re-ranked score and explanations; --compare shows a second bundle side by side. Needs only the bundle.")
final class RecommendCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "BUNDLE", description = "a directory written by `autoint train`")
    Path bundleDir;

    @picocli.CommandLine.Mixin
    ContextOptions ctx = new ContextOptions();
    @Option(names = "--user", required = true, description = "user key (for MovieLens the user id)")
    String user;
    @Option(names = "--top", defaultValue = "10", description = "how many items (default: ${DEFAULT-VALUE})")
    int top = 10;
    @Option(names = "--history", defaultValue = "10", description = "liked items to show (default: ${DEFAULT-VALUE})")
    int history = 10;
    @Option(names = "--compare", paramLabel = "OTHER_BUNDLE", description = "a second bundle to show side by side")
    Path compare;
    @Option(names = "--no-attention", negatable = true, description = "skip the attention-based explanations")
    boolean attention = true;

    @Override
    public Integer call() throws Exception {
        if (top < 1 || top > 10_000) throw new CliException(2, "--top must be between 1 and 10000, got " + top);
        if (history < 0) throw new CliException(2, "--history must be >= 0, got " + history);
        Rerank rerank = ctx.rerank();
        Map<String, String> context = ctx.context();
        ModelBundle a = Bundles.open(bundleDir, "BUNDLE");
        ModelBundle b = compare == null ? null : Bundles.open(compare, "--compare");
        requireRecommend(a, bundleDir);
        if (b != null) requireRecommend(b, compare);
        int uid = userId(a, user);
        List<String> warnings = new ArrayList<>();
        Recommender ra = recommender(a, bundleDir, context, warnings, attention);

        UserDirectory.User u = a.encoder().users().get(uid);
        System.out.println("user " + u.key() + ": " + profileText(u));
        printHistory(a, uid);
        Map<String, String> shown = new LinkedHashMap<>(a.encoder() instanceof MovieLensEncoder ? a.encoder().defaultContext() : Map.of());
        shown.putAll(context);
        System.out.printf(Locale.ROOT, "%ncontext: %s, alpha %.2f, lambda %.2f%n", shown.isEmpty() ? "the user's latest training row" : shown,
                ctx.alpha, ctx.lambda);
        long t0 = System.nanoTime();
        List<Recommendation> recs;
        try {
            recs = ra.recommend(uid, top, rerank);
        } catch (IllegalArgumentException e) {
            throw new CliException(2, e.getMessage());
        }
        double ms = (System.nanoTime() - t0) / 1e6;
        warnings.forEach(w -> System.err.println("autoint: warning: " + w));
        if (b == null) {
            System.out.printf(Locale.ROOT, "%ntop %d for user %s (%s, %.1f ms):%n", top, u.key(), ra.name(), ms);
            for (Recommendation r : recs) {
                System.out.printf(Locale.ROOT, "%2d. %-50s %-28s score %.4f  adjusted %.4f%n", r.rank(), cut(r.title(), 50),
                        cut(String.join("|", r.genres()), 28), r.score(), r.adjustedScore());
                List<String> why = new ArrayList<>(r.reasons());
                why.addAll(r.modelReasons());
                if (!why.isEmpty()) System.out.println("    because " + String.join("; ", why));
            }
        } else {
            int uidB = userId(b, user);
            if (uidB != uid) throw new CliException(2, "--user " + user + " has different ids in the two bundles");
            Recommender rb = recommender(b, compare, context, warnings, attention);
            SideBySide s = Recommender.compare(ra, rb, uid, top, rerank);
            System.out.println();
            System.out.println(s.toText());
        }
        return 0;
    }

    static void requireRecommend(ModelBundle b, Path dir) {
        if (!b.canRecommend()) {
            throw new CliException(2, "the bundle " + dir + " cannot recommend: its data declares no users and items "
                    + "(\"userColumn\" and \"items\" in the schema; see docs/DATA.md)");
        }
    }

    static int userId(ModelBundle b, String key) {
        int id = b.encoder().users().idOf(key);
        if (id < 0) throw new CliException(2, "--user " + key + ": no such user in the bundle's training data");
        return id;
    }

    /** A recommender over the bundle's catalogue with one context for every user. */
    static Recommender recommender(ModelBundle b, Path dir, Map<String, String> context, List<String> warnings, boolean attention) {
        Catalogue cat = b.encoder().catalogue();
        boolean movieLens = b.encoder() instanceof MovieLensEncoder;
        Recommender.Builder rb = Recommender.builder(cat, b.trainInteractions(), b.scorer(context, warnings))
                .name(dir.toAbsolutePath().normalize().getFileName().toString())
                .explanationNouns(cat.tagLabel(), movieLens ? "movies" : "items");
        if (attention && b.model().config().layers() > 0) {
            Map<String, String> ctx = Map.copyOf(context);
            rb.explanationHook(Recommender.ExplanationHook.attention(b.predictor(),
                    (u, item) -> cat.candidates(b.encoder().contextRow(u, ctx, new ArrayList<>()), 0, new int[] {item}), 2));
        }
        try {
            return rb.build();
        } catch (IllegalArgumentException e) {
            throw new CliException(2, e.getMessage());
        }
    }

    static String profileText(UserDirectory.User u) {
        List<String> parts = new ArrayList<>();
        u.profile().forEach((k, v) -> parts.add(k + " " + v));
        return String.join(", ", parts);
    }

    private void printHistory(ModelBundle b, int uid) {
        Interactions t = b.trainInteractions();
        float[] targets = b.trainTargets();
        List<Integer> liked = new ArrayList<>();
        for (int i = 0; i < t.size(); i++) if (t.user(i) == uid && Metrics.isPositive(t.label(i))) liked.add(i);
        liked.sort(Comparator.comparingLong(t::timestamp).reversed());
        Catalogue cat = b.encoder().catalogue();
        System.out.printf(Locale.ROOT, "liked in training: %d items; the %d most recent:%n", liked.size(), Math.min(history, liked.size()));
        for (int i : liked.subList(0, Math.min(history, liked.size()))) {
            int idx = cat.indexOf(t.item(i));
            String title = idx < 0 ? "item " + t.item(i) : cat.items().get(idx).title();
            String tags = idx < 0 ? "" : String.join("|", cat.items().get(idx).tags());
            String when = t.timestamp(i) == 0 ? "" : " on " + Instant.ofEpochSecond(t.timestamp(i)).atZone(ZoneOffset.UTC).toLocalDate();
            String rated = targets == null ? "" : String.format(Locale.ROOT, " rated %.0f", targets[i]);
            System.out.printf(Locale.ROOT, "  %-50s %-28s%s%s%n", cut(title, 50), cut(tags, 28), rated, when);
        }
    }

    static String cut(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "…";
    }
}
