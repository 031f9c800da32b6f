package dev.autoint.core.internal.engine;

/**
 * Converts weights that read a flattened embedding vector between the canonical order of model files,
 * PyTorch and DeepCTR (field-major: index {@code f·W + k}) and the order of the feature-major activations
 * (index {@code k·F + f}). Only two small matrices need it (the first DNN layer and the output weights);
 * they are permuted into the workspace on every forward pass, which costs far less than one chunk's
 * arithmetic and keeps every activation in the layout the kernels like.
 */
final class FeatureMajor {

    private FeatureMajor() {
    }

    /** {@code dst[r·F·W + k·F + f] = src[srcOff + r·F·W + f·W + k]} for every row r. */
    static void permute(float[] src, int srcOff, float[] dst, int rows, int fields, int width) {
        int size = fields * width;
        for (int r = 0; r < rows; r++) {
            int so = srcOff + r * size, dOff = r * size;
            for (int f = 0; f < fields; f++) {
                for (int k = 0; k < width; k++) dst[dOff + k * fields + f] = src[so + f * width + k];
            }
        }
    }

    /** The inverse, accumulating: {@code g[gOff + r·F·W + f·W + k] += tmp[r·F·W + k·F + f]}. */
    static void addBack(float[] tmp, float[] g, int gOff, int rows, int fields, int width) {
        int size = fields * width;
        for (int r = 0; r < rows; r++) {
            int go = gOff + r * size, to = r * size;
            for (int f = 0; f < fields; f++) {
                for (int k = 0; k < width; k++) g[go + f * width + k] += tmp[to + k * fields + f];
            }
        }
    }

    /**
     * The inverse for a transposed gradient, accumulating: {@code g[gOff + r·F·W + f·W + k] += tmpT[(k·F + f)·R + r]}
     * where tmpT is (F·W, R), R = rows.
     */
    static void addBackTransposed(float[] tmpT, float[] g, int gOff, int rows, int fields, int width) {
        int size = fields * width;
        for (int f = 0; f < fields; f++) {
            for (int k = 0; k < width; k++) {
                int t = (k * fields + f) * rows, go = gOff + f * width + k;
                for (int r = 0; r < rows; r++) g[go + r * size] += tmpT[t + r];
            }
        }
    }
}
