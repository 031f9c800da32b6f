package dev.autoint.core.internal.train;

import dev.autoint.core.train.Sgd;

/** {@link Sgd}'s rule; the formula is on {@link Sgd}. */
final class SgdUpdater extends Updater {

    private final float momentum;
    private final float dampening;
    private final float weightDecay;
    private final boolean nesterov;
    private float[] buf;
    private boolean[] started; // per-element "first momentum step" flag, as PyTorch's buffer-is-None

    SgdUpdater(Sgd o) {
        super(o);
        this.momentum = o.momentum();
        this.dampening = o.dampening();
        this.weightDecay = o.weightDecay();
        this.nesterov = o.nesterov();
    }

    @Override
    void beginStep(int size) {
        if (momentum != 0f && buf == null) {
            buf = buffer("momentum_buffer", size, 0f);
            float[] s = buffer("started", size, 0f);
            started = new boolean[size];
            for (int i = 0; i < size; i++) started[i] = s[i] != 0f;
        }
    }

    @Override
    public void update(float[] w, float[] g, int off, int len, float lr) {
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
    void afterLoad() {
        buf = null;
        started = null;
        if (momentum != 0f && state().containsKey("momentum_buffer")) {
            buf = state().get("momentum_buffer");
            float[] s = state().get("started");
            started = new boolean[s.length];
            for (int i = 0; i < s.length; i++) started[i] = s[i] != 0f;
        }
    }
}
