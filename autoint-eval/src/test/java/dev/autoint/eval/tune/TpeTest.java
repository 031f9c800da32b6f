package dev.autoint.eval.tune;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autoint.eval.tune.SearchSpace.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** The Parzen densities and the l(x)/g(x) choice of TPE's proposal. */
class TpeTest {

    @Test
    void truncatedParzenDensityIntegratesToOne() {
        Tpe.Parzen p = new Tpe.Parzen(-1, 2, new double[] {-0.95, 0.1, 0.12, 1.9});
        int n = 200_000;
        double h = 3.0 / n, sum = 0;
        for (int i = 0; i < n; i++) sum += p.pdf(-1 + (i + 0.5) * h) * h;
        assertThat(sum).isCloseTo(1.0, Offset.offset(1e-4));
        assertThat(Tpe.phi(1.0)).isCloseTo(0.8413447460685429, Offset.offset(2e-7));
        assertThat(Tpe.phi(-2.5)).isCloseTo(0.006209665325776132, Offset.offset(2e-8));
    }

    @Test
    void categoricalDensityHasTheUniformPrior() {
        Tpe.Categorical c = new Tpe.Categorical(3, new double[] {0, 0, 2});
        assertThat(c.pdf(0)).isCloseTo(3 / 6.0, Offset.offset(1e-12));
        assertThat(c.pdf(1)).isCloseTo(1 / 6.0, Offset.offset(1e-12));
        assertThat(c.pdf(2)).isCloseTo(2 / 6.0, Offset.offset(1e-12));
    }

    /**
     * Good trials at 0.3 and 0.7, bad ones crowded at 0.7: l(x) has both modes, so a candidate drawn from l
     * alone lands near 0.7 about half the time, while the ratio l/g keeps away from the bad trials (toward 0.3
     * and, with the wide bandwidths of few observations, the range's lower end).
     */
    @Test
    void proposalsMaximiseTheRatioNotJustTheGoodDensity() {
        SearchSpace.Parameter p = SearchSpace.builder().uniform(Target.DROPOUT, 0, 0.9).build().parameters().get(0);
        List<double[]> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        xs.add(new double[] {0.3});
        ys.add(1.0);
        xs.add(new double[] {0.7});
        ys.add(0.9);
        for (int i = 0; i < 6; i++) {
            xs.add(new double[] {0.68 + 0.01 * i});
            ys.add(0.1);
        }
        double[] y = ys.stream().mapToDouble(Double::doubleValue).toArray();
        Tpe tpe = new Tpe(0.25);
        int near = 0, n = 200;
        for (int s = 0; s < n; s++) {
            double x = tpe.propose(List.of(p), xs, y, new SplittableRandom(s))[0];
            assertThat(x).isBetween(0.0, 0.9);
            if (x < 0.5) near++;
        }
        assertThat(near).as("proposals below 0.5 (away from the bad trials) of %s", n).isGreaterThan(n * 9 / 10);
    }
}
