package dev.autoint.core.model;

/** Focal loss on logits ({@link Loss#focal(float, float)}); {@code alpha} NaN means no class weighting. */
record FocalLoss(float gamma, float alpha) implements Loss {

    FocalLoss {
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

    @Override
    public String toString() {
        return Float.isNaN(alpha) ? "Focal(gamma=" + gamma + ")" : "Focal(gamma=" + gamma + ", alpha=" + alpha + ")";
    }

    /** log(1 + e^x) without overflow. */
    static double softplus(double x) {
        return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
    }

    /** σ(x) without overflow. */
    static double sigmoid(double x) {
        return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    }
}
