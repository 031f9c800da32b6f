package dev.autoint.spark;

import dev.autoint.core.model.Loss;
import java.io.Serializable;

/**
 * A {@link Loss} as it travels to the executors inside a step's task ({@link Loss} itself is not
 * serializable): its kind and parameters, from which {@link #loss()} makes the same loss again there.
 *
 * @param focal whether it is the focal loss (else binary cross-entropy)
 * @param gamma the focal loss's γ (0 for binary cross-entropy)
 * @param alpha the focal loss's α, NaN when it has no class weighting
 */
record ShippedLoss(boolean focal, float gamma, float alpha) implements Serializable {

    /** Binary cross-entropy, the default. */
    static final ShippedLoss BCE = new ShippedLoss(false, 0f, Float.NaN);

    static ShippedLoss of(Loss loss) {
        if (loss instanceof Loss.Bce) return BCE;
        if (loss instanceof Loss.Focal f) return new ShippedLoss(true, f.gamma(), f.alpha());
        throw new IllegalArgumentException("no way to ship the loss " + loss + " to the executors");
    }

    /** The loss this describes (for binary cross-entropy the shared instance). */
    Loss loss() {
        return focal ? new Loss.Focal(gamma, alpha) : Loss.bce();
    }
}
