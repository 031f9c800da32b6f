package dev.autoint.examples.cli;

import dev.autoint.core.model.AutoIntConfig;
import dev.autoint.core.model.AutoIntModel;
import dev.autoint.core.model.PairwiseLoss;
import dev.autoint.core.train.ConsoleProgress;
import dev.autoint.core.train.Trainer;
import dev.autoint.core.train.TrainingDivergedException;
import dev.autoint.eval.Interactions;
import dev.autoint.eval.baseline.Popularity;
import dev.autoint.eval.bundle.ModelBundle;
import dev.autoint.eval.protocol.EvalConfig;
import dev.autoint.eval.report.MetricsReport;
import dev.autoint.eval.tune.Tuner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a model, evaluate it on the held-out rows, and write a self-contained bundle: the model, "
                + "its encoder (vocabularies, scalers, catalogue, users), training interactions, held-out rows, "
                + "metrics.json and a learning-curve PNG, all verified by SHA-256 in bundle.json.")
final class TrainCommand implements Callable<Integer> {

    @Mixin
    DataOptions data = new DataOptions();
    @Mixin
    ModelOptions options = new ModelOptions();

    @Option(names = {"-o", "--out"}, defaultValue = "runs/model", description = "bundle directory to write; an existing bundle there is replaced as a whole (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--baselines", description = "also train a logistic regression and score item popularity, and print all three")
    boolean baselines;

    @Option(names = "--quiet", description = "no progress bar")
    boolean quiet;

    @Option(names = "--monitor", defaultValue = "auc", description = "validation metric for early stopping and restore-best: auc or logloss (default: ${DEFAULT-VALUE})")
    String monitor = "auc";

    @Option(names = "--checkpoints", paramLabel = "DIR", description = "write a checkpoint after every epoch into DIR/epoch-NNN")
    Path checkpoints;

    @Option(names = "--resume", paramLabel = "DIR", description = "continue from the latest checkpoint in DIR (written by --checkpoints), and keep writing checkpoints there")
    Path resume;

    @Override
    public Integer call() throws Exception {
        long t0 = System.nanoTime();
        validate();
        PreparedData d = data.prepare();
        d.summary.forEach(System.out::println);

        AutoIntConfig config = options.config();
        System.out.println("model: " + options.model + " " + config);
        AutoIntModel model = AutoIntModel.create(config, d.encoder.fieldSpecs());
        Trainer.History history;
        try {
            history = train(model, d, options, quiet, true);
        } catch (TrainingDivergedException e) {
            if (!e.bestRestored()) { // the trainer restores the best epoch so far before throwing, when there is one
                throw new CliException(5, "training diverged before any epoch was scored (" + e.getMessage()
                        + "); nothing was saved. Lower --lr (now " + options.lr + ") or set --clip-norm");
            }
            System.err.printf(Locale.ROOT, "autoint: training diverged (%s); saving the best epoch so far (%d)%n", e.getMessage(),
                    e.bestEpoch() + 1);
            history = e.history();
            save(d, model, config, history, t0, "diverged at step " + e.step());
            return 5;
        }
        System.out.printf(Locale.ROOT, "best epoch %d of %d (validation %s %.4f)%s%n", history.bestEpoch() + 1,
                history.epochs().size(), monitor, history.best() == null ? Double.NaN
                        : monitor().equals(Trainer.Monitor.AUC) ? history.best().validAuc() : history.best().validLogLoss(),
                history.stoppedEarly() ? ", stopped early" : "");
        save(d, model, config, history, t0, null);
        return 0;
    }

    private void save(PreparedData d, AutoIntModel model, AutoIntConfig config, Trainer.History history, long t0, String note)
            throws IOException {
        EvalConfig ec = EvalConfig.defaults();
        Map<String, Object> recipe = new LinkedHashMap<>();
        recipe.put("model", options.model);
        recipe.put("config", MetricsReport.configTree(config));
        recipe.put("optimizer", options.optimizer().toString());
        recipe.put("optimizerOption", options.optimizer.toLowerCase(Locale.ROOT)); // what compare --tuned passes back
        recipe.put("loss", options.loss.toLowerCase(Locale.ROOT));
        if (options.pairwiseLoss() != null) {
            recipe.put("negatives", options.negativesKind() + (options.negativesKind().equals("popularity")
                    ? " (beta " + (options.popularityBeta != null ? options.popularityBeta : 0.75) + ")" : ""));
        }
        recipe.put("epochs", options.epochs);
        recipe.put("batch", options.batch);
        recipe.put("lr", options.lr);
        recipe.put("l2Embedding", options.l2);
        recipe.put("patience", options.patience);
        recipe.put("monitor", monitor);
        recipe.put("seed", options.seed);
        ModelBundle.Builder bundle = bundle(d, model, options.model, config, recipe, history, note);
        if (baselines && note == null) {
            ModelOptions lr = options.copyAs("lr");
            AutoIntModel lrModel = AutoIntModel.create(lr.config(), d.encoder.fieldSpecs());
            train(lrModel, d, lr, true, false);
            Reports.HeldOut lrResult = Reports.heldOut(ec, d.testInteractions, lrModel.predictor().predict(d.test), d.usersAndItems);
            System.out.println(Reports.row("logistic regression", lrResult, ec.k()));
            bundle.file("metrics-baseline-lr.json", f -> Reports.write(f, d.fingerprint, d.split, "logistic regression",
                    MetricsReport.configTree(lr.config()), ec, lrResult));
            if (d.trainInteractions != null) {
                Reports.HeldOut pop = Reports.heldOut(ec, d.testInteractions, Popularity.fit(d.trainInteractions).scoreRows(d.testInteractions), true);
                System.out.println(Reports.row("item popularity", pop, ec.k()));
                bundle.file("metrics-baseline-popularity.json", f -> Reports.write(f, d.fingerprint, d.split, "item popularity", null, ec, pop));
            } else {
                System.out.println("(no item popularity baseline: the schema declares no items)");
            }
        }
        bundle.write(out);
        System.out.printf(Locale.ROOT, "%nsaved bundle %s in %.1f s%n", out, (System.nanoTime() - t0) / 1e9);
    }

