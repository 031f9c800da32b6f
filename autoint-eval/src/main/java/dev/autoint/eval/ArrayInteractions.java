package dev.autoint.eval;

import java.util.Objects;

/** Array-backed {@link Interactions}. */
final class ArrayInteractions implements Interactions {
    private final int[] users;
    private final int[] items;
    private final float[] labels;
    private final long[] timestamps;

    ArrayInteractions(int[] users, int[] items, float[] labels, long[] timestamps) {
        this.users = Objects.requireNonNull(users, "users");
        this.items = Objects.requireNonNull(items, "items");
        this.labels = Objects.requireNonNull(labels, "labels");
        if (items.length != users.length || labels.length != users.length
                || (timestamps != null && timestamps.length != users.length)) {
            throw new IllegalArgumentException("parallel arrays differ in length");
        }
        this.timestamps = timestamps;
    }

    @Override public int size() { return users.length; }
    @Override public int user(int row) { return users[row]; }
    @Override public int item(int row) { return items[row]; }
    @Override public float label(int row) { return labels[row]; }
    @Override public long timestamp(int row) { return timestamps == null ? 0L : timestamps[row]; }
}
