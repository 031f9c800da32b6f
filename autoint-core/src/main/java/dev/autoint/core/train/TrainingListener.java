package dev.autoint.core.train;

/**
 * Receives progress from a {@link Trainer}. Called on the training thread, between steps; keep it quick, since
 * training waits. An exception thrown here stops {@link Trainer#fit} and propagates. To end a run cleanly after an
 * epoch (a tuner pruning a poor trial), return true from {@link #stopAfter}: {@code fit} then ends as early
 * stopping does, best weights restored. Every method does nothing by default.
 */
public interface TrainingListener {

    /**
     * Progress after each optimizer step.
     *
     * @param epoch            the 0-based epoch
     * @param epochs           the number of epochs configured ({@link Trainer.Builder#epochs})
     * @param batch            the 0-based batch within the epoch
     * @param batches          the number of batches per epoch
     * @param step             the optimizer steps taken so far, this one included ({@link Trainer#step()})
     * @param loss             the mean training loss over the epoch's rows so far, L2 penalty included
     * @param samplesPerSecond training rows per second since the epoch started
     * @param etaSeconds       estimated seconds until the epoch's training ends (validation not included)
     * @param learningRate     the learning rate this step used
     */
    record BatchInfo(int epoch, int epochs, int batch, int batches, long step, double loss, double samplesPerSecond,
                     double etaSeconds, float learningRate) {
    }

    /**
     * Results after each epoch's validation (and before its checkpoint).
     *
     * @param epoch            the 0-based epoch
     * @param epochs           the number of epochs configured
     * @param trainLoss        the mean training loss over the epoch, L2 penalty included
     * @param validAuc         validation AUC, NaN without a validation set
     * @param validLogLoss     validation log loss, NaN without a validation set
     * @param seconds          the epoch's training time, validation excluded
     * @param samplesPerSecond training rows per second
     * @param improved         whether the monitored metric reached a new best this epoch
     * @param learningRate     the learning rate of the next step, after the schedule saw this epoch
     */
    record EpochInfo(int epoch, int epochs, double trainLoss, double validAuc, double validLogLoss, double seconds,
                     double samplesPerSecond, boolean improved, float learningRate) {
    }

    /**
     * Called after each optimizer step.
     *
     * @param info the step's progress
     */
    default void onBatch(BatchInfo info) {
    }

    /**
     * Called after each epoch, once it is validated.
     *
     * @param info the epoch's results
     */
    default void onEpoch(EpochInfo info) {
    }

    /**
     * Asked after each epoch, once every listener's {@link #onEpoch} has run and the epoch's checkpoint (if any)
     * is written: whether training should end now. {@link Trainer#fit} then returns as when patience runs out
     * ({@link Trainer.History#stoppedEarly()} true, the best weights restored with restore-best).
     *
     * @param info the epoch's results
     * @return true to end training after this epoch; false (the default) to go on
     */
    default boolean stopAfter(EpochInfo info) {
        return false;
    }
}
