package dev.autoint.data;

import java.util.Objects;

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
