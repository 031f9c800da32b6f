package dev.autoint.core.train;

/**
 * Training produced a non-finite loss, gradient or weight. The model keeps the last finite weights; the
 * message names the step and the first parameter tensor at fault. When a weight (not the loss) went
 * non-finite, the optimizer had already updated its moments for that step: continue with a new optimizer.
 */
public class TrainingDivergedException extends RuntimeException {

    private final long step;
    private final String tensor;

    public TrainingDivergedException(String message, long step, String tensor) {
        super(message);
        this.step = step;
        this.tensor = tensor;
    }

    public long step() {
        return step;
    }

    /** The parameter tensor (layer) where the first non-finite value appeared, or null if only the loss was. */
    public String tensor() {
        return tensor;
    }
}
