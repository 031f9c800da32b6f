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

    /**
     * The tensor's name, stable across versions because model files use it.
     *
     * @return the name, for example {@code attention.0.wq}, {@code embedding.user_id} or {@code output.bias}
     */
    public String name() {
        return name;
    }

    /**
     * What the tensor is in the model; decides its initialisation and regularisation.
     *
     * @return the role
     */
    public TensorRole role() {
        return role;
    }

    /**
     * The row-major shape.
     *
     * @return a copy of the dimensions: one for a bias vector, two {@code (rows, cols)} for a matrix or table
     */
    public int[] shape() {
        return shape.clone();
    }

    /**
     * Where the tensor starts in the flat parameter array ({@link Parameters#toArray()}).
     *
     * @return the index of its first element
     */
    public int offset() {
        return offset;
    }

    /**
     * Whether the tensor is row-sparse: the tables of categorical and multi-valued fields (embeddings,
     * first-order weights), whose gradients and optimizer updates cover only the rows a batch touched.
     *
     * @return true for a row-sparse table, false for dense tensors (including numeric fields' tables)
     */
    public boolean sparse() {
        return sparse;
    }

    /**
     * The number of elements.
     *
     * @return the product of the shape's dimensions
     */
    public int size() {
        int s = 1;
        for (int d : shape) s *= d;
        return s;
    }

    /**
     * The number of rows: for an embedding table, the field's vocabulary size.
     *
     * @return the first dimension
     */
    public int rows() {
        return shape[0];
    }

    /**
     * The number of elements per row.
     *
     * @return the product of all dimensions but the first; 1 for a one-dimensional tensor
     */
    public int rowSize() {
        return shape.length == 1 ? 1 : size() / shape[0];
    }

    /**
     * The shape for messages.
     *
     * @return the dimensions as {@code [a, b]}
     */
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
