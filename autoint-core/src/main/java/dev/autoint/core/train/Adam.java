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
 */
public final class Adam extends Optimizer {

    public static final float DEFAULT_LR = 1e-3f;
    public static final float DEFAULT_BETA1 = 0.9f;
    public static final float DEFAULT_BETA2 = 0.999f;
    public static final float DEFAULT_EPS = 1e-8f;
    public static final float DEFAULT_ADAMW_DECAY = 1e-2f;

    private final float beta1;
    private final float beta2;
    private final float eps;
    private final float weightDecay;
    private final boolean decoupled;
    private float[] m;
    private float[] v;
    private double stepSize;
    private double bias2Sqrt;

    public Adam(float beta1, float beta2, float eps, float weightDecay, boolean decoupled) {
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("betas must be in [0, 1), got " + beta1 + ", " + beta2);
        }
        if (!(eps > 0) || weightDecay < 0) throw new IllegalArgumentException("eps must be > 0 and weightDecay >= 0");
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.decoupled = decoupled;
    }

    /** {@code torch.optim.Adam} with its defaults. */
    public static Adam adam() {
        return new Adam(DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_EPS, 0f, false);
    }

    /** {@code torch.optim.AdamW} with its defaults. */
    public static Adam adamW() {
        return new Adam(DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_EPS, DEFAULT_ADAMW_DECAY, true);
    }

    /** {@code torch.optim.AdamW} with the given decoupled weight decay. */
    public static Adam adamW(float weightDecay) {
        return new Adam(DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_EPS, weightDecay, true);
    }

    @Override
    protected void beginStep(int size) {
        m = buffer("exp_avg", size, 0f);
        v = buffer("exp_avg_sq", size, 0f);
        long t = steps;
        stepSize = 1.0 / (1 - Math.pow(beta1, t));
        bias2Sqrt = Math.sqrt(1 - Math.pow(beta2, t));
    }

    @Override
    protected void update(float[] w, float[] g, int off, int len, float lr) {
        float step = (float) (lr * stepSize);
        float b2 = (float) bias2Sqrt;
        for (int i = off; i < off + len; i++) {
            float gi = g[i];
            if (decoupled) {
                w[i] *= 1 - lr * weightDecay;
            } else if (weightDecay != 0f) {
                gi += weightDecay * w[i];
            }
            m[i] = beta1 * m[i] + (1 - beta1) * gi;
            v[i] = beta2 * v[i] + (1 - beta2) * gi * gi;
            float denom = (float) Math.sqrt(v[i]) / b2 + eps;
            w[i] -= step * m[i] / denom;
        }
    }

    @Override
    public String toString() {
        return (decoupled ? "AdamW" : "Adam") + "(betas=(" + beta1 + ", " + beta2 + "), eps=" + eps
                + ", weight_decay=" + weightDecay + ")";
    }
}
