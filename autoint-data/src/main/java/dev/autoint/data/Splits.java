package dev.autoint.data;

import dev.autoint.data.SplitSpec.Split;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The algorithms behind {@link SplitSpec} (internal: use a spec). Every method returns each part in ascending
 * row order; ties in timestamps are broken by row index, so results never depend on sort stability.
 */
final class Splits {

    private Splits() {
    }

    /** Seeded shuffle, then the first {@code round(n * trainRatio)} train, the next {@code round(n * validRatio)} valid. */
    static Split random(int n, double trainRatio, double validRatio, long seed) {
        int[] perm = identity(n);
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        int nTrain = (int) Math.round(n * trainRatio);
        int nValid = Math.min(n - nTrain, (int) Math.round(n * validRatio));
        return new Split(sorted(perm, 0, nTrain), sorted(perm, nTrain, nTrain + nValid), sorted(perm, nTrain + nValid, n));
    }

    /**
     * The earliest {@code round(n * trainFraction)} rows train (their latest {@code round(nTrain *
     * validFractionOfTrain)} valid), the rest test; {@code (ts, 0.8, 0.1)} gives 72 / 8 / 20 percent.
     */
    static Split globalTemporal(long[] timestamps, double trainFraction, double validFractionOfTrain) {
        int n = timestamps.length;
        int[] order = timeOrder(timestamps);
        int nTrainAll = (int) Math.round(n * trainFraction);
        int nValid = (int) Math.round(nTrainAll * validFractionOfTrain);
        int nTrain = nTrainAll - nValid;
        return new Split(sorted(order, 0, nTrain), sorted(order, nTrain, nTrainAll), sorted(order, nTrainAll, n));
    }

    /** Each user's latest {@code k} rows test, the {@code validK} before them valid, at least one train row kept. */
    static Split perUserLastK(int[] users, long[] timestamps, int k, int validK) {
        return perUser(users, timestamps, cnt -> k, cnt -> validK);
    }

    /**
     * Each user's latest {@code round(count * testFraction)} rows test and the {@code round(count *
     * validFraction)} before them valid, at least one train row kept.
     */
    static Split perUserLastFraction(int[] users, long[] timestamps, double testFraction, double validFraction) {
        return perUser(users, timestamps, cnt -> (int) Math.round(cnt * testFraction),
                cnt -> (int) Math.round(cnt * validFraction));
    }

    private interface Count {
        int of(int rowsOfUser);
    }

    private static Split perUser(int[] users, long[] timestamps, Count test, Count valid) {
        int n = users.length;
        if (timestamps.length != n) {
            throw new IllegalArgumentException("users and timestamps differ in length: " + n + " vs " + timestamps.length);
        }
        // Group rows by user (sorted by user, then time, then row), then cut each group's tail.
        Integer[] boxed = new Integer[n];
        for (int i = 0; i < n; i++) boxed[i] = i;
        Arrays.sort(boxed, (a, b) -> {
            int c = Integer.compare(users[a], users[b]);
            if (c != 0) return c;
            c = Long.compare(timestamps[a], timestamps[b]);
            return c != 0 ? c : Integer.compare(a, b);
        });
        int[] tr = new int[n], va = new int[n], te = new int[n];
        int nt = 0, nv = 0, ne = 0;
        int start = 0;
        while (start < n) {
            int end = start;
            while (end < n && users[boxed[end]] == users[boxed[start]]) end++;
            int cnt = end - start;
            int nTest = Math.max(0, Math.min(test.of(cnt), cnt - 1));
            int nVal = Math.max(0, Math.min(valid.of(cnt), cnt - 1 - nTest));
            int nTrain = cnt - nTest - nVal;
            for (int i = 0; i < cnt; i++) {
                int row = boxed[start + i];
                if (i < nTrain) tr[nt++] = row;
                else if (i < nTrain + nVal) va[nv++] = row;
                else te[ne++] = row;
            }
            start = end;
        }
        return new Split(sortedCopy(tr, nt), sortedCopy(va, nv), sortedCopy(te, ne));
    }

    /** Row indices ordered by timestamp, ties by row index. */
    static int[] timeOrder(long[] timestamps) {
        int n = timestamps.length;
        // Sort (timestamp, row) pairs packed into a long[] pair of arrays via index sort on primitive keys.
        long[] keys = timestamps.clone();
        int[] idx = identity(n);
        sortByKey(keys, idx, 0, n);
        return idx;
    }

    // Stable merge sort of idx by keys (ties keep row order because idx starts ascending).
    private static void sortByKey(long[] keys, int[] idx, int from, int to) {
        long[] kt = new long[to - from];
        int[] it = new int[to - from];
        mergeSort(keys, idx, kt, it, from, to);
    }

    private static void mergeSort(long[] k, int[] v, long[] kt, int[] vt, int lo, int hi) {
        if (hi - lo < 24) {
            for (int i = lo + 1; i < hi; i++) {
                long kk = k[i];
                int vv = v[i];
                int j = i - 1;
                while (j >= lo && k[j] > kk) {
                    k[j + 1] = k[j];
                    v[j + 1] = v[j];
                    j--;
                }
                k[j + 1] = kk;
                v[j + 1] = vv;
            }
            return;
        }
        int mid = (lo + hi) >>> 1;
        mergeSort(k, v, kt, vt, lo, mid);
        mergeSort(k, v, kt, vt, mid, hi);
        if (k[mid - 1] <= k[mid]) return;
        int i = lo, j = mid, o = 0;
        while (i < mid && j < hi) {
            if (k[j] < k[i]) {
                kt[o] = k[j];
                vt[o++] = v[j++];
            } else {
                kt[o] = k[i];
                vt[o++] = v[i++];
            }
        }
        while (i < mid) {
            kt[o] = k[i];
            vt[o++] = v[i++];
        }
        while (j < hi) {
            kt[o] = k[j];
            vt[o++] = v[j++];
        }
        System.arraycopy(kt, 0, k, lo, o);
        System.arraycopy(vt, 0, v, lo, o);
    }

    private static int[] identity(int n) {
        if (n < 0) throw new IllegalArgumentException("n must be >= 0, got " + n);
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = i;
        return a;
    }

    private static int[] sorted(int[] a, int from, int to) {
        int[] r = Arrays.copyOfRange(a, from, to);
        Arrays.sort(r);
        return r;
    }

    private static int[] sortedCopy(int[] a, int n) {
        int[] r = Arrays.copyOf(a, n);
        Arrays.sort(r);
        return r;
    }

    static void checkFraction(String name, double f) {
        if (!(f >= 0 && f <= 1)) throw new IllegalArgumentException(name + " must be in [0, 1], got " + f);
    }

    static void checkSum(String name, double a, double b) {
        if (a + b > 1 + 1e-9) throw new IllegalArgumentException(name + " must be at most 1, got " + a + " + " + b);
    }

    /** Checks the arrays against {@code rows}; {@code needsTime}, when not null, names a kind that reads timestamps. */
    static void checkLengths(int rows, String needsTime, int[] users, long[] timestamps) {
        if (rows < 0) throw new IllegalArgumentException("rows must be >= 0, got " + rows);
        if (needsTime != null && timestamps == null) {
            throw new IllegalArgumentException("a " + needsTime + " split needs each row's timestamp");
        }
        if (users != null && users.length != rows) {
            throw new IllegalArgumentException(users.length + " users for " + rows + " rows");
        }
        if (timestamps != null && timestamps.length != rows) {
            throw new IllegalArgumentException(timestamps.length + " timestamps for " + rows + " rows");
        }
    }
}
