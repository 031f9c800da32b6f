package dev.autoint.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * BPR and the pairwise hinge: values against their definitions, and the closed-form gradients with respect to
 * both logits against central differences in double precision.
 */
class PairwiseLossTest {

    private static final double[] LOGITS = {-40, -7.5, -2, -0.3, 0, 0.25, 1.1, 3, 9, 35};

    @Test
    void bprIsMinusLogSigmoidOfTheDifference() {
        PairwiseLoss bpr = PairwiseLoss.bpr();
        for (double p : LOGITS) {
            for (double n : LOGITS) {
                double d = p - n;
                double expected = Math.abs(d) < 30 ? -Math.log(1 / (1 + Math.exp(-d))) : Math.max(-d, 0); // tails: softplus
                assertThat(bpr.value(p, n)).as("s+=%s s-=%s", p, n).isCloseTo(expected, Offset.offset(1e-12 + 1e-12 * Math.abs(expected)));
                assertThat(bpr.value(p, n)).isFinite().isGreaterThanOrEqualTo(0);
            }
        }
        assertThat(bpr.value(0, 0)).isCloseTo(Math.log(2), Offset.offset(1e-15));
        assertThat(bpr.value(1e4, -1e4)).isEqualTo(0);
        assertThat(bpr.value(-1e4, 1e4)).isEqualTo(2e4);
    }

    @Test
    void hingeIsTheMarginViolation() {
        PairwiseLoss h = PairwiseLoss.hinge(1);
        assertThat(h.value(2, 0.5)).isEqualTo(0);
        assertThat(h.value(0.5, 0)).isEqualTo(0.5);
        assertThat(h.value(-1, 1)).isEqualTo(3);
        assertThat(PairwiseLoss.hinge(0.2).value(0, 0)).isCloseTo(0.2, Offset.offset(1e-15));
    }

    @Test
    void gradientsWithRespectToBothLogitsMatchCentralDifferences() {
        PairwiseLoss[] losses = {PairwiseLoss.bpr(), PairwiseLoss.hinge(1), PairwiseLoss.hinge(2.5)};
        double eps = 1e-6;
        int checked = 0;
        for (PairwiseLoss loss : losses) {
            for (double p : LOGITS) {
                for (double n : LOGITS) {
                    if (loss instanceof HingeLoss h && Math.abs(p - n - h.margin()) < 1e-3) continue; // the kink
                    double dPos = (loss.value(p + eps, n) - loss.value(p - eps, n)) / (2 * eps);
                    double dNeg = (loss.value(p, n + eps) - loss.value(p, n - eps)) / (2 * eps);
                    double g = loss.gradient(p, n);
                    assertThat(g).as("%s d/ds+ at (%s, %s)", loss, p, n).isCloseTo(dPos, Offset.offset(1e-7));
                    assertThat(-g).as("%s d/ds- at (%s, %s)", loss, p, n).isCloseTo(dNeg, Offset.offset(1e-7));
                    assertThat(g).isBetween(-1.0, 0.0);
                    checked++;
                }
            }
        }
        assertThat(checked).isGreaterThan(250);
    }

    @Test
    void hingeTakesTheZeroSubgradientAtTheKink() {
        assertThat(PairwiseLoss.hinge(1).gradient(1, 0)).isEqualTo(0);
        assertThat(PairwiseLoss.hinge(1).gradient(0.999, 0)).isEqualTo(-1);
    }

    @Test
    void badMarginsAreRejectedNamingTheParameter() {
        for (double m : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThatThrownBy(() -> PairwiseLoss.hinge(m)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("hinge margin");
        }
    }

    @Test
    void bprStaysOneInstanceAfterSerialisation() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(PairwiseLoss.bpr());
            out.writeObject(PairwiseLoss.hinge(0.5));
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertThat(in.readObject()).isSameAs(PairwiseLoss.bpr());
            assertThat(in.readObject()).isEqualTo(PairwiseLoss.hinge(0.5));
        }
    }
}
