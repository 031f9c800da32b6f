package dev.autoint.core.internal.engine;

import dev.autoint.core.data.EncodedDataset;
import dev.autoint.core.data.FieldKind;
import dev.autoint.core.data.FieldSpec;
import java.util.List;

/**
 * The first-order term of DeepCTR's AutoInt: {@code lin = Σ_f w_f[id_f]} for categorical fields,
 * the mean of {@code w_f} over the ids of a multi-valued field, {@code x·w_f} for a numeric field.
 * Output {@code linear (n)}; backward adds {@code dlogit} into the touched weights. When scoring, a field
 * shared by the whole chunk ({@link EmbeddingLayer#markShared}) is looked up once.
 */
final class LinearTerm {

    private final FieldKind[] kinds;
    private final int[] offsets;
    private final int[] tensorIndex;

    LinearTerm(List<FieldSpec> fields, int[] offsets, int[] tensorIndex) {
        this.kinds = fields.stream().map(FieldSpec::kind).toArray(FieldKind[]::new);
        this.offsets = offsets;
        this.tensorIndex = tensorIndex;
    }

    void forward(Workspace ws, float[] w, EncodedDataset data, int[] rows, int from) {
        final int n = ws.n;
        final float[] lin = ws.linear;
        java.util.Arrays.fill(lin, 0, ws.nPad, 0f);
        for (int f = 0; f < kinds.length; f++) {
            if (ws.sharedCount > 0 && ws.shared[f]) {
                // The same term for every sample: looked up once, still added in field order (same sums).
                float t = term(f, w, data, EmbeddingLayer.row(rows, from, 0));
                for (int s = 0; s < n; s++) lin[s] += t;
            } else {
                for (int s = 0; s < n; s++) lin[s] += term(f, w, data, EmbeddingLayer.row(rows, from, s));
            }
        }
    }

    /** Field f's first-order term of row r. */
    private float term(int f, float[] w, EncodedDataset data, int r) {
        int off = offsets[f];
        return switch (kinds[f]) {
            case CATEGORICAL -> w[off + data.idColumn(f)[r]];
            case MULTI_CATEGORICAL -> {
                int[] starts = data.multiOffsetColumn(f);
                int[] ids = data.multiIdColumn(f);
                int q = starts[r + 1] - starts[r];
                if (q == 0) yield -0f; // x + (-0) == x for every x, -0 included: as if nothing were added
                float sum = 0f;
                for (int p = starts[r]; p < starts[r + 1]; p++) sum += w[off + ids[p]];
                yield sum / q;
            }
            case NUMERIC -> data.valueColumn(f)[r] * w[off];
        };
    }

    void backward(Workspace ws, EncodedDataset data, int[] rows, int from, Gradients grads) {
        final int n = ws.n;
        final float[] dl = ws.dlogits;
        final float[] g = grads.data();
        for (int f = 0; f < kinds.length; f++) {
            int off = offsets[f];
            switch (kinds[f]) {
                case CATEGORICAL -> {
                    int[] ids = data.idColumn(f);
                    for (int s = 0; s < n; s++) {
                        int id = ids[EmbeddingLayer.row(rows, from, s)];
                        grads.touch(tensorIndex[f], id);
                        g[off + id] += dl[s];
                    }
                }
                case MULTI_CATEGORICAL -> {
                    int[] starts = data.multiOffsetColumn(f);
                    int[] ids = data.multiIdColumn(f);
                    for (int s = 0; s < n; s++) {
                        int r = EmbeddingLayer.row(rows, from, s);
                        int q = starts[r + 1] - starts[r];
                        for (int p = starts[r]; p < starts[r + 1]; p++) {
                            grads.touch(tensorIndex[f], ids[p]);
                            g[off + ids[p]] += dl[s] / q;
                        }
                    }
                }
                case NUMERIC -> {
                    float[] values = data.valueColumn(f);
                    for (int s = 0; s < n; s++) g[off] += values[EmbeddingLayer.row(rows, from, s)] * dl[s];
                }
            }
        }
    }
}
