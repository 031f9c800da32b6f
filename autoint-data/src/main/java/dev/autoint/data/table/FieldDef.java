package dev.autoint.data.table;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.autoint.core.data.FieldKind;
import dev.autoint.data.movielens.MovieLensData.Movie;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Objects;

/**
 * One field of a {@link Schema}: its name in the encoded dataset, its kind, the source column(s) it reads
 * and how the raw text is transformed. A categorical field with several columns is their cross: the
 * transformed values joined with {@value #CROSS}. A multi-valued field reads one column and splits it on
 * {@code separator}. Optional vocabulary limits: {@code minCount} (default 1) and {@code maxSize}
 * (0 = unlimited). Invalid definitions throw IllegalArgumentException naming the field.
 *
 * @param name      field name, unique in the schema
 * @param kind      CATEGORICAL, MULTI_CATEGORICAL or NUMERIC
 * @param columns   source column names (one, or several for a categorical cross)
 * @param transform text or numeric transform; null means IDENTITY
 * @param separator multi-value separator (MULTI_CATEGORICAL only; null means "|")
 * @param minCount  minimum training count for a vocabulary entry; 0 means 1
 * @param maxSize   maximum vocabulary entries besides id 0; 0 means unlimited
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FieldDef(String name, FieldKind kind, List<String> columns, Transform transform, String separator,
                       int minCount, int maxSize) {

    /** Joins the values of a cross feature. */
    public static final String CROSS = "\u00d7";

    /**
     * Validates the definition and fills in the defaults (IDENTITY, separator "|", minCount 1).
     *
     * @param name      field name, not blank
     * @param kind      the field's kind, not null
     * @param columns   source column names, at least one; exactly one unless categorical; copied
     * @param transform a transform that applies to {@code kind}, or null for IDENTITY
     * @param separator multi-value separator, not empty, or null for "|"; must be null unless multi-valued
     * @param minCount  minimum training count, >= 0 (0 means 1); must be 1 or 0 for a numeric field
     * @param maxSize   maximum vocabulary entries, >= 0 (0 means unlimited); must be 0 for a numeric field
     * @throws IllegalArgumentException naming the field, if any of these does not hold
     */
    public FieldDef {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("a field needs a non-blank 'name'");
        String where = "field '" + name + "': ";
        if (kind == null) throw new IllegalArgumentException(where + "'kind' is required (CATEGORICAL, MULTI_CATEGORICAL or NUMERIC)");
        if (columns == null || columns.isEmpty()) throw new IllegalArgumentException(where + "'columns' must name at least one source column");
        for (String c : columns) {
            if (c == null || c.isBlank()) throw new IllegalArgumentException(where + "column names must not be blank");
        }
        columns = List.copyOf(columns);
        if (transform == null) transform = Transform.IDENTITY;
        if (!transform.appliesTo(kind)) throw new IllegalArgumentException(where + "transform " + transform + " does not apply to a " + kind + " field");
        if (kind != FieldKind.CATEGORICAL && columns.size() != 1) {
            throw new IllegalArgumentException(where + "a " + kind + " field reads exactly one column, got " + columns);
        }
        if (kind == FieldKind.MULTI_CATEGORICAL) {
            if (separator == null) separator = "|";
            if (separator.isEmpty()) throw new IllegalArgumentException(where + "'separator' must not be empty");
        } else if (separator != null) {
            throw new IllegalArgumentException(where + "'separator' only applies to MULTI_CATEGORICAL fields");
        }
        if (minCount < 0) throw new IllegalArgumentException(where + "'minCount' must be >= 1, got " + minCount);
        if (minCount == 0) minCount = 1;
        if (maxSize < 0) throw new IllegalArgumentException(where + "'maxSize' must be >= 0 (0 = unlimited), got " + maxSize);
        if (kind == FieldKind.NUMERIC && (minCount != 1 || maxSize != 0)) {
            throw new IllegalArgumentException(where + "'minCount' and 'maxSize' do not apply to NUMERIC fields");
        }
    }

    /**
     * A categorical field over one column, or the cross of several.
     *
     * @param name    the field name
     * @param columns one source column, or several to cross
     * @return the definition
     * @throws IllegalArgumentException if the name is blank or no column is given
     */
    public static FieldDef categorical(String name, String... columns) {
        return new FieldDef(name, FieldKind.CATEGORICAL, List.of(columns), Transform.IDENTITY, null, 1, 0);
    }

    /**
     * A multi-valued categorical field: one column split on {@code separator}.
     *
     * @param name      the field name
     * @param column    the source column
     * @param separator what separates the values in a cell, or null for "|"
     * @return the definition
     * @throws IllegalArgumentException if a name is blank or the separator is empty
     */
    public static FieldDef multi(String name, String column, String separator) {
        return new FieldDef(name, FieldKind.MULTI_CATEGORICAL, List.of(column), Transform.IDENTITY, separator, 1, 0);
    }

    /**
     * A numeric field with the given transform (IDENTITY, MIN_MAX or LOG1P_MIN_MAX).
     *
     * @param name      the field name
     * @param column    the source column
     * @param transform how the number is scaled, or null for IDENTITY
     * @return the definition
     * @throws IllegalArgumentException if a name is blank or the transform is not numeric
     */
    public static FieldDef numeric(String name, String column, Transform transform) {
        return new FieldDef(name, FieldKind.NUMERIC, List.of(column), transform, null, 1, 0);
    }

    /**
     * The same field with another transform.
     *
     * @param t a transform that applies to this field's kind, or null for IDENTITY
     * @return the new definition
     * @throws IllegalArgumentException if the transform does not apply to the kind
     */
    public FieldDef withTransform(Transform t) {
        return new FieldDef(name, kind, columns, t, separator, minCount, maxSize);
    }

    /**
     * Vocabulary limits: values seen fewer than {@code min} times are dropped, at most {@code max} kept (0 = all).
     *
     * @param min minimum training count, >= 1 (0 means 1)
     * @param max maximum vocabulary entries besides id 0, >= 0
     * @return the new definition
     * @throws IllegalArgumentException if a limit is negative, or the field is numeric and a limit is set
     */
    public FieldDef withLimits(int min, int max) {
        return new FieldDef(name, kind, columns, transform, separator, min, max);
    }

    /**
     * Source column names (one, or several for a categorical cross).
     *
     * @return an unmodifiable list, never empty
     */
    @Override
    public List<String> columns() {
        return columns;
    }

    /**
     * The transform; never null.
     *
     * @return the transform, IDENTITY when none was given
     */
    @Override
    public Transform transform() {
        return Objects.requireNonNullElse(transform, Transform.IDENTITY);
    }

    /**
     * How a field's raw cell text becomes its value. Categorical transforms map text to text; numeric ones
     * fix how a number is scaled (fitted on training rows).
     */
    public enum Transform {
        /** The text as is (categorical), or the number unscaled (numeric). */
        IDENTITY,
        /** Lower-cased text (categorical or multi-valued). */
        LOWERCASE,
        /** The year in "(1995)" at the end of a movie title; missing when absent (categorical). */
        YEAR_FROM_TITLE,
        /** The decade of an integer year or of a title's "(1995)", written "1990s" (categorical). */
        DECADE,
        /** The UTC year of a Unix time in seconds (categorical). */
        UTC_YEAR,
        /** The UTC month 1..12 of a Unix time in seconds (categorical). */
        UTC_MONTH,
        /** Min-max scaling with the training minimum and maximum (numeric). */
        MIN_MAX,
        /** {@code sign(x) * log(1 + |x|)}, then min-max scaling with training statistics (numeric). */
        LOG1P_MIN_MAX;

        /**
         * Whether this transform applies to fields of the given kind.
         *
         * @param kind a field kind
         * @return true when a {@link FieldDef} of that kind may use it
         */
        public boolean appliesTo(FieldKind kind) {
            return switch (this) {
                case IDENTITY -> true;
                case LOWERCASE -> kind != FieldKind.NUMERIC;
                case YEAR_FROM_TITLE, DECADE, UTC_YEAR, UTC_MONTH -> kind == FieldKind.CATEGORICAL;
                case MIN_MAX, LOG1P_MIN_MAX -> kind == FieldKind.NUMERIC;
            };
        }

        /**
         * Applies a text transform. Returns null when the value is missing after the transform (a title
         * without a year); throws IllegalArgumentException when the text does not fit (a non-integer time).
         */
        String apply(String text) {
            switch (this) {
                case IDENTITY:
                    return text;
                case LOWERCASE:
                    return text.toLowerCase(java.util.Locale.ROOT);
                case YEAR_FROM_TITLE: {
                    int y = Movie.yearFromTitle(text);
                    return y == 0 ? null : Integer.toString(y);
                }
                case DECADE: {
                    int y = Movie.yearFromTitle(text);
                    if (y == 0) y = (int) parseLong(text, "a year or a title with \"(year)\"");
                    return Math.floorDiv(y, 10) * 10 + "s";
                }
                case UTC_YEAR:
                    return Integer.toString(utc(text).getYear());
                case UTC_MONTH:
                    return Integer.toString(utc(text).getMonthValue());
                default:
                    throw new IllegalStateException(this + " is not a text transform");
            }
        }

        /**
         * Applies a numeric pre-transform before scaling (the identity except for {@link #LOG1P_MIN_MAX}).
         *
         * @param x the raw number
         * @return {@code sign(x) * log(1 + |x|)} for {@link #LOG1P_MIN_MAX}, else {@code x}
         */
        public double applyNumeric(double x) {
            return this == LOG1P_MIN_MAX ? Math.signum(x) * Math.log1p(Math.abs(x)) : x;
        }

        private static ZonedDateTime utc(String text) {
            long s = parseLong(text, "a Unix time in seconds");
            try {
                return Instant.ofEpochSecond(s).atZone(ZoneOffset.UTC);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("Unix time out of range");
            }
        }

        private static long parseLong(String text, String what) {
            try {
                return Long.parseLong(text.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not " + what);
            }
        }
    }
}
