package dev.autoint.examples;

import dev.autoint.core.model.AutoIntConfig;
import dev.autoint.core.model.AutoIntModel;
import dev.autoint.core.model.Predictor;
import dev.autoint.core.train.ConsoleProgress;
import dev.autoint.core.train.Metrics;
import dev.autoint.core.train.Trainer;
import dev.autoint.data.movielens.FeaturePreset;
import dev.autoint.data.movielens.MovieLensData;
import dev.autoint.data.movielens.SyntheticMovieLens;
import dev.autoint.eval.movielens.MovieLensExperiment;
import dev.autoint.data.SplitSpec;
import dev.autoint.data.movielens.MovieLensData.Ratings;
import java.util.Locale;

/**
 * Quickstart: the whole AutoInt+ workflow in one screen, fully offline.
 *
 * <p>Teaches: generate MovieLens-shaped data, split it by time, encode it (vocabularies fitted on the
 * training part only), train an AutoInt+ model, measure test AUC and ask the model for the click
 * probability of single rows.
 *
 * <p>Run: {@code java dev.autoint.examples.Quickstart [users] [epochs]} (defaults 1000 users, 5 epochs).
 */
public final class Quickstart {

    public static void main(String[] args) {
        int users = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 5;

        // Synthetic data has planted structure (genre tastes, age x decade), so there is something to learn.
        MovieLensData data = SyntheticMovieLens.builder().users(users).movies(400).ratingsPerUser(40).seed(7).generate();

        // Train on the past, test on the future: the earliest 80% of ratings train, the rest test;
        // the last 10% of the training part is held back to validate each epoch.
        MovieLensExperiment x = MovieLensExperiment.prepare(data, FeaturePreset.SEEDS, SplitSpec.globalTemporal(0.8, 0.1));
        System.out.printf(Locale.ROOT, "rows: train %d, valid %d, test %d; %d fields%n",
                x.train().size(), x.valid().size(), x.test().size(), x.encoder().fieldSpecs().size());

        // The field list (names and vocabulary sizes) comes from the encoder, so model and data always agree.
        AutoIntModel model = AutoIntModel.create(AutoIntConfig.seedsAutoIntPlus(), x.encoder().fieldSpecs());
        Trainer.History history = Trainer.builder(model)
                .epochs(epochs)
                .batchSize(256)          // small data: small batches give more updates per epoch
                .learningRate(1e-3f)
                .listener(new ConsoleProgress()) // progress bar on System.err
                .build()
                .fit(x.train(), x.valid());
        System.out.printf(Locale.ROOT, "trained %d epochs, best validation AUC %.4f%n",
                history.epochs().size(), history.best().validAuc());

        // AUC: the chance that a random liked test row scores above a random disliked one (0.5 = guessing).
        Predictor predictor = model.predictor();
        float[] p = predictor.predict(x.test());
        System.out.printf(Locale.ROOT, "test AUC %.4f%n", Metrics.auc(p, x.test().labelColumn(), x.test().size()));

        // Row i of the encoded test set is row i of the test ratings, so we can show who rated what.
        Ratings r = x.testData().ratings();
        for (int row = 0; row < Math.min(5, x.test().size()); row++) {
            System.out.printf(Locale.ROOT, "user %4d, %-32s liked=%d  P(click)=%.3f%n", r.userIds()[row],
                    data.movie(r.movieIds()[row]).title(), (int) x.test().label(row), predictor.predict(x.test(), row));
        }
    }
}
