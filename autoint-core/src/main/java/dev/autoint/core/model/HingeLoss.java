package dev.autoint.core.model;

/** Pairwise hinge ({@link PairwiseLoss#hinge(double)}): {@code max(0, margin − (s⁺ − s⁻))}. */
record HingeLoss(double margin) implements PairwiseLoss {

    HingeLoss {
        if (!(margin > 0) || Double.isInfinite(margin)) {
            throw new IllegalArgumentException("hinge margin must be finite and > 0, got " + margin);
        }
    }

    @Override
    public double value(double positiveLogit, double negativeLogit) {
        return Math.max(0, margin - (positiveLogit - negativeLogit));
    }

    @Override
    public double gradient(double positiveLogit, double negativeLogit) {
        return positiveLogit - negativeLogit < margin ? -1 : 0; // the subgradient 0 at the kink
    }

    @Override
    public String toString() {
        return "Hinge(margin=" + margin + ")";
    }
}