    /**
     * A trained model's bundle, as train writes it: the held-out evaluation in metrics.json, the learning curve,
     * and {@code recipe}, the best epoch, the history and the test metrics as provenance; prints the metrics row.
     */
    static ModelBundle.Builder bundle(PreparedData d, AutoIntModel model, String name, AutoIntConfig config,
                                      Map<String, Object> recipe, Trainer.History history, String note) {
        EvalConfig ec = EvalConfig.defaults();
        Reports.HeldOut result = Reports.heldOut(ec, d.testInteractions, model.predictor().predict(d.test), d.usersAndItems);
        Map<String, Object> prov = new LinkedHashMap<>();
        prov.put("recipe", recipe);
        prov.put("bestEpoch", history.bestEpoch() + 1);
        if (note != null) prov.put("note", note);
        prov.put("history", history.epochs());
        prov.put("test", Map.of("auc", result.value("auc"), "logloss", result.value("logloss")));
        System.out.println();
        System.out.println(Reports.header(ec.k()));
        System.out.println(Reports.row(name, result, ec.k()));
        return d.bundle(model).provenance(prov)
                .file("metrics.json", f -> Reports.write(f, d.fingerprint, d.split, name, MetricsReport.configTree(config), ec, result))
                .file("learning-curve.png", f -> Charts.learningCurve(history.epochs(), f));
    }

    /** Every option checked before any data is read. */
    private void validate() throws IOException {
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new CliException(2, "--out " + out + " is an existing file, not a directory");
        }
        if (Files.isDirectory(out) && !ModelBundle.isBundle(out)) {
            try (Stream<Path> s = Files.list(out)) {
                if (s.findAny().isPresent()) {
                    throw new CliException(2, "--out " + out + " is a non-empty directory that is not a bundle; "
                            + "choose another directory (training replaces --out as a whole)");
                }
            }
        }
        options.validate();
        data.validate();
        if (monitor() == Trainer.Monitor.LOGLOSS && options.pairwiseLoss() != null) {
            throw new CliException(2, "--monitor logloss needs --loss bce: a ranking loss gives uncalibrated scores (use --monitor auc)");
        }
        if (resume != null && checkpoints != null && !resume.equals(checkpoints)) {
            throw new CliException(2, "--resume writes its checkpoints into its own directory; drop --checkpoints");
        }
        if (resume != null) latestCheckpoint(resume);
    }

    Trainer.Monitor monitor() {
        return switch (monitor.toLowerCase(Locale.ROOT)) {
            case "auc" -> Trainer.Monitor.AUC;
            case "logloss" -> Trainer.Monitor.LOGLOSS;
            default -> throw new CliException(2, "--monitor must be auc or logloss, got '" + monitor + "'");
        };
    }

    static Path latestCheckpoint(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) throw new CliException(3, "--resume " + dir + ": no such directory");
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().matches("epoch-\\d{3,}") && Files.isDirectory(p))
                    .max(java.util.Comparator.comparing(p -> p.getFileName().toString()))
                    .orElseThrow(() -> new CliException(3, "--resume " + dir + ": no epoch-NNN checkpoint in it"));
        }
    }

    /**
     * Trains; {@code main} is the command's model (checkpoints, resume and a pairwise loss apply to it, not to the
     * baselines, which are always trained with BCE). The compare command trains every model through here, with
     * {@code main} false.
     */
    Trainer.History train(AutoIntModel model, PreparedData d, ModelOptions o, boolean quiet, boolean main)
            throws IOException {
        int batches = (d.train.size() + o.batch - 1) / o.batch;
        Trainer.Builder b = Trainer.builder(model).optimizer(o.optimizer()).learningRate(Tuner.schedule(o.schedule, o.lr, batches))
                .epochs(o.epochs)
                .batchSize(o.batch).seed(o.seed).l2Embedding(o.l2).earlyStopping(monitor(), o.patience, true);
        if (o.threads != null) b.threads(o.threads);
        if (o.clipNorm != null) b.clipNorm(o.clipNorm);
        if (!quiet) b.listener(new ConsoleProgress());
        PairwiseLoss pairwise = main ? o.pairwiseLoss() : null;
        if (pairwise != null) b.pairwise(pairwise, o.sampler(d.encoder.catalogue(), users(d.trainInteractions)));
        if (main) {
            Path cp = resume != null ? resume : checkpoints;
            if (cp != null) b.checkpoints(cp);
            if (resume != null) b.resumeFrom(latestCheckpoint(resume));
        }
        return b.build().fit(d.train, d.valid);
    }

    /** The user of each training row, or null without interactions. */
    private static int[] users(Interactions train) {
        if (train == null) return null;
        int[] u = new int[train.size()];
        for (int r = 0; r < u.length; r++) u[r] = train.user(r);
        return u;
    }
}
