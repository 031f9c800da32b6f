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
 */
public final class Adagrad extends Optimizer {

    private final float lrDecay;
    private final float weightDecay;
    private final float initialAccumulator;
    private final float eps;
    private float[] sum;
    private float clrFactor;

    public Adagrad(float lrDecay, float weightDecay, float initialAccumulator, float eps) {
        if (lrDecay < 0 || weightDecay < 0 || initialAccumulator < 0 || !(eps > 0)) {
            throw new IllegalArgumentException("Adagrad: lrDecay, weightDecay, initialAccumulator must be >= 0 and eps > 0");
        }
        this.lrDecay = lrDecay;
        this.weightDecay = weightDecay;
        this.initialAccumulator = initialAccumulator;
        this.eps = eps;
    }

    public static Adagrad defaults() {
        return new Adagrad(0f, 0f, 0f, 1e-10f);
    }

    @Override
    protected void beginStep(int size) {
        sum = buffer("sum", size, initialAccumulator);
        clrFactor = 1f / (1 + (steps - 1) * lrDecay);
    }

    @Override
    protected void update(float[] w, float[] g, int off, int len, float lr) {
        float clr = lr * clrFactor;
        for (int i = off; i < off + len; i++) {
            float gi = g[i] + weightDecay * w[i];
            sum[i] += gi * gi;
            w[i] -= clr * gi / ((float) Math.sqrt(sum[i]) + eps);
        }
    }

    @Override
    public String toString() {
        return "Adagrad(lr_decay=" + lrDecay + ", weight_decay=" + weightDecay + ", initial_accumulator_value="
                + initialAccumulator + ", eps=" + eps + ")";
    }
}
