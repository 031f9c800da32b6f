package dev.autoint.eval.internal;

/** Stable merge sort of int arrays under a comparator, without boxing (internal). */
final class Sorts {

    /** Compares two ints; negative when {@code a} goes first. */
    @FunctionalInterface
    interface IntComparator {
        int compare(int a, int b);
    }

    private Sorts() {
    }

    /** Sorts {@code a} stably in O(n log n). */
    static void sort(int[] a, IntComparator c) {
        int n = a.length;
        if (n < 2) {
            return;
        }
        int[] buf = new int[n];
        // bottom-up: insertion sort runs of 16, then merge
        final int run = 16;
        for (int lo = 0; lo < n; lo += run) {
            int hi = Math.min(lo + run, n);
            for (int i = lo + 1; i < hi; i++) {
                int v = a[i];
                int j = i - 1;
                while (j >= lo && c.compare(a[j], v) > 0) {
                    a[j + 1] = a[j];
                    j--;
                }
                a[j + 1] = v;
            }
        }
        int[] src = a;
        int[] dst = buf;
        for (int width = run; width < n; width <<= 1) {
            for (int lo = 0; lo < n; lo += 2 * width) {
                int mid = Math.min(lo + width, n);
                int hi = Math.min(lo + 2 * width, n);
                int i = lo;
                int j = mid;
                int k = lo;
                while (i < mid && j < hi) {
                    dst[k++] = c.compare(src[j], src[i]) < 0 ? src[j++] : src[i++];
                }
                while (i < mid) {
                    dst[k++] = src[i++];
                }
                while (j < hi) {
                    dst[k++] = src[j++];
                }
            }
            int[] t = src;
            src = dst;
            dst = t;
        }
        if (src != a) {
            System.arraycopy(src, 0, a, 0, n);
        }
    }
}
