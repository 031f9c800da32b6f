package dev.autoint.data.table;

import dev.autoint.core.data.FieldKind;
import dev.autoint.data.movielens.MovieLensData.Movie;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

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
