package dev.autoint.core.internal.engine;

import java.util.Arrays;

/**
 * The factorization machine's second-order term (Rendle 2010, eq. 1 rewritten as in his lemma 3.1):
 *
 * <pre>
 *   fm = Σ_{i&lt;j} ⟨e_i, e_j⟩ = ½ Σ_k [ (Σ_f e_fk)² − Σ_f e_fk² ]          forward, O(F·D)
 *   ∂fm/∂e_fk = S_k − e_fk,   S_k = Σ_f e_fk                                backward
 * </pre>
 * Input: the embeddings {@code e0 (D, F, ld)}; output one value per sample {@code (ld)}, added to the logit.
 */
final class FmLayer {

    private final int f;
    private final int d;

    FmLayer(int fields, int embeddingSize) {
        this.f = fields;
        this.d = embeddingSize;
    }

    /** Forward FLOP per sample. */
    long flopsPerRow() {
        return 4L * f * d + 3L * d;
    }

    /** {@code out (ld) = fm}; keeps {@code sum (D, ld) = S} for backward. */
    void forward(float[] e0, int nPad, int ld, float[] sum, float[] out) {
        Arrays.fill(out, 0, nPad, 0f);
        for (int k = 0; k < d; k++) {
            int sr = k * ld;
            Arrays.fill(sum, sr, sr + nPad, 0f);
            for (int i = 0; i < f; i++) {
                int er = (k * f + i) * ld;
                for (int s = 0; s < nPad; s++) {
                    float v = e0[er + s];
                    sum[sr + s] += v;
                    out[s] -= v * v;
                }
            }
            for (int s = 0; s < nPad; s++) out[s] += sum[sr + s] * sum[sr + s];
        }
        for (int s = 0; s < nPad; s++) out[s] *= 0.5f;
    }

    /** {@code de0 += dOut · (S − e)}, with {@code dOut (ld)} the gradient of the term. */
    void backward(float[] e0, float[] sum, float[] dOut, int nPad, int ld, float[] de0) {
        for (int k = 0; k < d; k++) {
            int sr = k * ld;
            for (int i = 0; i < f; i++) {
                int er = (k * f + i) * ld;
                for (int s = 0; s < nPad; s++) de0[er + s] += dOut[s] * (sum[sr + s] - e0[er + s]);
            }
        }
    }
}
