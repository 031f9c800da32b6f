package dev.autoint.examples;

import dev.autoint.core.data.EncodedDataset;
import dev.autoint.core.data.FieldSpec;
import dev.autoint.core.model.AutoIntConfig;
import dev.autoint.core.model.AutoIntModel;
import dev.autoint.core.train.Trainer;
import dev.autoint.data.movielens.FeaturePreset;
import dev.autoint.data.movielens.MovieLensData;
import dev.autoint.data.movielens.SyntheticMovieLens;
import dev.autoint.eval.movielens.MovieLensExperiment;
import dev.autoint.data.SplitSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Explain a prediction: which feature pairs did AutoInt look at when it scored this row?
 *
 * <p>Teaches: every interacting layer is multi-head self-attention over the fields, so for one row the
 * model can report, per layer and head, how strongly field i attended to field j. Averaging the last
 * layer's heads and listing the strongest pairs gives a readable (if partial) explanation of a score.
 *
 * <p>Run: {@code java dev.autoint.examples.ExplainPrediction [users] [epochs] [testRow]}
 * (defaults 1000 users, 5 epochs, the first
 * test row at or after 0 whose user was seen in training).
 */
public final class ExplainPrediction {

    public static void main(String[] args) {
        int users = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int row = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        MovieLensData data = SyntheticMovieLens.builder().users(users).movies(400).seed(3).generate();
        MovieLensExperiment x = MovieLensExperiment.prepare(data, FeaturePreset.SEEDS, SplitSpec.globalTemporal(0.8, 0.1));

        // Plain AutoInt: without a DNN branch the attention layers carry the whole prediction. Attention starts
        // out uniform (tiny initial embeddings); a brisk learning rate lets it become selective within a few epochs.
        AutoIntModel model = AutoIntModel.create(AutoIntConfig.paper(), x.encoder().fieldSpecs());
        Trainer.builder(model).epochs(epochs).batchSize(512).learningRate(1e-2f)
                .earlyStopping(Trainer.Monitor.AUC, 2, true).build().fit(x.train(), x.valid());

        // Skip test rows of users never seen in training (user_id id 0 = unknown): their explanation is dull.
        EncodedDataset test = x.test();
        while (row < test.size() - 1 && test.id(row, 0) == 0) row++;
        List<FieldSpec> fields = model.fields();
        System.out.printf(Locale.ROOT, "test row %d, label %.0f, predicted click probability %.3f%n",
                row, test.label(row), model.predictor().predict(test, row));
        StringBuilder values = new StringBuilder("features:");
        for (int f = 0; f < fields.size(); f++) {
            String name = fields.get(f).name();
            values.append(' ').append(name).append('=').append(x.encoder().vocabulary(name).value(test.id(row, f)));
        }
        System.out.println(values);

        // attention[layer][head][i][j]: how much field i attended to field j; each row i sums to 1 over j.
        float[][][][] attention = model.predictor().attention(test, row);
        float[][][] lastLayer = attention[attention.length - 1];
        int n = fields.size();
        List<double[]> pairs = new ArrayList<>(); // {weight, i, j}
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (i == j) continue; // a field attending to itself says nothing about interactions
                double mean = 0;
                for (float[][] head : lastLayer) mean += head[i][j];
                pairs.add(new double[] {mean / lastLayer.length, i, j});
            }
        }
        pairs.sort(Comparator.comparingDouble((double[] p) -> p[0]).reversed());
        System.out.printf(Locale.ROOT, "top field pairs in layer %d of %d (mean over %d heads; uniform would be %.3f):%n",
                attention.length, attention.length, lastLayer.length, 1.0 / n);
        for (double[] p : pairs.subList(0, 5)) {
            System.out.printf(Locale.ROOT, "  %-13s -> %-13s %.3f%n",
                    fields.get((int) p[1]).name(), fields.get((int) p[2]).name(), p[0]);
        }
    }
}
