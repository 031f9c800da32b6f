package dev.autoint.core.train;

/**
 * Adagrad, as {@code torch.optim.Adagrad} (defaults: lr decay 0, weight decay 0, initial accumulator 0,
 * ε 1e-10):
 * <pre>
 *   g ← g + λ·w
 *   clr = lr / (1 + (t − 1)·η)               (lr decay η)
 *   s ← s + g²
 *   w ← w − clr · g / (√s + ε)
 * </pre>
 *
 * @param lrDecay            η ≥ 0
 * @param weightDecay        λ ≥ 0
 * @param initialAccumulator the starting value of s, ≥ 0
 * @param eps                ε &gt; 0
 */
public record Adagrad(float lrDecay, float weightDecay, float initialAccumulator, float eps) implements Optimizer {

    /**
     * Checks the ranges above.
     *
     * @param lrDecay            η ≥ 0
     * @param weightDecay        λ ≥ 0
     * @param initialAccumulator the starting value of s, ≥ 0
     * @param eps                ε &gt; 0
     * @throws IllegalArgumentException if a value is out of range or NaN
     */
    public Adagrad {
        if (!(lrDecay >= 0) || !(weightDecay >= 0) || !(initialAccumulator >= 0) || !(eps > 0)) {
            throw new IllegalArgumentException("Adagrad: lrDecay, weightDecay, initialAccumulator must be >= 0 and eps > 0");
        }
    }

    /**
     * {@code torch.optim.Adagrad} with its defaults.
     *
     * @return {@code Adagrad(0, 0, 0, 1e-10)}
     */
    public static Adagrad defaults() {
        return new Adagrad(0f, 0f, 0f, 1e-10f);
    }

    /** For example {@code Adagrad(lr_decay=0.0, weight_decay=0.0, initial_accumulator_value=0.0, eps=1.0E-10)}. */
    @Override
    public String toString() {
        return "Adagrad(lr_decay=" + lrDecay + ", weight_decay=" + weightDecay + ", initial_accumulator_value="
                + initialAccumulator + ", eps=" + eps + ")";
    }
}
