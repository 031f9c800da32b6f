package dev.autoint.data;

import java.util.Locale;
import java.util.Objects;

/**
 * How rows are partitioned into train / validation / test before anything is fitted: one record per kind,
 * each field named for what it holds and of what it is a fraction.
 *
 * <ul>
 *   <li>{@link Random}: a seeded shuffle cut into {@code trainFraction} and {@code validFraction} of all rows,
 *       the rest test;</li>
 *   <li>{@link GlobalTemporal}: the earliest {@code trainFraction} of all rows by time are train (their latest
 *       {@code validFractionOfTrain} validation), the rest test;</li>
 *   <li>{@link PerUserTemporal}: each user's latest {@code testFraction} of their rows are test and the
 *       {@code validFraction} of their rows before those validation;</li>
 *   <li>{@link PerUserLastK}: each user's latest {@code testRows} rows are test and the {@code validRows}
 *       before them validation.</li>
 * </ul>
 * The intended order: read raw rows, {@link #apply} a spec, fit vocabularies and scalers on the train rows
 * only, then encode every part. Every part comes back in ascending row order; ties in timestamps are broken by
 * row index, so a split never depends on sort stability. Part sizes are rounded to the nearest row; the
 * per-user kinds keep at least one train row per user, so a user with few rows gives fewer held-out rows.
 */
public sealed interface SplitSpec {

    /**
     * Splits {@code rows} rows.
     *
     * @param rows       the number of rows
     * @param users      each row's user key; read only by the per-user kinds (may be null for the others)
     * @param timestamps each row's timestamp; read by every kind but {@link Random} (may be null for it)
     * @return the partition
     * @throws IllegalArgumentException when {@code rows} is negative, a needed array is null or an array's length
     *                                  is not {@code rows}
     */
    Split apply(int rows, int[] users, long[] timestamps);

    /**
     * The kind's name in reports and provenance.
     *
     * @return {@code random}, {@code global-temporal}, {@code per-user-temporal} or {@code per-user-last-k}
     */
    String kind();

    /**
     * The split spelled out for a reader, e.g. {@code "global temporal: first 80% of rows by time for training
     * (its last 10% for validation), the rest for testing"}.
     *
     * @return one line of text
     */
    String describe();

    /**
     * A seeded random split.
     *
     * @param trainFraction share of all rows for training
     * @param validFraction share of all rows for validation; test gets the rest
     * @param seed          the shuffle's seed
     * @return the spec
     * @throws IllegalArgumentException if a fraction is outside [0, 1] or their sum exceeds 1
     */
    static Random random(double trainFraction, double validFraction, long seed) {
        return new Random(trainFraction, validFraction, seed);
    }

    /**
     * A global temporal split; for example {@code (0.8, 0.1)} gives 72 / 8 / 20 percent.
     *
     * @param trainFraction        share of all rows, the earliest, for training and validation
     * @param validFractionOfTrain share of those rows, their latest, for validation
     * @return the spec
     * @throws IllegalArgumentException if a fraction is outside [0, 1]
     */
    static GlobalTemporal globalTemporal(double trainFraction, double validFractionOfTrain) {
        return new GlobalTemporal(trainFraction, validFractionOfTrain);
    }

    /**
     * A per-user temporal split by fractions of each user's rows.
     *
     * @param testFraction  share of each user's rows, their latest, for testing
     * @param validFraction share of each user's rows, those just before the test rows, for validation
     * @return the spec
     * @throws IllegalArgumentException if a fraction is outside [0, 1] or their sum exceeds 1
     */
    static PerUserTemporal perUserTemporal(double testFraction, double validFraction) {
        return new PerUserTemporal(testFraction, validFraction);
    }

    /**
     * A per-user temporal split by row counts (leave-last-k-out).
     *
     * @param testRows  each user's latest rows for testing
     * @param validRows each user's rows just before those for validation
     * @return the spec
     * @throws IllegalArgumentException if either is negative
     */
    static PerUserLastK perUserLastK(int testRows, int validRows) {
        return new PerUserLastK(testRows, validRows);
    }

    /**
     * A seeded shuffle cut by shares of all rows: train gets {@code round(n · trainFraction)} rows, validation
     * {@code round(n · validFraction)}, test the rest.
     *
     * @param trainFraction share of all rows for training, in [0, 1]
     * @param validFraction share of all rows for validation, in [0, 1 − trainFraction]
     * @param seed          the shuffle's seed ({@link java.util.SplittableRandom})
     */
    record Random(double trainFraction, double validFraction, long seed) implements SplitSpec {
        /**
         * Checks that both are fractions summing to at most 1.
         *
         * @param trainFraction share of all rows for training, in [0, 1]
         * @param validFraction share of all rows for validation, in [0, 1 − trainFraction]
         * @param seed          the shuffle's seed
         * @throws IllegalArgumentException if a fraction is outside [0, 1] (or NaN) or their sum exceeds 1
         */
        public Random {
            Splits.checkFraction("trainFraction", trainFraction);
            Splits.checkFraction("validFraction", validFraction);
            Splits.checkSum("trainFraction + validFraction", trainFraction, validFraction);
        }

        @Override
        public Split apply(int rows, int[] users, long[] timestamps) {
            Splits.checkLengths(rows, null, users, timestamps);
            return Splits.random(rows, trainFraction, validFraction, seed);
        }

        @Override
        public String kind() {
            return "random";
        }

        @Override
        public String describe() {
            return String.format(Locale.ROOT, "random %.0f/%.0f/%.0f (seed %d)", 100 * trainFraction, 100 * validFraction,
                    100 * (1 - trainFraction - validFraction), seed);
        }
    }

