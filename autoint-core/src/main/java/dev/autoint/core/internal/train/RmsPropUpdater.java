package dev.autoint.core.internal.train;

import dev.autoint.core.train.RmsProp;

/** {@link RmsProp}'s rule; the formula is on {@link RmsProp}. */
final class RmsPropUpdater extends Updater {

    private final float alpha;
    private final float eps;
    private final float weightDecay;
    private final float momentum;
    private final boolean centered;
    private float[] sq;
    private float[] avg;
    private float[] buf;

    RmsPropUpdater(RmsProp o) {
        super(o);
        this.alpha = o.alpha();
        this.eps = o.eps();
        this.weightDecay = o.weightDecay();
        this.momentum = o.momentum();
        this.centered = o.centered();
    }

    @Override
    void beginStep(int size) {
        sq = buffer("square_avg", size, 0f);
        if (centered) avg = buffer("grad_avg", size, 0f);
        if (momentum > 0) buf = buffer("momentum_buffer", size, 0f);
    }

    @Override
    public void update(float[] w, float[] g, int off, int len, float lr) {
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
}
