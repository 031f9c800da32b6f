package dev.autoint.core.internal.io;

import dev.autoint.core.io.ModelFileException;
import dev.autoint.core.data.EncodedDataset;
import dev.autoint.core.data.FieldKind;
import dev.autoint.core.data.FieldSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An {@link EncodedDataset} as named {@link Safetensors} columns, so encoded rows can travel in a file with
 * the model (a bundle's held-out rows, a catalogue's item features). Under a prefix {@code P}:
 * {@code P.label} (F32), {@code P.weight} (F32, only when weighted), and per field {@code F}:
 * {@code P.F.ids} (I32, categorical), {@code P.F.offsets} and {@code P.F.ids} (I32, multi-valued, CSR),
 * {@code P.F.values} (F32, numeric). Reading checks every id against the field's vocabulary.
 */
public final class DatasetFiles {

    private DatasetFiles() {
    }

    /** The columns of {@code data} under {@code prefix}. */
    public static List<Safetensors.Tensor> tensors(String prefix, EncodedDataset data) {
        List<Safetensors.Tensor> out = new ArrayList<>();
        out.add(Safetensors.Tensor.vector(prefix + ".label", data.labelColumn()));
        if (data.hasWeights()) out.add(Safetensors.Tensor.vector(prefix + ".weight", data.weightColumn()));
        for (int f = 0; f < data.numFields(); f++) {
            FieldSpec spec = data.fields().get(f);
            String base = prefix + "." + spec.name();
            switch (spec.kind()) {
                case CATEGORICAL -> out.add(Safetensors.Tensor.vector(base + ".ids", data.idColumn(f)));
                case MULTI_CATEGORICAL -> {
                    out.add(Safetensors.Tensor.vector(base + ".offsets", data.multiOffsetColumn(f)));
                    int[] ids = data.multiIdColumn(f);
                    int end = data.multiOffsetColumn(f)[data.size()];
                    out.add(Safetensors.Tensor.vector(base + ".ids", ids.length == end ? ids : java.util.Arrays.copyOf(ids, end)));
                }
                case NUMERIC -> out.add(Safetensors.Tensor.vector(base + ".values", data.valueColumn(f)));
            }
        }
        return out;
    }

    /**
     * Reads the dataset stored under {@code prefix} with the given fields; a missing or malformed column
     * gives a {@link ModelFileException} naming {@code file} and the column.
     */
    public static EncodedDataset dataset(Path file, Safetensors.Contents contents, String prefix, List<FieldSpec> fields)
            throws ModelFileException {
        int nf = fields.size();
        int[][] ids = new int[nf][];
        int[][] offsets = new int[nf][];
        int[][] multi = new int[nf][];
        float[][] values = new float[nf][];
        try {
            float[] labels = column(file, contents, prefix + ".label").values();
            Safetensors.Tensor w = contents.get(prefix + ".weight");
            float[] weights = w == null ? null : w.values();
            for (int f = 0; f < nf; f++) {
                FieldSpec spec = fields.get(f);
                String base = prefix + "." + spec.name();
                if (spec.kind() == FieldKind.CATEGORICAL) {
                    ids[f] = column(file, contents, base + ".ids").ints();
                } else if (spec.kind() == FieldKind.MULTI_CATEGORICAL) {
                    offsets[f] = column(file, contents, base + ".offsets").ints();
                    multi[f] = column(file, contents, base + ".ids").ints();
                } else {
                    values[f] = column(file, contents, base + ".values").values();
                }
            }
            return EncodedDataset.ofColumns(fields, labels, weights, ids, offsets, multi, values);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new ModelFileException(file, "rows '" + prefix + "': " + e.getMessage(), e);
        }
    }

    private static Safetensors.Tensor column(Path file, Safetensors.Contents contents, String name) throws ModelFileException {
        Safetensors.Tensor t = contents.get(name);
        if (t == null) throw new ModelFileException(file, "missing column '" + name + "'");
        return t;
    }
}
