package dev.autoint.data;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class SplitsTest {

    private static void assertPartition(Split s, int n) {
        Set<Integer> all = new HashSet<>();
        for (int[] part : new int[][] {s.train(), s.valid(), s.test()}) {
            for (int i = 1; i < part.length; i++) assertThat(part[i]).isGreaterThan(part[i - 1]);
            for (int r : part) assertThat(all.add(r)).isTrue();
        }
        assertThat(all).hasSize(n);
    }

    @Test
    void randomIsSeededAndSized() {
        Split a = Splits.random(1000, 0.8, 0.1, 7);
        Split b = Splits.random(1000, 0.8, 0.1, 7);
        Split c = Splits.random(1000, 0.8, 0.1, 8);
        assertPartition(a, 1000);
        assertThat(a.train()).hasSize(800);
        assertThat(a.valid()).hasSize(100);
        assertThat(a.test()).hasSize(100);
        assertThat(a.train()).isEqualTo(b.train());
        assertThat(a.train()).isNotEqualTo(c.train());
    }

    @Test
    void globalTemporalPutsTheLatestRowsLast() {
        SplittableRandom r = new SplittableRandom(1);
        long[] ts = new long[1000];
        for (int i = 0; i < ts.length; i++) ts[i] = r.nextInt(200); // many ties
        Split s = Splits.globalTemporal(ts, 0.8, 0.1);
        assertPartition(s, 1000);
        assertThat(s.train().length + s.valid().length).isEqualTo(800);
        assertThat(s.valid()).hasSize(80);
        long maxTrain = Arrays.stream(s.train()).mapToLong(i -> ts[i]).max().orElseThrow();
        long minValid = Arrays.stream(s.valid()).mapToLong(i -> ts[i]).min().orElseThrow();
        long maxValid = Arrays.stream(s.valid()).mapToLong(i -> ts[i]).max().orElseThrow();
        long minTest = Arrays.stream(s.test()).mapToLong(i -> ts[i]).min().orElseThrow();
        assertThat(maxTrain).isLessThanOrEqualTo(minValid);
        assertThat(maxValid).isLessThanOrEqualTo(minTest);
        assertThat(Splits.globalTemporal(ts, 0.8).valid()).isEmpty();
    }

    @Test
    void perUserHoldsOutEachUsersLatestRows() {
        int[] users = {1, 1, 1, 2, 2, 3, 1, 2};
        long[] ts = {5, 1, 9, 3, 4, 1, 7, 2};
        Split s = Splits.perUserLastK(users, ts, 1, 1);
        assertPartition(s, users.length);
        // user 1 rows by time: 1(t1), 0(t5), 6(t7), 2(t9); user 2: 7(t2), 3(t3), 4(t4); user 3: 5 only
        assertThat(s.test()).containsExactly(2, 4);
        assertThat(s.valid()).containsExactly(3, 6);
        assertThat(s.train()).containsExactly(0, 1, 5, 7);
        Split f = Splits.perUserLastFraction(users, ts, 0.5, 0);
        assertThat(f.test()).containsExactly(2, 3, 4, 6); // user 1: 2 of 4; user 2: round(1.5) = 2 of 3; user 3: its only row stays in train
        assertPartition(f, users.length);
        int[] none = IntStream.range(0, 0).toArray();
        assertThat(Splits.perUserLastK(none, new long[0], 1, 0).train()).isEmpty();
    }
}
