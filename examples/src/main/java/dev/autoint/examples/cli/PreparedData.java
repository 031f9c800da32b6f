package dev.autoint.examples.cli;

import dev.autoint.core.data.EncodedDataset;
import dev.autoint.core.internal.io.Digests;
import dev.autoint.core.model.AutoIntModel;
import dev.autoint.data.DataFormatException;
import dev.autoint.data.FeatureEncoder;
import dev.autoint.data.SplitSpec;
import dev.autoint.data.SplitSpec.Split;
import dev.autoint.data.movielens.MovieLensData;
import dev.autoint.data.table.DelimitedFormat;
import dev.autoint.data.table.DelimitedReader;
import dev.autoint.data.table.RawTable;
import dev.autoint.data.table.Schema;
import dev.autoint.data.table.TableEncoder;
import dev.autoint.eval.Interactions;
import dev.autoint.eval.bundle.ModelBundle;
import dev.autoint.eval.movielens.MovieLensExperiment;
import dev.autoint.eval.report.MetricsReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Training data made ready for the train command, from MovieLens ({@link MovieLensExperiment}) or from
 * delimited files described by a schema (given train/valid/test files, or one file split here): the
 * fitted encoder, encoded parts, interactions, and what the bundle records about them.
 */
final class PreparedData {

    final FeatureEncoder encoder;
    final EncodedDataset train;
    final EncodedDataset valid;
    final EncodedDataset test;
    /** Training interactions; null when the data has no users and items. */
    final Interactions trainInteractions;
    final float[] trainTargets;
    /** Held-out interactions (user and item 0 when the data has none), aligned with {@link #test}. */
    final Interactions testInteractions;
    final boolean usersAndItems;
    final String fingerprint;
    final MetricsReport.SplitDescription split;
    final Map<String, Object> provenance;
    final List<String> summary;

    private PreparedData(FeatureEncoder encoder, EncodedDataset train, EncodedDataset valid, EncodedDataset test,
                         Interactions trainInteractions, float[] trainTargets, Interactions testInteractions,
                         boolean usersAndItems, String fingerprint, MetricsReport.SplitDescription split, Map<String, Object> provenance,
                         List<String> summary) {
        this.encoder = encoder;
        this.train = train;
        this.valid = valid;
        this.test = test;
        this.trainInteractions = trainInteractions;
        this.trainTargets = trainTargets;
        this.testInteractions = testInteractions;
        this.usersAndItems = usersAndItems;
        this.fingerprint = fingerprint;
        this.split = split;
        this.provenance = provenance;
        this.summary = summary;
    }

    static PreparedData movieLens(DataOptions data) throws IOException {
        MovieLensData raw = data.load();
        MovieLensExperiment x = MovieLensExperiment.prepare(raw, data.featurePreset(), data.splitSpec());
        SplitSpec s = x.split();
        MetricsReport.SplitDescription split = new MetricsReport.SplitDescription(s.kind(), s instanceof SplitSpec.Random r ? r.seed() : null,
                x.train().size() + x.valid().size(), x.test().size(), s.describe());
        Map<String, Object> prov = new LinkedHashMap<>();
        prov.put("data", data.describe());
        prov.put("dataFingerprint", x.fingerprint());
        prov.put("split", s.describe());
        List<String> summary = List.of("data: " + x.fingerprint(), "split: " + s.describe(),
                String.format(Locale.ROOT, "rows: train %d, valid %d, test %d", x.train().size(), x.valid().size(), x.test().size()));
        return new PreparedData(x.encoder(), x.train(), x.valid(), x.test(), x.trainInteractions(),
                x.trainData().ratings().ratings(), x.testInteractions(), true, x.fingerprint(), split, prov, summary);
    }

