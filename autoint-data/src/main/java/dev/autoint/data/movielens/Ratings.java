package dev.autoint.data.movielens;

import java.util.Arrays;
import java.util.Objects;

/**
 * Raw rating rows in columnar form: user id, movie id, rating, Unix timestamp (seconds) and binary label,
 * one entry per row. Row {@code i} here is row {@code i} of the dataset an encoder makes from it, so these
 * arrays serve evaluation (grouping by user) and explanation. The accessors return the backing arrays;
 * callers must not modify them.
 */
public final class Ratings {

    private final int[] userIds;
    private final int[] movieIds;
    private final float[] ratings;
    private final long[] timestamps;
    private final float[] labels;

    private Ratings(int[] userIds, int[] movieIds, float[] ratings, long[] timestamps, float[] labels) {
        this.userIds = userIds;
        this.movieIds = movieIds;
        this.ratings = ratings;
        this.timestamps = timestamps;
        this.labels = labels;
    }

    /**
     * Wraps the arrays (no copy); all must have the same length and labels must lie in [0, 1].
     *
     * @param userIds    raw user id per row
     * @param movieIds   raw movie id per row
     * @param ratings    the rating as given (1-5 stars for MovieLens) per row
     * @param timestamps Unix time in seconds per row
     * @param labels     label in [0, 1] per row
     * @return the rows, backed by the arrays
     * @throws NullPointerException     if {@code userIds} is null
     * @throws IllegalArgumentException if the lengths differ or a label is outside [0, 1]
     */
    public static Ratings of(int[] userIds, int[] movieIds, float[] ratings, long[] timestamps, float[] labels) {
        int n = Objects.requireNonNull(userIds, "userIds").length;
        if (movieIds.length != n || ratings.length != n || timestamps.length != n || labels.length != n) {
            throw new IllegalArgumentException("rating columns differ in length: users " + n + ", movies " + movieIds.length
                    + ", ratings " + ratings.length + ", timestamps " + timestamps.length + ", labels " + labels.length);
        }
        for (int i = 0; i < n; i++) {
            if (!(labels[i] >= 0f && labels[i] <= 1f)) {
                throw new IllegalArgumentException("label " + labels[i] + " at row " + i + " is outside [0, 1]");
            }
        }
        return new Ratings(userIds, movieIds, ratings, timestamps, labels);
    }

    /**
     * The number of rows.
     *
     * @return the count
     */
    public int size() {
        return userIds.length;
    }

    /**
     * Raw user id per row; the backing array.
     *
     * @return the array, {@link #size()} long
     */
    public int[] userIds() {
        return userIds;
    }

    /**
     * Raw movie id per row; the backing array.
     *
     * @return the array, {@link #size()} long
     */
    public int[] movieIds() {
        return movieIds;
    }

    /**
     * The rating per row, as given; the backing array.
     *
     * @return the array, {@link #size()} long
     */
    public float[] ratings() {
        return ratings;
    }

    /**
     * Unix time in seconds per row; the backing array.
     *
     * @return the array, {@link #size()} long
     */
    public long[] timestamps() {
        return timestamps;
    }

    /**
     * Label in [0, 1] per row; the backing array.
     *
     * @return the array, {@link #size()} long
     */
    public float[] labels() {
        return labels;
    }

    /**
     * The given rows, in the given order.
     *
     * @param rows row indices; may repeat
     * @return new rows with copied values
     * @throws IndexOutOfBoundsException if a row is out of range
     */
    public Ratings select(int[] rows) {
        int n = rows.length;
        int[] u = new int[n], m = new int[n];
        float[] r = new float[n], l = new float[n];
        long[] t = new long[n];
        for (int i = 0; i < n; i++) {
            int row = Objects.checkIndex(rows[i], userIds.length);
            u[i] = userIds[row];
            m[i] = movieIds[row];
            r[i] = ratings[row];
            t[i] = timestamps[row];
            l[i] = labels[row];
        }
        return new Ratings(u, m, r, t, l);
    }

    /**
     * Number of distinct user ids.
     *
     * @return the count
     */
    public int distinctUsers() {
        return distinct(userIds);
    }

    /**
     * Number of distinct movie ids.
     *
     * @return the count
     */
    public int distinctMovies() {
        return distinct(movieIds);
    }

    private static int distinct(int[] a) {
        int[] c = a.clone();
        Arrays.sort(c);
        int d = 0;
        for (int i = 0; i < c.length; i++) {
            if (i == 0 || c[i] != c[i - 1]) d++;
        }
        return d;
    }
}
