package dev.autoint.spark;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.spark.sql.Row;

/**
 * Rows of a DataFrame written as the text of a delimited file (comma-separated, a header line, every cell
 * quoted), so that {@link dev.autoint.data.table.DelimitedReader} reads them exactly as it reads a file
 * with the same cells: the same missing values, transforms, crosses and number parsing as training.
 * A null cell is empty (missing); a whole number is written without a fraction ({@code 3.0} as {@code 3}),
 * as the table encoder's {@code encodeRows} does; any other value is its {@code toString}.
 */
final class CsvRows {

    private CsvRows() {
    }

    /** The header line and one line per row, the cells of {@code columns[k]} taken from row index {@code index[k]}. */
    static byte[] write(List<String> columns, int[] index, List<Row> rows) {
        StringBuilder sb = new StringBuilder(64 + rows.size() * columns.size() * 12);
        header(sb, columns);
        for (Row row : rows) line(sb, index, row);
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Appends the header line naming {@code columns}. */
    static void header(StringBuilder sb, List<String> columns) {
        for (int c = 0; c < columns.size(); c++) {
            if (c > 0) sb.append(',');
            quote(sb, columns.get(c));
        }
        sb.append('\n');
    }

    /** Appends one line: the cells at {@code index} of {@code row}. */
    static void line(StringBuilder sb, int[] index, Row row) {
        for (int c = 0; c < index.length; c++) {
            if (c > 0) sb.append(',');
            Object v = row.get(index[c]);
            sb.append('"');
            if (v != null) escape(sb, cell(v));
            sb.append('"');
        }
        sb.append('\n');
    }

    /** The text of one cell. */
    static String cell(Object v) {
        if (v instanceof String s) return s;
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) return v.toString();
        if (v instanceof BigDecimal d) return d.stripTrailingZeros().toPlainString();
        if (v instanceof Number n) {
            double d = n.doubleValue();
            return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : n.toString();
        }
        return v.toString();
    }

    private static void quote(StringBuilder sb, String s) {
        sb.append('"');
        escape(sb, s);
        sb.append('"');
    }

    private static void escape(StringBuilder sb, String s) {
        if (s.indexOf('"') < 0) {
            sb.append(s);
            return;
        }
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '"') sb.append('"');
            sb.append(ch);
        }
    }
}
