package dev.autoint.core.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.autoint.core.internal.io.AtomicFiles;
import dev.autoint.core.io.ModelFiles;
import dev.autoint.core.internal.io.Safetensors;
import dev.autoint.core.model.AutoIntModel;
import dev.autoint.core.model.Parameters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The files of one training checkpoint, the state at the end of an epoch, as {@link Trainer} and the
 * distributed trainer write and read them:
 * <ul>
 *   <li>{@value ModelFiles#MANIFEST} and {@value ModelFiles#WEIGHTS}: the model ({@link ModelFiles});</li>
 *   <li>{@value #OPTIMIZER_FILE}: every optimizer state buffer by name, with the optimizer's step count and
 *       description in the metadata;</li>
 *   <li>{@value #TRAINER_FILE}: the {@link Progress}: epochs done, steps taken, early-stopping state,
 *       history, the schedule's state, and the run settings a resumed run must repeat.</li>
 * </ul>
 * This class reads and writes the files of one directory; how the directory is made atomic is the
 * caller's business ({@link AtomicFiles#writeDirectory} on a local disk). Training is deterministic given
 * the seed, the step and the epoch (shuffles and dropout masks are derived from them), so that is all the
 * random state a checkpoint needs.
 */
public final class TrainingCheckpoint {

    /** The optimizer's state buffers. */
    public static final String OPTIMIZER_FILE = "optimizer.safetensors";
    /** The trainer's {@link Progress}. */
    public static final String TRAINER_FILE = "trainer.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Where training stood after an epoch.
     *
     * @param epochs    epochs completed (the next epoch to run, 0-based)
     * @param step      optimizer steps taken
     * @param bestValue the best monitored validation value so far, NaN when none
     * @param bestEpoch the epoch (0-based) that reached it, -1 when none
     * @param badEpochs epochs since the last improvement (early stopping's count)
     * @param history   every completed epoch's results
     * @param schedule  the learning-rate schedule's state ({@link LearningRateSchedule#state()})
     * @param run       settings that decide the sequence of steps, as the writing trainer describes them (for
     *                  example the seed and the batch size), for a resuming trainer to compare with its own;
     *                  empty when the trainer records none
     */
    public record Progress(int epochs, long step, double bestValue, int bestEpoch, int badEpochs, List<Trainer.EpochResult> history,
                           Map<String, Double> schedule, Map<String, String> run) {
        public Progress {
            history = List.copyOf(history);
            schedule = Map.copyOf(schedule);
            run = Map.copyOf(run);
        }
    }

    private final Path dir;
    private final Parameters weights;
    private final String optimizer;
    private final long optimizerSteps;
    private final Map<String, float[]> optimizerState;
    private final Progress progress;

    private TrainingCheckpoint(Path dir, Parameters weights, String optimizer, long optimizerSteps, Map<String, float[]> optimizerState,
                               Progress progress) {
        this.dir = dir;
        this.weights = weights;
        this.optimizer = optimizer;
        this.optimizerSteps = optimizerSteps;
        this.optimizerState = optimizerState;
        this.progress = progress;
    }

    /**
     * Writes the checkpoint files of {@code model}, {@code optimizer} and {@code progress} into {@code dir}
     * (created when missing). Nothing is modified.
     */
    public static void write(Path dir, AutoIntModel model, Optimizer optimizer, Progress progress) throws IOException {
        // Ordered maps, not Map.of (whose order changes from JVM to JVM): the same state gives the same bytes.
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("checkpointEpoch", progress.epochs());
        provenance.put("optimizer", optimizer.toString());
        ModelFiles.save(model, dir, provenance);
        List<Safetensors.Tensor> state = new ArrayList<>();
        optimizer.state().forEach((k, v) -> state.add(new Safetensors.Tensor(k, new int[] {v.length}, v)));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("steps", Long.toString(optimizer.steps()));
        meta.put("optimizer", optimizer.toString());
        Safetensors.write(dir.resolve(OPTIMIZER_FILE), state, meta);
        Map<String, Object> ts = new LinkedHashMap<>();
        ts.put("epoch", progress.epochs());
        ts.put("step", progress.step());
        ts.put("bestValue", Double.isNaN(progress.bestValue()) ? null : progress.bestValue());
        ts.put("bestEpoch", progress.bestEpoch());
        ts.put("badEpochs", progress.badEpochs());
        ts.put("history", progress.history());
        Map<String, Object> sched = new LinkedHashMap<>();
        progress.schedule().forEach((k, v) -> sched.put(k, Double.isNaN(v) ? null : v));
        ts.put("schedule", sched);
        ts.put("run", new java.util.TreeMap<>(progress.run()));
        AtomicFiles.writeBytes(dir.resolve(TRAINER_FILE), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(ts));
    }

    /**
     * Reads the checkpoint in {@code dir} (nothing is modified until {@link #restore}).
     *
     * @throws IllegalArgumentException when it holds a model of another configuration or field list than {@code model}
     */
    public static TrainingCheckpoint read(Path dir, AutoIntModel model) throws IOException {
        Parameters weights = readWeights(dir, model);
        Safetensors.Contents opt = Safetensors.read(dir.resolve(OPTIMIZER_FILE));
        Map<String, float[]> state = new LinkedHashMap<>();
        for (Safetensors.Tensor t : opt.tensors()) state.put(t.name(), t.values());
        JsonNode node = JSON.readTree(Files.readAllBytes(dir.resolve(TRAINER_FILE)));
        Map<String, Double> sched = new LinkedHashMap<>();
        node.path("schedule").fields().forEachRemaining(e -> sched.put(e.getKey(),
                e.getValue().isNull() ? Double.NaN : e.getValue().asDouble()));
        Map<String, String> run = new LinkedHashMap<>();
        node.path("run").fields().forEachRemaining(e -> run.put(e.getKey(), e.getValue().asText()));
        List<Trainer.EpochResult> history = new ArrayList<>();
        for (JsonNode e : node.path("history")) {
            history.add(new Trainer.EpochResult(e.path("epoch").asInt(), e.path("trainLoss").asDouble(),
                    e.path("validAuc").asDouble(Double.NaN), e.path("validLogLoss").asDouble(Double.NaN),
                    e.path("seconds").asDouble(), e.path("samplesPerSecond").asDouble()));
        }
        Progress progress = new Progress(node.path("epoch").asInt(), node.path("step").asLong(),
                node.path("bestValue").isNull() || node.path("bestValue").isMissingNode() ? Double.NaN : node.path("bestValue").asDouble(),
                node.path("bestEpoch").asInt(-1), node.path("badEpochs").asInt(), history, sched, run);
        return new TrainingCheckpoint(dir, weights, opt.metadata().get("optimizer"),
                Long.parseLong(opt.metadata().getOrDefault("steps", "0")), state, progress);
    }

    /**
     * Only the model weights of the checkpoint in {@code dir} (restore-best reads the best epoch's this way).
     *
     * @throws IllegalArgumentException when it holds a model of another configuration or field list than {@code model}
     */
    public static Parameters readWeights(Path dir, AutoIntModel model) throws IOException {
        ModelFiles.Loaded loaded = ModelFiles.load(dir);
        if (!loaded.model().config().equals(model.config()) || !loaded.model().fields().equals(model.fields())) {
            throw new IllegalArgumentException("checkpoint " + dir + " is of another model configuration or field list");
        }
        return loaded.model().parameters();
    }

    /** The name of epoch {@code epoch}'s (0-based) checkpoint directory: {@code epoch-NNN}, counted from 1. */
    public static String directoryName(int epoch) {
        return String.format(java.util.Locale.ROOT, "epoch-%03d", epoch + 1);
    }

    /** Where training stood. */
    public Progress progress() {
        return progress;
    }

    /** The model weights. */
    public Parameters weights() {
        return weights;
    }

    /**
     * Puts the weights into {@code model} and the state into {@code optimizer}, after checking that the
     * optimizer is the one that wrote the checkpoint (same description) and that every state buffer fits
     * the model; on a mismatch nothing is modified.
     *
     * @throws IllegalArgumentException naming the mismatch
     */
    public void restore(AutoIntModel model, Optimizer optimizer) {
        Objects.requireNonNull(model, "model");
        if (this.optimizer != null && !this.optimizer.equals(optimizer.toString())) {
            throw new IllegalArgumentException("checkpoint " + dir + " was written by " + this.optimizer
                    + ", not by the configured " + optimizer + ": resume with the same optimizer");
        }
        int size = model.parameters().size();
        for (Map.Entry<String, float[]> e : optimizerState.entrySet()) {
            if (e.getValue().length != size) {
                throw new IllegalArgumentException("checkpoint " + dir + ": optimizer state '" + e.getKey() + "' has "
                        + e.getValue().length + " values for " + size + " parameters");
            }
        }
        model.parameters().copyFrom(weights);
        optimizer.loadState(optimizerSteps, optimizerState);
    }
}
