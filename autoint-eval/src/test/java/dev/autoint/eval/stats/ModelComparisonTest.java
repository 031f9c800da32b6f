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

    /**
     * p-values against references computed independently of the library: the paired t-test through the
     * closed-form Student t CDF for 1 and 2 degrees of freedom ({@code p = 1 - 2 atan|t| / pi} and
     * {@code p = 1 - |t| / sqrt(2 + t^2)}), the exact signed-rank p-value by enumerating all 2^8 sign patterns,
     * and the normal approximation {@code z = (|W+ - n(n+1)/4| - 1/2) / sqrt(n(n+1)(2n+1)/24 - sum(t^3 - t)/48)},
     * {@code p = erfc(z / sqrt 2)}; all evaluated with Python 3's math module (scipy is not installed here).
     */
    @Test
    void pValuesMatchIndependentReferences() {
        double[] a2 = {0.9, 0.4};
        double[] b2 = {0.2, 0.5};
        // t = 0.75, 1 degree of freedom
        assertThat(ModelComparison.tTestP(a2, b2, diff(a2, b2))).isCloseTo(0.590334470601733, within(1e-12));
        double[] a3 = {0.9, 0.7, 0.6};
        double[] b3 = {0.5, 0.6, 0.1};
        // t = 2.773500981126145, 2 degrees of freedom
        assertThat(ModelComparison.tTestP(a3, b3, diff(a3, b3))).isCloseTo(0.10912919362525209, within(1e-12));
        // 8 distinct |d|, W+ = 30: exact p = 2 * 14 / 256
        double[] exact = {0.3, -0.1, 0.25, 0.05, -0.2, 0.4, 0.15, 0.35};
        assertThat(ModelComparison.wilcoxonP(exact)).isCloseTo(0.109375, within(1e-12));
        // 25 non-zero differences with ties (above the exact limit of 20), plus zeros that are dropped:
        // W+ = 269.5, tie-corrected variance 1375.375, z = 2.871699845356002
        double[] large = {0.1, 0.2, -0.1, 0.3, 0.2, 0.5, -0.4, 0.1, 0.3, 0.6, -0.2, 0.7, 0.4, 0.2, 0.8, -0.3, 0.9,
            0.1, 0.5, 0.3, -0.6, 0.4, 0.2, 1.0, 0.7, 0, 0};
        assertThat(ModelComparison.wilcoxonP(large)).isCloseTo(0.00408270544662526, within(1e-12));
    }

    @Test
    void rejectsBadSettingsNamingThem() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ModelComparison(1.5, 100, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("alpha");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ModelComparison(0.05, 0, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("resamples");
        double[] a = noise(50, 7, 0.5, 0.1);
        double[] b = noise(50, 8, 0.5, 0.1);
        // the interval's level follows alpha
        assertThat(new ModelComparison(0.1, 500, 3).compare("m", "A", a, "B", b, true).difference().level())
                .isCloseTo(0.9, within(1e-12));
    }

    private static double[] diff(double[] a, double[] b) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i] - b[i];
        }
        return d;
    }
}
