package dev.autoint.examples.cli;

import dev.autoint.core.train.Trainer;
import dev.autoint.eval.tune.Tuner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;

/** PNG charts with XChart: the learning curve of a training run, a tuning run's trials and per-user metric histograms. */
public final class Charts {

    private Charts() {
    }

    /** Training loss and validation logloss (left axis) and validation AUC (right axis) per epoch. */
    public static void learningCurve(List<Trainer.EpochResult> epochs, Path png) throws IOException {
        XYChart chart = new XYChartBuilder().width(900).height(500).title("Learning curve: loss and validation AUC per epoch")
                .xAxisTitle("epoch").yAxisTitle("loss").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        List<Integer> x = new ArrayList<>();
        List<Double> train = new ArrayList<>(), vLoss = new ArrayList<>(), vAuc = new ArrayList<>();
        for (Trainer.EpochResult e : epochs) {
            x.add(e.epoch() + 1);
            train.add(e.trainLoss());
            vLoss.add(Double.isNaN(e.validLogLoss()) ? null : e.validLogLoss());
            vAuc.add(Double.isNaN(e.validAuc()) ? null : e.validAuc());
        }
        chart.addSeries("train loss", x, train);
        if (vLoss.stream().anyMatch(v -> v != null)) {
            chart.addSeries("validation logloss", x, vLoss);
            chart.addSeries("validation AUC", x, vAuc).setYAxisGroup(1);
            chart.setYAxisGroupTitle(1, "AUC");
            chart.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
        }
        save(chart, png);
    }

    /** A tuning run: each trial's best validation AUC by trial number (completed and pruned apart) and the best so far. */
    public static void tuning(List<Tuner.Trial> trials, Path png) throws IOException {
        XYChart chart = new XYChartBuilder().width(900).height(500).title("Tuning: best validation AUC per trial")
                .xAxisTitle("trial").yAxisTitle("validation AUC").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        List<Integer> bx = new ArrayList<>();
        List<Double> by = new ArrayList<>();
        double best = Double.NaN;
        for (Tuner.Status status : Tuner.Status.values()) {
            List<Integer> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (Tuner.Trial t : trials) {
                if (t.status() == status && !Double.isNaN(t.validAuc())) {
                    x.add(t.index() + 1);
                    y.add(t.validAuc());
                }
            }
            if (!x.isEmpty()) chart.addSeries(status.name().toLowerCase(java.util.Locale.ROOT), x, y);
        }
        for (Tuner.Trial t : trials) {
            if (!Double.isNaN(t.validAuc()) && (Double.isNaN(best) || t.validAuc() > best)) best = t.validAuc();
            if (!Double.isNaN(best)) {
                bx.add(t.index() + 1);
                by.add(best);
            }
        }
        if (!bx.isEmpty()) chart.addSeries("best so far", bx, by).setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        save(chart, png);
    }

    /** A histogram of one metric's per-user values in [0, 1] (20 bins). */
    public static void histogram(String title, String metric, double[] values, Path png) throws IOException {
        int bins = 20;
        int[] counts = new int[bins];
        for (double v : values) {
            if (Double.isNaN(v)) continue;
            counts[Math.min(bins - 1, Math.max(0, (int) (v * bins)))]++;
        }
        List<String> labels = new ArrayList<>();
        List<Integer> ys = new ArrayList<>();
        for (int b = 0; b < bins; b++) {
            labels.add(String.format(java.util.Locale.ROOT, "%.2f", (b + 0.5) / bins));
            ys.add(counts[b]);
        }
        CategoryChart chart = new CategoryChartBuilder().width(900).height(500).title(title).xAxisTitle(metric)
                .yAxisTitle("users").build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setXAxisLabelRotation(60);
        chart.addSeries(metric, labels, ys);
        save(chart, png);
    }

    private static void save(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, Path png) throws IOException {
        Files.createDirectories(png.toAbsolutePath().getParent());
        String name = png.toString();
        String base = name.endsWith(".png") ? name.substring(0, name.length() - 4) : name;
        BitmapEncoder.saveBitmap(chart, base, BitmapEncoder.BitmapFormat.PNG);
    }
}
