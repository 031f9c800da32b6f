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

    /** The optimizer step that failed. */
    private final long step;
    /** The first tensor with a non-finite value, or null. */
    private final String tensor;
    /** The 0-based epoch of the failing step. */
    private final int epoch;
    /** The epochs completed before the failure. */
    private final Trainer.History history;
    /** Whether the model holds the best epoch's weights. */
    private final boolean bestRestored;

    /**
     * Creates the exception; {@link Trainer} throws it, other trainers (such as the Spark one) may too.
     *
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

    /**
     * The optimizer step that failed, counted like {@link Trainer#step()}; its update was not applied.
     *
     * @return the step, from 0
     */
    public long step() {
        return step;
    }

    /**
     * Where it went wrong.
     *
     * @return the name of the parameter tensor (layer) where the first non-finite gradient or weight appeared,
     *         or null if only the loss was non-finite
     */
    public String tensor() {
        return tensor;
    }

    /**
     * The epoch of the failing step.
     *
     * @return the 0-based epoch, as in {@link Trainer.EpochResult#epoch()}
     */
    public int epoch() {
        return epoch;
    }

    /**
     * The epochs completed before the failure.
     *
     * @return the history so far, not marked as stopped early; its best epoch is {@link #bestEpoch()}
     */
    public Trainer.History history() {
        return history;
    }

    /**
     * The best epoch so far by the monitored metric.
     *
     * @return its 0-based index, or -1 when no epoch was scored
     */
    public int bestEpoch() {
        return history.bestEpoch();
    }

    /**
     * Which weights the model holds.
     *
     * @return true if it holds the best epoch's weights (restore-best was on and there was a best epoch), false
     *         if it holds the last finite weights
     */
    public boolean bestRestored() {
        return bestRestored;
    }
}
