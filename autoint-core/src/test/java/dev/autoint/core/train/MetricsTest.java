package dev.autoint.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The metric rules of {@link Metrics} (positive iff label >= 0.5, ties count one half, NaN gives NaN, clipped
 * logloss), checked against brute-force references written from the definitions: AUC as the mean over every
 * (positive, negative) pair, gAUC as a loop over users. The random cases draw labels around the threshold
 * (0.4999, 0.5, 0.5001), scores from a few values (ties, -0.0 beside 0.0, infinities) and, in some cases, NaN.
 * autoint-eval compares the same functions with scikit-learn ({@code SklearnFixtureTest}).
 */
class MetricsTest {

    private static final double[] LABELS = {0, 1, 0.5, 0.4999, 0.5001, 0, 1};
    private static final double[] SCORES = {0.1, 0.2, 0.2, 0.5, 0.9, -0.0, 0.0, Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY, 0.30000001, 0.3};

    /** AUC from its definition: Σ over (positive, negative) pairs of [s⁺ > s⁻] + ½[s⁺ = s⁻], weighted. */
    private static double bruteAuc(double[] s, double[] y, double[] w) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < s.length; i++) {
            if (Double.isNaN(s[i]) || Double.isNaN(y[i])) return Double.NaN;
        }
        for (int i = 0; i < s.length; i++) {
            if (!(y[i] >= 0.5)) continue;
            for (int j = 0; j < s.length; j++) {
                if (y[j] >= 0.5) continue;
                double wij = (w == null ? 1 : w[i]) * (w == null ? 1 : w[j]);
                den += wij;
                if (s[i] > s[j]) {
                    num += wij;
                } else if (s[i] == s[j]) {
                    num += 0.5 * wij;
                }
            }
        }
        return den == 0 ? Double.NaN : num / den;
    }

    /** gAUC from its definition: users with both classes, each AUC weighted by the user's row count. */
    private static double bruteGauc(double[] s, double[] y, int[] users) {
        double num = 0;
        double den = 0;
        boolean[] done = new boolean[s.length];
        for (int i = 0; i < s.length; i++) {
            if (Double.isNaN(s[i]) || Double.isNaN(y[i])) return Double.NaN;
        }
        for (int i = 0; i < s.length; i++) {
            if (done[i]) continue;
            java.util.List<Integer> rows = new java.util.ArrayList<>();
            for (int j = i; j < s.length; j++) {
                if (users[j] == users[i]) {
                    rows.add(j);
                    done[j] = true;
                }
            }
            double[] us = new double[rows.size()];
            double[] uy = new double[rows.size()];
            for (int k = 0; k < rows.size(); k++) {
                us[k] = s[rows.get(k)];
                uy[k] = y[rows.get(k)];
            }
            double a = bruteAuc(us, uy, null);
            if (!Double.isNaN(a)) {
                num += rows.size() * a;
                den += rows.size();
            }
        }
        return den == 0 ? Double.NaN : num / den;
    }

    @Test
    void aucGaucAndWeightedAucMatchTheBruteForceDefinitionsOnRandomCases() {
        SplittableRandom r = new SplittableRandom(12);
        int nanCases = 0;
        int undefined = 0;
        for (int trial = 0; trial < 600; trial++) {
            int n = r.nextInt(40);
            double[] s = new double[n];
            double[] y = new double[n];
            double[] w = new double[n];
            int[] users = new int[n];
            boolean withNan = trial % 10 == 0 && n > 0;
            for (int i = 0; i < n; i++) {
                s[i] = r.nextInt(3) == 0 ? r.nextDouble() : SCORES[r.nextInt(SCORES.length)];
                y[i] = LABELS[r.nextInt(LABELS.length)];
                w[i] = r.nextInt(4);
                users[i] = r.nextInt(5) - 2;
            }
            if (withNan) {
                if (r.nextBoolean()) {
                    s[r.nextInt(n)] = Double.NaN;
                } else {
                    y[r.nextInt(n)] = Double.NaN;
                }
                nanCases++;
            }
            double expected = bruteAuc(s, y, null);
            if (Double.isNaN(expected)) {
                undefined++;
                assertThat(Metrics.auc(s, y)).as("trial %d", trial).isNaN();
            } else {
                assertThat(Metrics.auc(s, y)).as("trial %d", trial).isCloseTo(expected, within(1e-12));
            }
            double weighted = bruteAuc(s, y, w);
            double got = Metrics.weightedAuc(Metrics.scoreGroups(s), y, w);
            if (Double.isNaN(weighted)) {
                assertThat(got).as("weighted, trial %d", trial).isNaN();
            } else {
                assertThat(got).as("weighted, trial %d", trial).isCloseTo(weighted, within(1e-12));
            }
            double g = bruteGauc(s, y, users);
            if (Double.isNaN(g)) {
                assertThat(Metrics.gauc(s, y, users)).as("gauc, trial %d", trial).isNaN();
            } else {
                assertThat(Metrics.gauc(s, y, users)).as("gauc, trial %d", trial).isCloseTo(g, within(1e-12));
            }
        }
        assertThat(nanCases).isGreaterThanOrEqualTo(50);
        assertThat(undefined).isBetween(nanCases, 400); // the defined cases dominate
    }

    @Test
    void thresholdIsInclusiveAtOneHalf() {
        assertThat(Metrics.isPositive(0.5)).isTrue();
        assertThat(Metrics.isPositive(Math.nextDown(0.5))).isFalse();
        assertThat(Metrics.isPositive(Double.NaN)).isFalse();
        // label 0.5 is the positive: it scores above the negative, so AUC 1 (it would be NaN, one class, if 0.5 were negative)
        assertThat(Metrics.auc(new double[] {0.9, 0.1}, new double[] {0.5, 0.4999})).isEqualTo(1.0);
    }

    @Test
    void tiesCountOneHalfAndSignedZerosTie() {
        // ranks 1, 2.5, 2.5, 4; positives at 2.5 and 4: (6.5 - 3) / 4
        assertThat(Metrics.auc(new double[] {0.1, 0.3, 0.3, 0.9}, new double[] {0, 0, 1, 1})).isEqualTo(0.875);
        assertThat(Metrics.auc(new double[] {-0.0, 0.0}, new double[] {1, 0})).isEqualTo(0.5);
        assertThat(Metrics.auc(new double[] {0.5, 0.5}, new double[] {1, 0})).isEqualTo(0.5);
    }

    @Test
    void nanScoresAndLabelsGiveNaNNotARank() {
        assertThat(Metrics.auc(new double[] {0.9, Double.NaN, 0.1}, new double[] {1, 0, 0})).isNaN();
        assertThat(Metrics.auc(new double[] {0.9, 0.5, 0.1}, new double[] {1, Double.NaN, 0})).isNaN();
        assertThat(Metrics.auc(new float[] {0.9f, Float.NaN}, new float[] {1, 0}, 2)).isNaN();
        assertThat(Metrics.logLoss(new double[] {0.9, Double.NaN}, new double[] {1, 0})).isNaN();
        assertThat(Metrics.logLoss(new float[] {0.9f, 0.2f}, new float[] {1, Float.NaN}, 2)).isNaN();
        // a NaN in a user with one class still makes gAUC NaN: it is not skipped as "no AUC"
        assertThat(Metrics.gauc(new double[] {0.9, 0.1, Double.NaN}, new double[] {1, 0, 1}, new int[] {1, 1, 2})).isNaN();
        assertThat(Metrics.weightedAuc(Metrics.scoreGroups(new double[] {0.9, 0.1, Double.NaN}), new double[] {1, 0, 1},
                new double[] {1, 1, 0})).isNaN();
    }

    @Test
    void loglossClipsAtEpsilonAndUsesTheLabelAsTarget() {
        double worst = -Math.log(1e-7);
        assertThat(Metrics.logLoss(new double[] {0.0}, new double[] {1})).isCloseTo(worst, within(1e-12));
        assertThat(Metrics.logLoss(new double[] {1.0}, new double[] {0})).isCloseTo(worst, within(1e-6));
        assertThat(Metrics.logLoss(new double[] {0.8, 0.3}, new double[] {1, 0}))
                .isCloseTo(-(Math.log(0.8) + Math.log(0.7)) / 2, within(1e-15));
        assertThat(Metrics.rowLogLoss(0.5, 0.5)).isCloseTo(Math.log(2), within(1e-15));
        assertThat(Metrics.logLoss(new double[0], new double[0])).isNaN();
    }

    @Test
    void floatEntryPointsReadOnlyTheFirstNRowsAndAgreeWithDouble() {
        float[] s = {0.1f, 0.4f, 0.35f, 0.8f, Float.NaN};
        float[] y = {0, 0, 1, 1, 1};
        assertThat(Metrics.auc(s, y, 4)).isEqualTo(0.75);
        assertThat(Metrics.logLoss(s, y, 4)).isEqualTo(Metrics.logLoss(new double[] {0.1f, 0.4f, 0.35f, 0.8f},
                new double[] {0, 0, 1, 1}));
        assertThatThrownBy(() -> Metrics.auc(s, y, 6)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Metrics.auc(new double[2], new double[3])).isInstanceOf(IllegalArgumentException.class);
    }
}
