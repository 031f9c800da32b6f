package dev.autoint.core.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autoint.core.data.FieldSpec;
import dev.autoint.core.model.AutoIntConfig;
import dev.autoint.core.model.AutoIntModel;
import dev.autoint.core.model.TensorInfo;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GradientsTest {

    /** The regions a buffer visits, as {tensor index, offset, length}. */
    private static List<int[]> regions(Gradients g) {
        List<int[]> out = new ArrayList<>();
        g.forEachRegion((t, off, len) -> out.add(new int[] {g.tensors().indexOf(t), off, len}));
        return out;
    }

    @Test
    void regionsOfSparseTablesAreAscendingRunsWhenDenseAndFirstTouchOrderWhenNot() {
        // "small": 10 rows (4 touched: at least one in 16, so ascending runs); "large": 1,000 rows (3 touched).
        AutoIntModel model = AutoIntModel.create(AutoIntConfig.defaults().withEmbeddingSize(4),
                List.of(FieldSpec.categorical("small", 10), FieldSpec.categorical("large", 1000)));
        Gradients g = new Gradients(model.parameters());
        List<TensorInfo> tensors = g.tensors();
        int small = -1, large = -1;
        for (int t = 0; t < tensors.size(); t++) {
            TensorInfo ti = tensors.get(t);
            if (!ti.sparse() || ti.rowSize() != 4) continue; // the embedding tables (the linear ones have rows of 1)
            if (ti.rows() == 10) small = t;
            if (ti.rows() == 1000) large = t;
        }
        assertThat(small).isNotNegative();
        assertThat(large).isNotNegative();
        for (int row : new int[] {5, 1, 9, 2}) g.touch(small, row);
        for (int row : new int[] {700, 3, 40}) g.touch(large, row);

        TensorInfo s = tensors.get(small), l = tensors.get(large);
        List<int[]> sparse = new ArrayList<>();
        for (int[] r : regions(g)) {
            if (r[0] == small || r[0] == large) sparse.add(r);
        }
        // Rows 1 and 2 are one region of two rows; then 5, then 9; the large table keeps first-touch order.
        assertThat(sparse).containsExactly(
                new int[] {small, s.offset() + 4, 8}, new int[] {small, s.offset() + 20, 4},
                new int[] {small, s.offset() + 36, 4},
                new int[] {large, l.offset() + 2800, 4}, new int[] {large, l.offset() + 12, 4},
                new int[] {large, l.offset() + 160, 4});
        // Every dense tensor is one whole region.
        for (int[] r : regions(g)) {
            TensorInfo ti = tensors.get(r[0]);
            if (!ti.sparse()) assertThat(r).containsExactly(r[0], ti.offset(), ti.size());
        }
    }
}
