package dev.autoint.data;

import java.io.IOException;

/**
 * The one exception every reader of this module throws for bad input: a malformed line, a wrong field
 * count, a non-numeric value, an empty or missing file, undecodable bytes.
 *
 * <p>It is a checked {@link IOException}. The message names the file, the 1-based line, the 1-based
 * column (the field number within the line; 0 when the problem concerns the whole line or file) and the
 * offending text, truncated to {@value #MAX_TEXT} characters.
 */
public class DataFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    /** Longest excerpt of offending text kept in a message. */
    public static final int MAX_TEXT = 60;

    /** The file's name or path as given to the reader. */
    private final String file;
    /** 1-based line number, 0 for the whole file. */
    private final long line;
    /** 1-based field number, 0 for the whole line or file. */
    private final int column;
    /** The offending text, truncated; empty when none was given. */
    private final String text;
    /** What is wrong. */
    private final String problem;

    /**
     * @param file    the file's name or path as given to the reader
     * @param line    1-based line number, 0 when the problem concerns the whole file
     * @param column  1-based field number, 0 when the problem concerns the whole line or file
     * @param text    the offending text, or null; truncated to {@value #MAX_TEXT} characters
     * @param problem what is wrong
     */
    public DataFormatException(String file, long line, int column, String text, String problem) {
        this(file, line, column, text, problem, null);
    }

    /**
     * @param file    the file's name or path as given to the reader
     * @param line    1-based line number, 0 when the problem concerns the whole file
     * @param column  1-based field number, 0 when the problem concerns the whole line or file
     * @param text    the offending text, or null; truncated to {@value #MAX_TEXT} characters
     * @param problem what is wrong
     * @param cause   the underlying failure, or null
     */
    public DataFormatException(String file, long line, int column, String text, String problem, Throwable cause) {
        super(format(file, line, column, text, problem), cause);
        this.file = file;
        this.line = line;
        this.column = column;
        this.text = text == null ? "" : truncate(text);
        this.problem = problem;
    }

    /**
     * What is wrong, without the file, line and column.
     *
     * @return the problem
     */
    public String problem() {
        return problem;
    }

    /**
     * The file's name or path as given to the reader.
     *
     * @return the file
     */
    public String file() {
        return file;
    }

    /**
     * 1-based line number, 0 when the problem concerns the whole file.
     *
     * @return the line
     */
    public long line() {
        return line;
    }

    /**
     * 1-based field number, 0 when the problem concerns the whole line or file.
     *
     * @return the column
     */
    public int column() {
        return column;
    }

    /**
     * The offending text, truncated to {@value #MAX_TEXT} characters, control characters shown as {@code ?}.
     *
     * @return the text; empty when none was given
     */
    public String text() {
        return text;
    }

    private static String format(String file, long line, int column, String text, String problem) {
        StringBuilder sb = new StringBuilder();
        sb.append(file);
        if (line > 0) sb.append(", line ").append(line);
        if (column > 0) sb.append(", column ").append(column);
        sb.append(": ").append(problem);
        if (text != null) sb.append(": \"").append(truncate(text)).append('"');
        return sb.toString();
    }

    static String truncate(String s) {
        StringBuilder sb = new StringBuilder(Math.min(s.length(), MAX_TEXT + 3));
        int n = 0;
        for (int i = 0; i < s.length() && n < MAX_TEXT; i++, n++) {
            char c = s.charAt(i);
            sb.append(c < 0x20 && c != '\t' ? '?' : c);
        }
        if (s.length() > MAX_TEXT) sb.append("...");
        return sb.toString();
    }
}
