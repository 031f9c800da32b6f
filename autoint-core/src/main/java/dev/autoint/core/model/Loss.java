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

    /**
     * The loss of one row, before its sample weight is applied.
     *
     * @param logit the model's raw score {@code x} (before the sigmoid); any finite value
     * @param label the target {@code y}: 0 or 1, or a soft label in [0, 1]
     * @return the loss {@code l(x, y)}, finite and non-negative for a finite logit and a label in [0, 1]
     */
    double value(float logit, float label);

    /**
     * The derivative of {@link #value} with respect to the logit, computed in closed form (not by differencing).
     *
     * @param logit the model's raw score {@code x}; any finite value
     * @param label the target {@code y}: 0 or 1, or a soft label in [0, 1]
     * @return {@code dl/dx} at {@code (x, y)}; for BCE it is {@code σ(x) − y}, in [−1, 1]
     */
    double gradient(float logit, float label);

    /**
     * Binary cross-entropy on logits, the default loss of {@code Trainer}.
     *
     * @return the shared BCE instance (a singleton, also after deserialisation)
     */
    static Loss bce() {
        return BinaryCrossEntropy.INSTANCE;
    }

    /**
     * Focal loss with no class weighting: both classes have weight 1, so {@code focal(0)} equals {@link #bce()}.
     *
     * @param gamma the focusing parameter γ: finite and ≥ 0; larger values down-weight well-classified rows
     *              (the paper uses 2)
     * @return the focal loss
     * @throws IllegalArgumentException if {@code gamma} is negative, infinite or NaN
     */
    static Loss focal(float gamma) {
        return new FocalLoss(gamma, Float.NaN);
    }

    /**
     * Focal loss with class weighting: positive rows weigh α and negative rows 1 − α (the paper uses γ = 2,
     * α = 0.25).
     *
     * @param gamma the focusing parameter γ: finite and ≥ 0
     * @param alpha the positive-class weight α, in [0, 1]
     * @return the focal loss
     * @throws IllegalArgumentException if {@code gamma} is negative, infinite or NaN, or {@code alpha} is outside
     *                                  [0, 1] or NaN
     */
    static Loss focal(float gamma, float alpha) {
        if (!(alpha >= 0f && alpha <= 1f)) throw new IllegalArgumentException("focal alpha must be in [0, 1], got " + alpha);
        return new FocalLoss(gamma, alpha);
    }
}
