package dev.autoint.data.movielens;

import dev.autoint.data.DataFormatException;

import java.nio.charset.StandardCharsets;

/**
 * Walks the lines of a byte array and cuts each into fields on a one- or two-byte delimiter, without
 * creating strings. Numbers are parsed straight from the bytes. Blank lines are skipped; a trailing
 * carriage return is ignored. Text fields decode as ISO-8859-1 (every byte is a character).
 */
final class ByteLines {

    private static final int MAX_FIELDS = 64;

    private final byte[] data;
    private final String file;
    private final byte d0;
    private final byte d1; // second delimiter byte, or 0 for a single-byte delimiter
    private final int[] starts = new int[MAX_FIELDS];
    private final int[] ends = new int[MAX_FIELDS];
    private int fields;
    private int pos;
    private int lineStart;
    private int lineEnd;
    private long lineNo;

    ByteLines(byte[] data, String file, String delimiter) {
        this.data = data;
        this.file = file;
        this.d0 = (byte) delimiter.charAt(0);
        this.d1 = delimiter.length() > 1 ? (byte) delimiter.charAt(1) : 0;
    }

    /** Moves to the next non-blank line; false at the end. */
    boolean next() {
        while (pos < data.length) {
            lineNo++;
            int s = pos;
            int e = s;
            while (e < data.length && data[e] != '\n') e++;
            pos = e + 1;
            if (e > s && data[e - 1] == '\r') e--;
            if (e == s) continue;
            lineStart = s;
            lineEnd = e;
            split();
            return true;
        }
        return false;
    }

    private void split() {
        int n = 0;
        int fs = lineStart;
        int i = lineStart;
        int end = lineEnd;
        if (d1 == 0) {
            for (; i < end; i++) {
                if (data[i] == d0) {
                    if (n < MAX_FIELDS) {
                        starts[n] = fs;
                        ends[n] = i;
                    }
                    n++;
                    fs = i + 1;
                }
            }
        } else {
            for (; i < end - 1; i++) {
                if (data[i] == d0 && data[i + 1] == d1) {
                    if (n < MAX_FIELDS) {
                        starts[n] = fs;
                        ends[n] = i;
                    }
                    n++;
                    i++;
                    fs = i + 1;
                }
            }
        }
        if (n < MAX_FIELDS) {
            starts[n] = fs;
            ends[n] = end;
        }
        fields = n + 1;
    }

    long lineNo() {
        return lineNo;
    }

    int fieldCount() {
        return fields;
    }

    String lineText() {
        return new String(data, lineStart, lineEnd - lineStart, StandardCharsets.ISO_8859_1);
    }

    void expectFields(int expected, String delimiterName) throws DataFormatException {
        if (fields != expected) {
            throw new DataFormatException(file, lineNo, 0, lineText(),
                    "expected " + expected + " fields separated by " + delimiterName + ", found " + fields);
        }
    }

    String string(int f) {
        return new String(data, starts[f], ends[f] - starts[f], StandardCharsets.ISO_8859_1);
    }

    boolean isEmpty(int f) {
        return starts[f] == ends[f];
    }

    DataFormatException error(int f, String problem) {
        return new DataFormatException(file, lineNo, f + 1, string(f), problem);
    }

    /** A positive int (no sign, no spaces). */
    int positiveInt(int f, String what) throws DataFormatException {
        long v = digits(f, what, Integer.MAX_VALUE);
        if (v == 0) throw error(f, what + " must be positive");
        return (int) v;
    }

    /** A non-negative int. */
    int nonNegativeInt(int f, String what) throws DataFormatException {
        return (int) digits(f, what, Integer.MAX_VALUE);
    }

    /** A non-negative long. */
    long nonNegativeLong(int f, String what) throws DataFormatException {
        return digits(f, what, Long.MAX_VALUE);
    }

    private long digits(int f, String what, long max) throws DataFormatException {
        int s = starts[f], e = ends[f];
        if (s == e) throw error(f, what + " is empty");
        long v = 0;
        for (int i = s; i < e; i++) {
            int c = data[i] - '0';
            if (c < 0 || c > 9) throw error(f, what + " is not a non-negative integer");
            if (v > (max - c) / 10) throw error(f, what + " is too large");
            v = v * 10 + c;
        }
        return v;
    }

    /** A non-negative decimal number such as "4" or "3.5". */
    float decimal(int f, String what) throws DataFormatException {
        int s = starts[f], e = ends[f];
        if (s == e) throw error(f, what + " is empty");
        long whole = 0;
        long frac = 0;
        long scale = 1;
        boolean dot = false;
        int digitsSeen = 0;
        for (int i = s; i < e; i++) {
            byte b = data[i];
            if (b == '.' && !dot) {
                dot = true;
                continue;
            }
            int c = b - '0';
            if (c < 0 || c > 9) throw error(f, what + " is not a number");
            if (++digitsSeen > 15) throw error(f, what + " has too many digits");
            if (dot) {
                frac = frac * 10 + c;
                scale *= 10;
            } else {
                whole = whole * 10 + c;
            }
        }
        if (digitsSeen == 0) throw error(f, what + " is not a number");
        return (float) (whole + (double) frac / scale);
    }
}
