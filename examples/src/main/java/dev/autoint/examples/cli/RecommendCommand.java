package dev.autoint.examples.cli;

import dev.autoint.core.data.EncodedDataset;
import dev.autoint.core.data.FieldSpec;
import dev.autoint.core.model.AutoIntModel;
import dev.autoint.core.model.Predictor;
import dev.autoint.data.movielens.Movie;
import dev.autoint.data.movielens.MovieLensData;
import dev.autoint.data.movielens.Ratings;
import dev.autoint.data.movielens.UserProfile;
import dev.autoint.eval.movielens.MovieLensExperiment;
import dev.autoint.eval.recommend.Recommendation;
import dev.autoint.eval.recommend.Recommender;
import dev.autoint.eval.recommend.Rerank;
import dev.autoint.eval.recommend.SideBySide;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "recommend", mixinStandardHelpOptions = true,
        description = "Show a user's profile and liked history, and the top-N movies they have not rated, "
                + "with score, re-ranked score and explanations; --compare shows a second model side by side.")
final class RecommendCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MODEL_DIR", description = "a directory written by `autoint train`")
    Path modelDir;

    @Option(names = "--user", required = true, description = "user id")
    int user;
    @Option(names = "--year", description = "context year (default: the year of the last training rating)")
    Integer year;
    @Option(names = "--month", description = "context month 1-12 (default: the month of the last training rating)")
    Integer month;
    @Option(names = "--top", defaultValue = "10", description = "how many movies (default: ${DEFAULT-VALUE})")
    int top = 10;
    @Option(names = "--alpha", defaultValue = "0", description = "recency weight: score + alpha * normalised release year (default: ${DEFAULT-VALUE})")
    double alpha;
    @Option(names = "--lambda", defaultValue = "0", description = "genre-diversity weight in [0, 1], greedy MMR (default: ${DEFAULT-VALUE})")
    double lambda;
    @Option(names = "--history", defaultValue = "10", description = "liked movies to show (default: ${DEFAULT-VALUE})")
    int history = 10;
    @Option(names = "--compare", paramLabel = "OTHER_MODEL_DIR", description = "a second model to show side by side")
    Path compare;
    @Option(names = "--no-attention", negatable = true, description = "skip the attention-based explanations")
    boolean attention = true;

    @Override
    public Integer call() throws Exception {
        ModelDirectory.Opened m = ModelDirectory.open(modelDir, null);
        MovieLensExperiment x = m.experiment();
        MovieLensData data = x.data();
        UserProfile profile = data.user(user);
        if (profile == null) throw new CliException(2, "--user " + user + ": no such user in " + data.name());
        int[] last = x.lastTrainingMonth();
        int y = year != null ? year : last[0];
        int mo = month != null ? month : last[1];
        if (mo < 1 || mo > 12) throw new CliException(2, "--month must be 1..12, got " + mo);
        Rerank rerank;
        try {
            rerank = new Rerank(alpha, lambda, 0);
        } catch (IllegalArgumentException e) {
            throw new CliException(2, "--alpha/--lambda: " + e.getMessage());
        }

        System.out.printf(Locale.ROOT, "user %d: %s, age %d, %s, zip %s%n", profile.id(), profile.gender(), profile.age(),
                profile.occupation(), profile.zip());
        printHistory(x, data);
        System.out.printf(Locale.ROOT, "%ncontext: %d-%02d, alpha %.2f, lambda %.2f%n", y, mo, alpha, lambda);

        Recommender a = recommender(m.model(), x, modelDir.getFileName().toString(), y, mo);
        long t0 = System.nanoTime();
        List<Recommendation> recs = a.recommend(user, top, rerank);
        double ms = (System.nanoTime() - t0) / 1e6;
        if (compare == null) {
            System.out.printf(Locale.ROOT, "%ntop %d for user %d (%s, %.1f ms):%n", top, user, a.name(), ms);
            for (Recommendation r : recs) {
                System.out.printf(Locale.ROOT, "%2d. %-50s %-28s score %.4f  adjusted %.4f%n", r.rank(), cut(r.title(), 50),
                        cut(String.join("|", r.genres()), 28), r.score(), r.adjustedScore());
                List<String> why = new ArrayList<>(r.reasons());
                why.addAll(r.modelReasons());
                if (!why.isEmpty()) System.out.println("    because " + String.join("; ", why));
            }
        } else {
            ModelDirectory.Opened other = ModelDirectory.open(compare, null);
            Recommender b = recommender(other.model(), other.experiment(), compare.getFileName().toString(), y, mo);
            SideBySide s = Recommender.compare(a, b, user, top, rerank);
            System.out.println();
            System.out.println(s.toText());
        }
        return 0;
    }

    private Recommender recommender(AutoIntModel model, MovieLensExperiment x, String name, int y, int mo) {
        Recommender.Builder b = Recommender.builder(x.itemIndex(), x.trainInteractions(), x.scorer(model, y, mo)).name(name);
        if (attention && model.config().layers() > 0) {
            Predictor p = model.predictor();
            List<FieldSpec> fields = model.fields();
            b.explanationHook((u, item) -> {
                EncodedDataset row = x.encoder().encodeCandidates(u, new int[] {item}, y, mo);
                return List.of(topPairs(p.attention(row, 0), fields));
            });
        }
        return b.build();
    }

    /** The two field pairs (i ≠ j) with the highest attention in the last layer, averaged over heads. */
    static String topPairs(float[][][][] att, List<FieldSpec> fields) {
        float[][][] last = att[att.length - 1];
        int f = fields.size();
        double[][] avg = new double[f][f];
        for (float[][] head : last) for (int i = 0; i < f; i++) for (int j = 0; j < f; j++) avg[i][j] += head[i][j] / last.length;
        int[] best = {-1, -1, -1, -1};
        for (int i = 0; i < f; i++) {
            for (int j = 0; j < f; j++) {
                if (i == j) continue;
                if (best[0] < 0 || avg[i][j] > avg[best[0]][best[1]]) {
                    best[2] = best[0];
                    best[3] = best[1];
                    best[0] = i;
                    best[1] = j;
                } else if (best[2] < 0 || avg[i][j] > avg[best[2]][best[3]]) {
                    best[2] = i;
                    best[3] = j;
                }
            }
        }
        return String.format(Locale.ROOT, "attention: %s→%s %.2f, %s→%s %.2f", fields.get(best[0]).name(),
                fields.get(best[1]).name(), avg[best[0]][best[1]], fields.get(best[2]).name(), fields.get(best[3]).name(),
                avg[best[2]][best[3]]);
    }

    private void printHistory(MovieLensExperiment x, MovieLensData data) {
        Ratings r = x.trainData().ratings();
        List<Integer> liked = new ArrayList<>();
        for (int i = 0; i < r.size(); i++) if (r.userIds()[i] == user && r.labels()[i] >= 0.5f) liked.add(i);
        liked.sort(Comparator.comparingLong((Integer i) -> r.timestamps()[i]).reversed());
        System.out.printf(Locale.ROOT, "liked in training: %d movies; the %d most recent:%n", liked.size(), Math.min(history, liked.size()));
        for (int i : liked.subList(0, Math.min(history, liked.size()))) {
            Movie mv = data.movie(r.movieIds()[i]);
            String title = mv == null ? "movie " + r.movieIds()[i] : mv.title();
            String genres = mv == null ? "" : String.join("|", mv.genres());
            System.out.printf(Locale.ROOT, "  %-50s %-28s rated %.0f on %s%n", cut(title, 50), cut(genres, 28), r.ratings()[i],
                    Instant.ofEpochSecond(r.timestamps()[i]).atZone(ZoneOffset.UTC).toLocalDate());
        }
    }

    static String cut(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "…";
    }
}
