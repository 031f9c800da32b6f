package dev.autoint.core.internal.train;

import dev.autoint.core.train.Adagrad;

/** {@link Adagrad}'s rule; the formula is on {@link Adagrad}. */
final class AdagradUpdater extends Updater {

    private final float lrDecay;
    private final float weightDecay;
    private final float initialAccumulator;
    private final float eps;
    private float[] sum;
    private float clrFactor;

    AdagradUpdater(Adagrad o) {
        super(o);
        this.lrDecay = o.lrDecay();
        this.weightDecay = o.weightDecay();
        this.initialAccumulator = o.initialAccumulator();
        this.eps = o.eps();
    }

    @Override
    void beginStep(int size) {
        sum = buffer("sum", size, initialAccumulator);
        clrFactor = 1f / (1 + (steps - 1) * lrDecay);
    }

    @Override
    public void update(float[] w, float[] g, int off, int len, float lr) {
        float clr = lr * clrFactor;
        for (int i = off; i < off + len; i++) {
            float gi = g[i] + weightDecay * w[i];
            sum[i] += gi * gi;
            w[i] -= clr * gi / ((float) Math.sqrt(sum[i]) + eps);
        }
    }
}
