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

    /**
     * The fields, in the order the model sees them.
     *
     * @return an unmodifiable list, never empty
     */
    public List<FieldSpec> fields() {
        return fields;
    }

    /**
     * The number of fields.
     *
     * @return {@code fields().size()}
     */
    public int numFields() {
        return fields.size();
    }

    /**
     * The number of rows.
     *
     * @return the row count, at least 0
     */
    public int size() {
        return size;
    }

    /**
     * The label of a row.
     *
     * @param row the row, in {@code [0, size())}
     * @return the label, in [0, 1]
     * @throws IndexOutOfBoundsException if {@code row} is out of range
     */
    public float label(int row) {
        return labels[checkRow(row)];
    }

    /**
     * The sample weight of a row.
     *
     * @param row the row, in {@code [0, size())}
     * @return the weight, finite and >= 0; 1 when the dataset has no weights
     * @throws IndexOutOfBoundsException if {@code row} is out of range
     */
    public float weight(int row) {
        return weights == null ? 1f : weights[checkRow(row)];
    }

    /**
     * Whether any row was given a sample weight.
     *
     * @return false when every weight is 1 and {@link #weightColumn()} is null
     */
    public boolean hasWeights() {
        return weights != null;
    }

    /**
     * The id of a categorical field in a row.
     *
     * @param row   the row, in {@code [0, size())}
     * @param field the field's index in {@link #fields()}
     * @return the id, in {@code [0, vocabularySize)}; 0 means unknown
     * @throws IndexOutOfBoundsException if {@code row} or {@code field} is out of range
     * @throws IllegalArgumentException  if the field is not {@link FieldKind#CATEGORICAL}
     */
    public int id(int row, int field) {
        return column(field, FieldKind.CATEGORICAL, ids)[checkRow(row)];
    }

    /**
     * The ids of a multi-valued field in a row, as a new array.
     *
     * @param row   the row, in {@code [0, size())}
     * @param field the field's index in {@link #fields()}
     * @return the row's ids in insertion order, possibly empty
     * @throws IndexOutOfBoundsException if {@code row} or {@code field} is out of range
     * @throws IllegalArgumentException  if the field is not {@link FieldKind#MULTI_CATEGORICAL}
     */
    public int[] multiIds(int row, int field) {
        int[] off = column(field, FieldKind.MULTI_CATEGORICAL, multiOffsets);
        checkRow(row);
        return Arrays.copyOfRange(multiIds[field], off[row], off[row + 1]);
    }

    /**
     * The value of a numeric field in a row.
     *
     * @param row   the row, in {@code [0, size())}
     * @param field the field's index in {@link #fields()}
     * @return the value, finite
     * @throws IndexOutOfBoundsException if {@code row} or {@code field} is out of range
     * @throws IllegalArgumentException  if the field is not {@link FieldKind#NUMERIC}
     */
    public float value(int row, int field) {
        return column(field, FieldKind.NUMERIC, values)[checkRow(row)];
    }

    /**
     * Backing labels, one per row; read-only.
     *
     * @return the backing array, {@code size()} long
     */
    public float[] labelColumn() {
        return labels;
    }

    /**
     * Backing weights, one per row, or null when every weight is 1; read-only.
     *
     * @return the backing array, {@code size()} long, or null
     */
    public float[] weightColumn() {
        return weights;
    }

    /**
     * Backing ids of a categorical field, one per row; read-only.
     *
     * @param field the field's index in {@link #fields()}
     * @return the backing array, {@code size()} long
     * @throws IndexOutOfBoundsException if {@code field} is out of range
     * @throws IllegalArgumentException  if the field is not {@link FieldKind#CATEGORICAL}
     */
    public int[] idColumn(int field) {
        return column(field, FieldKind.CATEGORICAL, ids);
    }

    /**
     * Backing CSR offsets of a multi-valued field; read-only. Row {@code r}'s ids are
     * {@code multiIdColumn(field)[off[r] .. off[r + 1])}.
     *
     * @param field the field's index in {@link #fields()}
     * @return the backing array, {@code size() + 1} long, starting at 0 and non-decreasing
     * @throws IndexOutOfBoundsException if {@code field} is out of range
     * @throws IllegalArgumentException  if the field is not {@link FieldKind#MULTI_CATEGORICAL}
     */
    public int[] multiOffsetColumn(int field) {
        return column(field, FieldKind.MULTI_CATEGORICAL, multiOffsets);
    }

    /**
     * Backing CSR ids of a multi-valued field; read-only.
     *
     * @param field the field's index in {@link #fields()}
     * @return the backing array, at least {@code multiOffsetColumn(field)[size()]} long
     * @throws IndexOutOfBoundsException if {@code field} is out of range
     * @throws IllegalArgumentException  if the field is not {@link FieldKind#MULTI_CATEGORICAL}
     */
    public int[] multiIdColumn(int field) {
        column(field, FieldKind.MULTI_CATEGORICAL, multiOffsets);
        return multiIds[field];
    }

    /**
     * Backing values of a numeric field, one per row; read-only.
     *
     * @param field the field's index in {@link #fields()}
     * @return the backing array, {@code size()} long
     * @throws IndexOutOfBoundsException if {@code field} is out of range
     * @throws IllegalArgumentException  if the field is not {@link FieldKind#NUMERIC}
     */
    public float[] valueColumn(int field) {
        return column(field, FieldKind.NUMERIC, values);
    }

    /**
     * A new dataset holding the given rows, in the given order (rows may repeat).
     *
     * @param rows row indices into this dataset
     * @return a copy holding {@code rows.length} rows, with labels and weights
     * @throws NullPointerException      if {@code rows} is null
     * @throws IndexOutOfBoundsException if a row is out of range
     */
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
     * @return a new unweighted dataset of {@code itemRows.length} rows
     * @throws IllegalArgumentException  if the two datasets' fields differ or {@code itemFields} has the wrong length
     * @throws IndexOutOfBoundsException if {@code contextRow} or an item row is out of range
     */
    public static EncodedDataset candidates(EncodedDataset context, int contextRow, EncodedDataset items, int[] itemRows,
                                            boolean[] itemFields) {
        context.checkRow(contextRow);
        int[] contextRows = new int[itemRows.length];
        Arrays.fill(contextRows, contextRow);
        return candidates(context, contextRows, items, itemRows, itemFields);
    }

    /**
     * Rows that pair contexts with items: row {@code i} takes the fields marked in {@code itemFields} from row
     * {@code itemRows[i]} of {@code items} and every other field from row {@code contextRows[i]} of
     * {@code context}; labels are 0. Both datasets must have this exact field list. The trainer builds its sampled
     * negatives this way (each positive row with another item).
     *
     * @param context     holds the context rows (user and request fields)
     * @param contextRows per output row, the row of {@code context} to take the other fields from
     * @param items       one row per item, holding at least the item fields
     * @param itemRows    per output row, the row of {@code items} to take the item fields from
     * @param itemFields  {@code itemFields[f]} is true when field {@code f} describes the item
     * @return a new unweighted dataset of {@code itemRows.length} rows
     * @throws IllegalArgumentException  if the two datasets' fields differ, {@code itemFields} has the wrong length
     *                                   or the two row arrays differ in length
     * @throws IndexOutOfBoundsException if a context or item row is out of range
     */
    public static EncodedDataset candidates(EncodedDataset context, int[] contextRows, EncodedDataset items, int[] itemRows,
                                            boolean[] itemFields) {
        if (!context.fields.equals(items.fields)) {
            throw new IllegalArgumentException("context and item rows have different fields");
        }
        if (itemFields.length != context.fields.size()) {
            throw new IllegalArgumentException("itemFields has " + itemFields.length + " entries for "
                    + context.fields.size() + " fields");
        }
        if (contextRows.length != itemRows.length) {
            throw new IllegalArgumentException("contextRows has " + contextRows.length + " entries for "
                    + itemRows.length + " itemRows");
        }
        int n = itemRows.length;
        for (int r : contextRows) context.checkRow(r);
        for (int r : itemRows) items.checkRow(r);
        int nf = context.fields.size();
        int[][] i2 = new int[nf][];
        int[][] mo = new int[nf][];
        int[][] mi = new int[nf][];
        float[][] v2 = new float[nf][];
        for (int f = 0; f < nf; f++) {
            EncodedDataset src = itemFields[f] ? items : context;
            int[] rows = itemFields[f] ? itemRows : contextRows;
            switch (context.fields.get(f).kind()) {
                case CATEGORICAL -> {
                    int[] out = new int[n];
                    for (int i = 0; i < n; i++) out[i] = src.ids[f][rows[i]];
                    i2[f] = out;
                }
                case NUMERIC -> {
                    float[] out = new float[n];
                    for (int i = 0; i < n; i++) out[i] = src.values[f][rows[i]];
                    v2[f] = out;
                }
                case MULTI_CATEGORICAL -> {
                    int[] off = src.multiOffsets[f];
                    int[] idsIn = src.multiIds[f];
                    int total = 0;
                    for (int i = 0; i < n; i++) total += off[rows[i] + 1] - off[rows[i]];
                    int[] o = new int[n + 1];
                    int[] a = new int[total];
                    int p = 0;
                    for (int i = 0; i < n; i++) {
                        int r = rows[i];
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
     * has no such column); every value is checked as the {@link Builder} checks it. The arrays are not copied:
     * the caller must not modify them afterwards.
     *
     * @param fields       the fields
     * @param labels       one label in [0, 1] per row; its length is the row count
     * @param weights      one finite weight >= 0 per row, or null for all 1
     * @param ids          per field: the ids of a categorical field, else null
     * @param multiOffsets per field: the CSR offsets of a multi-valued field ({@code rows + 1}, from 0), else null
     * @param multiIds     per field: the CSR ids of a multi-valued field, else null
     * @param values       per field: the finite values of a numeric field, else null
     * @return the dataset, backed by the given arrays
     * @throws NullPointerException     if {@code labels} is null
     * @throws IllegalArgumentException if a column is missing, has the wrong length, or holds an out-of-range
     *                                  label, weight, id, offset or value
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

    /**
     * The rows of every part, in order, as one dataset; every part must have the same fields.
     *
     * @param parts the datasets to join, at least one
     * @return a new dataset of all their rows
     * @throws IllegalArgumentException if {@code parts} is empty or the parts' fields differ
     */
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

    /**
     * Bytes held by this dataset's arrays (an estimate that ignores object headers).
     *
     * @return the estimate, in bytes
     */
    public long bytesUsed() {
        long bytes = 4L * labels.length + (weights == null ? 0 : 4L * weights.length);
        for (int f = 0; f < fields.size(); f++) {
            if (ids[f] != null) bytes += 4L * ids[f].length;
            if (multiOffsets[f] != null) bytes += 4L * (multiOffsets[f].length + multiIds[f].length);
            if (values[f] != null) bytes += 4L * values[f].length;
        }
        return bytes;
    }

    /**
     * A builder sized for about 1024 rows; it grows as needed.
     *
     * @param fields the fields, at least one, with unique names
     * @return an empty builder
     * @throws IllegalArgumentException if {@code fields} is empty or two fields share a name
     */
    public static Builder builder(List<FieldSpec> fields) {
        return new Builder(fields, 1024);
    }

    /**
     * A builder sized for {@code expectedRows}; it grows as needed.
     *
     * @param fields       the fields, at least one, with unique names
     * @param expectedRows the number of rows expected, used only to size the first allocation
     * @return an empty builder
     * @throws IllegalArgumentException if {@code fields} is empty or two fields share a name
     */
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

        /**
         * The number of rows ended so far.
         *
         * @return the row count
         */
        public int size() {
            return size;
        }

        /**
         * Sets a categorical field of the current row.
         *
         * @param field the field's index
         * @param id    the id, in {@code [0, vocabularySize)}
         * @return this builder
         * @throws IndexOutOfBoundsException if {@code field} is out of range
         * @throws IllegalArgumentException  if the field is not categorical or the id is out of range
         */
        public Builder categorical(int field, int id) {
            checkId(field, FieldKind.CATEGORICAL, id);
            ensureRow();
            ids[field][size] = id;
            return this;
        }

        /**
         * Adds one id to a multi-valued field of the current row; ids keep their order and may repeat.
         *
         * @param field the field's index
         * @param id    the id, in {@code [0, vocabularySize)}
         * @return this builder
         * @throws IndexOutOfBoundsException if {@code field} is out of range
         * @throws IllegalArgumentException  if the field is not multi-valued or the id is out of range
         */
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

        /**
         * Sets a numeric field of the current row.
         *
         * @param field the field's index
         * @param value the value, finite
         * @return this builder
         * @throws IndexOutOfBoundsException if {@code field} is out of range
         * @throws IllegalArgumentException  if the field is not numeric or the value is not finite
         */
        public Builder numeric(int field, float value) {
            checkKind(field, FieldKind.NUMERIC);
            if (!Float.isFinite(value)) {
                throw new IllegalArgumentException("field '" + fields.get(field).name() + "': value must be finite, got " + value);
            }
            ensureRow();
            values[field][size] = value;
            return this;
        }

        /**
         * Ends the current row, unweighted (weight 1).
         *
         * @param label the row's label, in [0, 1]
         * @return this builder
         * @throws IllegalArgumentException if the label is outside [0, 1]
         */
        public Builder endRow(float label) {
            return endRow(label, Float.NaN);
        }

        /**
         * Ends the row with a sample weight (finite, >= 0). NaN weight means "unweighted" (1).
         *
         * @param label  the row's label, in [0, 1]
         * @param weight the row's weight, finite and >= 0, or NaN for 1
         * @return this builder
         * @throws IllegalArgumentException if the label is outside [0, 1] or the weight is negative or infinite
         */
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

        /**
         * The rows ended so far, as a dataset. The builder may be used further; later rows do not change it.
         *
         * @return a new dataset holding copies of the builder's arrays
         */
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
