package dev.autoint.core.internal.engine;

import java.lang.reflect.Field;

/**
 * Where a {@code float[]}'s first element sits relative to a 64-byte cache line, so that a workspace can start
 * its lane-layout buffers on a line ({@link Workspace#realign}). A 512-bit vector load or store at a sample
 * block that is not on a line touches two lines: measured on an AMD Zen 5 (2026-12-03, docs/PERFORMANCE.md,
 * "Round 8"), the fused attention kernel ran 26% faster on 64-byte-aligned buffers than on buffers 16 bytes
 * off, and which of the two a JVM got depended on where its allocator happened to put the arrays.
 *
 * <p>Java has no API for an array's address. This reads it with {@code sun.misc.Unsafe} (module
 * {@code jdk.unsupported}): the reference is stored in a one-element {@code Object[]} the class owns, and
 * that slot is read back as an int (a compressed reference, decoded with the shift found at start-up) or a
 * long. Only the address modulo 64 is used, only to choose an offset into an array the workspace owns, so a
 * wrong reading costs speed, never correctness. It is off, and every offset is 0 (the layout before this
 * class existed), when Unsafe is missing, on JDK 24 and later (where reading memory through Unsafe prints a
 * warning, JEP 498), when the reference encoding could not be worked out, or with
 * {@code -Dautoint.alignLanes=false}. For measurements, {@code -Dautoint.alignLanes=B} (B a multiple of 4 below
 * 64) starts every buffer B bytes past a line instead, on any JDK where it can read addresses; {@code true}
 * turns it on on JDK 24 and later too.
 */
final class LaneAlignment {

    /** The cache line, in floats: buffers start at an element whose address is a multiple of 64 bytes. */
    static final int LINE_FLOATS = 16;

    /** -Dautoint.alignLanes as the JVM was started with it, read once. */
    private static final String PROPERTY = System.getProperty("autoint.alignLanes", "auto");
    /** {@link #PROPERTY} checked, or null when it is not a setting {@link #flag} accepts. */
    private static final String SETTING = settingOrNull();
    private static final Reader READER = reader();
    /** Where in a line a buffer starts, in bytes: 0 (on the line) unless -Dautoint.alignLanes=B. */
    private static final int SKEW = SETTING != null && SETTING.chars().allMatch(Character::isDigit) ? Integer.parseInt(SETTING) : 0;

    private LaneAlignment() {
    }

    /** Whether addresses can be read (else {@link #offset} is always 0). */
    static boolean enabled() {
        return READER != null;
    }

    /**
     * The smallest index {@code i} in {@code [0, 16)} such that {@code a[i]} starts a 64-byte line, or 0 when
     * that cannot be known. Valid until the garbage collector moves the array. {@code holder} is a
     * one-element array of the caller's (so that the call allocates nothing), left empty.
     */
    static int offset(float[] a, Object[] holder) {
        return offset(a, holder, SKEW);
    }

    /** {@link #offset} pointing {@code skew} bytes past a line (a multiple of 4 below 64) instead. */
    static int offset(float[] a, Object[] holder, int skew) {
        Reader r = READER;
        if (r == null) return 0;
        long address = r.address(a, holder) + r.floatBase;
        int bytesOff = (int) (address & 63);
        if ((bytesOff & 3) != 0) return 0; // never for a float[]; a misread, so do nothing
        return ((64 - bytesOff + skew) & 63) >> 2;
    }

    /**
     * Throws the {@link IllegalArgumentException} of {@link #flag} when -Dautoint.alignLanes is not a setting it
     * accepts (every workspace calls this, so the message is the same every time rather than a class that
     * failed to initialise).
     */
    static void checkSetting() {
        if (SETTING == null) flag(PROPERTY);
    }

    private static String settingOrNull() {
        try {
            return flag(PROPERTY);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** -Dautoint.alignLanes: auto (the default), true, false, or a multiple of 4 below 64. */
    static String flag(String value) {
        String flag = value.trim();
        if (flag.equals("auto") || flag.equals("true") || flag.equals("false")) return flag;
        if (!flag.isEmpty() && flag.length() <= 2 && flag.chars().allMatch(Character::isDigit)) {
            int b = Integer.parseInt(flag);
            if (b % 4 == 0 && b < 64) return flag;
        }
        throw new IllegalArgumentException("-Dautoint.alignLanes must be auto, true, false or a byte offset that is a "
                + "multiple of 4 below 64, got '" + flag + "'");
    }

    private static Reader reader() {
        String flag = SETTING;
        if (flag == null || flag.equals("false")) return null;
        if (flag.equals("auto") && Runtime.version().feature() >= 24) return null;
        try {
            Reader r = new Reader();
            return r.shift >= 0 ? r : null;
        } catch (Throwable e) { // no jdk.unsupported, no theUnsafe, a security manager: keep the plain layout
            System.getLogger("dev.autoint.core.kernel").log(System.Logger.Level.DEBUG,
                    "autoint: lane buffers not aligned to cache lines: " + e);
            return null;
        }
    }

    /** The Unsafe-based reader; its construction fails when Unsafe is not there. */
    private static final class Reader {
        final sun.misc.Unsafe unsafe;
        final long slot;
        final boolean compressed;
        final long floatBase;
        /** The compressed reference's shift (address = base + (ref << shift)); -1 when it could not be found. */
        final int shift;

        Reader() throws ReflectiveOperationException {
            Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            unsafe = (sun.misc.Unsafe) f.get(null);
            slot = unsafe.arrayBaseOffset(Object[].class);
            compressed = unsafe.arrayIndexScale(Object[].class) == 4;
            floatBase = unsafe.arrayBaseOffset(float[].class);
            shift = compressed ? findShift() : plainAddresses() ? 0 : -1;
        }

        /**
         * Whether uncompressed references look like plain addresses: objects start on 8 bytes, so their low three
         * bits are 0 in 16 of 16 samples. (A collector that keeps metadata in a reference's low bits, as
         * generational ZGC does, fails this, and the layout stays as the allocator put it.)
         */
        private boolean plainAddresses() {
            Object[] holder = new Object[1];
            for (int i = 0; i < 16; i++) {
                if ((address(new long[1 + i], holder) & 7) != 0) return false;
            }
            return true;
        }

        long address(Object o, Object[] holder) {
            holder[0] = o;
            long address = compressed ? (unsafe.getInt(holder, slot) & 0xFFFFFFFFL) << shift : unsafe.getLong(holder, slot);
            holder[0] = null;
            return address;
        }

        /**
         * The shift of compressed references, from two arrays allocated one after the other: with 64 bytes
         * between them (a long[6] is 16 bytes of header and 48 of data), their references differ by
         * {@code 64 >> shift}. The answer most of 16 tries agree on, or -1 when fewer than 12 agree.
         */
        private int findShift() {
            int[] votes = new int[7];
            for (int i = 0; i < 16; i++) {
                Object[] pair = {new long[6], new long[6]};
                long d = (unsafe.getInt(pair, slot + 4) & 0xFFFFFFFFL) - (unsafe.getInt(pair, slot) & 0xFFFFFFFFL);
                for (int s = 0; s <= 6; s++) {
                    if (d == 64 >> s) votes[s]++;
                }
            }
            for (int s = 0; s <= 6; s++) {
                if (votes[s] >= 12) return s;
            }
            return -1;
        }
    }
}
