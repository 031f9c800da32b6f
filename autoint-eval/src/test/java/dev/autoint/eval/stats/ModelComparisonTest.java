package dev.autoint.eval.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ModelComparisonTest {

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
    void clearWinnerIsReported() {
        double[] b = noise(400, 1, 0.30, 0.1);
        double[] a = b.clone();
        double[] jitter = noise(400, 2, 0.05, 0.03);
        for (int i = 0; i < a.length; i++) {
            a[i] += jitter[i];
        }
        ComparisonReport r = new ModelComparison().compare("ndcg@10", "AutoInt", a, "LogReg", b, true);
        assertThat(r.verdict()).isEqualTo(ComparisonReport.Verdict.A_BETTER);
        assertThat(r.text()).startsWith("AutoInt beats LogReg on ndcg@10");
        assertThat(r.tTestP()).isLessThan(1e-6);
        assertThat(r.wilcoxonP()).isLessThan(1e-6);
        assertThat(r.difference().low()).isGreaterThan(0.04);
        assertThat(r.difference().high()).isLessThan(0.06);
        assertThat(r.meanDifference()).isCloseTo(0.05, within(0.01));
        // swapped: B wins
        ComparisonReport s = new ModelComparison().compare("ndcg@10", "LogReg", b, "AutoInt", a, true);
        assertThat(s.verdict()).isEqualTo(ComparisonReport.Verdict.B_BETTER);
        assertThat(s.text()).startsWith("AutoInt beats LogReg");
        // for a loss, the lower one wins
        ComparisonReport loss = new ModelComparison().compare("logloss", "A", a, "B", b, false);
        assertThat(loss.verdict()).isEqualTo(ComparisonReport.Verdict.B_BETTER);
    }

    @Test
    void equalModelsShowNoSignificantDifference() {
        double[] a = noise(300, 3, 0.4, 0.1);
        ComparisonReport same = new ModelComparison().compare("ndcg@10", "A", a, "B", a.clone(), true);
        assertThat(same.verdict()).isEqualTo(ComparisonReport.Verdict.NO_SIGNIFICANT_DIFFERENCE);
        assertThat(same.tTestP()).isEqualTo(1.0);
        assertThat(same.wilcoxonP()).isEqualTo(1.0);
        assertThat(same.text()).startsWith("no significant difference between A and B");
        assertThat(same.text()).doesNotContain("beats");

        // two models of the same quality with independent noise
        double[] b = noise(300, 4, 0.4, 0.1);
        double[] c = noise(300, 5, 0.4, 0.1);
        ComparisonReport r = new ModelComparison().compare("ndcg@10", "B", b, "C", c, true);
        assertThat(r.verdict()).isEqualTo(ComparisonReport.Verdict.NO_SIGNIFICANT_DIFFERENCE);
        assertThat(r.difference().contains(0.0)).isTrue();
    }

    @Test
    void smallSamplesUseExactWilcoxon() {
        double[] a = {0.5, 0.6, 0.7, 0.8, 0.9, 0.55, 0.65, 0.75, 0.85, 0.95};
        double[] b = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            b[i] = a[i] - 0.1 - 0.01 * i;
        }
        ComparisonReport r = new ModelComparison().compare("m", "A", a, "B", b, true);
        // all 10 differences positive: exact two-sided p = 2 / 2^10
        assertThat(r.wilcoxonP()).isCloseTo(2.0 / 1024, within(1e-12));
        assertThat(r.verdict()).isEqualTo(ComparisonReport.Verdict.A_BETTER);
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
