package dev.autoint.core.model;

import java.util.Arrays;
import java.util.Objects;

/**
 * One named parameter tensor inside {@link Parameters}' flat array: its name, role, shape, offset and whether
 * its gradients and updates are row-sparse. Immutable; only {@link AutoIntModel}'s layout creates them.
 */
public final class TensorInfo {

    private final String name;
    private final TensorRole role;
    private final int[] shape;
    private final int offset;
    private final boolean sparse;

    TensorInfo(String name, TensorRole role, int[] shape, int offset, boolean sparse) {
        this.name = Objects.requireNonNull(name, "name");
        this.role = Objects.requireNonNull(role, "role");
        this.shape = shape.clone();
        this.offset = offset;
        this.sparse = sparse;
    }

    /** The stable name model files use, for example {@code attention.0.wq}. */
    public String name() {
        return name;
    }

    /** What the tensor is in the model; decides initialisation and regularisation. */
    public TensorRole role() {
        return role;
    }

    /** The row-major shape (a copy); matrices are {@code (rows, cols)}. */
    public int[] shape() {
        return shape.clone();
    }

    /** The tensor's first element in the flat parameter array. */
    public int offset() {
        return offset;
    }

    /**
     * True for the tables of categorical and multi-valued fields (embeddings, first-order weights), whose
     * gradients and optimizer updates cover only the rows a batch touched.
     */
    public boolean sparse() {
        return sparse;
    }

    /** The number of elements: the product of the shape. */
    public int size() {
        int s = 1;
        for (int d : shape) s *= d;
        return s;
    }

    /** The first dimension. */
    public int rows() {
        return shape[0];
    }

    /** Elements per row: the product of all dimensions but the first. */
    public int rowSize() {
        return shape.length == 1 ? 1 : size() / shape[0];
    }

    /** The shape as {@code [a, b]}. */
    public String shapeString() {
        return Arrays.toString(shape);
    }

    /** Equal when name, role, shape, offset and sparsity are. */
    @Override
    public boolean equals(Object o) {
        return o instanceof TensorInfo t && t.name.equals(name) && t.role == role && Arrays.equals(t.shape, shape)
                && t.offset == offset && t.sparse == sparse;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    /** The name followed by the shape, e.g. {@code attention.0.wq[16, 16]}. */
    @Override
    public String toString() {
        return name + shapeString();
    }
}
