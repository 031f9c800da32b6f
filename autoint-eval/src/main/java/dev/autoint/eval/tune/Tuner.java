package dev.autoint.eval.tune;

import dev.autoint.core.data.EncodedDataset;
import dev.autoint.core.internal.exec.ParallelFor;
import dev.autoint.core.model.AutoIntConfig;
import dev.autoint.core.model.AutoIntModel;
import dev.autoint.core.model.Interaction;
import dev.autoint.core.train.Adam;
import dev.autoint.core.train.LearningRateSchedule;
import dev.autoint.core.train.Optimizer;
import dev.autoint.core.train.Trainer;
import dev.autoint.core.train.TrainingDivergedException;
import dev.autoint.core.train.TrainingListener;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Hyper-parameter search over a {@link SearchSpace}: random search or TPE ({@link Search}), a fixed budget of
 * trials, each trained by a {@link Trainer} with its early stopping, poor trials pruned by the median-stopping
 * rule, several trials at once.
 *
 * <pre>{@code
 * Tuner.Result r = Tuner.builder(space).search(Tuner.Search.TPE).trials(16).seed(7)
 *         .baseConfig(AutoIntConfig.seedsAutoIntPlus()).epochs(10).build().run(train, valid);
 * AutoIntModel best = r.bestModel();
 * }</pre>
 *
 * <p><b>Batches and reproducibility.</b> Trials run in batches of {@link Builder#parallel} trials, one thread
 * pool part per trial and {@link Builder#threadsPerTrial} trainer threads each. Every trial of a batch is proposed
 * from the trials of the earlier batches only (with random numbers derived from the seed and the trial's index),
 * and the pruning rule of a batch sees only the earlier batches' completed trials, so neither depends on which
 * trial of a batch finishes first: a seed, a parallelism and a thread count per trial give the same trials every
 * run. A batch ends when its slowest trial does.
 *
 * <p><b>Pruning</b> (the median-stopping rule, Golovin et al., "Google Vizier", KDD 2017): after epoch e (from
 * {@link Builder#pruning}'s warm-up on), a trial stops when its best validation metric so far is worse than the
 * median of the completed trials' best values up to epoch e (at least the configured number of completed
 * trials that reached epoch e). The trial keeps its best epoch's result and is marked pruned.
 *
 * <p><b>TPE</b> ({@code Tpe}): the first {@link Builder#startupTrials} trials are random, then each proposal
 * fits per-parameter Parzen densities to the best γ share of the trials so far and to the rest, and takes the
 * candidate maximising l(x)/g(x).
 */
public final class Tuner {

    /** How trials are proposed. */
    public enum Search {
        /** Each parameter drawn from its prior, independently of earlier trials. */
        RANDOM,
        /** Tree-structured Parzen Estimator (Bergstra et al. 2011) after random start-up trials. */
        TPE
    }

    /** How a trial ended. */
    public enum Status {
        /** Ran all its epochs or stopped by patience. */
        COMPLETED,
        /** Stopped by the median-stopping rule. */
        PRUNED,
        /** The loss or a weight became non-finite ({@link TrainingDivergedException}); ranks last. */
        DIVERGED
    }

    /**
     * One trial.
     *
     * @param index        the trial's number, from 0, in proposal order
     * @param values       the searched values, by target, in the space's order
     * @param config       the model configuration it trained
     * @param learningRate the initial learning rate it used
     * @param l2           the embedding L2 penalty it used
     * @param schedule     the learning-rate schedule's name
     * @param history      the trainer's history (epochs, best epoch)
     * @param validAuc     validation AUC of its best epoch, NaN when there is none
     * @param validLogLoss validation log loss of its best epoch, NaN when there is none
     * @param status       how it ended
     * @param seconds      wall-clock seconds it took
     */
    public record Trial(int index, Map<SearchSpace.Target, Object> values, AutoIntConfig config, float learningRate,
                        float l2, String schedule, Trainer.History history, double validAuc, double validLogLoss,
                        Status status, double seconds) {

        /**
         * Copies the values.
         *
         * @param index        the trial's number
         * @param values       the searched values; copied
         * @param config       the configuration
         * @param learningRate the initial learning rate
         * @param l2           the embedding L2 penalty
         * @param schedule     the schedule's name
         * @param history      the history
         * @param validAuc     best epoch's validation AUC
         * @param validLogLoss best epoch's validation log loss
         * @param status       how it ended
         * @param seconds      wall-clock seconds
         */
        public Trial {
            values = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(values));
        }

        /**
         * The searched values as text, as the table shows them: {@code learning-rate=0.00312 embedding-size=16 ...}.
         *
         * @return the values, space-separated
         */
        public String describe() {
            return values.entrySet().stream().map(e -> e.getKey().label() + "=" + format(e.getValue()))
                    .collect(Collectors.joining(" "));
        }
    }

    /**
     * What {@link #run} returns.
     *
     * @param space     the space searched
     * @param monitor   the metric trials were ranked by
     * @param trials    every trial, in index order
     * @param bestIndex the index of the best trial by the monitor (the earliest on ties), -1 when every trial diverged
     * @param bestModel the best trial's model with its best epoch's weights, null when there is none
     */
    public record Result(SearchSpace space, Trainer.Monitor monitor, List<Trial> trials, int bestIndex, AutoIntModel bestModel) {

        /**
         * Copies the list.
         *
         * @param space     the space
         * @param monitor   the metric
         * @param trials    the trials; copied
         * @param bestIndex the best trial's index
         * @param bestModel the best trial's model
         */
        public Result {
            trials = List.copyOf(trials);
        }

        /**
         * The best trial.
         *
         * @return the best trial, or null when every trial diverged
         */
        public Trial best() {
            return bestIndex < 0 ? null : trials.get(bestIndex);
        }

        /**
         * The trials as a Markdown table: trial (numbered from 1), the searched values, best validation AUC and log
         * loss, epochs run, how it ended, seconds; the best trial's number marked with an asterisk.
         *
         * @return the table, one line per trial after the header
         */
        public String markdown() {
            StringBuilder sb = new StringBuilder("| trial |");
            for (SearchSpace.Parameter p : space.parameters()) sb.append(' ').append(p.target().label()).append(" |");
            sb.append(" valid AUC | valid logloss | epochs | status | seconds |\n|---:|");
            sb.append("---|".repeat(space.parameters().size())).append("---:|---:|---:|---|---:|\n");
            for (List<String> row : rows(true)) sb.append("| ").append(String.join(" | ", row)).append(" |\n");
            return sb.toString();
        }

        /**
         * The trials as CSV (RFC 4180 quoting), columns as in {@link #markdown()}.
         *
         * @param withSeconds whether to include the seconds column (leave it out to compare runs)
         * @return the CSV text with a header line
         */
        public String csv(boolean withSeconds) {
            List<String> head = new ArrayList<>(List.of("trial"));
            for (SearchSpace.Parameter p : space.parameters()) head.add(p.target().label());
            head.addAll(List.of("valid_auc", "valid_logloss", "epochs", "status"));
            if (withSeconds) head.add("seconds");
            StringBuilder sb = new StringBuilder(String.join(",", head)).append('\n');
            for (List<String> row : rows(false)) {
                List<String> r = withSeconds ? row : row.subList(0, row.size() - 1);
                sb.append(r.stream().map(Tuner::csvQuote).collect(Collectors.joining(","))).append('\n');
            }
            return sb.toString();
        }

        private List<List<String>> rows(boolean markBest) {
            List<List<String>> rows = new ArrayList<>();
            for (Trial t : trials) {
                List<String> r = new ArrayList<>();
                r.add((t.index() + 1) + (markBest && t.index() == bestIndex ? "*" : ""));
                for (Object v : t.values().values()) r.add(format(v));
                r.add(String.format(Locale.ROOT, "%.4f", t.validAuc()));
                r.add(String.format(Locale.ROOT, "%.4f", t.validLogLoss()));
                r.add(Integer.toString(t.history().epochs().size()));
                r.add(t.status().name().toLowerCase(Locale.ROOT));
                r.add(String.format(Locale.ROOT, "%.1f", t.seconds()));
                rows.add(r);
            }
            return rows;
        }
    }

    private final SearchSpace space;
    private final Search search;
    private final int trials;
    private final int parallel;
    private final int threadsPerTrial;
    private final long seed;
    private final int startupTrials;
    private final double gamma;
    private final int pruneWarmup;
    private final int pruneMinTrials;
    private final AutoIntConfig baseConfig;
    private final Optimizer optimizer;
    private final float learningRate;
    private final float l2;
    private final int epochs;
    private final int batchSize;
    private final int patience;
    private final Trainer.Monitor monitor;
    private final Consumer<Trial> progress;

    private Tuner(Builder b) {
        space = b.space;
        search = b.search;
        trials = b.trials;
        parallel = b.parallel;
        threadsPerTrial = b.threadsPerTrial;
        seed = b.seed;
        startupTrials = b.startupTrials;
        gamma = b.gamma;
        pruneWarmup = b.pruneWarmup;
        pruneMinTrials = b.pruneMinTrials;
        baseConfig = b.baseConfig;
        optimizer = b.optimizer;
        learningRate = b.learningRate;
        l2 = b.l2;
        epochs = b.epochs;
        batchSize = b.batchSize;
        patience = b.patience;
        monitor = b.monitor;
        progress = b.progress;
    }

    /**
     * Starts a tuner over {@code space}.
     *
     * @param space the space to search
     * @return a builder with the defaults listed on its methods
     */
    public static Builder builder(SearchSpace space) {
        return new Builder(Objects.requireNonNull(space, "space"));
    }

    /**
     * The learning-rate schedule a trial with {@link SearchSpace.Target#SCHEDULE} = {@code name} trains with, so a
     * tuned recipe can be trained again outside the tuner: {@code "constant"}, {@code "plateau"} (halve the rate
     * when two epochs in a row do not improve, down to 1/100: ReduceLROnPlateau with patience 1) or
     * {@code "warmup"} (linear warm-up over the first epoch).
     *
     * @param name            {@code "constant"}, {@code "plateau"} or {@code "warmup"}
     * @param learningRate    the base learning rate, &gt; 0
     * @param batchesPerEpoch batches in one epoch (the warm-up's length), &ge; 1
     * @return the schedule
     * @throws IllegalArgumentException for another name or a non-positive rate or batch count
     */
    public static LearningRateSchedule schedule(String name, float learningRate, int batchesPerEpoch) {
        if (!(learningRate > 0)) throw new IllegalArgumentException("learning rate must be > 0, got " + learningRate);
        if (batchesPerEpoch < 1) throw new IllegalArgumentException("batches per epoch must be >= 1, got " + batchesPerEpoch);
        return switch (Objects.requireNonNull(name, "name")) {
            case "constant" -> LearningRateSchedule.constant(learningRate);
            case "plateau" -> LearningRateSchedule.reduceOnPlateau(learningRate, 0.5f, 1, learningRate / 100);
            case "warmup" -> LearningRateSchedule.warmup(batchesPerEpoch, LearningRateSchedule.constant(learningRate));
            default -> throw new IllegalArgumentException("schedule must be one of " + SearchSpace.SCHEDULES + ", got '" + name + "'");
        };
    }

    /**
     * Runs every trial on {@code train}, ranking them on {@code valid}.
     *
     * @param train the training rows
     * @param valid the validation rows, non-empty (the trials are ranked and pruned on them)
     * @return every trial and the best one's model
     * @throws IllegalArgumentException if {@code valid} is empty or the datasets' fields differ
     */
    public Result run(EncodedDataset train, EncodedDataset valid) {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(valid, "valid");
        if (valid.size() == 0) throw new IllegalArgumentException("valid: the tuner ranks trials on validation rows; it is empty");
        if (!train.fields().equals(valid.fields())) throw new IllegalArgumentException("valid: its fields differ from train's");
        Trial[] done = new Trial[trials];
        AutoIntModel[] best = new AutoIntModel[1];
        int[] bestIndex = {-1};
        search((index, x, rule) -> {
            TrialRun t = trainTrial(index, space.values(x), rule, train, valid);
            done[index] = t.trial;
            return new Evaluated(score(t.trial), t.curve, t.model);
        }, (index, e) -> {
            Trial t = done[index];
            if (e.payload() != null && (bestIndex[0] < 0 || e.score() > score(done[bestIndex[0]]))) {
                bestIndex[0] = index;
                best[0] = (AutoIntModel) e.payload();
            }
            if (progress != null) progress.accept(t);
        });
        return new Result(space, monitor, Arrays.asList(done), bestIndex[0], best[0]);
    }

    /** The trial's objective, higher is better; NaN when it has none. */
    private double score(Trial t) {
        return monitor == Trainer.Monitor.AUC ? t.validAuc() : -t.validLogLoss();
    }

    /** A trial's outcome for the search: its objective (higher is better), its best-so-far curve, a payload. */
    record Evaluated(double score, double[] curve, Object payload) {
    }

    /** Evaluates one proposal; {@code rule} decides pruning after each epoch. */
    interface Objective {
        Evaluated evaluate(int index, double[] x, MedianRule rule);
    }

    /** Receives each trial's outcome on the calling thread, in index order, after its batch. */
    interface Sink {
        void accept(int index, Evaluated e);
    }

    /**
     * The search loop: proposals in batches of {@link #parallel}, each batch run on one pool part per trial; each
     * outcome goes to {@code sink} (payload included) after its batch.
     *
     * @return the outcomes in index order, without their payloads
     */
    List<Evaluated> search(Objective objective, Sink sink) {
        List<double[]> xs = new ArrayList<>();
        List<Evaluated> ys = new ArrayList<>();
        Tpe tpe = new Tpe(gamma);
        try (ParallelFor pool = new ParallelFor(parallel, "autoint-tune")) {
            for (int from = 0; from < trials; from += parallel) {
                int m = Math.min(parallel, trials - from);
                double[][] batch = new double[m][];
                double[] scores = ys.stream().mapToDouble(Evaluated::score).toArray();
                for (int i = 0; i < m; i++) {
                    SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + from + i);
                    batch[i] = search == Search.TPE && xs.size() >= Math.max(2, startupTrials)
                            ? tpe.propose(space.parameters(), xs, scores, r) : randomPoint(r);
                }
                MedianRule rule = new MedianRule(ys, pruneWarmup, pruneMinTrials);
                Evaluated[] out = new Evaluated[m];
                int base = from;
                pool.run(part -> {
                    if (part < m) out[part] = objective.evaluate(base + part, batch[part], rule);
                });
                for (int i = 0; i < m; i++) {
                    xs.add(batch[i]);
                    ys.add(new Evaluated(out[i].score(), out[i].curve(), null)); // the history keeps no model
                    if (sink != null) sink.accept(from + i, out[i]);
                }
            }
        }
        return ys;
    }

    private double[] randomPoint(SplittableRandom r) {
        List<SearchSpace.Parameter> ps = space.parameters();
        double[] x = new double[ps.size()];
        for (int i = 0; i < x.length; i++) x[i] = ps.get(i).sample(r);
        return x;
    }

    /**
     * The median-stopping rule over the completed (not pruned, with a curve) trials of earlier batches. A curve
     * holds the best objective so far after each epoch, higher is better.
     */
    static final class MedianRule {
        private final List<double[]> curves = new ArrayList<>();
        private final int warmup;
        private final int minTrials;

        MedianRule(List<Evaluated> done, int warmup, int minTrials) {
            for (Evaluated e : done) if (e.curve() != null) curves.add(e.curve());
            this.warmup = warmup;
            this.minTrials = minTrials;
        }

        /** Whether a trial whose best so far after 0-based {@code epoch} is {@code bestSoFar} should stop. */
        boolean prune(int epoch, double bestSoFar) {
            if (minTrials == 0 || epoch + 1 < warmup || Double.isNaN(bestSoFar)) return false;
            double[] at = curves.stream().filter(c -> c.length > epoch && !Double.isNaN(c[epoch]))
                    .mapToDouble(c -> c[epoch]).sorted().toArray();
            if (at.length < minTrials) return false;
            int k = at.length;
            double median = k % 2 == 1 ? at[k / 2] : (at[k / 2 - 1] + at[k / 2]) / 2;
            return bestSoFar < median;
        }
    }

    record TrialRun(Trial trial, double[] curve, AutoIntModel model) {
    }

    TrialRun trainTrial(int index, Map<SearchSpace.Target, Object> values, MedianRule rule, EncodedDataset train,
                                EncodedDataset valid) {
        long t0 = System.nanoTime();
        AutoIntConfig config = SearchSpace.configure(baseConfig, values);
        float lr = values.get(SearchSpace.Target.LEARNING_RATE) instanceof Double d ? d.floatValue() : learningRate;
        float l2v = values.get(SearchSpace.Target.L2) instanceof Double d ? d.floatValue() : l2;
        String scheduleName = values.get(SearchSpace.Target.SCHEDULE) instanceof String s ? s : "constant";
        int batches = (train.size() + batchSize - 1) / batchSize;
        LearningRateSchedule schedule = schedule(scheduleName, lr, batches);
        AutoIntModel model = AutoIntModel.create(config, train.fields());
        List<Double> curve = new ArrayList<>();
        boolean[] pruned = {false};
        TrainingListener pruner = new TrainingListener() {
            private double best = Double.NaN;

            @Override
            public boolean stopAfter(EpochInfo info) {
                double v = monitor == Trainer.Monitor.AUC ? info.validAuc() : -info.validLogLoss();
                if (!Double.isNaN(v) && (Double.isNaN(best) || v > best)) best = v;
                curve.add(best);
                if (info.epoch() + 1 < info.epochs() && rule.prune(info.epoch(), best)) pruned[0] = true;
                return pruned[0];
            }
        };
        Trainer trainer = Trainer.builder(model).optimizer(optimizer).learningRate(schedule).epochs(epochs)
                .batchSize(batchSize).threads(threadsPerTrial).seed(config.seed()).l2Embedding(l2v)
                .earlyStopping(monitor, patience, true).listener(pruner).build();
        Trainer.History h;
        Status status;
        try {
            h = trainer.fit(train, valid);
            status = pruned[0] ? Status.PRUNED : Status.COMPLETED;
        } catch (TrainingDivergedException e) {
            h = e.history();
            status = Status.DIVERGED;
        }
        Trainer.EpochResult b = status == Status.DIVERGED ? null : h.best();
        Trial t = new Trial(index, values, config, lr, l2v, scheduleName, h, b == null ? Double.NaN : b.validAuc(),
                b == null ? Double.NaN : b.validLogLoss(), status, (System.nanoTime() - t0) / 1e9);
        double[] c = status == Status.COMPLETED ? curve.stream().mapToDouble(Double::doubleValue).toArray() : null;
        return new TrialRun(t, c, b == null ? null : model);
    }

    static String format(Object v) {
        if (v instanceof Double d) return String.format(Locale.ROOT, "%.3g", d);
        if (v instanceof List<?> l) return l.isEmpty() ? "none" : l.stream().map(String::valueOf).collect(Collectors.joining("-"));
        if (v instanceof Interaction i) return interactionName(i);
        return String.valueOf(v);
    }

    static String interactionName(Interaction i) {
        if (i instanceof Interaction.FactorizationMachine) return "fm";
        if (i instanceof Interaction.CrossNetwork c) return "cross" + c.layers() + (c.stacked() ? "-stacked" : "");
        if (i instanceof Interaction.Cin c) {
            return "cin" + c.layerSizes().stream().map(String::valueOf).collect(Collectors.joining("-"));
        }
        return "attention";
    }

    private static String csvQuote(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    /** Configures a {@link Tuner}. */
    public static final class Builder {
        private final SearchSpace space;
        private Search search = Search.TPE;
        private int trials = 16;
        private int parallel = 2;
        private int threadsPerTrial = 1;
        private long seed = 2019;
        private int startupTrials = 4;
        private double gamma = 0.25;
        private int pruneWarmup = 1;
        private int pruneMinTrials = 3;
        private AutoIntConfig baseConfig = AutoIntConfig.seedsAutoIntPlus();
        private Optimizer optimizer = Adam.adam();
        private float learningRate = 1e-3f;
        private float l2 = 1e-5f;
        private int epochs = 10;
        private int batchSize = 2048;
        private int patience = 2;
        private Trainer.Monitor monitor = Trainer.Monitor.AUC;
        private Consumer<Trial> progress;

        private Builder(SearchSpace space) {
            this.space = space;
        }

        /**
         * How trials are proposed.
         *
         * @param v random or TPE (default TPE)
         * @return this builder
         */
        public Builder search(Search v) {
            search = Objects.requireNonNull(v, "search");
            return this;
        }

        /**
         * The trial budget.
         *
         * @param v trials to run, &ge; 1 (default 16)
         * @return this builder
         * @throws IllegalArgumentException if {@code v} &lt; 1
         */
        public Builder trials(int v) {
            if (v < 1) throw new IllegalArgumentException("trials must be >= 1, got " + v);
            trials = v;
            return this;
        }

        /**
         * Trials run at once, and trainer threads per trial; together at most the machine's cores is the useful
         * range. The results depend on both (the batches and the summation order), not on scheduling.
         *
         * @param trialsAtOnce trials per batch, &ge; 1 (default 2)
         * @param threads      trainer threads of each trial, &ge; 1 (default 1)
         * @return this builder
         * @throws IllegalArgumentException if either is &lt; 1
         */
        public Builder parallel(int trialsAtOnce, int threads) {
            if (trialsAtOnce < 1) throw new IllegalArgumentException("parallel trials must be >= 1, got " + trialsAtOnce);
            if (threads < 1) throw new IllegalArgumentException("threads per trial must be >= 1, got " + threads);
            parallel = trialsAtOnce;
            threadsPerTrial = threads;
            return this;
        }

        /**
         * The search's seed: the same seed (with the same settings and data) gives the same trials.
         *
         * @param v the seed (default 2019); the models' own seed is the base configuration's
         * @return this builder
         */
        public Builder seed(long v) {
            seed = v;
            return this;
        }

        /**
         * TPE's settings.
         *
         * @param startup random trials before TPE proposes, &ge; 2 (default 4)
         * @param gamma   the share of trials in the "good" set, in (0, 1) (default 0.25, as in the paper)
         * @return this builder
         * @throws IllegalArgumentException if a value is out of range
         */
        public Builder tpe(int startup, double gamma) {
            if (startup < 2) throw new IllegalArgumentException("startup trials must be >= 2, got " + startup);
            if (!(gamma > 0 && gamma < 1)) throw new IllegalArgumentException("gamma must be in (0, 1), got " + gamma);
            startupTrials = startup;
            this.gamma = gamma;
            return this;
        }

        /**
         * The median-stopping rule.
         *
         * @param warmupEpochs epochs a trial always runs, &ge; 1 (default 1)
         * @param minTrials    completed trials that must have reached an epoch before it prunes there; 0 turns
         *                     pruning off (default 3)
         * @return this builder
         * @throws IllegalArgumentException if a value is out of range
         */
        public Builder pruning(int warmupEpochs, int minTrials) {
            if (warmupEpochs < 1) throw new IllegalArgumentException("pruning warm-up epochs must be >= 1, got " + warmupEpochs);
            if (minTrials < 0) throw new IllegalArgumentException("pruning min trials must be >= 0, got " + minTrials);
            pruneWarmup = warmupEpochs;
            pruneMinTrials = minTrials;
            return this;
        }

        /**
         * The configuration the searched model settings are applied to.
         *
         * @param v the base (default {@link AutoIntConfig#seedsAutoIntPlus()}); its seed initialises every trial's model
         * @return this builder
         */
        public Builder baseConfig(AutoIntConfig v) {
            baseConfig = Objects.requireNonNull(v, "baseConfig");
            return this;
        }

        /**
         * The trainer settings every trial shares; the searched ones override the learning rate and L2.
         *
         * @param optimizer    the optimizer (default {@link Adam#adam()})
         * @param learningRate the learning rate when not searched, &gt; 0 (default 1e-3)
         * @param l2           the embedding L2 penalty when not searched, &ge; 0 (default 1e-5)
         * @param batchSize    the batch size, &ge; 1 (default 2048)
         * @return this builder
         * @throws IllegalArgumentException if a value is out of range
         */
        public Builder training(Optimizer optimizer, float learningRate, float l2, int batchSize) {
            if (!(learningRate > 0) || Float.isInfinite(learningRate)) {
                throw new IllegalArgumentException("learningRate must be > 0, got " + learningRate);
            }
            if (!(l2 >= 0) || Float.isInfinite(l2)) throw new IllegalArgumentException("l2 must be >= 0, got " + l2);
            if (batchSize < 1) throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
            this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
            this.learningRate = learningRate;
            this.l2 = l2;
            this.batchSize = batchSize;
            return this;
        }

        /**
         * Epochs per trial and the trainer's early stopping.
         *
         * @param epochs   the most epochs a trial runs, &ge; 1 (default 10)
         * @param monitor  the validation metric trials are ranked, stopped and pruned by (default AUC)
         * @param patience epochs without improvement before a trial stops, 0 = never (default 2)
         * @return this builder
         * @throws IllegalArgumentException if a value is out of range
         */
        public Builder epochs(int epochs, Trainer.Monitor monitor, int patience) {
            if (epochs < 1) throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
            if (patience < 0) throw new IllegalArgumentException("patience must be >= 0, got " + patience);
            this.epochs = epochs;
            this.monitor = Objects.requireNonNull(monitor, "monitor");
            this.patience = patience;
            return this;
        }

        /**
         * Receives each trial after its batch, on the calling thread, in index order.
         *
         * @param v the consumer, or null for none (default)
         * @return this builder
         */
        public Builder progress(Consumer<Trial> v) {
            progress = v;
            return this;
        }

        /**
         * The tuner.
         *
         * @return the tuner
         */
        public Tuner build() {
            return new Tuner(this);
        }
    }
}
