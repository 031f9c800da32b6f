package dev.autoint.examples.cli;

import dev.autoint.eval.CandidateScorer;
import dev.autoint.eval.Interactions;
import dev.autoint.eval.ItemIndex;
import dev.autoint.eval.movielens.MovieLensExperiment;
import dev.autoint.eval.protocol.EvalConfig;
import dev.autoint.eval.protocol.FullCatalogProtocol;
import dev.autoint.eval.protocol.HeldOutProtocol;
import dev.autoint.eval.protocol.ProtocolResult;
import dev.autoint.eval.protocol.SampledProtocol;
import dev.autoint.eval.report.MetricsJson;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Evaluate a saved model with the held-out re-ranking, full-catalog and sampled protocols; "
                + "write metrics JSON files and per-user histogram PNGs.")
final class EvaluateCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MODEL_DIR", description = "a directory written by `autoint train`")
    Path modelDir;

    @Option(names = "--k", defaultValue = "10", description = "cut-off K (default: ${DEFAULT-VALUE})")
    int k = 10;

    @Option(names = "--negatives", defaultValue = "100", description = "sampled protocol: negatives per positive (default: ${DEFAULT-VALUE})")
    int negatives = 100;

    @Option(names = "--protocols", split = ",", defaultValue = "heldout,full,sampled",
            description = "which protocols to run: heldout, full, sampled (default: ${DEFAULT-VALUE})")
    java.util.List<String> protocols;

    @Option(names = {"-o", "--out"}, description = "where to write metrics and charts (default: the model directory)")
    Path out;

    @Override
    public Integer call() throws Exception {
        long t0 = System.nanoTime();
        ModelDirectory.Opened m = ModelDirectory.open(modelDir, null);
        Path dir = out != null ? out : modelDir;
        MovieLensExperiment x = m.experiment();
        EvalConfig ec = EvalConfig.defaults().withK(k).withSampling(negatives, EvalConfig.defaults().samplingSeed());
        String name = modelDir.getFileName().toString();
        var config = MetricsJson.toTree(m.model().config());
        System.out.println("data: " + x.fingerprint());
        System.out.println("split: " + x.split().describe());
        Interactions train = x.trainInteractions();
        Interactions test = x.testInteractions();
        CandidateScorer scorer = x.scorer(m.model());
        ItemIndex index = x.itemIndex();
        for (String p : protocols) {
            long t1 = System.nanoTime();
            ProtocolResult r;
            String file;
            switch (p.trim().toLowerCase(Locale.ROOT)) {
                case "heldout" -> {
                    r = new HeldOutProtocol(ec).evaluate(test, x.scoreTest(m.model()));
                    file = "metrics.json";
                }
                case "full" -> {
                    r = new FullCatalogProtocol(ec).evaluate(index, train, test, scorer);
                    file = "metrics-full-catalog.json";
                }
                case "sampled" -> {
                    r = new SampledProtocol(ec).evaluate(index, train, test, scorer);
                    file = "metrics-sampled.json";
                }
                default -> throw new CliException(2, "--protocols: unknown protocol '" + p + "' (heldout, full, sampled)");
            }
            Reports.print(System.out, String.format(Locale.ROOT, "%n%s (%d users, %.1f s): %s", r.spec().name(), r.users().length,
                    (System.nanoTime() - t1) / 1e9, dir.resolve(file)), r);
            Reports.write(dir.resolve(file), x, name, config, ec, r);
            for (String metric : r.perUserMetrics()) {
                if (metric.startsWith("ndcg@") || metric.startsWith("precision@") || metric.startsWith("recall@")
                        || metric.startsWith("hitrate@")) {
                    String slug = r.spec().name() + "-" + metric.replace("@", "-at-");
                    Charts.histogram("Per-user " + metric + " (" + r.spec().name() + ", " + r.users().length + " users)",
                            metric, r.perUser(metric), dir.resolve("histogram-" + slug + ".png"));
                }
            }
        }
        System.out.printf(Locale.ROOT, "%nevaluated in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        return 0;
    }
}
