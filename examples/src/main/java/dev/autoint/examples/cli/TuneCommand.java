package dev.autoint.examples.cli;

import dev.autoint.core.model.AutoIntConfig;
import dev.autoint.core.model.Interaction;
import dev.autoint.core.train.Trainer;
import dev.autoint.eval.report.MetricsReport;
import dev.autoint.eval.tune.SearchSpace;
import dev.autoint.eval.tune.SearchSpace.Target;
import dev.autoint.eval.tune.Tuner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "tune", mixinStandardHelpOptions = true,
        description = "Search hyper-parameters (random search or TPE) within a trial budget, trials early-stopped and "
                + "median-pruned on validation AUC, several at once; writes trials.md, trials.csv, trials.png and the "
                + "best trial's bundle (as train writes it) into --out/best. The model options set the base the "
                + "searched values override.")
final class TuneCommand implements Callable<Integer> {

    /** The searchable parameters and their ranges, by the name --params uses. */
    static final Map<String, String> PARAMS = new LinkedHashMap<>();

    static {
        PARAMS.put("lr", "learning rate, log-uniform [1e-4, 1e-2]");
        PARAMS.put("embedding", "embedding size, one of 8, 16, 32");
        PARAMS.put("layers", "interacting layers, 1 to 3 (attention models)");
        PARAMS.put("heads", "attention heads, one of 1, 2, 4 (attention models)");
        PARAMS.put("dnn", "DNN units, one of none, 32-32, 64-32, 128-64");
        PARAMS.put("dropout", "DNN dropout, uniform [0, 0.5]");
        PARAMS.put("l2", "embedding L2, log-uniform [1e-7, 1e-4]");
        PARAMS.put("schedule", "learning-rate schedule: constant, plateau or warmup");
        PARAMS.put("interaction", "model family: attention, fm, cross (DCN-v2), cin (xDeepFM)");
    }

    @Mixin
    DataOptions data = new DataOptions();
    @Mixin
    ModelOptions options = new ModelOptions();

    @Option(names = "--trials", defaultValue = "8", description = "trial budget (default: ${DEFAULT-VALUE})")
    int trials = 8;

    @Option(names = "--search", defaultValue = "tpe", description = "random or tpe (default: ${DEFAULT-VALUE})")
    String search = "tpe";

    @Option(names = "--parallel", defaultValue = "2",
            description = "trials at once; each trains with --threads threads (default 1), so keep parallel x threads "
                    + "within the cores (default: ${DEFAULT-VALUE})")
    int parallel = 2;

    @Option(names = "--params", split = ",", defaultValue = "lr,embedding,layers,heads,dnn,dropout,l2,schedule",
            description = "parameters to search: lr, embedding, layers, heads, dnn, dropout, l2, schedule, interaction "
                    + "(ranges in README, Tuning) (default: ${DEFAULT-VALUE})")
    List<String> params;

    @Option(names = "--startup", defaultValue = "4", description = "tpe: random trials before TPE proposes, >= 2 (default: ${DEFAULT-VALUE})")
    int startup = 4;

    @Option(names = "--prune-after", defaultValue = "3",
            description = "median pruning needs this many completed trials; 0 = no pruning (default: ${DEFAULT-VALUE})")
    int pruneAfter = 3;

    @Option(names = {"-o", "--out"}, defaultValue = "runs/tune",
            description = "directory for trials.md, trials.csv, trials.png and the best bundle in best/ (default: ${DEFAULT-VALUE})")
    Path out;

