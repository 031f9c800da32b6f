package dev.autoint.bench;

import java.util.Arrays;

/** Small statistics the measurement programs share. */
final class Stats {

    private Stats() {
    }

    /** The median of {@code x} (the mean of the two middle values when its length is even); x is not changed. */
    static double median(double[] x) {
        double[] s = x.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
