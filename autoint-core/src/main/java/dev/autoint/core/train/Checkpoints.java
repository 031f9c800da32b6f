package dev.autoint.core.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.autoint.core.internal.io.AtomicFiles;
import dev.autoint.core.internal.io.Safetensors;
import dev.autoint.core.internal.train.Updater;
import dev.autoint.core.io.ModelFiles;
import dev.autoint.core.model.AutoIntModel;
import dev.autoint.core.model.Parameters;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link Trainer}'s per-epoch checkpoints and resuming from them. A checkpoint is a directory
 * {@code epoch-NNN/} holding the model files ({@link ModelFiles}), {@value #OPTIMIZER_FILE} (each optimizer
 * state buffer as a tensor of the parameters' size; metadata {@code steps} and {@code optimizer}, the
 * optimizer's description) and {@value #TRAINER_FILE} ({@link Progress}, bound with Jackson). The directory is
 * written as one unit ({@link AtomicFiles#writeDirectory}), so a crash never leaves a half-written checkpoint
 * under the name {@code resumeFrom} reads; a re-run into the same directory replaces it.
 */
final class Checkpoints {

    static final String OPTIMIZER_FILE = "optimizer.safetensors";
    static final String TRAINER_FILE = "trainer.json";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Checkpoints() {
    }

    /**
     * Where training stood after an epoch: the contents of {@value #TRAINER_FILE}.
     *
     * @param epoch     epochs done (the checkpoint of epoch index e records e + 1)
     * @param step      optimizer steps taken
     * @param bestValue the best monitored value so far, null when none was finite
     * @param bestEpoch the epoch index that reached it, -1 when none
     * @param badEpochs epochs since the last improvement (for patience)
     * @param history   every epoch's results so far
     * @param schedule  the learning-rate schedule's {@link LearningRateSchedule#state()}, NaN stored as null
     */
    record Progress(int epoch, long step, Double bestValue, int bestEpoch, int badEpochs, List<Trainer.EpochResult> history,
                    Map<String, Double> schedule) {
    }

    /** What {@link #resume} read: the progress, and for restore-best the best epoch's weights (else null). */
    record Resumed(Progress progress, Parameters bestWeights) {
    }

    /** The directory of epoch index {@code epoch}'s checkpoint: {@code epoch-NNN} with NNN = epoch + 1. */
    static Path directory(Path checkpointDir, int epoch) {
        return checkpointDir.resolve(String.format("epoch-%03d", epoch + 1));
    }

    /** Writes the checkpoint of epoch index {@code epoch}, replacing one of the same name. */
    static void write(Path checkpointDir, int epoch, AutoIntModel model, Updater updater, Progress progress) {
        Path dir = directory(checkpointDir, epoch);
        try {
            AtomicFiles.writeDirectory(dir, staged -> {
                ModelFiles.save(model, staged, Map.of("checkpointEpoch", epoch + 1, "optimizer", updater.toString()));
                List<Safetensors.Tensor> state = new ArrayList<>();
                updater.state().forEach((k, v) -> state.add(new Safetensors.Tensor(k, new int[] {v.length}, v)));
                Safetensors.write(staged.resolve(OPTIMIZER_FILE), state, Map.of("steps", Long.toString(updater.steps()),
                        "optimizer", updater.toString()));
                AtomicFiles.writeBytes(staged.resolve(TRAINER_FILE), JSON.writeValueAsBytes(progress));
            });
        } catch (IOException e) {
            throw new UncheckedIOException("could not write checkpoint " + dir, e);
        }
    }

    /**
     * Reads checkpoint {@code dir} and, once everything in it (and, with {@code restoreBest}, the best epoch's
     * own checkpoint) has been read and checked, loads its weights into {@code model}, its state into
     * {@code updater} and {@code schedule}. Nothing changes when it throws.
     *
     * @throws IllegalArgumentException the checkpoint is of another configuration, field list or optimizer
     * @throws IllegalStateException    with restore-best, the best epoch's checkpoint is gone or does not match
     */
    static Resumed resume(Path dir, AutoIntModel model, Updater updater, LearningRateSchedule schedule, boolean restoreBest)
            throws IOException {
        ModelFiles.Loaded loaded = ModelFiles.load(dir);
        if (!sameShape(loaded, model)) {
            throw new IllegalArgumentException("checkpoint " + dir + " is of another model configuration or field list");
        }
        Progress progress = JSON.readValue(Files.readAllBytes(dir.resolve(TRAINER_FILE)), Progress.class);
        Parameters bestWeights = restoreBest && progress.bestEpoch() >= 0 ? bestWeights(dir, progress, loaded, model) : null;
        Safetensors.Contents opt = Safetensors.read(dir.resolve(OPTIMIZER_FILE));
        String saved = opt.metadata().get("optimizer");
        if (saved != null && !saved.equals(updater.toString())) {
            throw new IllegalArgumentException("checkpoint " + dir + " was written by " + saved
                    + ", not by the configured " + updater + ": resume with the same optimizer");
        }
        Map<String, float[]> state = new LinkedHashMap<>();
        for (Safetensors.Tensor t : opt.tensors()) {
            if (t.values().length != model.parameters().size()) {
                throw new IllegalArgumentException("checkpoint " + dir + ": optimizer state '" + t.name() + "' has "
                        + t.values().length + " values for " + model.parameters().size() + " parameters");
            }
            state.put(t.name(), t.values());
        }
        model.parameters().copyFrom(loaded.model().parameters());
        updater.loadState(Long.parseLong(opt.metadata().getOrDefault("steps", "0")), state);
        Map<String, Double> sched = new LinkedHashMap<>();
        if (progress.schedule() != null) progress.schedule().forEach((k, v) -> sched.put(k, v == null ? Double.NaN : v));
        schedule.loadState(sched);
        return new Resumed(progress, bestWeights);
    }

    /**
     * Restore-best after a resume needs the best epoch's weights: they are in its own checkpoint, a sibling
     * of {@code dir} (read before anything changes, so a missing one leaves the model as it was).
     */
    private static Parameters bestWeights(Path dir, Progress progress, ModelFiles.Loaded loaded, AutoIntModel model)
            throws IOException {
        int best = progress.bestEpoch();
        if (best + 1 == progress.epoch()) return loaded.model().parameters();
        Path bestDir = directory(dir.toAbsolutePath().getParent(), best);
        if (!Files.isDirectory(bestDir)) {
            throw new IllegalStateException("cannot resume from " + dir + " with restore-best: the best epoch so far ("
                    + (best + 1) + ") has its weights only in its checkpoint " + bestDir + ", which is gone. Put that"
                    + " directory back, or resume without restore-best (earlyStopping(monitor, patience, false)),"
                    + " which ends with the last epoch's weights instead of the best one's");
        }
        ModelFiles.Loaded b = ModelFiles.load(bestDir);
        if (!sameShape(b, model)) {
            throw new IllegalStateException("cannot resume from " + dir + " with restore-best: the best epoch's checkpoint "
                    + bestDir + " is of another model configuration or field list (overwritten by another run?)");
        }
        return b.model().parameters();
    }

    private static boolean sameShape(ModelFiles.Loaded loaded, AutoIntModel model) {
        return loaded.model().config().equals(model.config()) && loaded.model().fields().equals(model.fields());
    }
}
