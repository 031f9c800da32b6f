package dev.autoint.data.movielens;

import dev.autoint.data.DataFormatException;
import dev.autoint.data.movielens.MovieLensData.LoadReport;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Walks the lines of a byte array and cuts each into fields on a one- or two-byte delimiter, without
 * creating strings. Numbers are parsed straight from the bytes. Blank lines are skipped; a trailing
 * carriage return is ignored.
 *
 * <p>A UTF-8 byte order mark at the start is skipped ({@link #bomStripped()}). Text fields decode in the
 * file's charset, detected once: US-ASCII when every byte is below 0x80, UTF-8 when the bytes above are all
 * valid multi-byte UTF-8 (an incomplete sequence at the very end, as a truncated copy leaves, is allowed),
 * ISO-8859-1 otherwise (every byte is a character; the GroupLens originals are ISO-8859-1). Text that is
 * meant as ISO-8859-1 but happens to be valid UTF-8 throughout is not told apart; ordinary Latin-1 text
 * is not, since an accented letter followed by a plain one is never valid UTF-8.
 *
 * <p>Bad lines are reported through {@link #skipBad}: the last line, when it has no line end and there are
 * lines before it, is taken as cut short by a truncated copy and skipped and counted whatever the caller
 * asked ({@link #truncatedLines()}); other bad lines are skipped and counted ({@link #skippedLines()}) or
 * thrown.
 */
final class ByteLines {

    private static final int MAX_FIELDS = 64;
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private final byte[] data;
    private final String file;
    private final String delimiter;
    private final byte d0;
    private final byte d1; // second delimiter byte, or 0 for a single-byte delimiter
    private final boolean bomStripped;
    private final Charset charset;
    private final int[] starts = new int[MAX_FIELDS];
    private final int[] ends = new int[MAX_FIELDS];
    private int fields;
    private int pos;
    private int lineStart;
    private int lineEnd;
    private long lineNo;
    private long nonBlankLines;
    private boolean terminated; // the current line ends with a line feed
    private long skipped;
    private long truncated;

    ByteLines(byte[] data, String file, String delimiter) {
        this.data = data;
        this.file = file;
        this.delimiter = delimiter;
        this.d0 = (byte) delimiter.charAt(0);
        this.d1 = delimiter.length() > 1 ? (byte) delimiter.charAt(1) : 0;
        this.bomStripped = data.length >= 3 && data[0] == BOM[0] && data[1] == BOM[1] && data[2] == BOM[2];
        this.pos = bomStripped ? 3 : 0;
        this.charset = detectCharset(data, pos);
    }

    /** US-ASCII, UTF-8 or ISO-8859-1, as the class comment says. */
    static Charset detectCharset(byte[] data, int from) {
        int i = from;
        while (i < data.length && data[i] >= 0) i++;
        if (i == data.length) return StandardCharsets.US_ASCII;
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(data, i, data.length - i);
        CharBuffer out = CharBuffer.allocate(8192);
        while (true) {
            CoderResult r = utf8.decode(in, out, false); // not end of input: a sequence cut at the end is no error
            if (r.isError()) return StandardCharsets.ISO_8859_1;
            if (r.isUnderflow()) return StandardCharsets.UTF_8;
            out.clear();
        }
    }

    /** The charset text fields decode in. */
    Charset charset() {
        return charset;
    }

    /** Whether the data began with a UTF-8 byte order mark (which is skipped). */
    boolean bomStripped() {
        return bomStripped;
    }

    /** Bad lines skipped through {@link #skipBad} (truncated last lines aside). */
    long skippedLines() {
        return skipped;
    }

    /** Unterminated last lines skipped through {@link #skipBad} as cut short (0 or 1). */
    long truncatedLines() {
        return truncated;
    }

    /** Whether the data's last non-blank line has no line end (known once {@link #next()} returned false). */
    boolean endsWithoutNewline() {
        return nonBlankLines > 0 && !terminated;
    }

    /**
     * Accounts for a bad current line: an unterminated last line after others is counted as truncated and
     * skipped; any other is counted and skipped when {@code skip}, else {@code e} is thrown.
     */
    void skipBad(DataFormatException e, boolean skip) throws DataFormatException {
        if (!terminated && nonBlankLines > 1) {
            truncated++;
            return;
        }
        if (!skip) throw e;
        skipped++;
    }

    /** What reading this file showed, for {@link LoadReport}. */
    LoadReport.FileReport report() {
        return new LoadReport.FileReport(file, charset.name(), bomStripped, skipped, truncated, endsWithoutNewline());
    }

    /** Moves to the next non-blank line; false at the end. */
    boolean next() {
        while (pos < data.length) {
            lineNo++;
            int s = pos;
            int e = s;
            while (e < data.length && data[e] != '\n') e++;
            pos = e + 1;
            boolean lf = e < data.length;
            if (e > s && data[e - 1] == '\r') e--;
            if (e == s) continue;
            terminated = lf;
            nonBlankLines++;
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

    /** The data's length in bytes. */
    int size() {
        return data.length;
    }

    /** The delimiter as error messages name it: "tabs" or quoted. */
    String delimiterName() {
        return delimiter.equals("\t") ? "tabs" : "'" + delimiter + "'";
    }

    /** The error for a file without a non-blank line. */
    DataFormatException emptyFile() {
        return new DataFormatException(file, 0, 0, null, "file is empty");
    }

    long lineNo() {
        return lineNo;
    }

    int fieldCount() {
        return fields;
    }

    String lineText() {
        return new String(data, lineStart, lineEnd - lineStart, charset);
    }

    void expectFields(int expected, String delimiterName) throws DataFormatException {
        if (fields != expected) {
            throw new DataFormatException(file, lineNo, 0, lineText(),
                    "expected " + expected + " fields separated by " + delimiterName + ", found " + fields);
        }
    }

    String string(int f) {
        return new String(data, starts[f], ends[f] - starts[f], charset);
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
