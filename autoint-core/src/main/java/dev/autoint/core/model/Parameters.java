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

    /** The tensors in layout order (unmodifiable). */
    public List<TensorInfo> tensors() {
        return tensors;
    }

    /** A copy of every value, in layout order: tensor t at {@code [t.offset(), t.offset() + t.size())}. */
    public float[] toArray() {
        return data.clone();
    }

    /** The number of values over all tensors. */
    public int size() {
        return data.length;
    }

    /** The tensor named {@code name}; IllegalArgumentException if there is none. */
    public TensorInfo tensor(String name) {
        TensorInfo t = byName.get(name);
        if (t == null) throw new IllegalArgumentException("no parameter tensor named '" + name + "'");
        return t;
    }

    /** Whether a tensor is named {@code name}. */
    public boolean has(String name) {
        return byName.containsKey(name);
    }

    /** A copy of one tensor's values. */
    public float[] get(String name) {
        TensorInfo t = tensor(name);
        float[] out = new float[t.size()];
        System.arraycopy(data, t.offset(), out, 0, out.length);
        return out;
    }

    /** Overwrites one tensor's values. */
    public void set(String name, float[] values) {
        TensorInfo t = tensor(name);
        if (values.length != t.size()) {
            throw new IllegalArgumentException("parameter '" + name + "' has " + t.size() + " values "
                    + t.shapeString() + ", got " + values.length);
        }
        System.arraycopy(values, 0, data, t.offset(), values.length);
    }

    /** A deep copy (same layout, copied values). */
    public Parameters copy() {
        return new Parameters(new ArrayList<>(tensors), data.clone());
    }

    /** Copies all values from another instance of the same layout. */
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
