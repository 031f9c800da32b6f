package dev.autoint.core.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every parameter of a model carved from one flat {@code float[]} (as llm.c does): optimizers, gradient
 * buffers and model files all share the same layout, described by an ordered list of {@link TensorInfo}.
 */
public final class Parameters {

    private final List<TensorInfo> tensors;
    private final Map<String, TensorInfo> byName;
    private final float[] data;

    private Parameters(List<TensorInfo> tensors, float[] data) {
        this.tensors = Collections.unmodifiableList(tensors);
        this.byName = new LinkedHashMap<>();
        for (TensorInfo t : tensors) byName.put(t.name(), t);
        this.data = data;
    }

    public List<TensorInfo> tensors() {
        return tensors;
    }

    /** The flat array holding every parameter; written by optimizers and loaders. */
    public float[] data() {
        return data;
    }

    public int size() {
        return data.length;
    }

    public TensorInfo tensor(String name) {
        TensorInfo t = byName.get(name);
        if (t == null) throw new IllegalArgumentException("no parameter tensor named '" + name + "'");
        return t;
    }

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

        TensorInfo add(String name, boolean sparse, int... shape) {
            TensorInfo t = new TensorInfo(name, shape, offset, sparse);
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
