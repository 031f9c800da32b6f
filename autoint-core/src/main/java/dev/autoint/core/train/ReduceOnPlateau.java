package dev.autoint.core.train;

/**
 * PyTorch's {@code ReduceLROnPlateau} (threshold 0, cooldown 0): when the monitored validation value has
 * not improved for {@code patience} epochs, multiply the rate by {@code factor}, never below {@code minLr}.
 */
public final class ReduceOnPlateau implements LearningRateSchedule {

    private final float factor;
    private final int patience;
    private final float minLr;
    private float lr;
    private double best = Double.NaN;
    private int badEpochs;

    ReduceOnPlateau(float lr, float factor, int patience, float minLr) {
        if (!(lr > 0) || !(factor > 0 && factor < 1) || patience < 0 || minLr < 0) {
            throw new IllegalArgumentException("reduceOnPlateau: lr > 0, factor in (0, 1), patience >= 0, minLr >= 0");
        }
        this.lr = lr;
        this.factor = factor;
        this.patience = patience;
        this.minLr = minLr;
    }

    @Override
    public float rate(long step) {
        return lr;
    }

    @Override
    public void onEpochEnd(int epoch, double monitored, boolean maximize) {
        boolean better = Double.isNaN(best) || (maximize ? monitored > best : monitored < best);
        if (better) {
            best = monitored;
            badEpochs = 0;
        } else if (++badEpochs > patience) {
            lr = Math.max(minLr, lr * factor);
            badEpochs = 0;
        }
    }

    @Override
    public java.util.Map<String, Double> state() {
        return java.util.Map.of("lr", (double) lr, "best", best, "badEpochs", (double) badEpochs);
    }

    @Override
    public void loadState(java.util.Map<String, Double> state) {
        lr = state.getOrDefault("lr", (double) lr).floatValue();
        best = state.getOrDefault("best", Double.NaN);
        badEpochs = state.getOrDefault("badEpochs", 0.0).intValue();
    }

    @Override
    public String toString() {
        return "reduceOnPlateau(lr=" + lr + ", factor=" + factor + ", patience=" + patience + ", min=" + minLr + ")";
    }
}
