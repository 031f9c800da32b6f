package dev.autoint.core.internal.engine;

import dev.autoint.core.internal.kernel.Kernels;

/**
 * One full-rank cross layer of DCN-v2 (Wang et al. 2021, eq. 1), on the flattened embeddings
 * {@code x_0 = flatten(e)} of width {@code W = F·D}:
 *
 * <pre>
 *   z       = W_l x_l + b_l                         W_l (W, W), b_l (W)
 *   x_{l+1} = x_0 ⊙ z + x_l
 * backward, with g = ∂x_{l+1}:
 *   ∂z   = g ⊙ x_0;   ∂x_0 += g ⊙ z;   ∂x_l += g + W_lᵀ ∂z;   ∂W_l += ∂z x_lᵀ;   ∂b_l += Σ_s ∂z
 * </pre>
 * Files and PyTorch index x field-major ({@code f·D + k}); the activations are feature-major ({@code k·F + f},
 * the order of {@code e0 (D, F, ld)}), so rows and columns of W_l, and b_l, are permuted into the workspace on
 * every forward pass (W² floats, small next to the chunk's W²·n multiply-adds).
 */
final class CrossLayer {

    private final Kernels kr;
    private final int index;
    private final int f;
    private final int d;
    private final int width;
    private final int wOff;
    private final int bOff;

    CrossLayer(Kernels kr, int index, int fields, int embeddingSize, int wOff, int bOff) {
        this.kr = kr;
        this.index = index;
        this.f = fields;
        this.d = embeddingSize;
        this.width = fields * embeddingSize;
        this.wOff = wOff;
        this.bOff = bOff;
    }

    /** Forward FLOP per sample. */
    long flopsPerRow() {
        return 2L * width * width + 3L * width;
    }

    /** Feature-major position of field-major index {@code r = f·D + k}. */
    private int fm(int r) {
        return (r % d) * f + r / d;
    }

    /** {@code x_{l+1} = x_0 ⊙ (W x_l + b) + x_l} into {@code b.crossX[index]}; keeps z and the permuted W. */
    void forward(FamilyPath.Buffers b, float[] w, float[] x0, float[] xl, int nPad, int ld) {
        final float[] wp = b.crossW[index], bp = b.crossB[index], z = b.crossZ[index], out = b.crossX[index];
        for (int r = 0; r < width; r++) {
            int pr = fm(r) * width, src = wOff + r * width;
            for (int c = 0; c < width; c++) wp[pr + fm(c)] = w[src + c];
            bp[fm(r)] = w[bOff + r];
        }
        kr.mult(width, nPad, width, wp, 0, width, xl, 0, ld, z, 0, ld);
        kr.addBiasRows(width, nPad, z, 0, ld, bp, 0);
        for (int r = 0; r < width; r++) {
            int o = r * ld;
            for (int s = 0; s < nPad; s++) out[o + s] = x0[o + s] * z[o + s] + xl[o + s];
        }
    }

    /**
     * Backward of the last forward: {@code dOut (W, ld)} is the gradient of x_{l+1}; adds into {@code dIn}
     * (the gradient of x_l), {@code dx0} (of x_0; may be {@code dIn} for the first layer) and the weights' in g.
     */
    void backward(FamilyPath.Buffers b, float[] x0, float[] xl, float[] dOut, float[] dIn, float[] dx0, float[] g,
                  int n, int nPad, int ld) {
        final float[] wp = b.crossW[index], z = b.crossZ[index], dz = b.crossDz, gT = b.crossG, gb = b.crossGb;
        for (int r = 0; r < width; r++) {
            int o = r * ld;
            for (int s = 0; s < nPad; s++) {
                float go = dOut[o + s];
                dz[o + s] = go * x0[o + s];
                dx0[o + s] += go * z[o + s];
                dIn[o + s] += go;
            }
        }
        java.util.Arrays.fill(gT, 0f);
        java.util.Arrays.fill(gb, 0f);
        kr.multAddTransB(width, width, n, dz, 0, ld, xl, 0, ld, gT, 0, width);
        kr.rowSums(width, n, dz, 0, ld, gb, 0);
        for (int r = 0; r < width; r++) {
            int pr = fm(r) * width, dst = wOff + r * width;
            for (int c = 0; c < width; c++) g[dst + c] += gT[pr + fm(c)];
            g[bOff + r] += gb[fm(r)];
        }
        kr.multAddTransA(width, nPad, width, wp, 0, width, dz, 0, ld, dIn, 0, ld);
    }
}
