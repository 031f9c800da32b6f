package dev.autoint.eval.tune;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The Tree-structured Parzen Estimator's proposal (Bergstra, Bardenet, Bengio and Kégl, "Algorithms for
 * Hyper-Parameter Optimization", NeurIPS 2011, section 4).
 *
 * <p>The observed trials are sorted by their objective (higher is better) and split at the γ quantile: the best
 * ⌈γ·n⌉ form the "good" set, the others the "bad" set. For each parameter independently (the space has no
 * conditional structure) a density l(x) is fitted to the good trials' values and g(x) to the bad ones', then
 * {@link #CANDIDATES} values are drawn from l and the one maximising l(x)/g(x) (the expected improvement is
 * monotone in it, eq. 4 of the paper) is proposed.
 *
 * <p>Densities, as in hyperopt's {@code adaptive_parzen_normal}: on a numeric parameter (in its search
 * coordinate: log for log-uniform, integers widened by ±0.5), an equally weighted mixture of one Gaussian per
 * observation and a prior Gaussian at the range's middle with σ = the range; each observation's σ is the larger
 * distance to its sorted neighbours (the range's ends for the outermost), clipped to [range / min(100, n + 1),
 * range]; every component is truncated to the range. On a choice, the counts plus one per choice (the uniform
 * prior), normalised.
 */
final class Tpe {

    /** Candidates drawn from l(x) per parameter (hyperopt's {@code n_EI_candidates}). */
    static final int CANDIDATES = 24;

    private final double gamma;

    Tpe(double gamma) {
        if (!(gamma > 0 && gamma < 1)) throw new IllegalArgumentException("gamma must be in (0, 1), got " + gamma);
        this.gamma = gamma;
    }

    /**
     * Proposes one point.
     *
     * @param params the space's parameters
     * @param xs     the observed points, in search coordinates
     * @param ys     their objective values, higher is better; NaN (a failed trial) ranks below every number
     * @param r      the proposal's random numbers
     * @return the proposed point, in search coordinates, snapped to values the parameters take
     */
    double[] propose(List<SearchSpace.Parameter> params, List<double[]> xs, double[] ys, SplittableRandom r) {
        int n = xs.size();
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        // best first; NaN last; ties by trial order so the split never depends on a sort's stability
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> Double.isNaN(ys[i]) ? Double.POSITIVE_INFINITY : -ys[i])
                .thenComparingInt(i -> i));
        int nGood = Math.max(1, Math.min(n - 1, (int) Math.ceil(gamma * n)));
        double[] out = new double[params.size()];
        for (int p = 0; p < params.size(); p++) {
            SearchSpace.Parameter par = params.get(p);
            double[] good = new double[nGood], bad = new double[n - nGood];
            for (int k = 0; k < n; k++) {
                double v = xs.get(order[k])[p];
                if (k < nGood) good[k] = v;
                else bad[k - nGood] = v;
            }
            Density l = density(par, good), g = density(par, bad);
            double bestX = Double.NaN, bestScore = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < CANDIDATES; c++) {
                double x = par.snap(l.sample(r));
                double score = Math.log(l.pdf(x)) - Math.log(g.pdf(x));
                if (score > bestScore) {
                    bestScore = score;
                    bestX = x;
                }
            }
            out[p] = bestX;
        }
        return out;
    }

    static Density density(SearchSpace.Parameter p, double[] obs) {
        return p.isChoice() ? new Categorical(p.choices().size(), obs) : new Parzen(p.lo(), p.hi(), obs);
    }

    /** A density with a sampler. */
    interface Density {
        double pdf(double x);

        double sample(SplittableRandom r);
    }

    /** Counts plus a uniform prior of one per choice. */
    static final class Categorical implements Density {
        final double[] p;

        Categorical(int k, double[] obs) {
            p = new double[k];
            Arrays.fill(p, 1);
            for (double o : obs) p[(int) o]++;
            double sum = k + obs.length;
            for (int i = 0; i < k; i++) p[i] /= sum;
        }

        @Override
        public double pdf(double x) {
            return p[(int) x];
        }

        @Override
        public double sample(SplittableRandom r) {
            double u = r.nextDouble(), acc = 0;
            for (int i = 0; i < p.length; i++) {
                acc += p[i];
                if (u < acc) return i;
            }
            return p.length - 1;
        }
    }

    /** An equally weighted mixture of Gaussians truncated to [lo, hi], one per observation plus the prior. */
    static final class Parzen implements Density {
        final double lo, hi;
        final double[] mu, sigma, mass; // mass: each component's probability inside [lo, hi]

        Parzen(double lo, double hi, double[] obs) {
            this.lo = lo;
            this.hi = hi;
            double range = hi - lo;
            double prior = (lo + hi) / 2;
            List<Double> all = new ArrayList<>();
            for (double o : obs) all.add(o);
            all.add(prior);
            double[] m = all.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            int k = m.length;
            mu = m;
            sigma = new double[k];
            double minSigma = range / Math.min(100.0, k + 1.0);
            boolean priorSet = false;
            for (int i = 0; i < k; i++) {
                if (!priorSet && m[i] == prior) {
                    sigma[i] = range; // the prior component (the first one at its location, if observations coincide)
                    priorSet = true;
                    continue;
                }
                double left = m[i] - (i > 0 ? m[i - 1] : lo), right = (i < k - 1 ? m[i + 1] : hi) - m[i];
                sigma[i] = Math.max(minSigma, Math.min(range, Math.max(left, right)));
            }
            mass = new double[k];
            for (int i = 0; i < k; i++) mass[i] = Math.max(1e-300, phi((hi - mu[i]) / sigma[i]) - phi((lo - mu[i]) / sigma[i]));
        }

        @Override
        public double pdf(double x) {
            double s = 0;
            for (int i = 0; i < mu.length; i++) {
                double z = (x - mu[i]) / sigma[i];
                s += Math.exp(-0.5 * z * z) / (Math.sqrt(2 * Math.PI) * sigma[i] * mass[i]);
            }
            return Math.max(1e-300, s / mu.length);
        }

        @Override
        public double sample(SplittableRandom r) {
            int i = r.nextInt(mu.length);
            for (int tries = 0; tries < 100; tries++) {
                double x = mu[i] + sigma[i] * gaussian(r);
                if (x >= lo && x <= hi) return x;
            }
            return Math.max(lo, Math.min(hi, mu[i]));
        }
    }

    /** A standard normal draw (Box-Muller; SplittableRandom has no nextGaussian on Java 17). */
    static double gaussian(SplittableRandom r) {
        double u = 1 - r.nextDouble(), v = r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    /** The standard normal CDF through erfc (Numerical Recipes' erfcc, relative error below 1.2e-7). */
    static double phi(double x) {
        return 0.5 * erfc(-x / Math.sqrt(2));
    }

    static double erfc(double x) {
        double z = Math.abs(x);
        double t = 1 / (1 + 0.5 * z);
        double ans = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? ans : 2 - ans;
    }
}
