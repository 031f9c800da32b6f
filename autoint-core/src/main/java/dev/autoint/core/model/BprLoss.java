package dev.autoint.core.model;

/** BPR on a pair of logits ({@link PairwiseLoss#bpr()}): {@code softplus(s⁻ − s⁺) = −log σ(s⁺ − s⁻)}. */
final class BprLoss implements PairwiseLoss {

    static final BprLoss INSTANCE = new BprLoss();

    private static final long serialVersionUID = 1L;

    private BprLoss() {
    }

    /** Keeps one instance after deserialisation. */
    private Object readResolve() {
        return INSTANCE;
    }

    @Override
    public double value(double positiveLogit, double negativeLogit) {
        return FocalLoss.softplus(negativeLogit - positiveLogit);
    }

    @Override
    public double gradient(double positiveLogit, double negativeLogit) {
        return -FocalLoss.sigmoid(negativeLogit - positiveLogit);
    }

    @Override
    public String toString() {
        return "BPR";
    }
}
