package dev.autoint.eval.internal;

import dev.autoint.eval.Interactions;
import java.util.Arrays;
import java.util.function.DoublePredicate;

/**
 * For each user of an {@link Interactions} table, the sorted set of dense item indices
 * ({@link ItemIndex}) the user interacted with — the training items a recommender must exclude,
 * or the liked items its explanations are drawn from. Rows whose item is not in the catalog are
 * ignored; duplicates collapse.
 *
 * <p>Immutable and thread-safe; lookups are O(log users) and O(log items of the user).
 */
public final class UserItemSets {

    private final int[] userIds;   // sorted
    private final int[] offsets;   // userIds.length + 1
    private final int[] items;     // dense item indices, sorted within each user
    private final int itemCount;

    private UserItemSets(int[] userIds, int[] offsets, int[] items, int itemCount) {
        this.userIds = userIds;
        this.offsets = offsets;
        this.items = items;
        this.itemCount = itemCount;
    }

    /**
     * Every row of {@code data}.
     *
     * @param data  the rows
     * @param index the catalog index
     * @return the sets
     */
    public static UserItemSets of(Interactions data, ItemIndex index) {
        return of(data, index, l -> true);
    }

    /**
     * The rows of {@code data} whose label passes {@code labelFilter} (e.g. liked rows).
     *
     * @param data        the rows
     * @param index       the catalog index
     * @param labelFilter keeps a row iff it returns true for the row's label
     * @return the sets
     */
    public static UserItemSets of(Interactions data, ItemIndex index, DoublePredicate labelFilter) {
        int n = data.size();
        // pack (user, itemIndex) into longs and sort: O(n log n), no boxing
        long[] keys = new long[n];
        int m = 0;
        for (int r = 0; r < n; r++) {
            int idx = index.indexOf(data.item(r));
            if (idx < 0 || !labelFilter.test(data.label(r))) {
                continue;
            }
            keys[m++] = ((long) data.user(r) << 32) | (idx & 0xffffffffL);
        }
        Arrays.sort(keys, 0, m);
        int[] users = new int[m];
        int[] offs = new int[m + 1];
        int[] its = new int[m];
        int u = -1;
        int k = 0;
        long prev = 0;
        for (int i = 0; i < m; i++) {
            long key = keys[i];
            if (i > 0 && key == prev) {
                continue;
            }
            prev = key;
            int user = (int) (key >> 32);
            if (u < 0 || users[u] != user) {
                u++;
                users[u] = user;
                offs[u] = k;
            }
            its[k++] = (int) key;
        }
        int nu = u + 1;
        offs[nu] = k;
        return new UserItemSets(Arrays.copyOf(users, nu), Arrays.copyOf(offs, nu + 1),
                Arrays.copyOf(its, k), index.size());
    }

    /** @return the number of users with at least one item */
    public int userCount() {
        return userIds.length;
    }

    /**
     * The user id at a position; positions order users by ascending id.
     *
     * @param u a position, in {@code [0, userCount())}
     * @return the user id
     */
    public int userAt(int u) {
        return userIds[u];
    }

    /**
     * The position of a user id, for {@link #size(int)}, {@link #itemAt} and {@link #contains}.
     *
     * @param userId a user id
     * @return the position, or -1 if the user has no items
     */
    public int slot(int userId) {
        int s = Arrays.binarySearch(userIds, userId);
        return s >= 0 ? s : -1;
    }

    /**
     * The number of items of the user at a slot.
     *
     * @param slot a position from {@link #slot(int)}, or -1
     * @return the count; 0 for slot -1
     */
    public int size(int slot) {
        return slot < 0 ? 0 : offsets[slot + 1] - offsets[slot];
    }

    /**
     * The j-th smallest dense item index of the user at a slot.
     *
     * @param slot a position from {@link #slot(int)}, not -1
     * @param j    in {@code [0, size(slot))}
     * @return the dense item index
     */
    public int itemAt(int slot, int j) {
        return items[offsets[slot] + j];
    }

    /**
     * Whether the user at a slot has an item.
     *
     * @param slot      a position from {@link #slot(int)}, or -1
     * @param itemIndex a dense item index
     * @return true iff the user has the item; false for slot -1
     */
    public boolean contains(int slot, int itemIndex) {
        if (slot < 0) {
            return false;
        }
        return Arrays.binarySearch(items, offsets[slot], offsets[slot + 1], itemIndex) >= 0;
    }

    /**
     * Popularity counts: for each dense item index, the number of users who have it.
     *
     * @return a new array of length {@code index.size()}
     */
    public int[] userCountsPerItem() {
        int[] c = new int[itemCount];
        for (int it : items) {
            c[it]++;
        }
        return c;
    }
}
