package dev.autoint.data.table;

import dev.autoint.core.data.FieldKind;

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
    private final long skippedLines;
    private final long droppedByLabel;

    RawTable(Schema schema, int size, int[][] codes, int[][] multiOffsets, int[][] multiCodes, double[][] numbers,
             List<List<String>> dictionaries, float[] labels, long[] timestamps, int[] users, List<String> userDictionary,
             long skippedLines, long droppedByLabel) {
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
        this.skippedLines = skippedLines;
        this.droppedByLabel = droppedByLabel;
    }

    public Schema schema() {
        return schema;
    }

    public int size() {
        return size;
    }

    /** Labels, one per row; read-only. */
    public float[] labels() {
        return labels;
    }

    /** Timestamps per row (read-only), or null when the schema has no timestamp column. */
    public long[] timestamps() {
        return timestamps;
    }

    /** User keys per row as dense ints (read-only), or null when the schema has no user column. */
    public int[] users() {
        return users;
    }

    /** The raw user value of a user key. */
    public String userValue(int key) {
        return userDictionary.get(key);
    }

    /** Malformed lines skipped while reading (0 unless skipping was asked for). */
    public long skippedLines() {
        return skippedLines;
    }

    /** Rows the label rule dropped while reading. */
    public long droppedByLabel() {
        return droppedByLabel;
    }

    /** The raw value of a categorical field in a row, or null when missing. */
    public String value(int row, int field) {
        Objects.checkIndex(row, size);
        int c = kind(field, FieldKind.CATEGORICAL)[row];
        return c < 0 ? null : dictionaries.get(field).get(c);
    }

    /** The raw values of a multi-valued field in a row. */
    public List<String> values(int row, int field) {
        Objects.checkIndex(row, size);
        int[] off = kind(field, FieldKind.MULTI_CATEGORICAL);
        String[] out = new String[off[row + 1] - off[row]];
        for (int p = off[row]; p < off[row + 1]; p++) out[p - off[row]] = dictionaries.get(field).get(multiCodes[field][p]);
        return List.of(out);
    }

    /** The raw number of a numeric field in a row (NaN when missing). */
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

    /** The given rows, in the given order; dictionaries are shared. */
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
        return new RawTable(schema, n, c2, mo2, mc2, n2, dictionaries, l2, t2, u2, userDictionary, skippedLines, droppedByLabel);
    }

    @Override
    public String toString() {
        return "RawTable[" + size + " rows, fields " + schema.fields().stream().map(FieldDef::name).toList()
                + (skippedLines > 0 ? ", " + skippedLines + " bad lines skipped" : "") + "]";
    }

    static int[] grow(int[] a, int need) {
        return need <= a.length ? a : Arrays.copyOf(a, Math.max(need, a.length * 2));
    }
}
