package dev.autoint.core.train;

/**
 * Training produced a non-finite loss, gradient or weight. The message names the step, the epoch and the
 * first parameter tensor at fault, and says which weights the model holds:
 *
 * <ul>
 *   <li>with restore-best and at least one epoch scored better than the others so far
 *       ({@link #bestRestored()}), the weights of that best epoch, restored before this was thrown, so a
 *       caller can save a usable model;</li>
 *   <li>otherwise the last finite weights (those before the failing step).</li>
 * </ul>
 * Either way every weight is finite. {@link #history()} holds the epochs completed before the failure.
 * When a weight (not the loss) went non-finite, the optimizer had already updated its moments for that
 * step: continue with a new optimizer.
 */
public class TrainingDivergedException extends RuntimeException {

    private final long step;
    private final String tensor;
    private final int epoch;
    private final Trainer.History history;
    private final boolean bestRestored;

    /**
     * @param message      what went non-finite, where, and which weights the model holds
     * @param step         the optimizer step that failed
     * @param tensor       the first tensor with a non-finite value, or null if only the loss was
     * @param epoch        the 0-based epoch the failing step belongs to (as in {@link Trainer.EpochResult#epoch()})
     * @param history      the epochs completed before it, with the best one so far
     * @param bestRestored whether the model now holds the best epoch's weights
     */
    public TrainingDivergedException(String message, long step, String tensor, int epoch, Trainer.History history,
                                     boolean bestRestored) {
        super(message);
        this.step = step;
        this.tensor = tensor;
        this.epoch = epoch;
        this.history = history;
        this.bestRestored = bestRestored;
    }

    public long step() {
        return step;
    }

    /** The parameter tensor (layer) where the first non-finite value appeared, or null if only the loss was. */
    public String tensor() {
        return tensor;
    }

    /** The 0-based epoch the failing step belongs to. */
    public int epoch() {
        return epoch;
    }

    /** The epochs completed before the failure (not stopped early); its best epoch is {@link #bestEpoch()}. */
    public Trainer.History history() {
        return history;
    }

    /** The 0-based best epoch so far by the monitored metric, or -1 when none was scored. */
    public int bestEpoch() {
        return history.bestEpoch();
    }

    /** Whether the model holds the best epoch's weights (restore-best was on and there was a best epoch). */
    public boolean bestRestored() {
        return bestRestored;
    }
}
