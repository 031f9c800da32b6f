package dev.autoint.core.data;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Encoded rows in columnar form: the input of training and scoring.
 *
 * <p>Per row: one id per {@link FieldKind#CATEGORICAL} field, zero or more ids per
 * {@link FieldKind#MULTI_CATEGORICAL} field (stored CSR-style: offsets plus ids), one float per
 * {@link FieldKind#NUMERIC} field, a label in [0, 1] and an optional sample weight. Ids are in
 * {@code [0, vocabularySize)}, id 0 meaning unknown. Storage for a dataset of 14 categorical fields is
 * 60 bytes per row.
 *
 * <p>Instances are immutable once built. The column accessors return the backing arrays without a copy
 * for the hot path; callers must not modify them.
 */
public final class EncodedDataset {

    private final List<FieldSpec> fields;
    private final int size;
    private final float[] labels;
    private final float[] weights; // null: every weight is 1
    private final int[][] ids; // [field][row] for CATEGORICAL, null otherwise
    private final int[][] multiOffsets; // [field][row + 1] for MULTI_CATEGORICAL, null otherwise
    private final int[][] multiIds; // [field][offset] for MULTI_CATEGORICAL
    private final float[][] values; // [field][row] for NUMERIC

    private EncodedDataset(List<FieldSpec> fields, int size, float[] labels, float[] weights, int[][] ids,
                           int[][] multiOffsets, int[][] multiIds, float[][] values) {
        this.fields = fields;
        this.size = size;
        this.labels = labels;
        this.weights = weights;
        this.ids = ids;
        this.multiOffsets = multiOffsets;
        this.multiIds = multiIds;
        this.values = values;
    }

    public List<FieldSpec> fields() {
        return fields;
    }

    public int numFields() {
        return fields.size();
    }

    public int size() {
        return size;
    }

    public float label(int row) {
        return labels[checkRow(row)];
    }

    public float weight(int row) {
        return weights == null ? 1f : weights[checkRow(row)];
    }

    public boolean hasWeights() {
        return weights != null;
    }

    /** The id of a categorical field in a row. */
    public int id(int row, int field) {
        return column(field, FieldKind.CATEGORICAL, ids)[checkRow(row)];
    }

    /** The ids of a multi-valued field in a row, as a new array. */
    public int[] multiIds(int row, int field) {
        int[] off = column(field, FieldKind.MULTI_CATEGORICAL, multiOffsets);
        checkRow(row);
        return Arrays.copyOfRange(multiIds[field], off[row], off[row + 1]);
    }

    /** The value of a numeric field in a row. */
    public float value(int row, int field) {
        return column(field, FieldKind.NUMERIC, values)[checkRow(row)];
    }

    /** Backing labels, one per row; read-only. */
    public float[] labelColumn() {
        return labels;
    }

    /** Backing weights, one per row, or null when every weight is 1; read-only. */
    public float[] weightColumn() {
        return weights;
    }

    /** Backing ids of a categorical field, one per row; read-only. */
    public int[] idColumn(int field) {
        return column(field, FieldKind.CATEGORICAL, ids);
    }

    /** Backing CSR offsets of a multi-valued field ({@code size + 1} entries); read-only. */
    public int[] multiOffsetColumn(int field) {
        return column(field, FieldKind.MULTI_CATEGORICAL, multiOffsets);
    }

    /** Backing CSR ids of a multi-valued field; read-only. */
    public int[] multiIdColumn(int field) {
        column(field, FieldKind.MULTI_CATEGORICAL, multiOffsets);
        return multiIds[field];
    }

    /** Backing values of a numeric field, one per row; read-only. */
    public float[] valueColumn(int field) {
        return column(field, FieldKind.NUMERIC, values);
    }

    /** A new dataset holding the given rows, in the given order (rows may repeat). */
    public EncodedDataset select(int[] rows) {
        Objects.requireNonNull(rows, "rows");
        Builder b = new Builder(fields, rows.length);
        for (int r : rows) {
            checkRow(r);
            b.copyRow(this, r);
        }
        return b.build();
    }

    /**
     * Candidate rows: row {@code i} takes the fields marked in {@code itemFields} from row
     * {@code itemRows[i]} of {@code items} and every other field from row {@code contextRow} of
     * {@code context}; labels are 0. Both datasets must have this exact field list. Used to score one user in
     * one context against many items without encoding anything per candidate.
     *
     * @param context    holds the context row (user and request fields)
     * @param contextRow the row of {@code context} to repeat
     * @param items      one row per item, holding at least the item fields
     * @param itemRows   the rows of {@code items} to combine, in output order
     * @param itemFields {@code itemFields[f]} is true when field {@code f} describes the item
     */
    public static EncodedDataset candidates(EncodedDataset context, int contextRow, EncodedDataset items, int[] itemRows,
                                            boolean[] itemFields) {
        if (!context.fields.equals(items.fields)) {
            throw new IllegalArgumentException("context and item rows have different fields");
        }
        if (itemFields.length != context.fields.size()) {
            throw new IllegalArgumentException("itemFields has " + itemFields.length + " entries for "
                    + context.fields.size() + " fields");
        }
        context.checkRow(contextRow);
        int n = itemRows.length;
        for (int r : itemRows) items.checkRow(r);
        int nf = context.fields.size();
        int[][] i2 = new int[nf][];
        int[][] mo = new int[nf][];
        int[][] mi = new int[nf][];
        float[][] v2 = new float[nf][];
        for (int f = 0; f < nf; f++) {
            boolean fromItem = itemFields[f];
            EncodedDataset src = fromItem ? items : context;
            switch (context.fields.get(f).kind()) {
                case CATEGORICAL -> {
                    int[] out = new int[n];
                    if (fromItem) {
                        for (int i = 0; i < n; i++) out[i] = src.ids[f][itemRows[i]];
                    } else {
                        Arrays.fill(out, src.ids[f][contextRow]);
                    }
                    i2[f] = out;
                }
                case NUMERIC -> {
                    float[] out = new float[n];
                    if (fromItem) {
                        for (int i = 0; i < n; i++) out[i] = src.values[f][itemRows[i]];
                    } else {
                        Arrays.fill(out, src.values[f][contextRow]);
                    }
                    v2[f] = out;
                }
                case MULTI_CATEGORICAL -> {
                    int[] off = src.multiOffsets[f];
                    int[] idsIn = src.multiIds[f];
                    int total = 0;
                    for (int i = 0; i < n; i++) {
                        int r = fromItem ? itemRows[i] : contextRow;
                        total += off[r + 1] - off[r];
                    }
                    int[] o = new int[n + 1];
                    int[] a = new int[total];
                    int p = 0;
                    for (int i = 0; i < n; i++) {
                        int r = fromItem ? itemRows[i] : contextRow;
                        int len = off[r + 1] - off[r];
                        System.arraycopy(idsIn, off[r], a, p, len);
                        p += len;
                        o[i + 1] = p;
                    }
                    mo[f] = o;
                    mi[f] = a;
                }
            }
        }
        return new EncodedDataset(context.fields, n, new float[n], null, i2, mo, mi, v2);
    }

    /**
     * A dataset from its columns, as {@link #idColumn}, {@link #multiOffsetColumn}, {@link #multiIdColumn},
     * {@link #valueColumn}, {@link #labelColumn} and {@link #weightColumn} return them (null where a field
     * has no such column); every value is checked as the {@link Builder} checks it. The arrays are not copied.
     */
    public static EncodedDataset ofColumns(List<FieldSpec> fields, float[] labels, float[] weights, int[][] ids,
                                           int[][] multiOffsets, int[][] multiIds, float[][] values) {
        Objects.requireNonNull(labels, "labels");
        int nf = fields.size();
        int n = labels.length;
        if (ids.length != nf || multiOffsets.length != nf || multiIds.length != nf || values.length != nf) {
            throw new IllegalArgumentException("column arrays must have one entry per field (" + nf + ")");
        }
        for (int i = 0; i < n; i++) {
            if (!(labels[i] >= 0f && labels[i] <= 1f)) throw new IllegalArgumentException("label " + labels[i] + " at row " + i + " is outside [0, 1]");
        }
        if (weights != null) {
            if (weights.length != n) throw new IllegalArgumentException("weights: " + weights.length + " for " + n + " rows");
            for (float w : weights) if (!(w >= 0f) || Float.isInfinite(w)) throw new IllegalArgumentException("weight " + w + " is not finite and >= 0");
        }
        for (int f = 0; f < nf; f++) {
            FieldSpec spec = fields.get(f);
            String where = "field '" + spec.name() + "': ";
            switch (spec.kind()) {
                case CATEGORICAL -> {
                    if (ids[f] == null || ids[f].length != n) throw new IllegalArgumentException(where + "needs " + n + " ids");
                    checkIds(where, ids[f], ids[f].length, spec.vocabularySize());
                }
                case MULTI_CATEGORICAL -> {
                    int[] off = multiOffsets[f];
                    if (off == null || off.length != n + 1 || off[0] != 0 || multiIds[f] == null) {
                        throw new IllegalArgumentException(where + "needs " + (n + 1) + " offsets starting at 0 and ids");
                    }
                    for (int i = 0; i < n; i++) {
                        if (off[i + 1] < off[i]) throw new IllegalArgumentException(where + "offsets decrease at row " + i);
                    }
                    if (off[n] != multiIds[f].length) throw new IllegalArgumentException(where + "offsets end at " + off[n] + " but there are " + multiIds[f].length + " ids");
                    checkIds(where, multiIds[f], off[n], spec.vocabularySize());
                }
                case NUMERIC -> {
                    if (values[f] == null || values[f].length != n) throw new IllegalArgumentException(where + "needs " + n + " values");
                    for (float v : values[f]) if (!Float.isFinite(v)) throw new IllegalArgumentException(where + "value " + v + " is not finite");
                }
            }
        }
        return new EncodedDataset(List.copyOf(fields), n, labels, weights, ids.clone(), multiOffsets.clone(),
                multiIds.clone(), values.clone());
    }

    private static void checkIds(String where, int[] ids, int count, int vocabularySize) {
        for (int i = 0; i < count; i++) {
            if (ids[i] < 0 || ids[i] >= vocabularySize) {
                throw new IllegalArgumentException(where + "id " + ids[i] + " outside [0, " + vocabularySize + ")");
            }
        }
    }

    /** The rows of every part, in order, as one dataset; every part must have the same fields. */
    public static EncodedDataset concat(List<EncodedDataset> parts) {
        if (parts.isEmpty()) throw new IllegalArgumentException("nothing to concatenate");
        List<FieldSpec> fields = parts.get(0).fields;
        int n = 0;
        for (EncodedDataset p : parts) {
            if (!p.fields.equals(fields)) throw new IllegalArgumentException("parts have different fields");
            n += p.size;
        }
        Builder b = new Builder(fields, n);
        for (EncodedDataset p : parts) for (int r = 0; r < p.size; r++) b.copyRow(p, r);
        return b.build();
    }

    /** Bytes held by this dataset's arrays (an estimate that ignores object headers). */
    public long bytesUsed() {
        long bytes = 4L * labels.length + (weights == null ? 0 : 4L * weights.length);
        for (int f = 0; f < fields.size(); f++) {
            if (ids[f] != null) bytes += 4L * ids[f].length;
            if (multiOffsets[f] != null) bytes += 4L * (multiOffsets[f].length + multiIds[f].length);
            if (values[f] != null) bytes += 4L * values[f].length;
        }
        return bytes;
    }

    public static Builder builder(List<FieldSpec> fields) {
        return new Builder(fields, 1024);
    }

    public static Builder builder(List<FieldSpec> fields, int expectedRows) {
        return new Builder(fields, expectedRows);
    }

    private int checkRow(int row) {
        if (row < 0 || row >= size) {
            throw new IndexOutOfBoundsException("row " + row + " outside [0, " + size + ")");
        }
        return row;
    }

    private <T> T column(int field, FieldKind kind, T[] columns) {
        Objects.checkIndex(field, fields.size());
        if (fields.get(field).kind() != kind) {
            throw new IllegalArgumentException("field " + field + " ('" + fields.get(field).name() + "') is "
                    + fields.get(field).kind() + ", not " + kind);
        }
        return columns[field];
    }

    /**
     * Appends rows one at a time: set every field of the row, then {@link #endRow}. A field left unset
     * is id 0 (unknown), no ids, or value 0. Ids are checked against the field's vocabulary size.
     */
    public static final class Builder {
        private final List<FieldSpec> fields;
        private int size;
        private float[] labels;
        private float[] weights;
        private final int[][] ids;
        private final int[][] multiOffsets;
        private final int[][] multiIds;
        private final int[] multiCount;
        private final float[][] values;

        private Builder(List<FieldSpec> fields, int expectedRows) {
            Objects.requireNonNull(fields, "fields");
            if (fields.isEmpty()) {
                throw new IllegalArgumentException("a dataset needs at least one field");
            }
            this.fields = List.copyOf(fields);
            long distinct = this.fields.stream().map(FieldSpec::name).distinct().count();
            if (distinct != this.fields.size()) {
                throw new IllegalArgumentException("field names must be unique: " + this.fields);
            }
            int cap = Math.max(16, expectedRows);
            int nf = this.fields.size();
            labels = new float[cap];
            ids = new int[nf][];
            multiOffsets = new int[nf][];
            multiIds = new int[nf][];
            multiCount = new int[nf];
            values = new float[nf][];
            for (int f = 0; f < nf; f++) {
                switch (this.fields.get(f).kind()) {
                    case CATEGORICAL -> ids[f] = new int[cap];
                    case MULTI_CATEGORICAL -> {
                        multiOffsets[f] = new int[cap + 1];
                        multiIds[f] = new int[cap];
                    }
                    case NUMERIC -> values[f] = new float[cap];
                }
            }
        }

        public int size() {
            return size;
        }

        public Builder categorical(int field, int id) {
            checkId(field, FieldKind.CATEGORICAL, id);
            ensureRow();
            ids[field][size] = id;
            return this;
        }

        public Builder addMulti(int field, int id) {
            checkId(field, FieldKind.MULTI_CATEGORICAL, id);
            ensureRow();
            int pos = multiOffsets[field][size] + multiCount[field];
            if (pos == multiIds[field].length) {
                multiIds[field] = Arrays.copyOf(multiIds[field], multiIds[field].length * 2);
            }
            multiIds[field][pos] = id;
            multiCount[field]++;
            return this;
        }

        public Builder numeric(int field, float value) {
            checkKind(field, FieldKind.NUMERIC);
            if (!Float.isFinite(value)) {
                throw new IllegalArgumentException("field '" + fields.get(field).name() + "': value must be finite, got " + value);
            }
            ensureRow();
            values[field][size] = value;
            return this;
        }

        public Builder endRow(float label) {
            return endRow(label, Float.NaN);
        }

        /** Ends the row with a sample weight (finite, >= 0). NaN weight means "unweighted" (1). */
        public Builder endRow(float label, float weight) {
            if (!(label >= 0f && label <= 1f)) {
                throw new IllegalArgumentException("label must be in [0, 1], got " + label + " at row " + size);
            }
            ensureRow();
            labels[size] = label;
            if (!Float.isNaN(weight)) {
                if (!(weight >= 0f) || Float.isInfinite(weight)) {
                    throw new IllegalArgumentException("weight must be finite and >= 0, got " + weight + " at row " + size);
                }
                if (weights == null) {
                    weights = new float[labels.length];
                    Arrays.fill(weights, 0, size, 1f);
                }
            }
            if (weights != null) {
                weights[size] = Float.isNaN(weight) ? 1f : weight;
            }
            for (int f = 0; f < fields.size(); f++) {
                if (multiOffsets[f] != null) {
                    multiOffsets[f][size + 1] = multiOffsets[f][size] + multiCount[f];
                    multiCount[f] = 0;
                }
            }
            size++;
            return this;
        }

        void copyRow(EncodedDataset src, int r) {
            for (int f = 0; f < fields.size(); f++) {
                switch (fields.get(f).kind()) {
                    case CATEGORICAL -> categorical(f, src.ids[f][r]);
                    case MULTI_CATEGORICAL -> {
                        int[] off = src.multiOffsets[f];
                        for (int p = off[r]; p < off[r + 1]; p++) {
                            addMulti(f, src.multiIds[f][p]);
                        }
                    }
                    case NUMERIC -> numeric(f, src.values[f][r]);
                }
            }
            endRow(src.labels[r], src.weights == null ? Float.NaN : src.weights[r]);
        }

        public EncodedDataset build() {
            int nf = fields.size();
            int[][] i2 = new int[nf][];
            int[][] mo = new int[nf][];
            int[][] mi = new int[nf][];
            float[][] v2 = new float[nf][];
            for (int f = 0; f < nf; f++) {
                if (ids[f] != null) i2[f] = Arrays.copyOf(ids[f], size);
                if (multiOffsets[f] != null) {
                    mo[f] = Arrays.copyOf(multiOffsets[f], size + 1);
                    mi[f] = Arrays.copyOf(multiIds[f], mo[f][size]);
                }
                if (values[f] != null) v2[f] = Arrays.copyOf(values[f], size);
            }
            return new EncodedDataset(fields, size, Arrays.copyOf(labels, size),
                    weights == null ? null : Arrays.copyOf(weights, size), i2, mo, mi, v2);
        }

        private void ensureRow() {
            if (size < labels.length) {
                return;
            }
            int cap = labels.length * 2;
            labels = Arrays.copyOf(labels, cap);
            if (weights != null) weights = Arrays.copyOf(weights, cap);
            for (int f = 0; f < fields.size(); f++) {
                if (ids[f] != null) ids[f] = Arrays.copyOf(ids[f], cap);
                if (multiOffsets[f] != null) multiOffsets[f] = Arrays.copyOf(multiOffsets[f], cap + 1);
                if (values[f] != null) values[f] = Arrays.copyOf(values[f], cap);
            }
        }

        private void checkKind(int field, FieldKind kind) {
            Objects.checkIndex(field, fields.size());
            if (fields.get(field).kind() != kind) {
                throw new IllegalArgumentException("field " + field + " ('" + fields.get(field).name() + "') is "
                        + fields.get(field).kind() + ", not " + kind);
            }
        }

        private void checkId(int field, FieldKind kind, int id) {
            checkKind(field, kind);
            int vocab = fields.get(field).vocabularySize();
            if (id < 0 || id >= vocab) {
                throw new IllegalArgumentException("field '" + fields.get(field).name() + "': id " + id
                        + " outside [0, " + vocab + ") at row " + size);
            }
        }
    }
}