    /**
     * The earliest {@code round(n · trainFraction)} rows by time (then row index) train, the rest test; the
     * latest {@code round(nTrain · validFractionOfTrain)} of the train rows become validation.
     *
     * @param trainFraction        share of all rows, the earliest, for training and validation, in [0, 1]
     * @param validFractionOfTrain share of those rows, their latest, for validation, in [0, 1]
     */
    record GlobalTemporal(double trainFraction, double validFractionOfTrain) implements SplitSpec {
        /**
         * Checks that both are fractions.
         *
         * @param trainFraction        share of all rows, the earliest, for training and validation, in [0, 1]
         * @param validFractionOfTrain share of those rows, their latest, for validation, in [0, 1]
         * @throws IllegalArgumentException if a fraction is outside [0, 1] (or NaN)
         */
        public GlobalTemporal {
            Splits.checkFraction("trainFraction", trainFraction);
            Splits.checkFraction("validFractionOfTrain", validFractionOfTrain);
        }

        @Override
        public Split apply(int rows, int[] users, long[] timestamps) {
            Splits.checkLengths(rows, "global temporal", users, timestamps);
            return Splits.globalTemporal(timestamps, trainFraction, validFractionOfTrain);
        }

        @Override
        public String kind() {
            return "global-temporal";
        }

        @Override
        public String describe() {
            return String.format(Locale.ROOT, "global temporal: first %s of rows by time for training (its last %s for validation), "
                    + "the rest for testing", percent(trainFraction), percent(validFractionOfTrain));
        }
    }

    /**
     * Per user: the latest {@code round(count · testFraction)} of the user's rows test and the
     * {@code round(count · validFraction)} before them validation, keeping at least one train row.
     *
     * @param testFraction  share of each user's rows, their latest, for testing, in [0, 1]
     * @param validFraction share of each user's rows, just before the test rows, for validation, in
     *                      [0, 1 − testFraction]
     */
    record PerUserTemporal(double testFraction, double validFraction) implements SplitSpec {
        /**
         * Checks that both are fractions summing to at most 1.
         *
         * @param testFraction  share of each user's rows, their latest, for testing, in [0, 1]
         * @param validFraction share of each user's rows, just before the test rows, for validation, in
         *                      [0, 1 − testFraction]
         * @throws IllegalArgumentException if a fraction is outside [0, 1] (or NaN) or their sum exceeds 1
         */
        public PerUserTemporal {
            Splits.checkFraction("testFraction", testFraction);
            Splits.checkFraction("validFraction", validFraction);
            Splits.checkSum("testFraction + validFraction", testFraction, validFraction);
        }

        @Override
        public Split apply(int rows, int[] users, long[] timestamps) {
            Splits.checkLengths(rows, "per-user temporal", users, timestamps);
            if (users == null) throw new IllegalArgumentException("a per-user temporal split needs each row's user");
            return Splits.perUserLastFraction(users, timestamps, testFraction, validFraction);
        }

        @Override
        public String kind() {
            return "per-user-temporal";
        }

        @Override
        public String describe() {
            return String.format(Locale.ROOT, "per-user temporal: each user's last %s of rows for testing, the %s before for validation",
                    percent(testFraction), percent(validFraction));
        }
    }

    /**
     * Per user: the latest {@code testRows} of the user's rows test and the {@code validRows} before them
     * validation, keeping at least one train row.
     *
     * @param testRows  each user's latest rows for testing (at least 0)
     * @param validRows each user's rows just before those for validation (at least 0)
     */
    record PerUserLastK(int testRows, int validRows) implements SplitSpec {
        /**
         * Checks that both are at least 0.
         *
         * @param testRows  each user's latest rows for testing, at least 0
         * @param validRows each user's rows just before those for validation, at least 0
         * @throws IllegalArgumentException if either is negative
         */
        public PerUserLastK {
            if (testRows < 0 || validRows < 0) {
                throw new IllegalArgumentException("testRows and validRows must be >= 0, got " + testRows + ", " + validRows);
            }
        }

        @Override
        public Split apply(int rows, int[] users, long[] timestamps) {
            Splits.checkLengths(rows, "per-user last-k", users, timestamps);
            if (users == null) throw new IllegalArgumentException("a per-user last-k split needs each row's user");
            return Splits.perUserLastK(users, timestamps, testRows, validRows);
        }

        @Override
        public String kind() {
            return "per-user-last-k";
        }

        @Override
        public String describe() {
            return "per-user last " + testRows + ": each user's last " + testRows + " rows for testing, the " + validRows
                    + " before for validation";
        }
    }

    private static String percent(double f) {
        String s = String.format(Locale.ROOT, "%.1f", 100 * f);
        return (s.endsWith(".0") ? s.substring(0, s.length() - 2) : s) + "%";
    }

    /**
     * Row indices of a train / validation / test partition, each part in ascending row order. Parts are
     * disjoint; a part may be empty. Made by {@link SplitSpec#apply}.
     *
     * @param train rows to fit vocabularies, scalers and models on
     * @param valid rows for early stopping and tuning
     * @param test  held-out rows
     */
    public record Split(int[] train, int[] valid, int[] test) {

        /**
         * Checks that no part is null. The arrays are kept, not copied: do not modify them afterwards.
         *
         * @param train rows to fit vocabularies, scalers and models on
         * @param valid rows for early stopping and tuning
         * @param test  held-out rows
         * @throws NullPointerException if a part is null
         */
        public Split {
            Objects.requireNonNull(train, "train");
            Objects.requireNonNull(valid, "valid");
            Objects.requireNonNull(test, "test");
        }

        /**
         * The part sizes, e.g. {@code Split[train=800, valid=100, test=100]}.
         *
         * @return the sizes, not the row indices
         */
        @Override
        public String toString() {
            return "Split[train=" + train.length + ", valid=" + valid.length + ", test=" + test.length + "]";
        }
    }
}
