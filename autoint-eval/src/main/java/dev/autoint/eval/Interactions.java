package dev.autoint.eval;

/**
 * A table of (user, item, label, timestamp) rows: the train part or the test part of a split.
 *
 * <p>A label is either binary (0 or 1: click / no click, liked / not liked) or a graded rating
 * (for instance 1..5); the {@link Relevance} rule of an evaluation decides which labels count as
 * relevant. Rows are addressed by index {@code 0 .. size()-1}; the row order is the order in which
 * per-row scores are supplied to the protocols.
 *
 * <p>Implementations must be immutable (or at least not change during an evaluation) and safe to
 * read from several threads.
 */
public interface Interactions {

    /** @return the number of rows */
    int size();

    /**
     * The user id of a row.
     *
     * @param row the row, in {@code [0, size())}
     * @return the user id
     */
    int user(int row);

    /**
     * The item id of a row.
     *
     * @param row the row, in {@code [0, size())}
     * @return the item id
     */
    int item(int row);

    /**
     * The label of a row.
     *
     * @param row the row, in {@code [0, size())}
     * @return 0/1 or a graded rating
     */
    float label(int row);

    /**
     * The timestamp of a row.
     *
     * @param row the row, in {@code [0, size())}
     * @return seconds since the epoch, or 0 if unknown
     */
    long timestamp(int row);

    /**
     * Wraps parallel arrays (not copied: they must not be changed afterwards).
     *
     * @param users      user id per row
     * @param items      item id per row
     * @param labels     label per row
     * @param timestamps timestamp per row, or {@code null} for all zeros
     * @return an array-backed view
     */
    static Interactions of(int[] users, int[] items, float[] labels, long[] timestamps) {
        return new ArrayInteractions(users, items, labels, timestamps);
    }
}