    /**
     * A table: {@code trainFile} alone is split (global temporal 70/10/20 when the schema has a timestamp
     * column, else seeded random 80/10/10); with {@code testFile} the given files are used as they are
     * ({@code validFile} optional: else the last 10% of training by time, or a random 10%).
     */
    static PreparedData table(Path trainFile, Path validFile, Path testFile, Schema schema, long splitSeed) throws IOException {
        List<String> summary = new ArrayList<>();
        DelimitedFormat format = schema.format();
        RawTable all = read(trainFile, schema, format, summary);
        RawTable trainRows, validRows, testRows;
        String splitText;
        SplitSpec spec = null;
        if (testFile != null) {
            testRows = read(testFile, schema, format, summary);
            if (validFile != null) {
                validRows = read(validFile, schema, format, summary);
                trainRows = all;
                splitText = "given files: train " + trainFile.getFileName() + ", valid " + validFile.getFileName() + ", test " + testFile.getFileName();
            } else {
                SplitSpec lastTenth = all.timestamps() != null ? SplitSpec.globalTemporal(0.9, 0) : SplitSpec.random(0.9, 0, splitSeed);
                Split s = lastTenth.apply(all.size(), null, all.timestamps());
                trainRows = all.select(s.train());
                validRows = all.select(s.test());
                splitText = "given test file " + testFile.getFileName() + "; validation: the "
                        + (all.timestamps() != null ? "last 10% of " + trainFile.getFileName() + " by time" : "random 10% of " + trainFile.getFileName() + " (seed " + splitSeed + ")");
            }
        } else {
            if (validFile != null) throw new CliException(2, "--valid needs --test as well (or give neither to split --data)");
            // 70/10/20 by time (validation: the last 12.5% of the first 80%), else random 80/10/10
            spec = all.timestamps() != null ? SplitSpec.globalTemporal(0.8, 0.1 / 0.8) : SplitSpec.random(0.8, 0.1, splitSeed);
            Split s = spec.apply(all.size(), null, all.timestamps());
            splitText = spec.describe();
            trainRows = all.select(s.train());
            validRows = all.select(s.valid());
            testRows = all.select(s.test());
        }
        if (trainRows.size() < 2) throw new CliException(2, trainFile + ": only " + trainRows.size() + " training rows after the split");
        checkBothClasses(trainFile, trainRows);
        TableEncoder enc = TableEncoder.fit(trainRows);
        EncodedDataset train = enc.encode(trainRows), valid = enc.encode(validRows), test = enc.encode(testRows);
        int[] tu = enc.userIds(trainRows), ti = enc.itemIds(trainRows);
        boolean ui = tu != null && ti != null;
        Interactions trainInteractions = ui ? Interactions.of(tu, ti, trainRows.labels(), trainRows.timestamps()) : null;
        int[] su = enc.userIds(testRows), si = enc.itemIds(testRows);
        Interactions testInteractions = Interactions.of(su != null ? su : new int[testRows.size()],
                si != null ? si : new int[testRows.size()], testRows.labels(), testRows.timestamps());
        StringBuilder fp = new StringBuilder();
        Map<String, Object> files = new LinkedHashMap<>();
        for (Path f : new Path[] {trainFile, validFile, testFile}) {
            if (f == null) continue;
            String sha = Digests.sha256(f);
            files.put(f.getFileName().toString(), Map.of("path", f.toAbsolutePath().normalize().toString(), "sha256", sha,
                    "bytes", Files.size(f)));
            if (fp.length() > 0) fp.append("; ");
            fp.append(f.getFileName()).append(" sha256 ").append(sha, 0, 16);
        }
        String fingerprint = fp + String.format(Locale.ROOT, " (%d train, %d valid, %d test rows)", train.size(), valid.size(), test.size());
        Map<String, Object> prov = new LinkedHashMap<>();
        prov.put("data", Map.of("files", files, "schema", schema.toJson()));
        prov.put("dataFingerprint", fingerprint);
        prov.put("split", splitText);
        summary.add("split: " + splitText);
        summary.add(String.format(Locale.ROOT, "rows: train %d, valid %d, test %d; fields %s", train.size(), valid.size(), test.size(),
                enc.fieldSpecs().stream().map(f -> f.name() + "[" + f.vocabularySize() + "]").toList()));
        if (ui) summary.add("catalogue: " + enc.catalogue().size() + " items, " + enc.users().size() + " users");
        MetricsReport.SplitDescription split = new MetricsReport.SplitDescription(spec == null ? "given" : spec.kind(),
                spec instanceof SplitSpec.Random r ? r.seed() : null, train.size() + valid.size(), test.size(), splitText);
        return new PreparedData(enc, train, valid, test, trainInteractions, null, testInteractions, ui, fingerprint, split,
                prov, summary);
    }

    private static RawTable read(Path file, Schema schema, DelimitedFormat format, List<String> summary) throws IOException {
        if (!Files.isRegularFile(file)) throw new CliException(3, file + ": no such file");
        RawTable t;
        try {
            t = DelimitedReader.read(file, schema, format);
        } catch (DataFormatException e) {
            throw new CliException(2, e.getMessage());
        }
        summary.add("read " + file.getFileName() + ": " + t.readCounts().summary());
        if (t.size() == 0) throw new CliException(2, file + ": no usable rows: " + t.readCounts().summary());
        return t;
    }

    private static void checkBothClasses(Path file, RawTable t) {
        if (t.positives() == 0 || t.negatives() == 0) {
            throw new CliException(2, file + ": every training row is " + (t.positives() == 0 ? "negative" : "positive")
                    + " under the label rule (" + t.readCounts().summary() + "): check \"labelRule\" in the schema");
        }
    }

    /** A bundle of {@code model} on this data, with its interactions and held-out rows. */
    ModelBundle.Builder bundle(AutoIntModel model) {
        ModelBundle.Builder b = ModelBundle.builder(model, encoder).heldOut(test, testInteractions).provenance(provenance);
        if (trainInteractions != null) b.trainInteractions(trainInteractions, trainTargets);
        return b;
    }
}
