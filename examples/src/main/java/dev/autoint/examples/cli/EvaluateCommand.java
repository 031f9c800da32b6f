package dev.autoint.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.autoint.core.data.EncodedDataset;
import dev.autoint.data.DataFormatException;
import dev.autoint.data.table.DelimitedReader;
import dev.autoint.data.table.RawTable;
import dev.autoint.data.table.TableEncoder;
import dev.autoint.eval.CandidateScorer;
import dev.autoint.eval.Interactions;
import dev.autoint.eval.bundle.ModelBundle;
import dev.autoint.eval.protocol.EvalConfig;
import dev.autoint.eval.protocol.FullCatalogProtocol;
import dev.autoint.eval.protocol.ProtocolResult;
import dev.autoint.eval.protocol.SampledProtocol;
import dev.autoint.eval.report.MetricsReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Evaluate a bundle on its held-out rows (or on --data FILE) with the held-out, full-catalog and "
                + "sampled protocols; write metrics JSON files and per-user histogram PNGs into the bundle (or --out).")
final class EvaluateCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "BUNDLE", description = "a directory written by `autoint train`")
    Path bundleDir;

    @Option(names = "--data", paramLabel = "FILE", description = "evaluate on these rows instead (a file in the bundle's schema; not for MovieLens bundles)")
    Path data;

    @Option(names = "--k", defaultValue = "10", description = "cut-off K (default: ${DEFAULT-VALUE})")
    int k = 10;

    @Option(names = "--negatives", defaultValue = "100", description = "sampled protocol: negatives per positive (default: ${DEFAULT-VALUE})")
    int negatives = 100;

    @Option(names = "--protocols", split = ",", defaultValue = "heldout,full,sampled",
            description = "which protocols to run: heldout, full, sampled (default: ${DEFAULT-VALUE})")
    List<String> protocols;

    @Option(names = {"-o", "--out"}, description = "write metrics and charts into this directory instead of adding them to the bundle")
    Path out;

    @Override
    public Integer call() throws Exception {
        long t0 = System.nanoTime();
        if (k < 1) throw new CliException(2, "--k must be >= 1, got " + k);
        if (negatives < 1) throw new CliException(2, "--negatives must be >= 1, got " + negatives);
        for (String p : protocols) {
            if (!List.of("heldout", "full", "sampled").contains(p.trim().toLowerCase(Locale.ROOT))) {
                throw new CliException(2, "--protocols: unknown protocol '" + p + "' (heldout, full, sampled)");
            }
        }
        if (out != null && Files.exists(out) && !Files.isDirectory(out)) throw new CliException(2, "--out " + out + " is a file");
        ModelBundle b = Bundles.open(bundleDir, "BUNDLE");
        EvalConfig ec = EvalConfig.defaults().withK(k).withSampling(negatives, EvalConfig.defaults().samplingSeed());
        String name = bundleDir.toAbsolutePath().normalize().getFileName().toString();
        JsonNode config = MetricsReport.configTree(b.model().config());
        String fingerprint = Bundles.fingerprint(b);
        String splitText = Bundles.split(b);

        EncodedDataset rows;
        Interactions test;
        boolean ranking = b.canRecommend();
        if (data != null) {
            if (!(b.encoder() instanceof TableEncoder enc)) {
                throw new CliException(2, "--data works for bundles trained with --schema; a MovieLens bundle evaluates its own held-out rows");
            }
            if (!Files.isRegularFile(data)) throw new CliException(3, "--data " + data + ": no such file");
            RawTable t;
            try {
                t = DelimitedReader.read(data, enc.schema(), enc.schema().format());
            } catch (DataFormatException e) {
                throw new CliException(2, e.getMessage());
            }
            System.out.println("read " + data + ": " + t.readCounts().summary());
            rows = enc.encode(t);
            int[] u = enc.userIds(t), it = enc.itemIds(t);
            test = Interactions.of(u != null ? u : new int[t.size()], it != null ? it : new int[t.size()], t.labels(), t.timestamps());
            ranking &= u != null && it != null;
            fingerprint = data.getFileName() + " sha256 " + dev.autoint.core.internal.io.Digests.sha256(data).substring(0, 16) + " (" + t.size() + " rows)";
            splitText = "rows of " + data.getFileName();
        } else {
            if (b.heldOut() == null) throw new CliException(2, "the bundle holds no held-out rows; give --data FILE");
            rows = b.heldOut().rows();
            test = b.heldOut().interactions();
        }
        MetricsReport.SplitDescription split = new MetricsReport.SplitDescription(data != null ? "file" : "bundle", null,
                b.trainInteractions() == null ? 0 : b.trainInteractions().size(), test.size(), splitText);
        System.out.println("bundle: " + bundleDir + " (" + b.manifest().libraryVersion() + ", " + b.manifest().createdAt() + ")");
        System.out.println("data: " + fingerprint);
        System.out.println("split: " + splitText);

        Map<String, ModelBundle.FileWriter> files = new LinkedHashMap<>();
        List<String> skipped = new ArrayList<>();
        for (String p : protocols) {
            long t1 = System.nanoTime();
            String proto = p.trim().toLowerCase(Locale.ROOT);
            if (!proto.equals("heldout") && !ranking) {
                skipped.add(proto);
                continue;
            }
            final String fp = fingerprint;
            switch (proto) {
                case "heldout" -> {
                    Reports.HeldOut r = Reports.heldOut(ec, test, b.predictor().predict(rows), ranking);
                    files.put("metrics.json", f -> Reports.write(f, fp, split, name, config, ec, r));
                    if (r.protocol() != null) {
                        report(r.protocol(), t1, files);
                    } else {
                        System.out.printf(Locale.ROOT, "%nheld-out rows (%d rows): AUC %.4f  logloss %.4f%n", r.rows(), r.auc(), r.logloss());
                    }
                }
                case "full" -> {
                    CandidateScorer scorer = data == null ? b.heldOutScorer()
                            : ModelBundle.heldOutScorer(b.encoder().catalogue(), new ModelBundle.HeldOut(rows, test), b.predictor());
                    ProtocolResult r = new FullCatalogProtocol(ec).evaluate(b.encoder().catalogue(), b.trainInteractions(), test, scorer);
                    files.put("metrics-full-catalog.json", f -> Reports.write(f, fp, split, name, config, ec, r));
                    report(r, t1, files);
                }
                default -> {
                    CandidateScorer scorer = data == null ? b.heldOutScorer()
                            : ModelBundle.heldOutScorer(b.encoder().catalogue(), new ModelBundle.HeldOut(rows, test), b.predictor());
                    ProtocolResult r = new SampledProtocol(ec).evaluate(b.encoder().catalogue(), b.trainInteractions(), test, scorer);
                    files.put("metrics-sampled.json", f -> Reports.write(f, fp, split, name, config, ec, r));
                    report(r, t1, files);
                }
            }
        }
        if (!skipped.isEmpty()) {
            System.out.println("skipped " + skipped + ": ranking protocols need users, items and a catalogue (\"userColumn\" and \"items\" in the schema)");
        }
        if (out != null) {
            Files.createDirectories(out);
            for (Map.Entry<String, ModelBundle.FileWriter> e : files.entrySet()) e.getValue().write(out.resolve(e.getKey()));
            System.out.printf(Locale.ROOT, "%nwrote %d files into %s in %.1f s%n", files.size(), out, (System.nanoTime() - t0) / 1e9);
        } else {
            ModelBundle.addFiles(bundleDir, files);
            System.out.printf(Locale.ROOT, "%nadded %d files to the bundle %s in %.1f s%n", files.size(), bundleDir, (System.nanoTime() - t0) / 1e9);
        }
        return 0;
    }

    private static void report(ProtocolResult r, long t1, Map<String, ModelBundle.FileWriter> files) {
        Reports.print(System.out, String.format(Locale.ROOT, "%n%s (%d users, %.1f s):", r.spec().name(), r.users().length,
                (System.nanoTime() - t1) / 1e9), r);
        for (String metric : r.perUserMetrics()) {
            if (metric.startsWith("ndcg@") || metric.startsWith("precision@") || metric.startsWith("recall@")
                    || metric.startsWith("hitrate@")) {
                String slug = r.spec().name() + "-" + metric.replace("@", "-at-");
                files.put("histogram-" + slug + ".png", f -> Charts.histogram("Per-user " + metric + " (" + r.spec().name() + ", "
                        + r.users().length + " users)", metric, r.perUser(metric), f));
            }
        }
    }
}
