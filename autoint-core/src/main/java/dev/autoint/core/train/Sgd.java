package dev.autoint.core.train;

/**
 * Stochastic gradient descent with momentum, as {@code torch.optim.SGD} (defaults: momentum 0, dampening
 * 0, weight decay 0, no Nesterov):
 * <pre>
 *   g ← g + λ·w                                  (weight decay λ)
 *   b ← g                       on the first step, else  b ← μ·b + (1 − τ)·g      (momentum μ, dampening τ)
 *   g ← g + μ·b  (Nesterov)     or   g ← b
 *   w ← w − lr·g
 * </pre>
 *
 * @param momentum    μ ≥ 0
 * @param dampening   τ ≥ 0
 * @param weightDecay λ ≥ 0
 * @param nesterov    Nesterov momentum (needs μ &gt; 0 and τ = 0)
 */
public record Sgd(float momentum, float dampening, float weightDecay, boolean nesterov) implements Optimizer {

    /**
     * Checks the ranges above.
     *
     * @param momentum    μ ≥ 0
     * @param dampening   τ ≥ 0
     * @param weightDecay λ ≥ 0
     * @param nesterov    Nesterov momentum (needs μ &gt; 0 and τ = 0)
     * @throws IllegalArgumentException if a value is negative or NaN, or Nesterov is asked for without
     *                                  momentum or with dampening
     */
    public Sgd {
        if (!(momentum >= 0) || !(dampening >= 0) || !(weightDecay >= 0)) {
            throw new IllegalArgumentException("momentum, dampening and weightDecay must be >= 0");
        }
        if (nesterov && (momentum <= 0 || dampening != 0)) {
            throw new IllegalArgumentException("Nesterov momentum requires momentum > 0 and zero dampening");
        }
    }

    /**
     * Plain SGD: {@code w ← w − lr·g}, {@code torch.optim.SGD} with its defaults.
     *
     * @return {@code Sgd(0, 0, 0, false)}
     */
    public static Sgd plain() {
        return new Sgd(0f, 0f, 0f, false);
    }

    /**
     * SGD with momentum μ, optionally Nesterov's, no dampening or weight decay.
     *
     * @param momentum μ ≥ 0 (typically 0.9); &gt; 0 for Nesterov
     * @param nesterov whether to use Nesterov momentum
     * @return {@code Sgd(momentum, 0, 0, nesterov)}
     * @throws IllegalArgumentException if {@code momentum} is negative or NaN, or zero with Nesterov
     */
    public static Sgd momentum(float momentum, boolean nesterov) {
        return new Sgd(momentum, 0f, 0f, nesterov);
    }

    /** For example {@code SGD(momentum=0.9, dampening=0.0, weight_decay=0.0, nesterov=true)}. */
    @Override
    public String toString() {
        return "SGD(momentum=" + momentum + ", dampening=" + dampening + ", weight_decay=" + weightDecay
                + ", nesterov=" + nesterov + ")";
    }
}
