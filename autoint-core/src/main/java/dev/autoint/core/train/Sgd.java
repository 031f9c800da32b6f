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
 */
public final class Sgd extends Optimizer {

    private final float momentum;
    private final float dampening;
    private final float weightDecay;
    private final boolean nesterov;
    private float[] buf;
    private boolean[] started; // per-element "first momentum step" flag, as PyTorch's buffer-is-None

    public Sgd(float momentum, float dampening, float weightDecay, boolean nesterov) {
        if (momentum < 0 || dampening < 0 || weightDecay < 0) {
            throw new IllegalArgumentException("momentum, dampening and weightDecay must be >= 0");
        }
        if (nesterov && (momentum <= 0 || dampening != 0)) {
            throw new IllegalArgumentException("Nesterov momentum requires momentum > 0 and zero dampening");
        }
        this.momentum = momentum;
        this.dampening = dampening;
        this.weightDecay = weightDecay;
        this.nesterov = nesterov;
    }

    public static Sgd plain() {
        return new Sgd(0f, 0f, 0f, false);
    }

    public static Sgd momentum(float momentum, boolean nesterov) {
        return new Sgd(momentum, 0f, 0f, nesterov);
    }

    @Override
    protected void beginStep(int size) {
        if (momentum != 0f && buf == null) {
            buf = buffer("momentum_buffer", size, 0f);
            float[] s = buffer("started", size, 0f);
            started = new boolean[size];
            for (int i = 0; i < size; i++) started[i] = s[i] != 0f;
        }
    }

    @Override
    protected void update(float[] w, float[] g, int off, int len, float lr) {
        float[] startedState = momentum != 0f ? state().get("started") : null;
        for (int i = off; i < off + len; i++) {
            float d = g[i] + weightDecay * w[i];
            if (momentum != 0f) {
                if (!started[i]) {
                    buf[i] = d;
                    started[i] = true;
                    startedState[i] = 1f;
                } else {
                    buf[i] = momentum * buf[i] + (1 - dampening) * d;
                }
                d = nesterov ? d + momentum * buf[i] : buf[i];
            }
            w[i] -= lr * d;
        }
    }

    @Override
    public void loadState(long steps, java.util.Map<String, float[]> saved) {
        super.loadState(steps, saved);
        buf = null;
        started = null;
        if (momentum != 0f && state().containsKey("momentum_buffer")) {
            buf = state().get("momentum_buffer");
            float[] s = state().get("started");
            started = new boolean[s.length];
            for (int i = 0; i < s.length; i++) started[i] = s[i] != 0f;
        }
    }

    @Override
    public String toString() {
        return "SGD(momentum=" + momentum + ", dampening=" + dampening + ", weight_decay=" + weightDecay
                + ", nesterov=" + nesterov + ")";
    }
}
