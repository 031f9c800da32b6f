package dev.autoint.examples.cli;

import dev.autoint.core.io.ModelFiles;
import dev.autoint.core.model.AutoIntConfig;
import dev.autoint.core.model.AutoIntModel;
import dev.autoint.core.train.ConsoleProgress;
import dev.autoint.core.train.Trainer;
import dev.autoint.data.movielens.MovieLensData;
import dev.autoint.eval.Interactions;
import dev.autoint.eval.movielens.MovieLensExperiment;
import dev.autoint.eval.protocol.EvalConfig;
import dev.autoint.eval.protocol.HeldOutProtocol;
import dev.autoint.eval.protocol.ProtocolResult;
import dev.autoint.eval.report.MetricsJson;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a model, evaluate it on the held-out part, and save it with its vocabularies, "
                + "metrics.json and a learning-curve PNG.")
final class TrainCommand implements Callable<Integer> {

    @Mixin
    DataOptions data = new DataOptions();
    @Mixin
    ModelOptions options = new ModelOptions();

    @Option(names = {"-o", "--out"}, defaultValue = "runs/model", description = "model directory to write (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--baselines", description = "also train a logistic regression and score item popularity, and print all three")
    boolean baselines;

    @Option(names = "--quiet", description = "no progress bar")
    boolean quiet;

    @Option(names = "--schema", paramLabel = "SCHEMA.json",
            description = "train on a delimited file: --data is then a CSV file and this JSON schema names its fields, "
                    + "their kinds and the label column")
    Path schema;

    @Option(names = "--delimiter", defaultValue = ",", description = "field delimiter of a --schema file (default: ${DEFAULT-VALUE})")
    char delimiter = ',';

    @Override
    public Integer call() throws Exception {
        long t0 = System.nanoTime();
        if (schema != null) {
            return CsvTraining.run(Path.of(data.data), schema, delimiter, data.splitSeed, options, out, quiet);
        }
        MovieLensData raw = data.load();
        MovieLensExperiment x = MovieLensExperiment.prepare(raw, data.featurePreset(), data.splitSpec());
        System.out.printf(Locale.ROOT, "data: %s%nsplit: %s%nrows: train %d, valid %d, test %d; fields %s%n",
                x.fingerprint(), x.split().describe(), x.train().size(), x.valid().size(), x.test().size(),
                x.encoder().fieldSpecs().stream().map(f -> f.name() + "[" + f.vocabularySize() + "]").toList());

        AutoIntConfig config = options.config();
        System.out.println("model: " + options.model + " " + config);
        AutoIntModel model = AutoIntModel.create(config, x.encoder().fieldSpecs());
        Trainer.History history = train(model, x, options, quiet);
        System.out.printf(Locale.ROOT, "best epoch %d of %d (validation AUC %.4f)%s%n", history.bestEpoch() + 1,
                history.epochs().size(), history.best() == null ? Double.NaN : history.best().validAuc(),
                history.stoppedEarly() ? ", stopped early" : "");

        EvalConfig ec = EvalConfig.defaults();
        HeldOutProtocol heldOut = new HeldOutProtocol(ec);
        Interactions test = x.testInteractions();
        ProtocolResult result = heldOut.evaluate(test, x.scoreTest(model));

        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("data", data.describe());
        provenance.put("dataFingerprint", x.fingerprint());
        provenance.put("split", x.split().describe());
        provenance.put("optimizer", options.optimizer().toString());
        provenance.put("training", Map.of("epochs", options.epochs, "batch", options.batch, "lr", options.lr,
                "l2Embedding", options.l2, "patience", options.patience, "bestEpoch", history.bestEpoch() + 1));
        provenance.put("history", history.epochs());
        provenance.put("test", Map.of("auc", result.value("auc"), "logloss", result.value("logloss"),
                "gauc", result.value("gauc"), "ndcg@10", result.value("ndcg@10")));
        ModelFiles.save(model, out, provenance);
        x.encoder().save(out.resolve(ModelDirectory.ENCODER));
        Reports.write(out.resolve("metrics.json"), x, options.model, MetricsJson.toTree(config), ec, result);
        Charts.learningCurve(history.epochs(), out.resolve("learning-curve.png"));

        System.out.println();
        System.out.println(Reports.header(ec.k()));
        System.out.println(Reports.row(options.model, result, ec.k()));
        if (baselines) {
            ModelOptions lr = new ModelOptions();
            lr.model = "lr";
            lr.seed = options.seed;
            lr.epochs = options.epochs;
            lr.batch = options.batch;
            lr.lr = options.lr;
            lr.l2 = options.l2;
            lr.patience = options.patience;
            lr.threads = options.threads;
            AutoIntModel lrModel = AutoIntModel.create(lr.config(), x.encoder().fieldSpecs());
            train(lrModel, x, lr, true);
            ProtocolResult lrResult = heldOut.evaluate(test, x.scoreTest(lrModel));
            System.out.println(Reports.row("logistic regression", lrResult, ec.k()));
            ProtocolResult pop = heldOut.evaluate(test, popularity(x));
            System.out.println(Reports.row("item popularity", pop, ec.k()));
            Reports.write(out.resolve("metrics-baseline-lr.json"), x, "logistic regression", MetricsJson.toTree(lr.config()), ec, lrResult);
            Reports.write(out.resolve("metrics-baseline-popularity.json"), x, "item popularity", null, ec, pop);
        }
        System.out.printf(Locale.ROOT, "%nsaved %s (model.safetensors, model.json, encoder.json, metrics.json, learning-curve.png) in %.1f s%n",
                out, (System.nanoTime() - t0) / 1e9);
        return 0;
    }

    static Trainer.History train(AutoIntModel model, MovieLensExperiment x, ModelOptions o, boolean quiet) {
        return train(model, x.train(), x.valid(), o, quiet);
    }

    static Trainer.History train(AutoIntModel model, dev.autoint.core.data.EncodedDataset train,
                                 dev.autoint.core.data.EncodedDataset valid, ModelOptions o, boolean quiet) {
        Trainer.Builder b = Trainer.builder(model).optimizer(o.optimizer()).learningRate(o.lr).epochs(o.epochs)
                .batchSize(o.batch).seed(o.seed).l2Embedding(o.l2).earlyStopping(Trainer.Monitor.AUC, o.patience, true);
        if (o.threads != null) b.threads(o.threads);
        if (!quiet) b.listener(new ConsoleProgress());
        return b.build().fit(train, valid);
    }

    /**
     * Item popularity: each test row scored by its movie's positive rate in training, smoothed towards the
     * global rate with 10 pseudo-ratings ({@code (pos + 10·p̄) / (n + 10)}), so unseen movies get p̄.
     */
    static float[] popularity(MovieLensExperiment x) {
        Map<Integer, int[]> counts = new HashMap<>();
        Interactions tr = x.trainInteractions();
        long positives = 0;
        for (int i = 0; i < tr.size(); i++) {
            int[] c = counts.computeIfAbsent(tr.item(i), k -> new int[2]);
            c[1]++;
            if (tr.label(i) >= 0.5f) {
                c[0]++;
                positives++;
            }
        }
        double prior = (double) positives / tr.size();
        Interactions te = x.testInteractions();
        float[] s = new float[te.size()];
        for (int i = 0; i < s.length; i++) {
            int[] c = counts.getOrDefault(te.item(i), new int[2]);
            s[i] = (float) ((c[0] + 10 * prior) / (c[1] + 10));
        }
        return s;
    }
}
