package dev.autoint.data.table;

import dev.autoint.core.data.FieldKind;
import dev.autoint.data.DataFormatException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a delimited text file (CSV, TSV, ...) into a {@link RawTable} following a {@link Schema} and a
 * {@link DelimitedFormat}, streaming: bytes are read in blocks, one record at a time is decoded and cut
 * into cells, and each cell is immediately turned into a provisional code, a number or a label. Only
 * distinct values are kept as strings.
 *
 * <p>Bad input (missing or empty file, a header without a column the schema names, a wrong field count,
 * a non-numeric number, label or timestamp, a stray or unterminated quote, undecodable
 * bytes, a line over 8 MiB) throws {@link DataFormatException} naming file, line, column (1-based field
 * number) and text. With {@link DelimitedFormat#skipBadLines()} bad data lines are skipped and counted in
 * {@link RawTable#skippedLines()} instead; problems with the file as a whole still throw. Rows whose
 * label the {@link dev.autoint.data.LabelRule} drops (a value between its thresholds) and rows whose label
 * cell is missing (empty or a missing-value token) are not kept and are counted in
 * {@link RawTable#readCounts()}, by reason, as are skipped lines; an unreadable label (not a number, NaN,
 * infinite, or outside [0, 1] for a pass-through rule) is a bad line.
 */
public final class DelimitedReader {

    private static final int MAX_RECORD = 8 << 20;

    private DelimitedReader() {
    }

    /**
     * Reads a whole file.
     *
     * @param file   the file
     * @param schema what to read and how to encode it
     * @param format the file's layout
     * @return the rows
     * @throws DataFormatException if the file is missing or empty, or bad input is found (see the class description)
     * @throws IOException         if the file cannot be read
     */
    public static RawTable read(Path file, Schema schema, DelimitedFormat format) throws IOException {
        if (!Files.isRegularFile(file)) throw new DataFormatException(file.toString(), 0, 0, null, "file not found");
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString(), schema, format);
        }
    }

    /** Receives the rows of {@link #stream} a chunk at a time. */
    @FunctionalInterface
    public interface ChunkConsumer {
        /**
         * @param rows  the next rows, in file order (dictionaries are per chunk)
         * @param lines the file line on which each row starts; valid only during the call
         * @throws IOException to stop reading; {@link #stream} rethrows it
         */
        void accept(RawTable rows, long[] lines) throws IOException;
    }

    /**
     * Reads a file for scoring, {@code chunkRows} rows at a time, so memory does not grow with the file:
     * the label column is not read (it may be absent; every row gets label 0), every other rule of
     * {@link #read} applies, and {@code consumer} gets each chunk with the line number of each row.
     *
     * @param file      the file
     * @param schema    what to read; its label column is ignored
     * @param format    the file's layout
     * @param chunkRows the most rows per chunk, at least 1
     * @param consumer  receives each chunk, on the calling thread
     * @return the number of rows read
     * @throws IllegalArgumentException if {@code chunkRows < 1}
     * @throws DataFormatException      if the file is missing or empty, or bad input is found
     * @throws IOException              if the file cannot be read, or the consumer throws it
     */
    public static long stream(Path file, Schema schema, DelimitedFormat format, int chunkRows, ChunkConsumer consumer)
            throws IOException {
        if (!Files.isRegularFile(file)) throw new DataFormatException(file.toString(), 0, 0, null, "file not found");
        try (InputStream in = Files.newInputStream(file)) {
            return stream(in, file.toString(), schema, format, chunkRows, consumer);
        }
    }

    /**
     * {@link #stream(Path, Schema, DelimitedFormat, int, ChunkConsumer)} from a stream, which is not closed.
     *
     * @param in        the bytes
     * @param name      what error messages call the input
     * @param schema    what to read; its label column is ignored
     * @param format    the input's layout
     * @param chunkRows the most rows per chunk, at least 1
     * @param consumer  receives each chunk, on the calling thread
     * @return the number of rows read
     * @throws IllegalArgumentException if {@code chunkRows < 1}
     * @throws DataFormatException      if the input is empty or bad input is found
     * @throws IOException              if the stream cannot be read, or the consumer throws it
     */
    public static long stream(InputStream in, String name, Schema schema, DelimitedFormat format, int chunkRows,
                              ChunkConsumer consumer) throws IOException {
        if (chunkRows < 1) throw new IllegalArgumentException("chunkRows must be >= 1, got " + chunkRows);
        Run run = new Run(in, name, schema, format);
        run.chunkRows = chunkRows;
        run.consumer = java.util.Objects.requireNonNull(consumer, "consumer");
        run.lines = new long[Math.min(chunkRows, 1024)];
        run.run();
        return run.streamed;
    }

    /**
     * Reads from a stream; {@code name} is used in error messages. The stream is not closed.
     *
     * @param in     the bytes
     * @param name   what error messages call the input
     * @param schema what to read and how to encode it
     * @param format the input's layout
     * @return the rows
     * @throws DataFormatException if the input is empty or bad input is found
     * @throws IOException         if the stream cannot be read
     */
    public static RawTable read(InputStream in, String name, Schema schema, DelimitedFormat format) throws IOException {
        return new Run(in, name, schema, format).run();
    }

    private static final class Run {
        private final InputStream in;
        private final String file;
        private final Schema schema;
        private final DelimitedFormat format;
        private final byte delim;
        private final CharsetDecoder decoder;
        private final byte[] buf = new byte[1 << 16];
        private int bufPos;
        private int bufLen;
        private byte[] rec = new byte[1024];
        private int recLen;
        private long nextLine = 1;
        private long recLine;
        private CharBuffer chars = CharBuffer.allocate(1024);
        private final List<String> cells = new ArrayList<>();
        private final StringBuilder sb = new StringBuilder();

        // Output columns.
        private final int nf;
        private final int[][] colOf; // [field][k] = column index
        private int labelCol = -1, tsCol = -1, userCol = -1;
        private int size;
        private int[][] codes;
        private int[][] multiOffsets;
        private int[][] multiCodes;
        private int[] multiLen;
        private double[][] numbers;
        private float[] labels = new float[1024];
        private long[] timestamps;
        private int[] users;
        private final List<Map<String, Integer>> interned = new ArrayList<>();
        private List<List<String>> dictionaries = new ArrayList<>();
        private final Map<String, Integer> userIndex = new HashMap<>();
        private List<String> userDictionary = new ArrayList<>();
        private long skipped; // bad lines other than an unreadable label
        private long badLabel; // bad lines for an unreadable label
        private long labelInGap;
        private long labelMissing;
        private boolean readingLabel; // set while a bad label would be the row's problem

        // Streaming (scoring): chunks of chunkRows rows go to consumer; no label is read.
        private int chunkRows;
        private ChunkConsumer consumer;
        private long[] lines;
        private long streamed;

        // Per-row scratch (committed only when the whole row is valid).
        private final int[] rowCode;
        private final double[] rowNum;
        private final List<List<Integer>> rowMulti = new ArrayList<>();

        Run(InputStream in, String file, Schema schema, DelimitedFormat format) {
            this.in = in;
            this.file = file;
            this.schema = schema;
            this.format = format;
            this.delim = (byte) format.delimiter();
            this.decoder = format.charset().newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);
            this.nf = schema.fields().size();
            this.colOf = new int[nf][];
            codes = new int[nf][];
            multiOffsets = new int[nf][];
            multiCodes = new int[nf][];
            multiLen = new int[nf];
            numbers = new double[nf][];
            rowCode = new int[nf];
            rowNum = new double[nf];
            for (int f = 0; f < nf; f++) {
                interned.add(new HashMap<>());
                dictionaries.add(new ArrayList<>());
                rowMulti.add(new ArrayList<>());
                switch (schema.fields().get(f).kind()) {
                    case CATEGORICAL -> codes[f] = new int[1024];
                    case MULTI_CATEGORICAL -> {
                        multiOffsets[f] = new int[1025];
                        multiCodes[f] = new int[1024];
                    }
                    case NUMERIC -> numbers[f] = new double[1024];
                }
            }
            if (schema.timestampColumn() != null) timestamps = new long[1024];
            if (schema.userColumn() != null) users = new int[1024];
        }

        RawTable run() throws IOException {
            List<String> names;
            if (!nextRecord()) throw new DataFormatException(file, 0, 0, null, "file is empty");
            decodeAndSplit(); // problems with the first line (header or not) are always fatal
            if (!cells.isEmpty() && cells.get(0).startsWith("\uFEFF")) cells.set(0, cells.get(0).substring(1)); // a UTF-8 BOM
            if (format.header()) {
                names = new ArrayList<>(cells);
                resolveColumns(names);
                if (!nextRecord()) throw new DataFormatException(file, 0, 0, null, "file has a header but no data rows");
            } else {
                names = new ArrayList<>();
                if (format.columnNames() != null) {
                    names.addAll(format.columnNames());
                } else {
                    for (int i = 1; i <= cells.size(); i++) names.add(Integer.toString(i));
                }
                resolveColumns(names);
                processOrSkip(names.size(), true);
                if (!nextRecord()) return finish();
            }
            do {
                processOrSkip(names.size(), false);
            } while (nextRecord());
            return finish();
        }

        private RawTable finish() throws IOException {
            if (consumer == null) return build();
            if (size > 0) emit();
            return null;
        }

        /** Hands the rows so far to the consumer and starts an empty chunk with fresh dictionaries. */
        private void emit() throws IOException {
            long[] l = Arrays.copyOf(lines, size);
            RawTable t = build();
            streamed += size;
            consumer.accept(t, l);
            size = 0;
            int cap = Math.min(chunkRows, 1024);
            labels = new float[cap];
            lines = new long[cap];
            if (timestamps != null) timestamps = new long[cap];
            if (users != null) users = new int[cap];
            userIndex.clear();
            userDictionary = new ArrayList<>();
            dictionaries = new ArrayList<>();
            for (int f = 0; f < nf; f++) {
                interned.get(f).clear();
                dictionaries.add(new ArrayList<>());
                multiLen[f] = 0;
                switch (schema.fields().get(f).kind()) {
                    case CATEGORICAL -> codes[f] = new int[cap];
                    case MULTI_CATEGORICAL -> {
                        multiOffsets[f] = new int[cap + 1];
                        multiCodes[f] = new int[cap];
                    }
                    case NUMERIC -> numbers[f] = new double[cap];
                }
            }
        }

        private void processOrSkip(int ncols, boolean alreadySplit) throws IOException {
            readingLabel = false;
            try {
                if (!alreadySplit) decodeAndSplit();
                if (cells.size() != ncols) {
                    throw new DataFormatException(file, recLine, 0, recordText(),
                            "expected " + ncols + " fields separated by '" + printable(format.delimiter()) + "', found " + cells.size());
                }
                processRow();
            } catch (DataFormatException e) {
                if (!format.skipBadLines()) throw e;
                if (readingLabel) badLabel++;
                else skipped++;
            }
            if (consumer != null && size == chunkRows) emit();
        }

        private List<String> columnNames = List.of();

        private void resolveColumns(List<String> names) throws DataFormatException {
            columnNames = names;
            Map<String, Integer> idx = new HashMap<>();
            for (int i = 0; i < names.size(); i++) {
                if (idx.putIfAbsent(names.get(i), i) != null) {
                    throw new DataFormatException(file, recLine, i + 1, names.get(i), "duplicate column name");
                }
            }
            for (int f = 0; f < nf; f++) {
                FieldDef fd = schema.fields().get(f);
                colOf[f] = new int[fd.columns().size()];
                for (int k = 0; k < colOf[f].length; k++) colOf[f][k] = column(idx, fd.columns().get(k), "field '" + fd.name() + "'");
            }
            labelCol = consumer != null ? -1 : column(idx, schema.labelColumn(), "the label");
            if (schema.timestampColumn() != null) tsCol = column(idx, schema.timestampColumn(), "the timestamp");
            if (schema.userColumn() != null) userCol = column(idx, schema.userColumn(), "the user key");
        }

        private int column(Map<String, Integer> idx, String name, String what) throws DataFormatException {
            Integer i = idx.get(name);
            if (i == null) {
                throw new DataFormatException(file, recLine, 0, String.join(String.valueOf(format.delimiter()), columnNames),
                        "column '" + name + "' (" + what + ") is not among the columns");
            }
            return i;
        }

        private boolean missing(String cell) {
            return cell.isEmpty() || format.missingValues().contains(cell);
        }

        private DataFormatException cellError(int col, String problem) {
            return new DataFormatException(file, recLine, col + 1, cells.get(col), problem);
        }

        private void processRow() throws DataFormatException {
            // Label first: a dropped row costs nothing else. Scoring (streaming) reads no label.
            float label = 0f;
            if (labelCol >= 0) {
                String lc = cells.get(labelCol);
                if (missing(lc)) {
                    labelMissing++;
                    return;
                }
                readingLabel = true;
                double raw = parseNumber(labelCol, "label");
                label = schema.labelRule().apply(raw);
                if (Float.isNaN(label)) {
                    if (schema.labelRule().passThrough()) throw cellError(labelCol, "label must be in [0, 1]");
                    labelInGap++;
                    return;
                }
            }
            readingLabel = false;
            long ts = 0;
            if (tsCol >= 0) {
                if (missing(cells.get(tsCol))) throw cellError(tsCol, "timestamp is missing");
                try {
                    ts = Long.parseLong(cells.get(tsCol).trim());
                } catch (NumberFormatException e) {
                    throw cellError(tsCol, "timestamp is not an integer");
                }
            }
            for (int f = 0; f < nf; f++) {
                FieldDef fd = schema.fields().get(f);
                int[] cols = colOf[f];
                switch (fd.kind()) {
                    case CATEGORICAL -> {
                        String v = null;
                        boolean any = true;
                        for (int k = 0; k < cols.length && any; k++) {
                            String cell = cells.get(cols[k]);
                            if (missing(cell)) {
                                any = false;
                                break;
                            }
                            String t = transform(fd, cols[k], cell);
                            if (t == null) any = false;
                            else v = k == 0 ? t : v + FieldDef.CROSS + t;
                        }
                        rowCode[f] = any ? intern(f, v) : -1;
                    }
                    case MULTI_CATEGORICAL -> {
                        List<Integer> out = rowMulti.get(f);
                        out.clear();
                        String cell = cells.get(cols[0]);
                        if (!missing(cell)) {
                            String sep = fd.separator();
                            int from = 0;
                            while (from <= cell.length()) {
                                int at = cell.indexOf(sep, from);
                                if (at < 0) at = cell.length();
                                String piece = cell.substring(from, at).trim();
                                if (!piece.isEmpty() && !missing(piece)) {
                                    String t = transform(fd, cols[0], piece);
                                    if (t != null) out.add(intern(f, t));
                                }
                                from = at + sep.length();
                            }
                        }
                    }
                    case NUMERIC -> rowNum[f] = missing(cells.get(cols[0])) ? Double.NaN : parseNumber(cols[0], "value of field '" + fd.name() + "'");
                }
            }
            int user = -1;
            if (userCol >= 0) {
                String uc = cells.get(userCol);
                if (missing(uc)) throw cellError(userCol, "user key is missing");
                user = userIndex.computeIfAbsent(uc, k -> {
                    userDictionary.add(k);
                    return userDictionary.size() - 1;
                });
            }
            commit(label, ts, user);
            if (consumer != null) {
                if (size - 1 >= lines.length) lines = Arrays.copyOf(lines, Math.min(chunkRows, lines.length * 2));
                lines[size - 1] = recLine;
            }
        }

        private String transform(FieldDef fd, int col, String text) throws DataFormatException {
            try {
                return fd.transform().apply(text);
            } catch (IllegalArgumentException e) {
                throw cellError(col, "field '" + fd.name() + "': " + e.getMessage());
            }
        }

        private double parseNumber(int col, String what) throws DataFormatException {
            String s = cells.get(col).trim();
            double v;
            try {
                v = Double.parseDouble(s);
            } catch (NumberFormatException e) {
                throw cellError(col, what + " is not a number");
            }
            if (!Double.isFinite(v)) throw cellError(col, what + " is not finite");
            return v;
        }

        private int intern(int f, String v) {
            Map<String, Integer> m = interned.get(f);
            Integer c = m.get(v);
            if (c == null) {
                c = m.size();
                m.put(v, c);
                dictionaries.get(f).add(v);
            }
            return c;
        }

        private void commit(float label, long ts, int user) {
            if (size == labels.length) {
                int cap = size * 2;
                labels = Arrays.copyOf(labels, cap);
                if (timestamps != null) timestamps = Arrays.copyOf(timestamps, cap);
                if (users != null) users = Arrays.copyOf(users, cap);
                for (int f = 0; f < nf; f++) {
                    if (codes[f] != null) codes[f] = Arrays.copyOf(codes[f], cap);
                    if (numbers[f] != null) numbers[f] = Arrays.copyOf(numbers[f], cap);
                    if (multiOffsets[f] != null) multiOffsets[f] = Arrays.copyOf(multiOffsets[f], cap + 1);
                }
            }
            labels[size] = label;
            if (timestamps != null) timestamps[size] = ts;
            if (users != null) users[size] = user;
            for (int f = 0; f < nf; f++) {
                if (codes[f] != null) codes[f][size] = rowCode[f];
                else if (numbers[f] != null) numbers[f][size] = rowNum[f];
                else {
                    List<Integer> vals = rowMulti.get(f);
                    multiCodes[f] = RawTable.grow(multiCodes[f], multiLen[f] + vals.size());
                    for (int v : vals) multiCodes[f][multiLen[f]++] = v;
                    multiOffsets[f][size + 1] = multiLen[f];
                }
            }
            size++;
        }

        private RawTable build() {
            for (int f = 0; f < nf; f++) {
                if (codes[f] != null) codes[f] = Arrays.copyOf(codes[f], size);
                if (numbers[f] != null) numbers[f] = Arrays.copyOf(numbers[f], size);
                if (multiOffsets[f] != null) {
                    multiOffsets[f] = Arrays.copyOf(multiOffsets[f], size + 1);
                    multiCodes[f] = Arrays.copyOf(multiCodes[f], multiLen[f]);
                }
            }
            return new RawTable(schema, size, codes, multiOffsets, multiCodes, numbers, dictionaries,
                    Arrays.copyOf(labels, size), timestamps == null ? null : Arrays.copyOf(timestamps, size),
                    users == null ? null : Arrays.copyOf(users, size), userDictionary,
                    new RawTable.ReadCounts(size, labelInGap, labelMissing, badLabel, skipped));
        }

        // ---- record level ----

        private int readByte() throws IOException {
            if (bufPos == bufLen) {
                bufLen = in.read(buf);
                bufPos = 0;
                if (bufLen <= 0) {
                    bufLen = 0;
                    return -1;
                }
            }
            return buf[bufPos++] & 0xff;
        }

        /**
         * Reads the next non-blank record (a quoted field may span lines) into {@code rec}; false at end.
         * An unterminated quote or an over-long record throws (and is not skippable: the rest of the file
         * cannot be resynchronised reliably).
         */
        private boolean nextRecord() throws IOException {
            while (true) {
                recLen = 0;
                recLine = nextLine;
                int state = 0; // 0 field start, 1 unquoted, 2 quoted, 3 quote seen inside quoted
                boolean any = false;
                int b;
                while ((b = readByte()) >= 0) {
                    any = true;
                    if (b == '\n') {
                        nextLine++;
                        if (state != 2) break;
                    }
                    if (state == 2) {
                        if (b == '"') state = 3;
                    } else if (state == 3) {
                        state = b == '"' ? 2 : b == delim ? 0 : 1;
                    } else if (b == delim) {
                        state = 0;
                    } else if (b == '"' && state == 0) {
                        state = 2;
                    } else {
                        state = 1;
                    }
                    if (recLen == rec.length) {
                        if (recLen >= MAX_RECORD) {
                            throw new DataFormatException(file, recLine, 0, text(0, 60), "record longer than " + MAX_RECORD + " bytes");
                        }
                        rec = Arrays.copyOf(rec, recLen * 2);
                    }
                    rec[recLen++] = (byte) b;
                }
                if (!any) return false;
                if (state == 2) {
                    throw new DataFormatException(file, recLine, 0, text(0, Math.min(recLen, 60)), "unterminated quoted field");
                }
                if (recLen > 0 && rec[recLen - 1] == '\r') recLen--;
                if (recLen > 0) return true;
                // blank line: skip
            }
        }

        private String text(int from, int len) {
            return new String(rec, from, Math.min(len, recLen - from), format.charset());
        }

        private String recordText() {
            return text(0, Math.min(recLen, 200));
        }

        private void decodeAndSplit() throws DataFormatException {
            ByteBuffer bb = ByteBuffer.wrap(rec, 0, recLen);
            if (chars.capacity() < recLen) chars = CharBuffer.allocate(Math.max(recLen, chars.capacity() * 2));
            chars.clear();
            decoder.reset();
            CoderResult cr = decoder.decode(bb, chars, true);
            if (!cr.isError()) cr = decoder.flush(chars);
            if (cr.isError()) {
                int at = bb.position();
                int col = 1;
                for (int i = 0; i < at; i++) if (rec[i] == delim) col++;
                throw new DataFormatException(file, recLine, col, text(0, recLen),
                        "undecodable bytes for " + format.charset() + " at byte " + (at + 1) + " of the line");
            }
            chars.flip();
            split(chars.toString());
        }

        private void split(String s) throws DataFormatException {
            cells.clear();
            char d = format.delimiter();
            int len = s.length();
            int i = 0;
            while (true) {
                if (i < len && s.charAt(i) == '"') {
                    sb.setLength(0);
                    i++;
                    while (true) {
                        if (i >= len) throw new DataFormatException(file, recLine, cells.size() + 1, s, "unterminated quoted field");
                        char c = s.charAt(i);
                        if (c == '"') {
                            if (i + 1 < len && s.charAt(i + 1) == '"') {
                                sb.append('"');
                                i += 2;
                            } else {
                                i++;
                                break;
                            }
                        } else {
                            sb.append(c);
                            i++;
                        }
                    }
                    if (i < len && s.charAt(i) != d) {
                        throw new DataFormatException(file, recLine, cells.size() + 1, s.substring(Math.max(0, i - 20)),
                                "unexpected text after a closing quote");
                    }
                    cells.add(sb.toString());
                } else {
                    int j = s.indexOf(d, i);
                    if (j < 0) j = len;
                    String cell = s.substring(i, j);
                    if (cell.indexOf('"') >= 0) {
                        throw new DataFormatException(file, recLine, cells.size() + 1, cell, "quote inside an unquoted field");
                    }
                    cells.add(cell);
                    i = j;
                }
                if (i >= len) break;
                i++; // the delimiter
                if (i == len) {
                    cells.add("");
                    break;
                }
            }
        }

        private static String printable(char c) {
            return c == '\t' ? "\\t" : String.valueOf(c);
        }
    }
}
