package dev.autoint.core.model;

/** Binary cross-entropy on logits ({@link Loss#bce()}): {@code max(x,0) − x·y + log(1 + e^{−|x|})}. */
final class BinaryCrossEntropy implements Loss {

    static final BinaryCrossEntropy INSTANCE = new BinaryCrossEntropy();

    private static final long serialVersionUID = 1L;

    private BinaryCrossEntropy() {
    }

    /** Keeps one instance after deserialisation. */
    private Object readResolve() {
        return INSTANCE;
    }

    @Override
    public double value(float logit, float label) {
        double x = logit;
        return Math.max(x, 0) - x * label + Math.log1p(Math.exp(-Math.abs(x)));
    }

    @Override
    public double gradient(float logit, float label) {
        return FocalLoss.sigmoid(logit) - label;
    }

    @Override
    public String toString() {
        return "BCE";
    }
}
