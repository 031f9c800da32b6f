package dev.autoint.core.model;

/**
 * Losses on logits, each with its derivative, numerically stable for any finite logit.
 *
 * <ul>
 *   <li>Binary cross-entropy: {@code l = max(x,0) − x·y + log(1 + e^{−|x|})}, {@code dl/dx = σ(x) − y}.</li>
 *   <li>Focal loss (Lin et al. 2017): with p = σ(x),
 *       {@code l = −y·α·(1−p)^γ·log p − (1−y)·(1−α)·p^γ·log(1−p)};
 *       without α both class weights are 1, so γ = 0 gives exactly BCE. Its derivative:
 *       {@code dl/dx = y·α·[γ·p·(1−p)^γ·log p − (1−p)^{γ+1}] + (1−y)·(1−α)·[p^{γ+1} − γ·(1−p)·p^γ·log(1−p)]},
 *       with {@code log p = −softplus(−x)} and {@code log(1−p) = −softplus(x)}.</li>
 * </ul>
 * A batch's loss is the mean over its rows of {@code weight·l} (PyTorch's {@code reduction='mean'} with a
 * per-sample weight).
 */
public sealed interface Loss {

    /** Loss of one row. */
    double value(float logit, float label);

    /** Derivative of {@link #value} with respect to the logit. */
    double gradient(float logit, float label);

    static Loss bce() {
        return Bce.INSTANCE;
    }

    /** Focal loss with focusing γ ≥ 0 and no class weighting. */
    static Loss focal(float gamma) {
        return new Focal(gamma, Float.NaN);
    }

    /** Focal loss with focusing γ ≥ 0 and positive-class weight α in [0, 1] (the paper's 2.0 and 0.25). */
    static Loss focal(float gamma, float alpha) {
        if (!(alpha >= 0f && alpha <= 1f)) throw new IllegalArgumentException("focal alpha must be in [0, 1], got " + alpha);
        return new Focal(gamma, alpha);
    }

    /** log(1 + e^x) without overflow. */
    static double softplus(double x) {
        return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
    }

    static double sigmoid(double x) {
        return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    }

    /** Binary cross-entropy on logits. */
    record Bce() implements Loss {
        static final Bce INSTANCE = new Bce();

        @Override
        public double value(float logit, float label) {
            double x = logit;
            return Math.max(x, 0) - x * label + Math.log1p(Math.exp(-Math.abs(x)));
        }

        @Override
        public double gradient(float logit, float label) {
            return sigmoid(logit) - label;
        }
    }

    /** Focal loss on logits; {@code alpha} NaN means no class weighting. */
    record Focal(float gamma, float alpha) implements Loss {
        public Focal {
            if (!(gamma >= 0f) || Float.isInfinite(gamma)) throw new IllegalArgumentException("focal gamma must be finite and >= 0, got " + gamma);
        }

        private double alphaPos() {
            return Float.isNaN(alpha) ? 1 : alpha;
        }

        private double alphaNeg() {
            return Float.isNaN(alpha) ? 1 : 1 - alpha;
        }

        @Override
        public double value(float logit, float label) {
            double p = sigmoid(logit);
            double logP = -softplus(-logit);
            double log1mP = -softplus(logit);
            return -label * alphaPos() * Math.pow(1 - p, gamma) * logP
                    - (1 - label) * alphaNeg() * Math.pow(p, gamma) * log1mP;
        }

        @Override
        public double gradient(float logit, float label) {
            double p = sigmoid(logit);
            double q = sigmoid(-(double) logit); // 1 − p without cancellation
            double logP = -softplus(-logit);
            double log1mP = -softplus(logit);
            double pos = gamma * p * Math.pow(q, gamma) * logP - Math.pow(q, gamma + 1);
            double neg = Math.pow(p, gamma + 1) - gamma * q * Math.pow(p, gamma) * log1mP;
            return label * alphaPos() * pos + (1 - label) * alphaNeg() * neg;
        }
    }
}
