package dev.autoint.core.model;

import dev.autoint.core.internal.engine.ParameterAccess;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every parameter of a model carved from one flat {@code float[]} (as llm.c does): optimizers, gradient
 * buffers and model files all share the same layout, described by an ordered list of {@link TensorInfo}.
 * Values go in and out as copies ({@link #get}, {@link #set}, {@link #toArray}, {@link #copyFrom}).
 *
 * <p>The layout is fixed when the model is created; only the values change. Not synchronised: reads from any
 * number of threads are safe while no thread writes ({@link #set}, {@link #copyFrom}, or training the model).
 */
public final class Parameters {

    static {
        ParameterAccess.install(p -> p.data);
    }

    private final List<TensorInfo> tensors;
    private final Map<String, TensorInfo> byName;
    private final float[] data;

    private Parameters(List<TensorInfo> tensors, float[] data) {
        this.tensors = Collections.unmodifiableList(tensors);
        this.byName = new LinkedHashMap<>();
        for (TensorInfo t : tensors) byName.put(t.name(), t);
        this.data = data;
    }

    /**
     * The tensors in layout order.
     *
     * @return an unmodifiable list; each tensor's offset is the previous one's offset plus its size
     */
    public List<TensorInfo> tensors() {
        return tensors;
    }

    /**
     * A copy of every value, in layout order.
     *
     * @return a new array of {@link #size()} values; tensor t is at {@code [t.offset(), t.offset() + t.size())}
     */
    public float[] toArray() {
        return data.clone();
    }

    /**
     * The number of values over all tensors.
     *
     * @return the sum of the tensors' sizes
     */
    public int size() {
        return data.length;
    }

    /**
     * Looks a tensor up by name.
     *
     * @param name a tensor name, for example {@code embedding.user_id} or {@code output.bias}
     * @return the tensor with that name
     * @throws IllegalArgumentException if no tensor has that name
     */
    public TensorInfo tensor(String name) {
        TensorInfo t = byName.get(name);
        if (t == null) throw new IllegalArgumentException("no parameter tensor named '" + name + "'");
        return t;
    }

    /**
     * Whether a tensor has the given name (for example {@code attention.0.wres} exists only with residual
     * connections).
     *
     * @param name a tensor name
     * @return true if {@link #tensor(String)} would find it
     */
    public boolean has(String name) {
        return byName.containsKey(name);
    }

    /**
     * A copy of one tensor's values, row-major.
     *
     * @param name a tensor name
     * @return a new array of {@code tensor(name).size()} values
     * @throws IllegalArgumentException if no tensor has that name
     */
    public float[] get(String name) {
        TensorInfo t = tensor(name);
        float[] out = new float[t.size()];
        System.arraycopy(data, t.offset(), out, 0, out.length);
        return out;
    }

    /**
     * Overwrites one tensor's values (copied; the array is not kept).
     *
     * @param name   a tensor name
     * @param values the new values, row-major, exactly {@code tensor(name).size()} of them
     * @throws IllegalArgumentException if no tensor has that name or {@code values} has the wrong length
     */
    public void set(String name, float[] values) {
        TensorInfo t = tensor(name);
        if (values.length != t.size()) {
            throw new IllegalArgumentException("parameter '" + name + "' has " + t.size() + " values "
                    + t.shapeString() + ", got " + values.length);
        }
        System.arraycopy(values, 0, data, t.offset(), values.length);
    }

    /**
     * A deep copy: the same layout with its own copy of the values, for example to keep the best weights seen.
     *
     * @return a new instance that shares no values with this one
     */
    public Parameters copy() {
        return new Parameters(new ArrayList<>(tensors), data.clone());
    }

    /**
     * Copies all values from another instance of the same layout, such as a {@link #copy()} of this one.
     *
     * @param other the source; its tensors must equal this instance's (names, roles, shapes, offsets, sparsity)
     * @throws IllegalArgumentException if the layouts differ
     */
    public void copyFrom(Parameters other) {
        if (!other.tensors.equals(tensors)) {
            throw new IllegalArgumentException("parameter layouts differ");
        }
        System.arraycopy(other.data, 0, data, 0, data.length);
    }

    /** Builds the layout tensor by tensor, in order. */
    static final class Builder {
        private final List<TensorInfo> list = new ArrayList<>();
        private int offset;

        TensorInfo add(String name, TensorRole role, boolean sparse, int... shape) {
            TensorInfo t = new TensorInfo(name, role, shape, offset, sparse);
            for (TensorInfo o : list) {
                if (o.name().equals(name)) throw new IllegalStateException("duplicate parameter " + name);
            }
            list.add(t);
            offset += t.size();
            return t;
        }

        Parameters build() {
            return new Parameters(list, new float[offset]);
        }
    }
}
