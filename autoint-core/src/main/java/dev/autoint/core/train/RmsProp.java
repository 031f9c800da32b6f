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
 *
 * @param alpha       α in [0, 1]
 * @param eps         ε &gt; 0
 * @param weightDecay λ ≥ 0
 * @param momentum    μ ≥ 0
 * @param centered    normalise by the variance estimate v − a² instead of v
 */
public record RmsProp(float alpha, float eps, float weightDecay, float momentum, boolean centered) implements Optimizer {

    /**
     * Checks the ranges above.
     *
     * @param alpha       α in [0, 1]
     * @param eps         ε &gt; 0
     * @param weightDecay λ ≥ 0
     * @param momentum    μ ≥ 0
     * @param centered    normalise by the variance estimate v − a² instead of v
     * @throws IllegalArgumentException if a value is out of range or NaN
     */
    public RmsProp {
        if (!(alpha >= 0 && alpha <= 1) || !(eps > 0) || !(weightDecay >= 0) || !(momentum >= 0)) {
            throw new IllegalArgumentException("RMSprop: alpha in [0,1], eps > 0, weightDecay and momentum >= 0");
        }
    }

    /**
     * {@code torch.optim.RMSprop} with its defaults.
     *
     * @return {@code RmsProp(0.99, 1e-8, 0, 0, false)}
     */
    public static RmsProp defaults() {
        return new RmsProp(0.99f, 1e-8f, 0f, 0f, false);
    }

    /** For example {@code RMSprop(alpha=0.99, eps=1.0E-8, weight_decay=0.0, momentum=0.0, centered=false)}. */
    @Override
    public String toString() {
        return "RMSprop(alpha=" + alpha + ", eps=" + eps + ", weight_decay=" + weightDecay + ", momentum="
                + momentum + ", centered=" + centered + ")";
    }
}
