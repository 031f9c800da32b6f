package dev.autoint.core.internal.engine;

import dev.autoint.core.data.EncodedDataset;
import dev.autoint.core.data.FieldKind;
import dev.autoint.core.data.FieldSpec;
import dev.autoint.core.internal.kernel.Kernels;
import java.util.Arrays;
import java.util.List;

/**
 * Field embeddings (paper sec. 4.2): a categorical field looks up {@code e_f = V_f[id]}; a multi-valued
 * field mean-pools {@code e_f = (1/q) Σ_k V_f[id_k]} (zero when the row has no id); a numeric field scales a
 * learned vector, {@code e_f = x·v_f}.
 *
 * <p>Output {@code e0 (D, F, n)}: element (f, k) of sample s at {@code (k·F + f)·ld + s}. Backward scatters {@code de0} into the touched table rows only.
 *
 * <p>When scoring, a field whose input is the same in every sample of the chunk ({@link #markShared}) is looked
 * up once and its embedding copied across the chunk's lanes; the first interacting layer and the linear term
 * then compute that field once as well.
 */
final class EmbeddingLayer {

    private final FieldKind[] kinds;
    private final int[] offsets; // start of V_f in the flat parameters
    private final int[] tensorIndex; // index of V_f in the parameter list, for touched-row tracking
    private final int d;
    private final Kernels kr;

    EmbeddingLayer(Kernels kr, List<FieldSpec> fields, int[] offsets, int[] tensorIndex, int embeddingSize) {
        this.kr = kr;
        this.kinds = fields.stream().map(FieldSpec::kind).toArray(FieldKind[]::new);
        this.offsets = offsets;
        this.tensorIndex = tensorIndex;
        this.d = embeddingSize;
    }

    static int row(int[] rows, int from, int s) {
        return rows == null ? from + s : rows[from + s];
    }

    /**
     * Marks in {@code ws.shared} the fields whose input is the same in every sample of the current chunk (the
     * user and context fields when the rows are one user's candidates) and returns how many there are. Same
     * means the same id, the same ids in the same order (a multi-valued field), or the same bits (a numeric
     * field): inputs that make every later step compute bit for bit the same values. Costs at most n·F
     * compares, usually far fewer (a field that varies is found at its first differing sample).
     */
    int markShared(Workspace ws, EncodedDataset data, int[] rows, int from) {
        final int n = ws.n;
        final int r0 = row(rows, from, 0);
        int count = 0;
        for (int f = 0; f < kinds.length; f++) {
            boolean same = true;
            switch (kinds[f]) {
                case CATEGORICAL -> {
                    int[] ids = data.idColumn(f);
                    int id = ids[r0];
                    for (int s = 1; s < n && same; s++) same = ids[row(rows, from, s)] == id;
                }
                case MULTI_CATEGORICAL -> {
                    int[] starts = data.multiOffsetColumn(f);
                    int[] ids = data.multiIdColumn(f);
                    for (int s = 1; s < n && same; s++) {
                        int r = row(rows, from, s);
                        same = Arrays.equals(ids, starts[r], starts[r + 1], ids, starts[r0], starts[r0 + 1]);
                    }
                }
                case NUMERIC -> {
                    float[] values = data.valueColumn(f);
                    int bits = Float.floatToRawIntBits(values[r0]);
                    for (int s = 1; s < n && same; s++) same = Float.floatToRawIntBits(values[row(rows, from, s)]) == bits;
                }
            }
            ws.shared[f] = same;
            if (same) count++;
        }
        return count;
    }

    void forward(Workspace ws, float[] w, EncodedDataset data, int[] rows, int from) {
        final int n = ws.n, ld = ws.ld, fs = kinds.length * ld;
        final float[] e0 = ws.e0;
        final int eb = ws.base(e0);
        for (int f = 0; f < kinds.length; f++) {
            int base = eb + f * ld;
            int off = offsets[f];
            // A field shared by the whole chunk is looked up for its first sample only, then copied (below).
            final int m = ws.sharedCount > 0 && ws.shared[f] ? 1 : n;
            switch (kinds[f]) {
                case CATEGORICAL -> {
                    int[] ids = data.idColumn(f);
                    int[] src = ws.rowStarts;
                    for (int s = 0; s < m; s++) src[s] = off + ids[row(rows, from, s)] * d;
                    kr.gatherRows(m, d, w, src, e0, base, fs);
                }
                case MULTI_CATEGORICAL -> {
                    int[] starts = data.multiOffsetColumn(f);
                    int[] ids = data.multiIdColumn(f);
                    for (int s = 0; s < m; s++) {
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
                    for (int s = 0; s < m; s++) {
                        float x = values[row(rows, from, s)];
                        for (int k = 0; k < d; k++) e0[base + k * fs + s] = x * w[off + k];
                    }
                }
            }
            if (m < n) {
                for (int k = 0; k < d; k++) {
                    int r = base + k * fs;
                    Arrays.fill(e0, r + 1, r + n, e0[r]);
                }
            }
        }
        // Lanes past the chunk's end are computed but never read back: keep them finite (zero).
        for (int r = 0, rowsTotal = kinds.length * d; r < rowsTotal; r++) {
            Arrays.fill(e0, eb + r * ld + n, eb + r * ld + ws.nPad, 0f);
        }
    }

    void backward(Workspace ws, EncodedDataset data, int[] rows, int from, Gradients grads) {
        final int n = ws.n, ld = ws.ld, fs = kinds.length * ld;
        final float[] de0 = ws.de0;
        final int db = ws.base(de0);
        final float[] g = grads.data();
        for (int f = 0; f < kinds.length; f++) {
            int base = db + f * ld;
            int off = offsets[f];
            switch (kinds[f]) {
                case CATEGORICAL -> {
                    int[] ids = data.idColumn(f);
                    int[] dst = ws.rowStarts;
                    for (int s = 0; s < n; s++) {
                        int id = ids[row(rows, from, s)];
                        grads.touch(tensorIndex[f], id);
                        dst[s] = off + id * d;
                    }
                    kr.scatterAddRows(n, d, de0, base, fs, dst, g);
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
