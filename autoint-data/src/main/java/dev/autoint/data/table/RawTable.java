package dev.autoint.data.table;

import dev.autoint.core.data.FieldKind;
import dev.autoint.core.train.Metrics;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Rows read by {@link DelimitedReader}, before vocabularies are fitted: per field, provisional codes into
 * a per-field dictionary of distinct (transformed) values, so each distinct string is held once and memory
 * grows with the rows, not with their text. Numeric fields hold the raw number (NaN = missing); code -1 =
 * missing. Also the label per row and, when the schema names them, timestamps and user keys for splits.
 * Split it with {@link #select(int[])}, fit a {@link TableEncoder} on the train part, encode every part.
 */
public final class RawTable {

    private final Schema schema;
    private final int size;
    private final int[][] codes; // [field][row], CATEGORICAL
    private final int[][] multiOffsets; // [field][row + 1]
    private final int[][] multiCodes; // [field][offset]
    private final double[][] numbers; // [field][row], NUMERIC
    private final List<List<String>> dictionaries; // per field (shared with selections)
    private final float[] labels;
    private final long[] timestamps; // null when the schema has no timestamp column
    private final int[] users; // codes into userDictionary, null when no user column
    private final List<String> userDictionary;
    private final ReadCounts readCounts;

    /**
     * What became of the data lines of the file a table was read from: kept as rows, dropped by the label
     * rule (its value in the gap between the thresholds, or missing), or skipped as bad lines (an
     * unreadable label: not a number, NaN, infinite, or outside [0, 1] for a pass-through rule; or any
     * other problem). Bad lines are only skipped when {@link DelimitedFormat#skipBadLines()} asks for it;
     * otherwise the first one throws. Nothing read is left out of these counts.
     *
     * @param rowsKept      rows the table holds
     * @param labelInGap    rows whose value lies between {@code negativeBelow} and {@code positiveAtLeast}
     * @param labelMissing  rows whose label cell is empty or a missing-value token
     * @param badLabelLines lines skipped for an unreadable label
     * @param otherBadLines lines skipped for any other problem (field count, quoting, a bad value)
     */
    public record ReadCounts(long rowsKept, long labelInGap, long labelMissing, long badLabelLines, long otherBadLines) {

        /**
         * Rows the label rule dropped: in the gap or missing.
         *
         * @return {@code labelInGap + labelMissing}
         */
        public long droppedByLabel() {
            return labelInGap + labelMissing;
        }

        /**
         * Bad lines skipped, for whatever reason.
         *
         * @return {@code badLabelLines + otherBadLines}
         */
        public long skippedLines() {
            return badLabelLines + otherBadLines;
        }

        /**
         * Every data line read: kept, dropped or skipped.
         *
         * @return the total
         */
        public long rowsRead() {
            return rowsKept + droppedByLabel() + skippedLines();
        }

        /**
         * One line for a user, e.g. "52 rows read, 3 dropped by the label rule (2 in the gap between
         * thresholds, 1 missing), 1 bad line skipped (1 with an unreadable label)".
         *
         * @return the summary
         */
        public String summary() {
            StringBuilder sb = new StringBuilder();
            sb.append(rowsRead()).append(rowsRead() == 1 ? " row read, " : " rows read, ")
                    .append(droppedByLabel()).append(" dropped by the label rule (").append(labelInGap)
                    .append(" in the gap between thresholds, ").append(labelMissing).append(" missing), ")
                    .append(skippedLines()).append(skippedLines() == 1 ? " bad line skipped" : " bad lines skipped");
            if (badLabelLines > 0) sb.append(" (").append(badLabelLines).append(" with an unreadable label)");
            return sb.toString();
        }
    }

    RawTable(Schema schema, int size, int[][] codes, int[][] multiOffsets, int[][] multiCodes, double[][] numbers,
             List<List<String>> dictionaries, float[] labels, long[] timestamps, int[] users, List<String> userDictionary,
             ReadCounts readCounts) {
        this.schema = schema;
        this.size = size;
        this.codes = codes;
        this.multiOffsets = multiOffsets;
        this.multiCodes = multiCodes;
        this.numbers = numbers;
        this.dictionaries = dictionaries;
        this.labels = labels;
        this.timestamps = timestamps;
        this.users = users;
        this.userDictionary = userDictionary;
        this.readCounts = readCounts;
    }

    /**
     * The schema the table was read with.
     *
     * @return the schema
     */
    public Schema schema() {
        return schema;
    }

    /**
     * The number of rows.
     *
     * @return the count
     */
    public int size() {
        return size;
    }

    /**
     * Labels, one per row; read-only.
     *
     * @return the backing array, {@link #size()} long, values in [0, 1]
     */
    public float[] labels() {
        return labels;
    }

    /**
     * Timestamps per row (read-only), or null when the schema has no timestamp column.
     *
     * @return the backing array, or null
     */
    public long[] timestamps() {
        return timestamps;
    }

    /**
     * User keys per row as dense ints (read-only), or null when the schema has no user column.
     * {@link #userValue} gives a key's raw value.
     *
     * @return the backing array, or null
     */
    public int[] users() {
        return users;
    }

    /**
     * The raw user value of a user key.
     *
     * @param key a value of {@link #users()}
     * @return the raw value
     * @throws IndexOutOfBoundsException if there is no such key
     */
    public String userValue(int key) {
        return userDictionary.get(key);
    }

    /**
     * What became of every data line of the file this table was read from (shared by {@link #select} results).
     *
     * @return the counts
     */
    public ReadCounts readCounts() {
        return readCounts;
    }

    /**
     * Malformed lines skipped while reading (0 unless skipping was asked for); see {@link #readCounts()}.
     *
     * @return the count
     */
    public long skippedLines() {
        return readCounts.skippedLines();
    }

    /**
     * Rows the label rule dropped while reading (in the gap or missing); see {@link #readCounts()}.
     *
     * @return the count
     */
    public long droppedByLabel() {
        return readCounts.droppedByLabel();
    }

    /**
     * Rows of this table whose label is positive as AUC counts it ({@link Metrics#isPositive}). When it or
     * {@link #negatives()} is 0 the label rule left one class, and AUC is undefined.
     *
     * @return the count
     */
    public long positives() {
        long p = 0;
        for (float l : labels) if (Metrics.isPositive(l)) p++;
        return p;
    }

    /**
     * Rows of this table whose label is negative as AUC counts it (not {@link Metrics#isPositive}).
     *
     * @return the count
     */
    public long negatives() {
        return size - positives();
    }

    /**
     * The raw (transformed) value of a categorical field in a row, or null when missing.
     *
     * @param row   the row, in {@code [0, size())}
     * @param field the field's index in the schema
     * @return the value, or null
     * @throws IndexOutOfBoundsException if {@code row} or {@code field} is out of range
     * @throws IllegalArgumentException  if the field is not categorical
     */
    public String value(int row, int field) {
        Objects.checkIndex(row, size);
        int c = kind(field, FieldKind.CATEGORICAL)[row];
        return c < 0 ? null : dictionaries.get(field).get(c);
    }

    /**
     * The raw (transformed) values of a multi-valued field in a row.
     *
     * @param row   the row, in {@code [0, size())}
     * @param field the field's index in the schema
     * @return an unmodifiable list in cell order, empty when missing
     * @throws IndexOutOfBoundsException if {@code row} or {@code field} is out of range
     * @throws IllegalArgumentException  if the field is not multi-valued
     */
    public List<String> values(int row, int field) {
        Objects.checkIndex(row, size);
        int[] off = kind(field, FieldKind.MULTI_CATEGORICAL);
        String[] out = new String[off[row + 1] - off[row]];
        for (int p = off[row]; p < off[row + 1]; p++) out[p - off[row]] = dictionaries.get(field).get(multiCodes[field][p]);
        return List.of(out);
    }

    /**
     * The raw number of a numeric field in a row (NaN when missing), before any transform.
     *
     * @param row   the row, in {@code [0, size())}
     * @param field the field's index in the schema
     * @return the number, or NaN
     * @throws IndexOutOfBoundsException if {@code row} or {@code field} is out of range
     * @throws IllegalArgumentException  if the field is not numeric
     */
    public double number(int row, int field) {
        Objects.checkIndex(row, size);
        Objects.checkIndex(field, numbers.length);
        if (numbers[field] == null) throw new IllegalArgumentException("field " + field + " is not NUMERIC");
        return numbers[field][row];
    }

    private int[] kind(int field, FieldKind k) {
        Objects.checkIndex(field, codes.length);
        FieldDef f = schema.fields().get(field);
        if (f.kind() != k) throw new IllegalArgumentException("field '" + f.name() + "' is " + f.kind() + ", not " + k);
        return k == FieldKind.CATEGORICAL ? codes[field] : multiOffsets[field];
    }

    // Package access for TableEncoder.
    int[] codes(int field) {
        return codes[field];
    }

    int[] multiOffsets(int field) {
        return multiOffsets[field];
    }

    int[] multiCodes(int field) {
        return multiCodes[field];
    }

    double[] numbers(int field) {
        return numbers[field];
    }

    List<String> dictionary(int field) {
        return Collections.unmodifiableList(dictionaries.get(field));
    }

    /**
     * The given rows, in the given order; dictionaries are shared.
     *
     * @param rows row indices; may repeat
     * @return a new table with the same schema and read counts
     * @throws IndexOutOfBoundsException if a row is out of range
     */
    public RawTable select(int[] rows) {
        int n = rows.length;
        int nf = codes.length;
        for (int r : rows) Objects.checkIndex(r, size);
        int[][] c2 = new int[nf][];
        int[][] mo2 = new int[nf][];
        int[][] mc2 = new int[nf][];
        double[][] n2 = new double[nf][];
        for (int f = 0; f < nf; f++) {
            if (codes[f] != null) {
                c2[f] = new int[n];
                for (int i = 0; i < n; i++) c2[f][i] = codes[f][rows[i]];
            }
            if (numbers[f] != null) {
                n2[f] = new double[n];
                for (int i = 0; i < n; i++) n2[f][i] = numbers[f][rows[i]];
            }
            if (multiOffsets[f] != null) {
                int[] off = multiOffsets[f];
                int total = 0;
                for (int r : rows) total += off[r + 1] - off[r];
                mo2[f] = new int[n + 1];
                mc2[f] = new int[total];
                int p = 0;
                for (int i = 0; i < n; i++) {
                    int r = rows[i];
                    int len = off[r + 1] - off[r];
                    System.arraycopy(multiCodes[f], off[r], mc2[f], p, len);
                    p += len;
                    mo2[f][i + 1] = p;
                }
            }
        }
        float[] l2 = new float[n];
        for (int i = 0; i < n; i++) l2[i] = labels[rows[i]];
        long[] t2 = null;
        if (timestamps != null) {
            t2 = new long[n];
            for (int i = 0; i < n; i++) t2[i] = timestamps[rows[i]];
        }
        int[] u2 = null;
        if (users != null) {
            u2 = new int[n];
            for (int i = 0; i < n; i++) u2[i] = users[rows[i]];
        }
        return new RawTable(schema, n, c2, mo2, mc2, n2, dictionaries, l2, t2, u2, userDictionary, readCounts);
    }

    @Override
    public String toString() {
        return "RawTable[" + size + " rows, fields " + schema.fields().stream().map(FieldDef::name).toList()
                + (readCounts.skippedLines() > 0 ? ", " + readCounts.skippedLines() + " bad lines skipped" : "") + "]";
    }

    static int[] grow(int[] a, int need) {
        return need <= a.length ? a : Arrays.copyOf(a, Math.max(need, a.length * 2));
    }
}
