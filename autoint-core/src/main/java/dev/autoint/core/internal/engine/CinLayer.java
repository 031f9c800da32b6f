package dev.autoint.core.internal.engine;

import dev.autoint.core.internal.kernel.Kernels;
import java.util.Arrays;

/**
 * One layer of xDeepFM's compressed interaction network (Lian et al. 2018, eq. 6), with DeepCTR's bias and
 * ReLU. X⁰ = e (F maps of width D), X^(k−1) the H' maps the previous layer passes on:
 *
 * <pre>
 *   Z_(i·F+j), d = X^(k−1)_i,d · X⁰_j,d                      (H'·F, D): every pair of maps, per embedding dimension
 *   X^k_h,d     = ReLU( Σ_(i,j) W_h,(i·F+j) Z_(i·F+j), d + b_h )   W (H, H'·F), b (H)
 * backward, with G = ∂X^k:
 *   ∂P = G ⊙ [X^k &gt; 0];  ∂W += Σ_(d,s) ∂P Zᵀ;  ∂b += Σ_(d,s) ∂P;  ∂Z = Wᵀ ∂P
 *   ∂X^(k−1)_i,d += Σ_j ∂Z_(i·F+j), d X⁰_j,d;   ∂X⁰_j,d += Σ_i ∂Z_(i·F+j), d X^(k−1)_i,d
 * </pre>
 * Layout: X^k and Z are {@code (maps, D, ld)} (map h, dimension d, sample s at {@code (h·D + d)·ld + s}), so
 * one product per dimension d computes every map: {@code X^k_·,d (H, n) = W (H, H'·F) · Z_·,d (H'·F, n)}. X⁰
 * is read in place from {@code e0 (D, F, ld)}; the input of the first layer is e0 itself, hence the strides.
 * Z is rebuilt in backward rather than kept per layer (it is the largest buffer and costs one multiply per element).
 */
final class CinLayer {

    private final Kernels kr;
    private final int index;
    private final int f;
    private final int d;
    private final int prev; // H' maps read from the previous layer (F for the first)
    private final int maps; // H
    private final int wOff;
    private final int bOff;

    CinLayer(Kernels kr, int index, int fields, int embeddingSize, int prevMaps, int maps, int wOff, int bOff) {
        this.kr = kr;
        this.index = index;
        this.f = fields;
        this.d = embeddingSize;
        this.prev = prevMaps;
        this.maps = maps;
        this.wOff = wOff;
        this.bOff = bOff;
    }

    int maps() {
        return maps;
    }

    /** Forward FLOP per sample. */
    long flopsPerRow() {
        return (long) prev * f * d + 2L * maps * prev * f * d + 2L * maps * d;
    }

    /** Map stride and dimension stride of the input: e0 (D, F, ld) for the first layer, else (H', D, ld). */
    private int mapStride(int ld) {
        return index == 0 ? ld : d * ld;
    }

    private int dimStride(int ld) {
        return index == 0 ? f * ld : ld;
    }

    /** Z (H'·F, D, ld) from the input x and e0, over nPad lanes. */
    private void buildZ(float[] x, float[] e0, float[] z, int nPad, int ld) {
        int ms = mapStride(ld), ds = dimStride(ld);
        for (int i = 0; i < prev; i++) {
            for (int j = 0; j < f; j++) {
                for (int k = 0; k < d; k++) {
                    int zr = ((i * f + j) * d + k) * ld, xr = i * ms + k * ds, er = (k * f + j) * ld;
                    for (int s = 0; s < nPad; s++) z[zr + s] = x[xr + s] * e0[er + s];
                }
            }
        }
    }

    /** X^k into {@code b.cinOut[index]} from the input x (e0 for the first layer). */
    void forward(FamilyPath.Buffers b, float[] w, float[] x, float[] e0, int nPad, int ld) {
        final float[] z = b.cinZ, out = b.cinOut[index];
        final int k = prev * f, dl = d * ld;
        buildZ(x, e0, z, nPad, ld);
        for (int dd = 0; dd < d; dd++) {
            kr.mult(maps, nPad, k, w, wOff, k, z, dd * ld, dl, out, dd * ld, dl);
            kr.addBiasRows(maps, nPad, out, dd * ld, dl, w, bOff);
        }
        kr.relu(maps * dl, out, 0, out, 0);
    }

    /**
     * Backward of the last forward: {@code dOut (H, D, ld)} is the gradient of X^k and is overwritten; adds
     * into {@code dIn} (the input's gradient, in the input's layout), {@code de0} (may be {@code dIn} for the
     * first layer) and the weights' in g.
     */
    void backward(FamilyPath.Buffers b, float[] w, float[] x, float[] e0, float[] dOut, float[] dIn, float[] de0,
                  float[] g, int n, int nPad, int ld) {
        final float[] z = b.cinZ, dz = b.cinDz, out = b.cinOut[index];
        final int k = prev * f, dl = d * ld;
        kr.reluBackward(maps * dl, out, 0, dOut, 0, dOut, 0);
        buildZ(x, e0, z, nPad, ld);
        Arrays.fill(dz, 0, k * dl, 0f);
        for (int dd = 0; dd < d; dd++) {
            kr.multAddTransB(maps, k, n, dOut, dd * ld, dl, z, dd * ld, dl, g, wOff, k);
            kr.rowSums(maps, n, dOut, dd * ld, dl, g, bOff);
            kr.multAddTransA(k, nPad, maps, w, wOff, k, dOut, dd * ld, dl, dz, dd * ld, dl);
        }
        int ms = mapStride(ld), ds = dimStride(ld);
        for (int i = 0; i < prev; i++) {
            for (int j = 0; j < f; j++) {
                for (int kk = 0; kk < d; kk++) {
                    int zr = ((i * f + j) * d + kk) * ld, xr = i * ms + kk * ds, er = (kk * f + j) * ld;
                    for (int s = 0; s < nPad; s++) {
                        float gz = dz[zr + s];
                        dIn[xr + s] += gz * e0[er + s];
                        de0[er + s] += gz * x[xr + s];
                    }
                }
            }
        }
    }
}