    @Override
    public Integer call() throws Exception {
        long t0 = System.nanoTime();
        Tuner.Search s = searchKind();
        SearchSpace space = space();
        if (trials < 1) throw new CliException(2, "--trials must be >= 1, got " + trials);
        if (parallel < 1) throw new CliException(2, "--parallel must be >= 1, got " + parallel);
        if (startup < 2) throw new CliException(2, "--startup must be >= 2, got " + startup);
        if (pruneAfter < 0) throw new CliException(2, "--prune-after must be >= 0, got " + pruneAfter);
        if (Files.exists(out) && !Files.isDirectory(out)) throw new CliException(2, "--out " + out + " is an existing file, not a directory");
        options.validate();
        data.validate();
        AutoIntConfig base = options.config();
        if (options.model.equalsIgnoreCase("lr")) throw new CliException(2, "--model lr has no interactions to tune; choose another --model");
        int threads = options.threads != null ? options.threads : 1;

        PreparedData d = data.prepare();
        d.summary.forEach(System.out::println);
        System.out.printf(Locale.ROOT, "tuning %s: %d trials, %s search, %d at once x %d thread(s), seed %d%n", options.model, trials,
                s.name().toLowerCase(Locale.ROOT), parallel, threads, options.seed);
        Tuner.Result r = Tuner.builder(space).search(s).trials(trials).parallel(parallel, threads).seed(options.seed)
                .tpe(startup, 0.25).pruning(1, pruneAfter).baseConfig(base)
                .training(options.optimizer(), options.lr, options.l2, options.batch)
                .epochs(options.epochs, Trainer.Monitor.AUC, options.patience)
                .progress(t -> System.out.printf(Locale.ROOT, "trial %d/%d: %s -> valid AUC %.4f, logloss %.4f (%d epochs, %s) %.1f s%n",
                        t.index() + 1, trials, t.describe(), t.validAuc(), t.validLogLoss(), t.history().epochs().size(),
                        t.status().name().toLowerCase(Locale.ROOT), t.seconds()))
                .build().run(d.train, d.valid);

        Files.createDirectories(out);
        Files.writeString(out.resolve("trials.md"), r.markdown());
        Files.writeString(out.resolve("trials.csv"), r.csv(true));
        Charts.tuning(r.trials(), out.resolve("trials.png"));
        System.out.println();
        System.out.print(r.markdown());
        Tuner.Trial best = r.best();
        if (best == null) throw new CliException(5, "every trial diverged; nothing was saved. Lower --lr or narrow --params");
        System.out.printf(Locale.ROOT, "%nbest: trial %d, valid AUC %.4f (%s)%n", best.index() + 1, best.validAuc(), best.describe());
        Map<String, Object> recipe = new LinkedHashMap<>();
        recipe.put("model", options.model);
        recipe.put("config", MetricsReport.configTree(best.config()));
        recipe.put("optimizer", options.optimizer().toString());
        recipe.put("optimizerOption", options.optimizer.toLowerCase(Locale.ROOT)); // what compare --tuned passes back
        recipe.put("epochs", options.epochs);
        recipe.put("batch", options.batch);
        recipe.put("lr", best.learningRate());
        recipe.put("schedule", best.schedule());
        recipe.put("l2Embedding", best.l2());
        recipe.put("patience", options.patience);
        recipe.put("monitor", "auc");
        recipe.put("seed", options.seed);
        recipe.put("tune", Map.of("trial", best.index() + 1, "trials", trials, "search", s.name().toLowerCase(Locale.ROOT),
                "parallel", parallel, "params", String.join(",", params)));
        Path bundleDir = out.resolve("best");
        TrainCommand.bundle(d, r.bestModel(), options.model + " (tuned)", best.config(), recipe, best.history(), null)
                .file("trials.md", f -> Files.writeString(f, r.markdown())).write(bundleDir);
        System.out.printf(Locale.ROOT, "%nwrote %s (trials.md, trials.csv, trials.png) and the best bundle %s in %.1f s%n", out,
                bundleDir, (System.nanoTime() - t0) / 1e9);
        return 0;
    }

    Tuner.Search searchKind() {
        return switch (search.toLowerCase(Locale.ROOT)) {
            case "random" -> Tuner.Search.RANDOM;
            case "tpe" -> Tuner.Search.TPE;
            default -> throw new CliException(2, "--search must be random or tpe, got '" + search + "'");
        };
    }

    SearchSpace space() {
        SearchSpace.Builder b = SearchSpace.builder();
        List<String> seen = new ArrayList<>();
        for (String raw : params) {
            String p = raw.trim().toLowerCase(Locale.ROOT);
            if (seen.contains(p)) throw new CliException(2, "--params lists '" + p + "' twice");
            seen.add(p);
            switch (p) {
                case "lr" -> b.logUniform(Target.LEARNING_RATE, 1e-4, 1e-2);
                case "embedding" -> b.choice(Target.EMBEDDING_SIZE, 8, 16, 32);
                case "layers" -> b.integer(Target.LAYERS, 1, 3);
                case "heads" -> b.choice(Target.HEADS, 1, 2, 4);
                case "dnn" -> b.choice(Target.DNN, List.of(), List.of(32, 32), List.of(64, 32), List.of(128, 64));
                case "dropout" -> b.uniform(Target.DROPOUT, 0, 0.5);
                case "l2" -> b.logUniform(Target.L2, 1e-7, 1e-4);
                case "schedule" -> b.choice(Target.SCHEDULE, "constant", "plateau", "warmup");
                case "interaction" -> b.choice(Target.INTERACTION, Interaction.attention(), Interaction.fm(), Interaction.cross(2, false),
                        Interaction.cin(List.of(128, 128), true));
                default -> throw new CliException(2, "--params: unknown parameter '" + raw + "'; choose from " + String.join(", ", PARAMS.keySet()));
            }
        }
        if (seen.isEmpty()) throw new CliException(2, "--params needs at least one parameter");
        return b.build();
    }
}
