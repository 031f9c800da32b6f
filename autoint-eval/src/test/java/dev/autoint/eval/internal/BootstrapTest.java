package dev.autoint.eval.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.autoint.eval.stats.ComparisonReport.ConfidenceInterval;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BootstrapTest {

    private static double[] noise(int n, long seed, double mean, double sd) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            // sum of uniforms, roughly normal
            double s = 0;
            for (int j = 0; j < 12; j++) {
                s += r.nextDouble();
            }
            v[i] = mean + sd * (s - 6);
        }
        return v;
    }

    @Test
    void bootstrapIsDeterministicBySeed() {
        double[] v = noise(200, 6, 0.2, 0.05);
        ConfidenceInterval a = new Bootstrap(1000, 11).meanInterval(v);
        ConfidenceInterval b = new Bootstrap(1000, 11).meanInterval(v);
        ConfidenceInterval c = new Bootstrap(1000, 12).meanInterval(v);
        assertThat(a).isEqualTo(b);
        assertThat(c.low()).isNotEqualTo(a.low());
        double mean = java.util.Arrays.stream(v).average().orElseThrow();
        assertThat(a.contains(mean)).isTrue();
        // roughly mean ± 1.96 sd / sqrt(n)
        assertThat(a.high() - a.low()).isCloseTo(2 * 1.96 * 0.05 / Math.sqrt(200), within(0.004));
        assertThat(Bootstrap.quantile(new double[] {1, 2, 3, 4}, 4, 0.5)).isEqualTo(2.5);
    }
}
