package dev.autoint.core.model;

import java.util.Arrays;

/**
 * One named parameter tensor inside {@link Parameters}' flat array.
 *
 * @param name   stable name used in model files (for example {@code attention.0.wq})
 * @param shape  row-major shape; matrices are {@code (rows, cols)}
 * @param offset start in the flat array
 * @param sparse true for embedding-like tables whose gradients and updates are row-sparse
 */
public record TensorInfo(String name, int[] shape, int offset, boolean sparse) {

    public TensorInfo {
        shape = shape.clone();
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    public int size() {
        int s = 1;
        for (int d : shape) s *= d;
        return s;
    }

    public int rows() {
        return shape[0];
    }

    /** Elements per row: the product of all dimensions but the first. */
    public int rowSize() {
        return shape.length == 1 ? 1 : size() / shape[0];
    }

    public String shapeString() {
        return Arrays.toString(shape);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorInfo t && t.name.equals(name) && Arrays.equals(t.shape, shape)
                && t.offset == offset && t.sparse == sparse;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + shapeString();
    }
}
