package dev.autoint.data.table;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The layout of a delimited text file: delimiter, header line or explicit column names, the cell texts
 * that mean "missing", the charset (an ASCII-compatible one such as UTF-8 or ISO-8859-1), and whether bad
 * lines are skipped (and counted) instead of failing. Fields may be quoted with double quotes; a doubled
 * quote inside a quoted field is a literal quote; quoted fields may span lines. Cells are not trimmed.
 *
 * @param delimiter     field delimiter, e.g. ',' or '\t'
 * @param header        whether the first line holds column names
 * @param columnNames   column names when there is no header (null: "1", "2", ... by position)
 * @param missingValues cell texts meaning "missing" (the empty cell is always missing)
 * @param charset       text encoding; undecodable bytes are an error
 * @param skipBadLines  skip malformed lines and count them instead of throwing
 */
public record DelimitedFormat(char delimiter, boolean header, List<String> columnNames, Set<String> missingValues,
                              Charset charset, boolean skipBadLines) {

    public DelimitedFormat {
        if (delimiter == '"' || delimiter == '\n' || delimiter == '\r' || delimiter > 0x7f) {
            throw new IllegalArgumentException("delimiter must be an ASCII character other than quote and newline, got '" + delimiter + "'");
        }
        columnNames = columnNames == null ? null : List.copyOf(columnNames);
        missingValues = missingValues == null ? Set.of() : Set.copyOf(missingValues);
        Objects.requireNonNull(charset, "charset");
    }

    /**
     * A delimiter as users write it: one character, or {@code \t}, {@code tab}, {@code comma},
     * {@code semicolon}, {@code pipe}; anything else is an IllegalArgumentException.
     */
    public static char parseDelimiter(String text) {
        if (text == null || text.isEmpty()) throw new IllegalArgumentException("the delimiter is empty");
        String t = text.toLowerCase(java.util.Locale.ROOT);
        char c = switch (t) {
            case "\\t", "tab" -> '\t';
            case "comma" -> ',';
            case "semicolon" -> ';';
            case "pipe" -> '|';
            default -> {
                if (text.length() != 1) {
                    throw new IllegalArgumentException("'" + text + "' is not a delimiter: use one character, or \\t, tab, comma, semicolon or pipe");
                }
                yield text.charAt(0);
            }
        };
        if (c == '"' || c == '\n' || c == '\r' || c > 0x7f) {
            throw new IllegalArgumentException("'" + text + "' cannot be a delimiter (an ASCII character other than quote and newline)");
        }
        return c;
    }

    /** Comma-separated UTF-8 with a header line; empty cells are missing. */
    public static DelimitedFormat csv() {
        return new DelimitedFormat(',', true, null, Set.of(), StandardCharsets.UTF_8, false);
    }

    /** Tab-separated UTF-8 with a header line; empty cells are missing. */
    public static DelimitedFormat tsv() {
        return new DelimitedFormat('\t', true, null, Set.of(), StandardCharsets.UTF_8, false);
    }

    public DelimitedFormat withDelimiter(char d) {
        return new DelimitedFormat(d, header, columnNames, missingValues, charset, skipBadLines);
    }

    /** No header line: the columns have these names, in order. */
    public DelimitedFormat withColumnNames(List<String> names) {
        return new DelimitedFormat(delimiter, false, names, missingValues, charset, skipBadLines);
    }

    public DelimitedFormat withMissingValues(Set<String> values) {
        return new DelimitedFormat(delimiter, header, columnNames, values, charset, skipBadLines);
    }

    public DelimitedFormat withCharset(Charset cs) {
        return new DelimitedFormat(delimiter, header, columnNames, missingValues, cs, skipBadLines);
    }

    public DelimitedFormat withSkipBadLines(boolean skip) {
        return new DelimitedFormat(delimiter, header, columnNames, missingValues, charset, skip);
    }
}
