package dev.autoint.core.model;

/**
 * Losses on logits, each with its derivative, numerically stable for any finite logit.
 *
 * <ul>
 *   <li>Binary cross-entropy ({@link #bce()}): {@code l = max(x,0) − x·y + log(1 + e^{−|x|})},
 *       {@code dl/dx = σ(x) − y}.</li>
 *   <li>Focal loss (Lin et al. 2017, {@link #focal(float, float)}): with p = σ(x),
 *       {@code l = −y·α·(1−p)^γ·log p − (1−y)·(1−α)·p^γ·log(1−p)};
 *       without α both class weights are 1, so γ = 0 gives exactly BCE. Its derivative:
 *       {@code dl/dx = y·α·[γ·p·(1−p)^γ·log p − (1−p)^{γ+1}] + (1−y)·(1−α)·[p^{γ+1} − γ·(1−p)·p^γ·log(1−p)]},
 *       with {@code log p = −softplus(−x)} and {@code log(1−p) = −softplus(x)}.</li>
 * </ul>
 * A batch's loss is the mean over its rows of {@code weight·l} (PyTorch's {@code reduction='mean'} with a
 * per-sample weight). Instances are immutable, serializable (so a distributed trainer can ship them) and made
 * only by the factories here.
 */
public sealed interface Loss extends java.io.Serializable permits BinaryCrossEntropy, FocalLoss {

    /** Loss of one row. */
    double value(float logit, float label);

    /** Derivative of {@link #value} with respect to the logit. */
    double gradient(float logit, float label);

    /** Binary cross-entropy on logits. */
    static Loss bce() {
        return BinaryCrossEntropy.INSTANCE;
    }

    /** Focal loss with focusing γ ≥ 0 (finite) and no class weighting. */
    static Loss focal(float gamma) {
        return new FocalLoss(gamma, Float.NaN);
    }

    /** Focal loss with focusing γ ≥ 0 (finite) and positive-class weight α in [0, 1] (the paper's 2.0 and 0.25). */
    static Loss focal(float gamma, float alpha) {
        if (!(alpha >= 0f && alpha <= 1f)) throw new IllegalArgumentException("focal alpha must be in [0, 1], got " + alpha);
        return new FocalLoss(gamma, alpha);
    }
}
