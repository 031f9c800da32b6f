package dev.autoint.core.internal.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.autoint.core.internal.io.AtomicFiles;
import dev.autoint.core.internal.io.Safetensors;
import dev.autoint.core.io.ModelFiles;
import dev.autoint.core.model.AutoIntModel;
import dev.autoint.core.model.Parameters;
import dev.autoint.core.train.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The one checkpoint format of training, used by {@link Trainer} (directories on a local file system, written
 * with {@link AtomicFiles#writeDirectory}) and by the Spark trainer (staged locally, then copied to a Hadoop
 * path). A checkpoint is a directory {@code epoch-NNN/} holding:
 * <ul>
 *   <li>the model files ({@link ModelFiles}), with provenance {@code checkpointEpoch} and {@code optimizer};</li>
 *   <li>{@value #OPTIMIZER_FILE}: each optimizer state buffer as a tensor of the parameters' size, metadata
 *       {@code steps} and {@code optimizer} (the optimizer's description);</li>
 *   <li>{@value #TRAINER_FILE}: {@link Progress}, bound with Jackson.</li>
 * </ul>
 * {@link #write} writes the files into a directory the caller makes atomic; {@link #read} reads and checks
 * everything without changing anything, and {@link #restore} then loads weights and optimizer state.
 * Maps are written in a fixed order, so the same state gives the same bytes on every JVM.
 */
public final class TrainingCheckpoint {

    /** The optimizer state file's name. */
    public static final String OPTIMIZER_FILE = "optimizer.safetensors";
    /** The progress file's name. */
    public static final String TRAINER_FILE = "trainer.json";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * Where training stood after an epoch: the contents of {@value #TRAINER_FILE}.
     *
     * @param epoch     epochs done (the checkpoint of epoch index e records e + 1)
     * @param step      optimizer steps taken
     * @param bestValue the best monitored value so far, null when none was finite
     * @param bestEpoch the epoch index that reached it, -1 when none
     * @param badEpochs epochs since the last improvement (for patience)
     * @param history   every epoch's results so far
     * @param schedule  the learning-rate schedule's state, NaN stored as null
     * @param run       settings a resuming trainer compares with its own (sorted; empty for the single-node
     *                  trainer, absent in files written before it existed)
     */
    public record Progress(int epoch, long step, Double bestValue, int bestEpoch, int badEpochs,
                           List<Trainer.EpochResult> history, Map<String, Double> schedule, Map<String, String> run) {

        /** Normalises nulls to empty collections and orders the maps. */
        public Progress {
            history = history == null ? List.of() : List.copyOf(history);
            Map<String, Double> s = new TreeMap<>();
            if (schedule != null) schedule.forEach((k, v) -> s.put(k, v == null || Double.isNaN(v) ? null : v));
            schedule = java.util.Collections.unmodifiableMap(s);
            run = run == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(run));
        }

        /**
         * Progress with the best value as a double (NaN when none).
         *
         * @param epoch     epochs done
         * @param step      optimizer steps taken
         * @param bestValue the best monitored value, NaN when none
         * @param bestEpoch its epoch index, -1 when none
         * @param badEpochs epochs since the last improvement
         * @param history   every epoch's results so far
         * @param schedule  the schedule's state (NaN allowed)
         * @param run       settings to compare on resume
         * @return the progress record
         */
        public static Progress of(int epoch, long step, double bestValue, int bestEpoch, int badEpochs,
                                  List<Trainer.EpochResult> history, Map<String, Double> schedule, Map<String, String> run) {
            return new Progress(epoch, step, Double.isNaN(bestValue) ? null : bestValue, bestEpoch, badEpochs, history,
                    schedule, run);
        }

        /** @return the best monitored value, NaN when none */
        public double best() {
            return bestValue == null ? Double.NaN : bestValue;
        }

        /** @return the schedule state with NaN for the stored nulls, for {@code LearningRateSchedule.loadState} */
        public Map<String, Double> scheduleState() {
            Map<String, Double> m = new LinkedHashMap<>();
            schedule.forEach((k, v) -> m.put(k, v == null ? Double.NaN : v));
            return m;
        }
    }

    private final Path dir;
    private final Parameters weights;
    private final String optimizer;
    private final long optimizerSteps;
    private final Map<String, float[]> optimizerState;
    private final Progress progress;

    private TrainingCheckpoint(Path dir, Parameters weights, String optimizer, long optimizerSteps,
                               Map<String, float[]> optimizerState, Progress progress) {
        this.dir = dir;
        this.weights = weights;
        this.optimizer = optimizer;
        this.optimizerSteps = optimizerSteps;
        this.optimizerState = optimizerState;
        this.progress = progress;
    }

    /**
     * The name of epoch index {@code epoch}'s checkpoint directory: {@code epoch-NNN} with NNN = epoch + 1.
     *
     * @param epoch the epoch index (0-based)
     * @return the directory name
     */
    public static String directoryName(int epoch) {
        return String.format(Locale.ROOT, "epoch-%03d", epoch + 1);
    }

    /**
     * Writes a checkpoint's files into {@code dir} (an empty staging directory the caller makes atomic).
     *
     * @param dir      where to write
     * @param model    the model whose weights to save
     * @param updater  the optimizer state to save
     * @param progress where training stands
     * @throws IOException when a file cannot be written
     */
    public static void write(Path dir, AutoIntModel model, Updater updater, Progress progress) throws IOException {
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("checkpointEpoch", progress.epoch());
        provenance.put("optimizer", updater.toString());
        ModelFiles.save(model, dir, provenance);
        List<Safetensors.Tensor> state = new ArrayList<>();
        updater.state().forEach((k, v) -> state.add(new Safetensors.Tensor(k, new int[] {v.length}, v)));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("steps", Long.toString(updater.steps()));
        meta.put("optimizer", updater.toString());
        Safetensors.write(dir.resolve(OPTIMIZER_FILE), state, meta);
        AtomicFiles.writeBytes(dir.resolve(TRAINER_FILE), JSON.writeValueAsBytes(progress));
    }

    /**
     * Reads and checks checkpoint {@code dir} for {@code model}; changes nothing.
     *
     * @param dir   the checkpoint directory
     * @param model the model it must match
     * @return the checkpoint
     * @throws IOException              when a file is missing or unreadable
     * @throws IllegalArgumentException when it is of another configuration or field list, or its optimizer
     *                                  state does not fit the parameters
     */
    public static TrainingCheckpoint read(Path dir, AutoIntModel model) throws IOException {
        Parameters weights = readWeights(dir, model);
        Progress progress = JSON.readValue(Files.readAllBytes(dir.resolve(TRAINER_FILE)), Progress.class);
        Safetensors.Contents opt = Safetensors.read(dir.resolve(OPTIMIZER_FILE));
        int size = model.parameters().size();
        Map<String, float[]> state = new LinkedHashMap<>();
        for (Safetensors.Tensor t : opt.tensors()) {
            if (t.values().length != size) {
                throw new IllegalArgumentException("checkpoint " + dir + ": optimizer state '" + t.name() + "' has "
                        + t.values().length + " values for " + size + " parameters");
            }
            state.put(t.name(), t.values());
        }
        return new TrainingCheckpoint(dir, weights, opt.metadata().get("optimizer"),
                Long.parseLong(opt.metadata().getOrDefault("steps", "0")), state, progress);
    }

    /**
     * Reads only the weights of checkpoint {@code dir}.
     *
     * @param dir   the checkpoint directory
     * @param model the model they must fit
     * @return the weights (a new buffer)
     * @throws IOException              when the model files are missing or unreadable
     * @throws IllegalArgumentException when they are of another configuration or field list
     */
    public static Parameters readWeights(Path dir, AutoIntModel model) throws IOException {
        ModelFiles.Loaded loaded = ModelFiles.load(dir);
        if (!loaded.model().config().equals(model.config()) || !loaded.model().fields().equals(model.fields())) {
            throw new IllegalArgumentException("checkpoint " + dir + " is of another model configuration or field list");
        }
        return loaded.model().parameters();
    }

    /**
     * For restore-best after a resume: the best epoch's weights, from this checkpoint when it is the best one,
     * else from the best epoch's own checkpoint, a sibling of this one (read before anything changes).
     *
     * @param model the model they must fit
     * @return the best epoch's weights, or null when no epoch was best yet
     * @throws IOException           when the sibling cannot be read
     * @throws IllegalStateException when the sibling is gone or is of another model
     */
    public Parameters bestWeights(AutoIntModel model) throws IOException {
        int best = progress.bestEpoch();
        if (best < 0) return null;
        if (best + 1 == progress.epoch()) return weights;
        Path bestDir = dir.toAbsolutePath().getParent().resolve(directoryName(best));
        if (!Files.isDirectory(bestDir)) {
            throw new IllegalStateException("cannot resume from " + dir + " with restore-best: the best epoch so far ("
                    + (best + 1) + ") has its weights only in its checkpoint " + bestDir + ", which is gone. Put that"
                    + " directory back, or resume without restore-best (earlyStopping(monitor, patience, false)),"
                    + " which ends with the last epoch's weights instead of the best one's");
        }
        try {
            return readWeights(bestDir, model);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("cannot resume from " + dir + " with restore-best: the best epoch's checkpoint "
                    + bestDir + " is of another model configuration or field list (overwritten by another run?)", e);
        }
    }

    /** @return where training stood */
    public Progress progress() {
        return progress;
    }

    /** @return the checkpoint's weights */
    public Parameters weights() {
        return weights;
    }

    /**
     * Loads the weights into {@code model} and the optimizer state into {@code updater}.
     *
     * @param model   the model to overwrite
     * @param updater the optimizer state to overwrite
     * @throws IllegalArgumentException when the checkpoint was written by another optimizer (nothing changes)
     */
    public void restore(AutoIntModel model, Updater updater) {
        Objects.requireNonNull(model, "model");
        if (optimizer != null && !optimizer.equals(updater.toString())) {
            throw new IllegalArgumentException("checkpoint " + dir + " was written by " + optimizer
                    + ", not by the configured " + updater + ": resume with the same optimizer");
        }
        model.parameters().copyFrom(weights);
        updater.loadState(optimizerSteps, optimizerState);
    }
}
