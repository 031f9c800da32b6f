package dev.autoint.core.internal.train;

import dev.autoint.core.train.Adagrad;
import dev.autoint.core.train.Adam;
import dev.autoint.core.train.Optimizer;
import dev.autoint.core.train.RmsProp;
import dev.autoint.core.train.Sgd;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An {@link Optimizer}'s update rule with its state: the one implementation of every optimizer, used by the
 * trainer, by Spark's driver and by Spark's local-SGD shards, always through {@link GradientStep}.
 *
 * <p>A step is {@link #startStep} once, then {@link #update} on regions of the flat parameter array. Every rule is
 * element-wise, so disjoint regions may be updated at the same time from different threads, and the result
 * does not depend on how the regions were split. State buffers (moments, accumulators) have the parameters'
 * layout, are created on first use, and are named as PyTorch names them ({@code exp_avg}, {@code exp_avg_sq},
 * {@code sum}, {@code square_avg}, ...), which is how checkpoints store them.
 */
public abstract class Updater {

    private final Optimizer optimizer;
    private final Map<String, float[]> state = new LinkedHashMap<>();
    /** Steps taken so far (t in the formulas is {@code steps} during a step, counted from 1). */
    long steps;

    Updater(Optimizer optimizer) {
        this.optimizer = optimizer;
    }

    /** A fresh update rule (no state, step 0) for {@code optimizer}. */
    public static Updater of(Optimizer optimizer) {
        Objects.requireNonNull(optimizer, "optimizer");
        if (optimizer instanceof Adam a) return new AdamUpdater(a);
        if (optimizer instanceof Sgd s) return new SgdUpdater(s);
        if (optimizer instanceof Adagrad a) return new AdagradUpdater(a);
        if (optimizer instanceof RmsProp r) return new RmsPropUpdater(r);
        throw new IllegalArgumentException("unknown optimizer " + optimizer); // the interface is sealed
    }

    /** The hyper-parameters this rule applies. */
    public final Optimizer optimizer() {
        return optimizer;
    }

    /** Counts the step and prepares its state for {@code size} parameters; call once before its {@link #update}s. */
    public final void startStep(int size) {
        steps++;
        beginStep(size);
    }

    /** Updates {@code w[off .. off+len)} from {@code g[off .. off+len)} within the current step. */
    public abstract void update(float[] w, float[] g, int off, int len, float lr);

    /** Called once per step by {@link #startStep}; allocates state and computes per-step constants. */
    abstract void beginStep(int size);

    /** A named state buffer of the parameters' size, created with {@code init} in every element on first use. */
    final float[] buffer(String name, int size, float init) {
        float[] b = state.get(name);
        if (b == null) {
            b = new float[size];
            if (init != 0f) Arrays.fill(b, init);
            state.put(name, b);
        }
        return b;
    }

    /** Steps taken so far. */
    public final long steps() {
        return steps;
    }

    /** The state buffers by name, in creation order: live arrays, for checkpoints and local SGD. */
    public final Map<String, float[]> state() {
        return state;
    }

    /** Replaces the state by copies of {@code saved} (same rule and layout) and sets the step count. */
    public void loadState(long steps, Map<String, float[]> saved) {
        this.steps = steps;
        state.clear();
        saved.forEach((k, v) -> state.put(k, v.clone()));
        afterLoad();
    }

    /** Re-reads what a subclass caches from the state after {@link #loadState}. */
    void afterLoad() {
    }

    /** The optimizer's description. */
    @Override
    public String toString() {
        return optimizer.toString();
    }
}
