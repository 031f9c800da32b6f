package dev.autoint.spark;

import dev.autoint.core.data.EncodedDataset;
import dev.autoint.core.data.FieldKind;
import dev.autoint.core.data.FieldSpec;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The columns of an {@link EncodedDataset} as plain arrays, to travel inside a Spark task or partition
 * ({@link EncodedDataset} itself is not serializable). {@link #dataset()} rebuilds it with the same checks
 * as {@link EncodedDataset#ofColumns}.
 */
final class EncodedColumns implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String[] names;
    private final FieldKind[] kinds;
    private final int[] sizes;
    private final float[] labels;
    private final float[] weights;
    private final int[][] ids;
    private final int[][] multiOffsets;
    private final int[][] multiIds;
    private final float[][] values;

    private EncodedColumns(EncodedDataset d) {
        int nf = d.numFields();
        names = new String[nf];
        kinds = new FieldKind[nf];
        sizes = new int[nf];
        ids = new int[nf][];
        multiOffsets = new int[nf][];
        multiIds = new int[nf][];
        values = new float[nf][];
        for (int f = 0; f < nf; f++) {
            FieldSpec s = d.fields().get(f);
            names[f] = s.name();
            kinds[f] = s.kind();
            sizes[f] = s.vocabularySize();
            switch (s.kind()) {
                case CATEGORICAL -> ids[f] = d.idColumn(f);
                case MULTI_CATEGORICAL -> {
                    multiOffsets[f] = d.multiOffsetColumn(f);
                    multiIds[f] = d.multiIdColumn(f);
                }
                case NUMERIC -> values[f] = d.valueColumn(f);
            }
        }
        labels = d.labelColumn();
        weights = d.weightColumn();
    }

    static EncodedColumns of(EncodedDataset d) {
        return new EncodedColumns(d);
    }

    EncodedDataset dataset() {
        List<FieldSpec> fields = new ArrayList<>(names.length);
        for (int f = 0; f < names.length; f++) fields.add(new FieldSpec(names[f], kinds[f], sizes[f]));
        return EncodedDataset.ofColumns(fields, labels, weights, ids, multiOffsets, multiIds, values);
    }
}
