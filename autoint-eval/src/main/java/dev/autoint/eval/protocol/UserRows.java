package dev.autoint.eval.protocol;

import dev.autoint.eval.Interactions;
import java.util.Arrays;

/** The rows of an {@link Interactions} table grouped by user (users ascending, rows ascending). */
final class UserRows {

    final int[] users;
    final int[] offsets;
    final int[] rows;
    final int[] slotOfRow;

    UserRows(Interactions data) {
        int n = data.size();
        long[] keys = new long[n];
        for (int r = 0; r < n; r++) {
            keys[r] = ((long) data.user(r) << 32) | r;
        }
        Arrays.sort(keys);
        rows = new int[n];
        slotOfRow = new int[n];
        int[] us = new int[n];
        int[] offs = new int[n + 1];
        int u = -1;
        for (int i = 0; i < n; i++) {
            int user = (int) (keys[i] >> 32);
            int row = (int) keys[i];
            if (u < 0 || us[u] != user) {
                u++;
                us[u] = user;
                offs[u] = i;
            }
            rows[i] = row;
            slotOfRow[row] = u;
        }
        int nu = u + 1;
        offs[nu] = n;
        users = Arrays.copyOf(us, nu);
        offsets = Arrays.copyOf(offs, nu + 1);
    }

    int userCount() {
        return users.length;
    }
}
