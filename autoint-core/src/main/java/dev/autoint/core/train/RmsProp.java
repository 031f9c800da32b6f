package dev.autoint.core.train;

/**
 * RMSprop, as {@code torch.optim.RMSprop} (defaults: α 0.99, ε 1e-8, weight decay 0, momentum 0,
 * not centered):
 * <pre>
 *   g ← g + λ·w
 *   v ← α·v + (1 − α)·g²
 *   centered:  a ← α·a + (1 − α)·g;   denom = √(v − a²) + ε     else  denom = √v + ε
 *   momentum μ > 0:  b ← μ·b + g/denom;  w ← w − lr·b          else  w ← w − lr·g/denom
 * </pre>
 */
public final class RmsProp extends Optimizer {

    private final float alpha;
    private final float eps;
    private final float weightDecay;
    private final float momentum;
    private final boolean centered;
    private float[] sq;
    private float[] avg;
    private float[] buf;

    public RmsProp(float alpha, float eps, float weightDecay, float momentum, boolean centered) {
        if (!(alpha >= 0 && alpha <= 1) || !(eps > 0) || weightDecay < 0 || momentum < 0) {
            throw new IllegalArgumentException("RMSprop: alpha in [0,1], eps > 0, weightDecay and momentum >= 0");
        }
        this.alpha = alpha;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.momentum = momentum;
        this.centered = centered;
    }

    public static RmsProp defaults() {
        return new RmsProp(0.99f, 1e-8f, 0f, 0f, false);
    }

    @Override
    protected void beginStep(int size) {
        sq = buffer("square_avg", size, 0f);
        if (centered) avg = buffer("grad_avg", size, 0f);
        if (momentum > 0) buf = buffer("momentum_buffer", size, 0f);
    }

    @Override
    protected void update(float[] w, float[] g, int off, int len, float lr) {
        for (int i = off; i < off + len; i++) {
            float gi = g[i] + weightDecay * w[i];
            sq[i] = alpha * sq[i] + (1 - alpha) * gi * gi;
            float denom;
            if (centered) {
                avg[i] = alpha * avg[i] + (1 - alpha) * gi;
                denom = (float) Math.sqrt(Math.max(0f, sq[i] - avg[i] * avg[i])) + eps; // rounding can make it < 0
            } else {
                denom = (float) Math.sqrt(sq[i]) + eps;
            }
            if (momentum > 0) {
                buf[i] = momentum * buf[i] + gi / denom;
                w[i] -= lr * buf[i];
            } else {
                w[i] -= lr * gi / denom;
            }
        }
    }

    @Override
    public String toString() {
        return "RMSprop(alpha=" + alpha + ", eps=" + eps + ", weight_decay=" + weightDecay + ", momentum="
                + momentum + ", centered=" + centered + ")";
    }
}
