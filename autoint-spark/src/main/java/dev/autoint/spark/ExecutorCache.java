package dev.autoint.spark;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * What an executor JVM loads once and keeps for every task that runs in it: bundles and encoders by the
 * {@link ShippedDirectory#key()} of their files. Tasks of one job, and later jobs over the same files, share
 * one loaded instance (bundles and encoders are thread-safe after loading). A small bounded map: the
 * oldest entry is dropped when more than {@value #MAX_ENTRIES} are held.
 */
final class ExecutorCache {

    static final int MAX_ENTRIES = 8;
    private static final ConcurrentHashMap<String, Object> ENTRIES = new ConcurrentHashMap<>();
    private static final java.util.concurrent.ConcurrentLinkedQueue<String> ORDER = new java.util.concurrent.ConcurrentLinkedQueue<>();

    private ExecutorCache() {
    }

    /** The value stored under {@code key}, made by {@code make} on first use (once per JVM). */
    @SuppressWarnings("unchecked")
    static <T> T get(String key, Supplier<T> make) {
        Object v = ENTRIES.get(key);
        if (v != null) return (T) v;
        synchronized (ExecutorCache.class) {
            v = ENTRIES.get(key);
            if (v != null) return (T) v;
            T made = make.get();
            ENTRIES.put(key, made);
            ORDER.add(key);
            while (ENTRIES.size() > MAX_ENTRIES) {
                String oldest = ORDER.poll();
                if (oldest == null) break;
                ENTRIES.remove(oldest);
            }
            return made;
        }
    }
}
