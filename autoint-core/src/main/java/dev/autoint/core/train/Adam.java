package dev.autoint.core.train;

/**
 * Adam and AdamW, as {@code torch.optim.Adam} / {@code torch.optim.AdamW}
 * (defaults β1 0.9, β2 0.999, ε 1e-8; weight decay 0 for Adam, 0.01 for AdamW):
 * <pre>
 *   Adam:   g ← g + λ·w                       (L2 folded into the gradient)
 *   AdamW:  w ← w − lr·λ·w                     (decoupled weight decay)
 *   m ← β1·m + (1 − β1)·g
 *   v ← β2·v + (1 − β2)·g²
 *   w ← w − lr · (m / (1 − β1^t)) / (√(v / (1 − β2^t)) + ε)
 * </pre>
 * computed as PyTorch does: {@code step = lr / (1 − β1^t)}, {@code denom = √v / √(1 − β2^t) + ε}.
 *
 * @param beta1       β1 in [0, 1)
 * @param beta2       β2 in [0, 1)
 * @param eps         ε &gt; 0
 * @param weightDecay λ ≥ 0
 * @param decoupled   true for AdamW's decoupled decay, false for L2 folded into the gradient
 */
public record Adam(float beta1, float beta2, float eps, float weightDecay, boolean decoupled) implements Optimizer {

    /** PyTorch's default learning rate for Adam, and the trainer's. */
    public static final float DEFAULT_LR = 1e-3f;
    /** PyTorch's default β1. */
    public static final float DEFAULT_BETA1 = 0.9f;
    /** PyTorch's default β2. */
    public static final float DEFAULT_BETA2 = 0.999f;
    /** PyTorch's default ε. */
    public static final float DEFAULT_EPS = 1e-8f;
    /** PyTorch's default decoupled weight decay of AdamW. */
    public static final float DEFAULT_ADAMW_DECAY = 1e-2f;

    /**
     * Checks the ranges above.
     *
     * @param beta1       β1 in [0, 1)
     * @param beta2       β2 in [0, 1)
     * @param eps         ε &gt; 0
     * @param weightDecay λ ≥ 0
     * @param decoupled   true for AdamW's decoupled decay, false for L2 folded into the gradient
     * @throws IllegalArgumentException if a value is out of range or NaN
     */
    public Adam {
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("betas must be in [0, 1), got " + beta1 + ", " + beta2);
        }
        if (!(eps > 0) || !(weightDecay >= 0)) throw new IllegalArgumentException("eps must be > 0 and weightDecay >= 0");
    }

    /**
     * {@code torch.optim.Adam} with its defaults: β1 0.9, β2 0.999, ε 1e-8, no weight decay. The trainer's default.
     *
     * @return Adam
     */
    public static Adam adam() {
        return new Adam(DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_EPS, 0f, false);
    }

    /**
     * {@code torch.optim.AdamW} with its defaults: β1 0.9, β2 0.999, ε 1e-8, decoupled weight decay 0.01.
     *
     * @return AdamW
     */
    public static Adam adamW() {
        return new Adam(DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_EPS, DEFAULT_ADAMW_DECAY, true);
    }

    /**
     * {@code torch.optim.AdamW} with the given decoupled weight decay and PyTorch's other defaults.
     *
     * @param weightDecay λ ≥ 0; each step multiplies the weights by {@code 1 − lr·λ}
     * @return AdamW
     * @throws IllegalArgumentException if {@code weightDecay} is negative or NaN
     */
    public static Adam adamW(float weightDecay) {
        return new Adam(DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_EPS, weightDecay, true);
    }

    /** For example {@code Adam(betas=(0.9, 0.999), eps=1.0E-8, weight_decay=0.0)}. */
    @Override
    public String toString() {
        return (decoupled ? "AdamW" : "Adam") + "(betas=(" + beta1 + ", " + beta2 + "), eps=" + eps
                + ", weight_decay=" + weightDecay + ")";
    }
}
