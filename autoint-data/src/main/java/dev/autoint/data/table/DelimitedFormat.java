package dev.autoint.data.table;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
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

    /**
     * Validates the delimiter and copies the collections.
     *
     * @param delimiter     field delimiter: an ASCII character other than a quote or a line break
     * @param header        whether the first line holds column names
     * @param columnNames   column names when there is no header, or null; copied
     * @param missingValues cell texts meaning "missing", or null for none; copied
     * @param charset       text encoding, ASCII-compatible
     * @param skipBadLines  skip malformed lines and count them instead of throwing
     * @throws IllegalArgumentException if the delimiter is a quote, a line break or not ASCII
     * @throws NullPointerException     if {@code charset} is null
     */
    public DelimitedFormat {
        checkDelimiter(delimiter);
        columnNames = columnNames == null ? null : List.copyOf(columnNames);
        missingValues = missingValues == null ? Set.of() : Set.copyOf(missingValues);
        Objects.requireNonNull(charset, "charset");
    }

    /**
     * Comma-separated UTF-8 with a header line; empty cells are missing.
     *
     * @return the format
     */
    public static DelimitedFormat csv() {
        return new DelimitedFormat(',', true, null, Set.of(), StandardCharsets.UTF_8, false);
    }

    /**
     * Tab-separated UTF-8 with a header line; empty cells are missing.
     *
     * @return the format
     */
    public static DelimitedFormat tsv() {
        return new DelimitedFormat('\t', true, null, Set.of(), StandardCharsets.UTF_8, false);
    }

    /**
     * A delimiter as a user spells it: one character ({@code ,} {@code ;} {@code |} or any other ASCII
     * character but a quote or a line break), a tab typed as the two characters {@code \t}, or one of the
     * names {@code tab}, {@code comma}, {@code semicolon}, {@code pipe} (any case).
     *
     * @param spelled the delimiter as typed
     * @return the delimiter character
     * @throws NullPointerException     if {@code spelled} is null
     * @throws IllegalArgumentException for anything else, such as MovieLens' {@code ::}, saying what is accepted
     */
    public static char parseDelimiter(String spelled) {
        Objects.requireNonNull(spelled, "delimiter");
        char d;
        if (spelled.length() == 1) {
            d = spelled.charAt(0);
        } else {
            d = switch (spelled.toLowerCase(Locale.ROOT)) {
                case "\\t", "tab" -> '\t';
                case "comma" -> ',';
                case "semicolon" -> ';';
                case "pipe" -> '|';
                default -> throw new IllegalArgumentException("delimiter must be one character (such as , ; | or a tab) or one of"
                        + " tab, comma, semicolon, pipe, \\t; got \"" + spelled + "\"");
            };
        }
        checkDelimiter(d);
        return d;
    }

    private static void checkDelimiter(char d) {
        if (d == '"' || d == '\n' || d == '\r' || d > 0x7f) {
            String shown = d == '\n' ? "\\n" : d == '\r' ? "\\r" : String.valueOf(d);
            throw new IllegalArgumentException("delimiter must be an ASCII character other than quote and newline, got '" + shown + "'");
        }
    }

    /**
     * The same format with another delimiter.
     *
     * @param d an ASCII character other than a quote or a line break
     * @return the new format
     * @throws IllegalArgumentException if {@code d} is not allowed
     */
    public DelimitedFormat withDelimiter(char d) {
        return new DelimitedFormat(d, header, columnNames, missingValues, charset, skipBadLines);
    }

    /**
     * No header line: the columns have these names, in order.
     *
     * @param names the column names, or null for "1", "2", ... by position
     * @return the new format, without a header line
     */
    public DelimitedFormat withColumnNames(List<String> names) {
        return new DelimitedFormat(delimiter, false, names, missingValues, charset, skipBadLines);
    }

    /**
     * The same format with other cell texts meaning "missing" (the empty cell always is).
     *
     * @param values the texts, or null for none
     * @return the new format
     */
    public DelimitedFormat withMissingValues(Set<String> values) {
        return new DelimitedFormat(delimiter, header, columnNames, values, charset, skipBadLines);
    }

    /**
     * The same format with another charset.
     *
     * @param cs an ASCII-compatible charset, such as UTF-8 or ISO-8859-1
     * @return the new format
     * @throws NullPointerException if {@code cs} is null
     */
    public DelimitedFormat withCharset(Charset cs) {
        return new DelimitedFormat(delimiter, header, columnNames, missingValues, cs, skipBadLines);
    }

    /**
     * The same format, skipping and counting malformed lines, or failing on the first.
     *
     * @param skip whether to skip bad lines
     * @return the new format
     */
    public DelimitedFormat withSkipBadLines(boolean skip) {
        return new DelimitedFormat(delimiter, header, columnNames, missingValues, charset, skip);
    }
}
