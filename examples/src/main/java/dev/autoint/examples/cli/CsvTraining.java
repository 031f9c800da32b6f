package dev.autoint.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.autoint.core.data.EncodedDataset;
import dev.autoint.core.io.AtomicFiles;
import dev.autoint.core.io.ModelFiles;
import dev.autoint.core.model.AutoIntConfig;
import dev.autoint.core.model.AutoIntModel;
import dev.autoint.core.train.Metrics;
import dev.autoint.core.train.Trainer;
import dev.autoint.data.Split;
import dev.autoint.data.Splits;
import dev.autoint.data.table.DelimitedFormat;
import dev.autoint.data.table.DelimitedReader;
import dev.autoint.data.table.RawTable;
import dev.autoint.data.table.Schema;
import dev.autoint.data.table.TableEncoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code autoint train --data FILE.csv --schema SCHEMA.json}: any delimited click log described by a JSON
 * schema (see autoint-data's {@code Schema}): a seeded random 80/10/10 split, vocabularies and scalers fit
 * on the training rows, training with early stopping, and test AUC and logloss in {@code metrics.json}.
 * Ranking protocols and recommendation need MovieLens-shaped data (users, items, a catalogue) and are not
 * offered for such models.
 */
final class CsvTraining {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private CsvTraining() {
    }

    static int run(Path csv, Path schemaFile, char delimiter, long splitSeed, ModelOptions options, Path out, boolean quiet)
            throws IOException {
        if (!Files.isRegularFile(csv)) throw new CliException(3, "--data " + csv + ": no such file");
        Schema schema;
        try {
            schema = Schema.load(schemaFile);
        } catch (IllegalArgumentException e) {
            throw new CliException(2, "--schema " + schemaFile + ": " + e.getMessage());
        }
        RawTable table = DelimitedReader.read(csv, schema, DelimitedFormat.csv().withDelimiter(delimiter));
        if (table.size() < 10) throw new CliException(2, csv + ": only " + table.size() + " usable rows");
        Split split = Splits.random(table.size(), 0.8, 0.1, splitSeed);
        RawTable trainRows = table.select(split.train());
        TableEncoder encoder = TableEncoder.fit(trainRows);
        EncodedDataset train = encoder.encode(trainRows);
        EncodedDataset valid = encoder.encode(table.select(split.valid()));
        EncodedDataset test = encoder.encode(table.select(split.test()));
        System.out.printf(Locale.ROOT, "data: %s, %d rows (%d skipped); split random 80/10/10 (seed %d)%nfields %s%n", csv,
                table.size(), table.skippedLines(), splitSeed,
                encoder.fieldSpecs().stream().map(f -> f.name() + "[" + f.vocabularySize() + "]").toList());

        AutoIntConfig config = options.config();
        AutoIntModel model = AutoIntModel.create(config, encoder.fieldSpecs());
        Trainer.History history = TrainCommand.train(model, train, valid, options, quiet);
        float[] p = model.predictor().predict(test);
        double auc = Metrics.auc(p, test.labelColumn(), test.size());
        double logloss = Metrics.logLoss(p, test.labelColumn(), test.size());

        Map<String, Object> data = new LinkedHashMap<>();
        data.put("csv", csv.toAbsolutePath().normalize().toString());
        data.put("schema", schemaFile.toAbsolutePath().normalize().toString());
        data.put("splitSeed", splitSeed);
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("csvData", data);
        provenance.put("history", history.epochs());
        provenance.put("test", Map.of("auc", auc, "logloss", logloss));
        ModelFiles.save(model, out, provenance);
        encoder.save(out.resolve(ModelDirectory.ENCODER));
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("dataset", csv.getFileName() + ": " + table.size() + " rows");
        metrics.put("split", "random 80/10/10, seed " + splitSeed);
        metrics.put("protocol", "test rows scored individually; AUC (ties averaged) and logloss (clipped at 1e-7)");
        metrics.put("model", options.model);
        metrics.put("modelConfig", config);
        metrics.put("metrics", Map.of("auc", auc, "logloss", logloss, "testRows", test.size()));
        AtomicFiles.writeBytes(out.resolve("metrics.json"), JSON.writeValueAsBytes(metrics));
        Charts.learningCurve(history.epochs(), out.resolve("learning-curve.png"));
        System.out.printf(Locale.ROOT, "%ntest AUC %.4f  logloss %.4f on %d rows%nsaved %s%n", auc, logloss, test.size(), out);
        return 0;
    }
}
