package dev.autoint.examples.cli;

import dev.autoint.core.io.AtomicFiles;
import dev.autoint.eval.movielens.MovieLensExperiment;
import dev.autoint.eval.recommend.Recommendation;
import dev.autoint.eval.recommend.Recommender;
import dev.autoint.eval.recommend.Rerank;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "recommend-all", mixinStandardHelpOptions = true,
        description = "Top-N recommendations for every user with ratings, over the full catalogue, in parallel; "
                + "written as CSV (user, rank, movie, title, score, adjusted score).")
final class RecommendAllCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MODEL_DIR", description = "a directory written by `autoint train`")
    Path modelDir;
    @Option(names = "--top", defaultValue = "10", description = "recommendations per user (default: ${DEFAULT-VALUE})")
    int top = 10;
    @Option(names = "--alpha", defaultValue = "0", description = "recency weight (default: ${DEFAULT-VALUE})")
    double alpha;
    @Option(names = "--lambda", defaultValue = "0", description = "genre-diversity weight (default: ${DEFAULT-VALUE})")
    double lambda;
    @Option(names = "--threads", description = "threads (default: available processors)")
    Integer threads;
    @Option(names = {"-o", "--out"}, description = "CSV file (default: MODEL_DIR/recommendations.csv)")
    Path out;

    @Override
    public Integer call() throws Exception {
        ModelDirectory.Opened m = ModelDirectory.open(modelDir, null);
        MovieLensExperiment x = m.experiment();
        int[] when = x.lastTrainingMonth();
        Recommender rec = Recommender.builder(x.itemIndex(), x.trainInteractions(),
                x.scorer(m.model(), when[0], when[1])).name(modelDir.getFileName().toString()).build();
        Rerank rerank = new Rerank(alpha, lambda, 0);
        TreeSet<Integer> rated = new TreeSet<>(); // every user with at least one rating
        for (int u : x.data().ratings().userIds()) rated.add(u);
        int[] users = rated.stream().mapToInt(Integer::intValue).toArray();
        int nThreads = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        rec.recommend(users[0], top, rerank); // warm-up
        long t0 = System.nanoTime();
        List<List<Recommendation>> results = new ArrayList<>(users.length);
        ExecutorService pool = Executors.newFixedThreadPool(nThreads);
        try {
            List<Future<List<Recommendation>>> fs = new ArrayList<>(users.length);
            for (int u : users) fs.add(pool.submit(() -> rec.recommend(u, top, rerank)));
            for (Future<List<Recommendation>> f : fs) results.add(f.get());
        } finally {
            pool.shutdown();
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        Path file = out != null ? out : modelDir.resolve("recommendations.csv");
        AtomicFiles.write(file, os -> {
            Writer w = new OutputStreamWriter(os, StandardCharsets.UTF_8);
            w.write("user,rank,movie,title,score,adjusted_score\n");
            for (int i = 0; i < users.length; i++) {
                for (Recommendation r : results.get(i)) {
                    w.write(String.format(Locale.ROOT, "%d,%d,%d,\"%s\",%.6f,%.6f%n", users[i], r.rank(), r.item(),
                            r.title().replace("\"", "\"\""), r.score(), r.adjustedScore()));
                }
            }
            w.flush();
        });
        System.out.printf(Locale.ROOT, "top-%d for %d users over %d movies in %.2f s on %d threads (%.1f ms per user per thread); wrote %s%n",
                top, users.length, x.catalog().itemIds().length, secs, nThreads, secs * 1e3 * nThreads / users.length, file);
        return 0;
    }
}
