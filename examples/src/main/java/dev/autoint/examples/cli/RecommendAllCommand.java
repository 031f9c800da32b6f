package dev.autoint.examples.cli;

import dev.autoint.core.internal.io.AtomicFiles;
import dev.autoint.eval.Interactions;
import dev.autoint.eval.bundle.ModelBundle;
import dev.autoint.eval.recommend.Recommender;
import dev.autoint.eval.recommend.Recommender.Recommendation;
import dev.autoint.eval.recommend.Recommender.Rerank;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "recommend-all", mixinStandardHelpOptions = true,
        description = "Top-N recommendations for every user of the bundle's training data, over the full catalogue, in "
                + "parallel; written as CSV (user, rank, item, title, score, adjusted score).")
final class RecommendAllCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "BUNDLE", description = "a directory written by `autoint train`")
    Path bundleDir;
    @Option(names = "--top", defaultValue = "10", description = "recommendations per user (default: ${DEFAULT-VALUE})")
    int top = 10;
    @picocli.CommandLine.Mixin
    ContextOptions ctx = new ContextOptions();
    @Option(names = "--threads", description = "threads (default: available processors)")
    Integer threads;
    @Option(names = {"-o", "--out"}, required = true, description = "CSV file to write")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (top < 1 || top > 10_000) throw new CliException(2, "--top must be between 1 and 10000, got " + top);
        if (threads != null && threads < 1) throw new CliException(2, "--threads must be >= 1, got " + threads);
        if (Files.isDirectory(out)) throw new CliException(2, "--out " + out + " is a directory; give a CSV file name");
        Rerank rerank = ctx.rerank();
        Map<String, String> context = ctx.context();
        ModelBundle b = Bundles.open(bundleDir, "BUNDLE");
        RecommendCommand.requireRecommend(b, bundleDir);
        List<String> warnings = java.util.Collections.synchronizedList(new ArrayList<>());
        Recommender rec = RecommendCommand.recommender(b, bundleDir, context, warnings, false);
        Interactions train = b.trainInteractions();
        TreeSet<Integer> known = new TreeSet<>();
        for (int i = 0; i < train.size(); i++) known.add(train.user(i));
        int[] users = known.stream().mapToInt(Integer::intValue).filter(u -> b.encoder().users().get(u) != null).toArray();
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
        synchronized (warnings) {
            new TreeSet<>(warnings).forEach(w -> System.err.println("autoint: warning: " + w));
        }
        AtomicFiles.write(out, os -> {
            Writer w = new OutputStreamWriter(os, StandardCharsets.UTF_8);
            w.write("user,rank,item,title,score,adjusted_score\n");
            for (int i = 0; i < users.length; i++) {
                String key = b.encoder().users().get(users[i]).key();
                for (Recommendation r : results.get(i)) {
                    w.write(String.format(Locale.ROOT, "%s,%d,%d,\"%s\",%.6f,%.6f%n", csv(key), r.rank(), r.item(),
                            r.title().replace("\"", "\"\""), r.score(), r.adjustedScore()));
                }
            }
            w.flush();
        });
        System.out.printf(Locale.ROOT, "top-%d for %d users over %d items in %.2f s on %d threads (%.1f ms per user per thread); wrote %s%n",
                top, users.length, b.encoder().catalogue().size(), secs, nThreads, secs * 1e3 * nThreads / users.length, out);
        return 0;
    }

    private static String csv(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
