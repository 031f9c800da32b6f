package dev.autoint.core.train;

/** Receives progress from a {@link Trainer}. Called on the training thread; keep it quick. */
public interface TrainingListener {

    /** After each optimizer step. */
    record BatchInfo(int epoch, int epochs, int batch, int batches, long step, double loss, double samplesPerSecond,
                     double etaSeconds, float learningRate) {
    }

    /** After each epoch's validation. NaN where there was no validation set. */
    record EpochInfo(int epoch, int epochs, double trainLoss, double validAuc, double validLogLoss, double seconds,
                     double samplesPerSecond, boolean improved, float learningRate) {
    }

    default void onBatch(BatchInfo info) {
    }

    default void onEpoch(EpochInfo info) {
    }
}
