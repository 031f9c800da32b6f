package dev.autoint.core.internal.train;

import dev.autoint.core.internal.kernel.Kernels;
import dev.autoint.core.train.Adam;

/** {@link Adam}'s rule; the formula is on {@link Adam}. */
final class AdamUpdater extends Updater {

    private static final Kernels KERNELS = Kernels.get();

    private final float beta1;
    private final float beta2;
    private final float eps;
    private final float weightDecay;
    private final boolean decoupled;
    private float[] m;
    private float[] v;
    private double stepSize;
    private double bias2Sqrt;

    AdamUpdater(Adam o) {
        super(o);
        this.beta1 = o.beta1();
        this.beta2 = o.beta2();
        this.eps = o.eps();
        this.weightDecay = o.weightDecay();
        this.decoupled = o.decoupled();
    }

    @Override
    void beginStep(int size) {
        m = buffer("exp_avg", size, 0f);
        v = buffer("exp_avg_sq", size, 0f);
        long t = steps;
        stepSize = 1.0 / (1 - Math.pow(beta1, t));
        bias2Sqrt = Math.sqrt(1 - Math.pow(beta2, t));
    }

    @Override
    public void update(float[] w, float[] g, int off, int len, float lr) {
        KERNELS.adamUpdate(off, len, w, g, m, v, beta1, beta2, eps, (float) (lr * stepSize), (float) bias2Sqrt, lr,
                weightDecay, decoupled);
    }
}
