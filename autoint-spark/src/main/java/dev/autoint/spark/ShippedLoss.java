package dev.autoint.spark;

import dev.autoint.core.model.Loss;
import java.io.Serializable;
import java.util.Objects;

/**
 * The configured {@link Loss} as it travels to the executors inside a step's task.
 *
 * @param loss the loss (BCE or focal; losses are serializable)
 */
record ShippedLoss(Loss loss) implements Serializable {

    /** Binary cross-entropy, the default. */
    static final ShippedLoss BCE = new ShippedLoss(Loss.bce());

    ShippedLoss {
        Objects.requireNonNull(loss, "loss");
    }

    static ShippedLoss of(Loss loss) {
        return new ShippedLoss(loss);
    }
}
