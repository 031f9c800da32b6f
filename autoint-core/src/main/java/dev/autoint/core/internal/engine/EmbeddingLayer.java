package dev.autoint.core.internal.engine;

import dev.autoint.core.data.EncodedDataset;
import dev.autoint.core.data.FieldKind;
import dev.autoint.core.data.FieldSpec;
import java.util.Arrays;
import java.util.List;

/**
 * Field embeddings (paper sec. 4.2): a categorical field looks up {@code e_f = V_f[id]}; a multi-valued
 * field mean-pools {@code e_f = (1/q) Σ_k V_f[id_k]} (zero when the row has no id); a numeric field scales a
 * learned vector, {@code e_f = x·v_f}.
 *
 * <p>Output {@code e0 (D, F, n)}: element (f, k) of sample s at {@code (k·F + f)·ld + s}. Backward scatters {@code de0} into the touched table rows only.
 */
final class EmbeddingLayer {

    private final FieldKind[] kinds;
    private final int[] offsets; // start of V_f in the flat parameters
    private final int[] tensorIndex; // index of V_f in the parameter list, for touched-row tracking
    private final int d;

    EmbeddingLayer(List<FieldSpec> fields, int[] offsets, int[] tensorIndex, int embeddingSize) {
        this.kinds = fields.stream().map(FieldSpec::kind).toArray(FieldKind[]::new);
        this.offsets = offsets;
        this.tensorIndex = tensorIndex;
        this.d = embeddingSize;
    }

    static int row(int[] rows, int from, int s) {
        return rows == null ? from + s : rows[from + s];
    }

    void forward(Workspace ws, float[] w, EncodedDataset data, int[] rows, int from) {
        final int n = ws.n, ld = ws.ld, fs = kinds.length * ld;
        final float[] e0 = ws.e0;
        for (int f = 0; f < kinds.length; f++) {
            int base = f * ld;
            int off = offsets[f];
            switch (kinds[f]) {
                case CATEGORICAL -> {
                    int[] ids = data.idColumn(f);
                    for (int s = 0; s < n; s++) {
                        int src = off + ids[row(rows, from, s)] * d;
                        for (int k = 0; k < d; k++) e0[base + k * fs + s] = w[src + k];
                    }
                }
                case MULTI_CATEGORICAL -> {
                    int[] starts = data.multiOffsetColumn(f);
                    int[] ids = data.multiIdColumn(f);
                    for (int s = 0; s < n; s++) {
                        int r = row(rows, from, s);
                        int q = starts[r + 1] - starts[r];
                        for (int k = 0; k < d; k++) e0[base + k * fs + s] = 0f;
                        if (q == 0) continue;
                        float inv = 1f / q;
                        for (int p = starts[r]; p < starts[r + 1]; p++) {
                            int src = off + ids[p] * d;
                            for (int k = 0; k < d; k++) e0[base + k * fs + s] += w[src + k];
                        }
                        for (int k = 0; k < d; k++) e0[base + k * fs + s] *= inv;
                    }
                }
                case NUMERIC -> {
                    float[] values = data.valueColumn(f);
                    for (int s = 0; s < n; s++) {
                        float x = values[row(rows, from, s)];
                        for (int k = 0; k < d; k++) e0[base + k * fs + s] = x * w[off + k];
                    }
                }
            }
        }
        // Lanes past the chunk's end are computed but never read back: keep them finite (zero).
        for (int r = 0, rowsTotal = kinds.length * d; r < rowsTotal; r++) {
            Arrays.fill(e0, r * ld + n, r * ld + ws.nPad, 0f);
        }
    }

    void backward(Workspace ws, EncodedDataset data, int[] rows, int from, Gradients grads) {
        final int n = ws.n, ld = ws.ld, fs = kinds.length * ld;
        final float[] de0 = ws.de0;
        final float[] g = grads.data();
        for (int f = 0; f < kinds.length; f++) {
            int base = f * ld;
            int off = offsets[f];
            switch (kinds[f]) {
                case CATEGORICAL -> {
                    int[] ids = data.idColumn(f);
                    for (int s = 0; s < n; s++) {
                        int id = ids[row(rows, from, s)];
                        grads.touch(tensorIndex[f], id);
                        int dst = off + id * d;
                        for (int k = 0; k < d; k++) g[dst + k] += de0[base + k * fs + s];
                    }
                }
                case MULTI_CATEGORICAL -> {
                    int[] starts = data.multiOffsetColumn(f);
                    int[] ids = data.multiIdColumn(f);
                    for (int s = 0; s < n; s++) {
                        int r = row(rows, from, s);
                        int q = starts[r + 1] - starts[r];
                        if (q == 0) continue;
                        float inv = 1f / q;
                        for (int p = starts[r]; p < starts[r + 1]; p++) {
                            grads.touch(tensorIndex[f], ids[p]);
                            int dst = off + ids[p] * d;
                            for (int k = 0; k < d; k++) g[dst + k] += inv * de0[base + k * fs + s];
                        }
                    }
                }
                case NUMERIC -> {
                    float[] values = data.valueColumn(f);
                    for (int s = 0; s < n; s++) {
                        float x = values[row(rows, from, s)];
                        for (int k = 0; k < d; k++) g[off + k] += x * de0[base + k * fs + s];
                    }
                }
            }
        }
    }
}
