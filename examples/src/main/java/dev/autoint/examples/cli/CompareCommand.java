package dev.autoint.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.autoint.core.model.AutoIntConfig;
import dev.autoint.core.model.AutoIntModel;
import dev.autoint.core.train.Trainer;
import dev.autoint.core.train.TrainingDivergedException;
import dev.autoint.eval.baseline.Popularity;
import dev.autoint.eval.bundle.ModelBundle;
import dev.autoint.eval.protocol.EvalConfig;
import dev.autoint.eval.protocol.HeldOutProtocol;
import dev.autoint.eval.report.MetricsReport;
import dev.autoint.eval.stats.ComparisonReport;
import dev.autoint.eval.stats.ModelComparison;
import dev.autoint.eval.tune.Tuner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The compare command: trains every listed model with its default recipe once per seed on one split, evaluates
 * each on the same held-out rows with the held-out protocol, and prints one Markdown table of mean ± sd over the
 * seeds with a paired test of each model against the best. Training goes through {@link TrainCommand#train} and
 * evaluation through {@link Reports#heldOut}, the train command's own code paths; nothing is saved but the table
 * (compare.md), the runs (compare.csv) and everything together (compare.json).
 *
 * <p>The significance column pairs users: for each model, each test user's value of {@code --metric} is averaged
 * over the seeds, and {@link ModelComparison} compares the best model's per-user values with each other model's
 * (paired t-test, Wilcoxon signed-rank test, bootstrap interval of the mean difference).
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Train each model of --models with its default recipe (and with --tuned, the recipe a tune run found) "
                + "once per seed on the same split, evaluate "
                + "all on the same held-out rows, and print one Markdown table (mean ± sd over seeds) with a paired "
                + "per-user test of each model against the best; writes compare.md, compare.csv and compare.json into "
                + "--out (no bundles).")
final class CompareCommand implements Callable<Integer> {

    /** Every model the command knows, in the default order. */
    static final List<String> MODELS = List.of("autoint+", "autoint", "dcnv2", "deepfm", "xdeepfm", "fm", "lr", "popularity");

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Mixin
    DataOptions data = new DataOptions();

    @Option(names = "--models", split = ",", paramLabel = "LIST",
            defaultValue = "autoint+,autoint,dcnv2,deepfm,xdeepfm,fm,lr,popularity",
            description = "models to compare: autoint+, autoint, dcnv2, deepfm, xdeepfm, fm (each with the recipe of "
                    + "`train --model`), lr (logistic regression) and popularity (item popularity, as `train --baselines`) "
                    + "(default: ${DEFAULT-VALUE})")
    List<String> models;

    @Option(names = "--tuned", paramLabel = "DIR",
            description = "also train, once per seed, the recipe a tune run found (its --out directory or the best/ bundle "
                    + "in it; any bundle train wrote works too), as the model 'tuned', listed first")
    Path tuned;

    @Option(names = "--seeds", split = ",", paramLabel = "LIST", defaultValue = "1,2,3",
            description = "model seeds (initialisation, shuffling, dropout); the split stays the same (default: ${DEFAULT-VALUE})")
    List<Long> seeds;

    @Option(names = "--epochs", description = "maximum epochs of every model (default: the recipe's, 20, with early stopping)")
    Integer epochs;

    @Option(names = "--threads", description = "training and evaluation threads per model (default: available processors)")
    Integer threads;

    @Option(names = "--metric", defaultValue = "ndcg@10",
            description = "per-user metric of the held-out protocol that picks the best model and is tested per user: "
                    + "ndcg@10, precision@10, recall@10, hitrate@10, map@10 or mrr@10 (default: ${DEFAULT-VALUE})")
    String metric = "ndcg@10";

    @Option(names = "--progress", description = "show each training run's progress bar (default: one line per finished run)")
    boolean progress;

    @Option(names = {"-o", "--out"}, defaultValue = "runs/compare",
            description = "directory for compare.md, compare.csv and compare.json (default: ${DEFAULT-VALUE})")
    Path out;

    /** The recipe of --tuned: the bundle's model configuration and the training options it records. */
    record Tuned(Path bundle, AutoIntConfig config, ModelOptions options) {
    }

    private Tuned tunedRecipe; // null without --tuned

    /** One model trained with one seed and evaluated on the held-out rows. */
    record Run(String model, long seed, Reports.HeldOut result, double trainSeconds, int epochs, String note) {
    }

    @Override
    public Integer call() throws Exception {
        long t0 = System.nanoTime();
        EvalConfig ec = EvalConfig.defaults().withBootstrap(0, EvalConfig.defaults().bootstrapSeed());
        List<String> names = validate(ec.k());
        if (threads != null) ec = ec.withThreads(threads);
        PreparedData d = data.prepare();
        if (!d.usersAndItems) {
            throw new CliException(2, "--schema " + data.schema + " declares no user and item columns: compare ranks each test "
                    + "user's items and tests models per user, so it needs both (train --baselines compares AUC and logloss without them)");
        }
        d.summary.forEach(System.out::println);
        if (tunedRecipe != null) {
            ModelOptions t = tunedRecipe.options();
            System.out.printf(Locale.ROOT, "tuned: the recipe of %s (%s, lr %.3g, %s schedule, L2 %.3g, batch %d)%n",
                    tunedRecipe.bundle(), t.model, t.lr, t.schedule, t.l2, t.batch);
        }
        System.out.println("models: " + String.join(", ", names) + "; seeds " + seeds + "; held-out protocol, K " + ec.k());

        List<Run> runs = new ArrayList<>();
        for (String name : names) {
            if (name.equals("popularity")) {
                long t1 = System.nanoTime();
                float[] scores = Popularity.fit(d.trainInteractions).scoreRows(d.testInteractions);
                double seconds = (System.nanoTime() - t1) / 1e9;
                Reports.HeldOut r = Reports.heldOut(ec, d.testInteractions, scores, d.usersAndItems);
                for (long seed : seeds) { // deterministic: fitted once, the same result stands for every seed
                    runs.add(progress(new Run(name, seed, r, seconds, 0, "deterministic: fitted once for all seeds"), ec.k()));
                }
                continue;
            }
            for (long seed : seeds) runs.add(progress(trainAndEvaluate(name, seed, d, ec), ec.k()));
        }

        List<String> metrics = metricNames(ec.k());
        Table table = table(names, runs, metrics);
        String md = table.markdown(d.fingerprint, d.split.description());
        System.out.println();
        System.out.print(md);
        Files.createDirectories(out);
        Files.writeString(out.resolve("compare.md"), md);
        Files.writeString(out.resolve("compare.csv"), csv(runs, metrics));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("dataFingerprint", d.fingerprint);
        json.put("split", d.split);
        json.put("protocol", new HeldOutProtocol(ec).spec());
        json.put("seeds", seeds);
        Map<String, Object> recipes = new LinkedHashMap<>();
        for (String name : names) {
            if (!name.equals("popularity")) recipes.put(name, recipe(name, options(name, seeds.get(0))));
        }
        json.put("recipes", recipes);
        json.put("significance", table.significanceNote());
        json.put("models", table.json());
        json.put("runs", runs.stream().map(r -> runJson(r, metrics)).toList());
        Files.write(out.resolve("compare.json"), JSON.writeValueAsBytes(json));
        System.out.printf(Locale.ROOT, "%nwrote compare.md, compare.csv and compare.json into %s in %.1f s%n", out,
                (System.nanoTime() - t0) / 1e9);
        return 0;
    }

    /** Every option checked before any data is read; returns the model names, lower case. */
    private List<String> validate(int k) throws IOException {
        if (Files.exists(out) && !Files.isDirectory(out)) throw new CliException(2, "--out " + out + " is an existing file, not a directory");
        if (models == null || models.isEmpty()) throw new CliException(2, "--models must name at least one model");
        List<String> names = new ArrayList<>();
        for (String m : models) {
            String n = m.trim().toLowerCase(Locale.ROOT);
            if (!MODELS.contains(n)) {
                throw new CliException(2, "--models: unknown model '" + m.trim() + "' (" + String.join(", ", MODELS) + ")");
            }
            if (names.contains(n)) throw new CliException(2, "--models: '" + n + "' is listed twice");
            names.add(n);
        }
        if (tuned != null) {
            tunedRecipe = readTuned(tuned);
            names.add(0, "tuned");
        }
        if (seeds == null || seeds.isEmpty()) throw new CliException(2, "--seeds must list at least one seed");
        if (new HashSet<>(seeds).size() != seeds.size()) throw new CliException(2, "--seeds lists a seed twice: " + seeds);
        if (epochs != null && epochs < 1) throw new CliException(2, "--epochs must be >= 1, got " + epochs);
        if (threads != null && threads < 1) throw new CliException(2, "--threads must be >= 1, got " + threads);
        List<String> perUser = metricNames(k).subList(3, metricNames(k).size());
        metric = metric.trim().toLowerCase(Locale.ROOT);
        if (!perUser.contains(metric)) {
            throw new CliException(2, "--metric must be a per-user metric: " + String.join(", ", perUser) + "; got '" + metric + "'");
        }
        data.validate();
        for (String n : names) {
            if (!n.equals("popularity")) options(n, seeds.get(0)).validate();
        }
        return names;
    }

    /**
     * The train command's options for one model and seed: its recipe's defaults (for "tuned", the tuned run's
     * options), with --epochs and --threads.
     */
    private ModelOptions options(String model, long seed) {
        ModelOptions o;
        if (model.equals("tuned")) {
            o = tunedRecipe.options().copyAs(tunedRecipe.options().model);
        } else {
            o = new ModelOptions();
            o.model = model;
        }
        o.seed = seed;
        if (epochs != null) o.epochs = epochs;
        o.threads = threads;
        return o;
    }

    /** The model configuration of a run: the recipe's (for "tuned", the tuned bundle's) with the run's seed. */
    private AutoIntConfig config(String model, ModelOptions o) {
        return model.equals("tuned") ? tunedRecipe.config().withSeed(o.seed) : o.config();
    }

    /**
     * The recipe a --tuned directory records: a tune run's best/ bundle (or DIR itself when it is a bundle), its
     * model configuration and provenance.recipe (model, lr, schedule, l2Embedding, batch, epochs, patience,
     * optimizer). A pairwise loss in a train bundle's recipe is not carried over: compare trains every model with BCE.
     */
    static Tuned readTuned(Path dir) {
        Path b = Files.isRegularFile(dir.resolve("best").resolve("bundle.json")) ? dir.resolve("best") : dir;
        if (!Files.isRegularFile(b.resolve("bundle.json"))) {
            throw new CliException(2, "--tuned " + dir + ": neither a tune output directory (best/bundle.json) nor a bundle (bundle.json)");
        }
        ModelBundle bundle;
        try {
            bundle = ModelBundle.load(b);
        } catch (IOException | RuntimeException e) {
            throw new CliException(2, "--tuned " + b + ": " + e.getMessage());
        }
        if (!(bundle.manifest().provenance().get("recipe") instanceof Map<?, ?> recipe)) {
            throw new CliException(2, "--tuned " + b + ": the bundle records no training recipe (provenance.recipe)");
        }
        ModelOptions o = new ModelOptions();
        o.model = recipeValue(recipe, "model", String.class, b);
        o.lr = recipeValue(recipe, "lr", Number.class, b).floatValue();
        o.l2 = recipeValue(recipe, "l2Embedding", Number.class, b).floatValue();
        o.batch = recipeValue(recipe, "batch", Number.class, b).intValue();
        o.epochs = recipeValue(recipe, "epochs", Number.class, b).intValue();
        o.patience = recipeValue(recipe, "patience", Number.class, b).intValue();
        o.schedule = recipe.get("schedule") instanceof String s ? s : "constant";
        o.optimizer = recipe.get("optimizerOption") instanceof String s ? s : "adam";
        try {
            Tuner.schedule(o.schedule, o.lr, 1);
        } catch (IllegalArgumentException e) {
            throw new CliException(2, "--tuned " + b + ": recipe: " + e.getMessage());
        }
        return new Tuned(b, bundle.model().config(), o);
    }

    private static <T> T recipeValue(Map<?, ?> recipe, String key, Class<T> type, Path bundle) {
        Object v = recipe.get(key);
        if (!type.isInstance(v)) {
            throw new CliException(2, "--tuned " + bundle + ": recipe." + key + " is " + (v == null ? "missing" : "'" + v + "'")
                    + ", expected a " + type.getSimpleName().toLowerCase(Locale.ROOT));
        }
        return type.cast(v);
    }

    /** What the JSON records of a model's recipe (the seed varies per run). */
    private Map<String, Object> recipe(String model, ModelOptions o) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (model.equals("tuned")) {
            m.put("from", tunedRecipe.bundle().toString());
            m.put("model", o.model);
        }
        m.put("config", MetricsReport.configTree(config(model, o)));
        m.put("optimizer", o.optimizer().toString());
        m.put("epochs", o.epochs);
        m.put("batch", o.batch);
        m.put("lr", o.lr);
        m.put("schedule", o.schedule);
        m.put("l2Embedding", o.l2);
        m.put("patience", o.patience);
        m.put("monitor", "auc");
        return m;
    }

    private Run trainAndEvaluate(String name, long seed, PreparedData d, EvalConfig ec) throws IOException {
        ModelOptions o = options(name, seed);
        AutoIntModel model = AutoIntModel.create(config(name, o), d.encoder.fieldSpecs());
        long t1 = System.nanoTime();
        Trainer.History history;
        String note = null;
        try {
            history = new TrainCommand().train(model, d, o, !progress, false);
        } catch (TrainingDivergedException e) {
            if (!e.bestRestored()) {
                return new Run(name, seed, null, (System.nanoTime() - t1) / 1e9, e.history().epochs().size(),
                        "diverged before any epoch was scored (" + e.getMessage() + ")");
            }
            history = e.history();
            note = "diverged at step " + e.step() + "; best epoch " + (e.bestEpoch() + 1) + " kept";
        }
        double seconds = (System.nanoTime() - t1) / 1e9;
        Reports.HeldOut r = Reports.heldOut(ec, d.testInteractions, model.predictor().predict(d.test), d.usersAndItems);
        return new Run(name, seed, r, seconds, history.epochs().size(), note);
    }

    private static Run progress(Run r, int k) {
        if (r.result() == null) {
            System.out.printf(Locale.ROOT, "  %-10s seed %-6d %s%n", r.model(), r.seed(), r.note());
        } else {
            System.out.printf(Locale.ROOT, "  %-10s seed %-6d AUC %.4f  logloss %.4f  gAUC %.4f  NDCG@%d %.4f  %.1f s, %d epochs%s%n",
                    r.model(), r.seed(), r.result().value("auc"), r.result().value("logloss"), r.result().value("gauc"), k,
                    r.result().value("ndcg@" + k), r.trainSeconds(), r.epochs(), r.note() == null ? "" : " (" + r.note() + ")");
        }
        return r;
    }

    /** AUC, logloss and gAUC (row metrics), then the held-out protocol's per-user ranking metrics at K. */
    static List<String> metricNames(int k) {
        return List.of("auc", "logloss", "gauc", "ndcg@" + k, "precision@" + k, "recall@" + k, "hitrate@" + k, "map@" + k, "mrr@" + k);
    }

    /**
     * One model's runs summarised: mean and sample sd over seeds of every metric, the seed-averaged per-user
     * values of the tested metric, training time and epochs.
     */
    record Summary(String model, int runs, int failed, double[] mean, double[] sd, int[] users, double[] perUser,
                   double seconds, double secondsSd, double epochs) {
    }

    /** The summaries, the best model by {@code metric}, and each model's paired comparison with it. */
    record Table(List<String> metrics, List<Summary> rows, int best, Map<String, ComparisonReport> vsBest, String metric) {

        String significanceNote() {
            return "paired by test user: each user's " + metric + " averaged over the seeds; the best model (highest mean "
                    + metric + ") against each other by paired t-test, Wilcoxon signed-rank test and a bootstrap 95% interval"
                    + " of the mean difference (ModelComparison, alpha 0.05): 'worse' only when all three agree";
        }

        String markdown(String fingerprint, String split) {
            StringBuilder s = new StringBuilder();
            s.append("data: ").append(fingerprint).append('\n');
            s.append("split: ").append(split).append('\n');
            s.append("significance: ").append(significanceNote()).append("\n\n");
            s.append("| model |");
            for (String m : metrics) s.append(' ').append(label(m)).append(" |");
            s.append(" vs best: Δ ").append(label(metric)).append(" [95% CI], p (t / Wilcoxon) | train s | epochs |\n|---|");
            s.append("---|".repeat(metrics.size() + 3)).append('\n');
            for (int i = 0; i < rows.size(); i++) {
                Summary r = rows.get(i);
                s.append("| ").append(r.model()).append(r.failed() > 0 ? " (" + r.failed() + " of " + r.runs() + " diverged)" : "").append(" |");
                for (int m = 0; m < metrics.size(); m++) {
                    s.append(' ').append(meanSd(r.mean()[m], r.sd()[m], r.runs() - r.failed())).append(" |");
                }
                ComparisonReport c = vsBest.get(r.model());
                s.append(' ').append(i == best ? "**best**" : c == null ? "n/a" : cell(c)).append(" |");
                s.append(String.format(Locale.ROOT, r.runs() > 1 ? " %.1f ± %.1f" : " %.1f", r.seconds(), r.secondsSd()))
                        .append(String.format(Locale.ROOT, " | %.1f |%n", r.epochs()));
            }
            return s.toString();
        }

        private static String cell(ComparisonReport c) {
            String verdict = switch (c.verdict()) {
                case A_BETTER -> "worse";
                case B_BETTER -> "better";
                case NO_SIGNIFICANT_DIFFERENCE -> "n.s.";
            };
            return String.format(Locale.ROOT, "%s %+.4f [%+.4f, %+.4f], p %.2g / %.2g", verdict, -c.meanDifference(),
                    -c.difference().high(), -c.difference().low(), c.tTestP(), c.wilcoxonP());
        }

        private static String meanSd(double mean, double sd, int n) {
            if (Double.isNaN(mean)) return "–";
            return n > 1 ? String.format(Locale.ROOT, "%.4f ± %.4f", mean, sd) : String.format(Locale.ROOT, "%.4f", mean);
        }

        private static String label(String m) {
            String[] p = m.split("@");
            String head = switch (p[0]) {
                case "auc" -> "AUC";
                case "logloss" -> "logloss";
                case "gauc" -> "gAUC";
                case "ndcg" -> "NDCG";
                case "precision" -> "P";
                case "recall" -> "R";
                case "hitrate" -> "HR";
                case "map" -> "MAP";
                case "mrr" -> "MRR";
                default -> p[0];
            };
            return p.length > 1 ? head + "@" + p[1] : head;
        }

        List<Map<String, Object>> json() {
            List<Map<String, Object>> list = new ArrayList<>();
            for (int i = 0; i < rows.size(); i++) {
                Summary r = rows.get(i);
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("model", r.model());
                m.put("runs", r.runs());
                m.put("diverged", r.failed());
                Map<String, Object> mean = new LinkedHashMap<>(), sd = new LinkedHashMap<>();
                for (int j = 0; j < metrics.size(); j++) {
                    mean.put(metrics.get(j), finite(r.mean()[j]));
                    sd.put(metrics.get(j), finite(r.sd()[j]));
                }
                m.put("mean", mean);
                m.put("sd", sd);
                m.put("trainSeconds", r.seconds());
                m.put("epochs", r.epochs());
                m.put("best", i == best);
                ComparisonReport c = vsBest.get(r.model());
                if (c != null) {
                    Map<String, Object> cmp = new LinkedHashMap<>();
                    cmp.put("metric", c.metric());
                    cmp.put("verdict", c.verdict().toString());
                    cmp.put("users", c.n());
                    cmp.put("bestMinusThis", c.meanDifference());
                    cmp.put("ciLow", c.difference().low());
                    cmp.put("ciHigh", c.difference().high());
                    cmp.put("tTestP", c.tTestP());
                    cmp.put("wilcoxonP", c.wilcoxonP());
                    cmp.put("text", c.text());
                    m.put("vsBest", cmp);
                }
                list.add(m);
            }
            return list;
        }
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    /** Summarises the runs per model and compares each model's seed-averaged per-user values with the best's. */
    Table table(List<String> names, List<Run> runs, List<String> metrics) {
        List<Summary> rows = new ArrayList<>();
        int tested = metrics.indexOf(metric);
        int best = -1;
        for (String name : names) {
            List<Run> mine = runs.stream().filter(r -> r.model().equals(name)).toList();
            List<Run> ok = mine.stream().filter(r -> r.result() != null).toList();
            double[] mean = new double[metrics.size()], sd = new double[metrics.size()];
            for (int m = 0; m < metrics.size(); m++) {
                double[] v = new double[ok.size()];
                for (int i = 0; i < v.length; i++) v[i] = ok.get(i).result().value(metrics.get(m));
                mean[m] = mean(v);
                sd[m] = sd(v);
            }
            int[] users = null;
            double[] perUser = null;
            for (Run r : ok) {
                int[] u = r.result().protocol().users();
                double[] v = r.result().protocol().perUser(metric);
                if (users == null) {
                    users = u;
                    perUser = new double[v.length];
                } else if (!Arrays.equals(users, u)) {
                    throw new IllegalStateException("runs of " + name + " were evaluated on different users");
                }
                for (int i = 0; i < v.length; i++) perUser[i] += v[i] / ok.size();
            }
            double[] secs = mine.stream().mapToDouble(Run::trainSeconds).toArray();
            double epochsMean = mine.stream().mapToInt(Run::epochs).average().orElse(Double.NaN);
            rows.add(new Summary(name, mine.size(), mine.size() - ok.size(), mean, sd, users, perUser, mean(secs), sd(secs), epochsMean));
            int i = rows.size() - 1;
            if (!ok.isEmpty() && (best < 0 || mean[tested] > rows.get(best).mean()[tested])) best = i;
        }
        Map<String, ComparisonReport> vsBest = new LinkedHashMap<>();
        if (best >= 0) {
            Summary b = rows.get(best);
            ModelComparison cmp = new ModelComparison();
            for (int i = 0; i < rows.size(); i++) {
                Summary r = rows.get(i);
                if (i == best || r.perUser() == null) continue;
                if (!Arrays.equals(b.users(), r.users())) {
                    throw new IllegalStateException(r.model() + " and " + b.model() + " were evaluated on different users");
                }
                vsBest.put(r.model(), cmp.compare(metric, b.model(), b.perUser(), r.model(), r.perUser(), true));
            }
        }
        return new Table(metrics, rows, best, vsBest, metric);
    }

    private static double mean(double[] v) {
        if (v.length == 0) return Double.NaN;
        double s = 0;
        for (double x : v) s += x;
        return s / v.length;
    }

    /** Sample standard deviation (n − 1); 0 for one value. */
    private static double sd(double[] v) {
        if (v.length < 2) return v.length == 1 ? 0 : Double.NaN;
        double m = mean(v), s = 0;
        for (double x : v) s += (x - m) * (x - m);
        return Math.sqrt(s / (v.length - 1));
    }

    private static String csv(List<Run> runs, List<String> metrics) {
        StringBuilder s = new StringBuilder("model,seed");
        for (String m : metrics) s.append(',').append(m);
        s.append(",train_seconds,epochs,note\n");
        for (Run r : runs) {
            s.append(r.model()).append(',').append(r.seed());
            for (String m : metrics) {
                s.append(',');
                if (r.result() != null) s.append(String.format(Locale.ROOT, "%.6f", r.result().value(m)));
            }
            s.append(String.format(Locale.ROOT, ",%.3f,%d,", r.trainSeconds(), r.epochs()));
            if (r.note() != null) s.append('"').append(r.note().replace("\"", "'")).append('"');
            s.append('\n');
        }
        return s.toString();
    }

    private static Map<String, Object> runJson(Run r, List<String> metrics) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", r.model());
        m.put("seed", r.seed());
        if (r.result() != null) {
            Map<String, Object> v = new LinkedHashMap<>();
            for (String name : metrics) v.put(name, finite(r.result().value(name)));
            m.put("metrics", v);
        }
        m.put("trainSeconds", r.trainSeconds());
        m.put("epochs", r.epochs());
        if (r.note() != null) m.put("note", r.note());
        return m;
    }
}
