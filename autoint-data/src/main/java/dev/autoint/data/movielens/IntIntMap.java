package dev.autoint.data.movielens;

import java.util.Arrays;

/** A small open-addressing map from int keys to int values (linear probing); no removal. */
final class IntIntMap {

    private static final int EMPTY = Integer.MIN_VALUE;

    private int[] keys;
    private int[] vals;
    private int size;
    private int mask;

    IntIntMap(int expected) {
        int cap = Integer.highestOneBit(Math.max(8, expected * 2 - 1)) << 1;
        keys = new int[cap];
        vals = new int[cap];
        Arrays.fill(keys, EMPTY);
        mask = cap - 1;
    }

    int size() {
        return size;
    }

    /** The value of a key, or {@code missing}. The key {@code Integer.MIN_VALUE} is never present. */
    int get(int key, int missing) {
        if (key == EMPTY) return missing;
        int i = mix(key) & mask;
        while (true) {
            int k = keys[i];
            if (k == key) return vals[i];
            if (k == EMPTY) return missing;
            i = (i + 1) & mask;
        }
    }

    /** Adds {@code delta} to the key's value (absent keys start at 0). */
    void add(int key, int delta) {
        int i = slot(key); // evaluate before reading 'vals': slot() may grow it
        vals[i] += delta;
    }

    void put(int key, int value) {
        int i = slot(key); // evaluate before reading 'vals': slot() may grow it
        vals[i] = value;
    }

    /** Keys in table order; use with {@link #valueAt} via {@link #keyAt}. */
    int capacity() {
        return keys.length;
    }

    boolean used(int i) {
        return keys[i] != EMPTY;
    }

    int keyAt(int i) {
        return keys[i];
    }

    int valueAt(int i) {
        return vals[i];
    }

    private int slot(int key) {
        if (key == EMPTY) throw new IllegalArgumentException("key " + key + " is reserved");
        int i = mix(key) & mask;
        while (true) {
            int k = keys[i];
            if (k == key) return i;
            if (k == EMPTY) {
                keys[i] = key;
                vals[i] = 0;
                if (++size * 2 > keys.length) {
                    grow();
                    return slot(key);
                }
                return i;
            }
            i = (i + 1) & mask;
        }
    }

    private void grow() {
        int[] ok = keys, ov = vals;
        keys = new int[ok.length * 2];
        vals = new int[ok.length * 2];
        Arrays.fill(keys, EMPTY);
        mask = keys.length - 1;
        size = 0;
        for (int i = 0; i < ok.length; i++) {
            if (ok[i] != EMPTY) {
                int j = mix(ok[i]) & mask;
                while (keys[j] != EMPTY) j = (j + 1) & mask;
                keys[j] = ok[i];
                vals[j] = ov[i];
                size++;
            }
        }
    }

    private static int mix(int k) {
        int h = k * 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
