package dev.autoint.core.train;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Objects;

/**
 * The default progress display: one line per epoch, redrawn in place at most five times a second while
 * the epoch runs ({@code epoch 2/5 [=======>    ] 61% loss 0.5431 62.1k samples/s ETA 0:12}), then
 * completed with the validation metrics.
 */
public final class ConsoleProgress implements TrainingListener {

    private static final int WIDTH = 24;
    private final PrintStream out;
    private long lastDraw;

    /** Draws on {@code System.err}, so standard output stays free for results. */
    public ConsoleProgress() {
        this(System.err);
    }

    /**
     * Draws on the given stream. Lines are redrawn with a carriage return, so a terminal shows best.
     *
     * @param out where to print
     * @throws NullPointerException if {@code out} is null
     */
    public ConsoleProgress(PrintStream out) {
        this.out = Objects.requireNonNull(out, "out");
    }

    @Override
    public void onBatch(BatchInfo b) {
        long now = System.nanoTime();
        if (b.batch() + 1 < b.batches() && now - lastDraw < 200_000_000L) return;
        lastDraw = now;
        double frac = (b.batch() + 1) / (double) b.batches();
        int filled = (int) (frac * WIDTH);
        StringBuilder bar = new StringBuilder();
        for (int i = 0; i < WIDTH; i++) bar.append(i < filled ? '=' : i == filled ? '>' : ' ');
        out.print(String.format(Locale.ROOT, "\repoch %d/%d [%s] %3.0f%% loss %.4f %.1fk samples/s ETA %s ",
                b.epoch() + 1, b.epochs(), bar, 100 * frac, b.loss(), b.samplesPerSecond() / 1000,
                time(b.etaSeconds())));
        out.flush();
    }

    @Override
    public void onEpoch(EpochInfo e) {
        out.print(String.format(Locale.ROOT, "\repoch %d/%d train loss %.4f", e.epoch() + 1, e.epochs(), e.trainLoss()));
        if (!Double.isNaN(e.validAuc())) {
            out.print(String.format(Locale.ROOT, "  valid AUC %.4f logloss %.4f%s", e.validAuc(), e.validLogLoss(),
                    e.improved() ? " *" : ""));
        }
        out.println(String.format(Locale.ROOT, "  %.1fs %.1fk samples/s lr %.2g%s", e.seconds(),
                e.samplesPerSecond() / 1000, e.learningRate(), " ".repeat(20)));
        out.flush();
    }

    static String time(double seconds) {
        if (!Double.isFinite(seconds)) return "?";
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
