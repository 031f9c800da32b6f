package dev.autoint.core.train;

import dev.autoint.core.internal.engine.Gradients;
import dev.autoint.core.model.Parameters;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An update rule with PyTorch's formulas and defaults (each subclass quotes its formula).
 *
 * <p>Dense tensors are updated every step. Sparse tensors (embedding tables and linear-term weights) are
 * updated only on the rows the batch touched, as PyTorch's {@code SparseAdam} and TensorFlow's
 * {@code LazyAdam} do: a row's moments and weight decay advance only on steps that use the row, while the
 * step counter t in Adam's bias correction is global. A row seen rarely therefore keeps its moments from
 * its last use instead of decaying them every step; that is what keeps a step's cost proportional to the
 * batch rather than to the vocabulary.
 *
 * <p>State (moments, accumulators) has the parameters' layout, is allocated on first use and can be
 * saved and restored for checkpoints via {@link #state()} and {@link #loadState}.
 */
public abstract class Optimizer {

    /** Steps taken so far (t in the formulas is {@code steps + 1} during a step). */
    protected long steps;
    private final Map<String, float[]> state = new LinkedHashMap<>();

    /** Applies one update with learning rate {@code lr} to the rows/tensors that have gradients. */
    public final void step(Parameters params, Gradients grads, float lr) {
        startStep(params);
        float[] w = params.data();
        float[] g = grads.data();
        grads.forEachRegion((t, off, len) -> update(w, g, off, len, lr));
    }

    /**
     * Starts a step whose regions the caller then updates with {@link #updateRegion}, possibly from several
     * threads (the trainer splits a step's regions between its threads). {@link #step} is this followed by
     * {@link #updateRegion} on every region of the gradients.
     */
    public final void startStep(Parameters params) {
        steps++;
        beginStep(params.size());
    }

    /**
     * Updates {@code params[off .. off+len)} from the same range of {@code grads}, within a step begun by
     * {@link #startStep}. Every update rule is element-wise, so disjoint regions may be updated at the same
     * time from different threads, and the result does not depend on how the regions were split.
     */
    public final void updateRegion(Parameters params, Gradients grads, int off, int len, float lr) {
        update(params.data(), grads.data(), off, len, lr);
    }

    /** Called once per step before the updates; subclasses allocate state here. */
    protected abstract void beginStep(int size);

    /** Updates {@code w[off .. off+len)} from {@code g[off .. off+len)}. */
    protected abstract void update(float[] w, float[] g, int off, int len, float lr);

    /** A named state buffer of the parameters' size, created zero-filled (or with {@code init}) on first use. */
    protected final float[] buffer(String name, int size, float init) {
        float[] b = state.get(name);
        if (b == null) {
            b = new float[size];
            if (init != 0f) java.util.Arrays.fill(b, init);
            state.put(name, b);
        }
        return b;
    }

    public long steps() {
        return steps;
    }

    /** The optimizer's state buffers by name (live arrays, for checkpoints). */
    public Map<String, float[]> state() {
        return state;
    }

    /** Restores state saved from an optimizer of the same kind and parameter layout. */
    public void loadState(long steps, Map<String, float[]> saved) {
        this.steps = steps;
        state.clear();
        saved.forEach((k, v) -> state.put(k, v.clone()));
    }

    /** A short description with the hyper-parameters, for logs and manifests. */
    @Override
    public abstract String toString();
}
