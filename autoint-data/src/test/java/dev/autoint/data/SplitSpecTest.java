package dev.autoint.data;

import dev.autoint.data.SplitSpec.Split;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each {@link SplitSpec} kind: what its fields hold, its parts, its checks. */
class SplitSpecTest {

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
        Split a = SplitSpec.random(0.8, 0.1, 7).apply(1000, null, null);
        Split b = new SplitSpec.Random(0.8, 0.1, 7).apply(1000, null, null);
        Split c = SplitSpec.random(0.8, 0.1, 8).apply(1000, null, null);
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
        Split s = SplitSpec.globalTemporal(0.8, 0.1).apply(ts.length, null, ts);
        assertPartition(s, 1000);
        assertThat(s.train().length + s.valid().length).isEqualTo(800);
        assertThat(s.valid()).hasSize(80);
        long maxTrain = Arrays.stream(s.train()).mapToLong(i -> ts[i]).max().orElseThrow();
        long minValid = Arrays.stream(s.valid()).mapToLong(i -> ts[i]).min().orElseThrow();
        long maxValid = Arrays.stream(s.valid()).mapToLong(i -> ts[i]).max().orElseThrow();
        long minTest = Arrays.stream(s.test()).mapToLong(i -> ts[i]).min().orElseThrow();
        assertThat(maxTrain).isLessThanOrEqualTo(minValid);
        assertThat(maxValid).isLessThanOrEqualTo(minTest);
        assertThat(SplitSpec.globalTemporal(0.8, 0).apply(ts.length, null, ts).valid()).isEmpty();
    }

    @Test
    void perUserHoldsOutEachUsersLatestRows() {
        int[] users = {1, 1, 1, 2, 2, 3, 1, 2};
        long[] ts = {5, 1, 9, 3, 4, 1, 7, 2};
        Split s = SplitSpec.perUserLastK(1, 1).apply(users.length, users, ts);
        assertPartition(s, users.length);
        // user 1 rows by time: 1(t1), 0(t5), 6(t7), 2(t9); user 2: 7(t2), 3(t3), 4(t4); user 3: 5 only
        assertThat(s.test()).containsExactly(2, 4);
        assertThat(s.valid()).containsExactly(3, 6);
        assertThat(s.train()).containsExactly(0, 1, 5, 7);
        Split f = SplitSpec.perUserTemporal(0.5, 0).apply(users.length, users, ts);
        assertThat(f.test()).containsExactly(2, 3, 4, 6); // user 1: 2 of 4; user 2: round(1.5) = 2 of 3; user 3: its only row stays in train
        assertPartition(f, users.length);
        int[] none = IntStream.range(0, 0).toArray();
        assertThat(SplitSpec.perUserLastK(1, 0).apply(0, none, new long[0]).train()).isEmpty();
    }

    @Test
    void perUserValidFractionIsOfEachUsersRowsNotOfTrain() {
        int[] users = new int[10];
        long[] ts = new long[10];
        for (int i = 0; i < 10; i++) ts[i] = i;
        Split s = SplitSpec.perUserTemporal(0.2, 0.3).apply(10, users, ts);
        assertThat(s.test()).containsExactly(8, 9);
        assertThat(s.valid()).containsExactly(5, 6, 7); // 30% of the user's 10 rows, not of the 8 before the test rows
        assertThat(s.train()).hasSize(5);
    }

    @Test
    void kindsDescribeThemselvesAndCheckTheirArguments() {
        assertThat(SplitSpec.globalTemporal(0.8, 0.125).describe())
                .isEqualTo("global temporal: first 80% of rows by time for training (its last 12.5% for validation), the rest for testing");
        assertThat(SplitSpec.random(0.8, 0.1, 3).describe()).isEqualTo("random 80/10/10 (seed 3)");
        assertThat(SplitSpec.perUserTemporal(0.2, 0.1).describe())
                .isEqualTo("per-user temporal: each user's last 20% of rows for testing, the 10% before for validation");
        assertThat(java.util.List.of(SplitSpec.random(0.8, 0.1, 1), SplitSpec.globalTemporal(0.8, 0.1),
                SplitSpec.perUserTemporal(0.2, 0.1), SplitSpec.perUserLastK(1, 0)).stream().map(SplitSpec::kind))
                .containsExactly("random", "global-temporal", "per-user-temporal", "per-user-last-k");
        assertThatThrownBy(() -> SplitSpec.random(0.8, 0.3, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SplitSpec.globalTemporal(1.2, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SplitSpec.perUserTemporal(0.6, 0.6)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SplitSpec.perUserLastK(-1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SplitSpec.globalTemporal(0.8, 0).apply(3, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timestamp");
        assertThatThrownBy(() -> SplitSpec.perUserLastK(1, 0).apply(2, null, new long[2]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("user");
        assertThatThrownBy(() -> SplitSpec.globalTemporal(0.8, 0).apply(3, null, new long[2]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 timestamps for 3 rows");
    }
}
