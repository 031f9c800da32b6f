package dev.autoint.examples;

import dev.autoint.core.model.AutoIntConfig;
import dev.autoint.core.model.AutoIntModel;
import dev.autoint.core.train.ConsoleProgress;
import dev.autoint.core.train.Trainer;
import dev.autoint.data.movielens.FeaturePreset;
import dev.autoint.data.movielens.MovieLensData;
import dev.autoint.data.movielens.MovieLensReader;
import dev.autoint.data.movielens.SyntheticMovieLens;
import dev.autoint.eval.movielens.MovieLensExperiment;
import dev.autoint.data.SplitSpec;
import dev.autoint.eval.protocol.EvalConfig;
import dev.autoint.eval.protocol.HeldOutProtocol;
import dev.autoint.eval.protocol.ProtocolResult;
import dev.autoint.eval.recommend.Recommender;
import dev.autoint.eval.recommend.Recommender.Recommendation;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * MovieLens end to end: the reference experiment, from files to a top-10 list.
 *
 * <p>Teaches: reading MovieLens with the SEEDS feature preset, a leakage-free global temporal split,
 * the seeds' AutoInt+ training recipe with early stopping on validation AUC, the held-out re-ranking
 * protocol (NDCG@10, Precision@10, AUC, gAUC) and top-N recommendation of unseen movies.
 *
 * <p>Run: {@code java dev.autoint.examples.MovieLensEndToEnd [dir|synthetic] [maxEpochs] [syntheticUsers]},
 * e.g. {@code ../shared/datasets/ml-1m-half}; without a directory it uses synthetic data.
 */
public final class MovieLensEndToEnd {

    public static void main(String[] args) throws Exception {
        String source = args.length > 0 ? args[0] : "synthetic";
        int maxEpochs = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int users = args.length > 2 ? Integer.parseInt(args[2]) : 2000;

        // The SEEDS preset's label rule (rating >= 4 is a "click") is applied while reading.
        MovieLensData data = source.equals("synthetic")
                ? SyntheticMovieLens.builder().users(users).movies(800).seed(42).generate()
                : MovieLensReader.read(Path.of(source), FeaturePreset.SEEDS.labelRule());
        MovieLensExperiment x = MovieLensExperiment.prepare(data, FeaturePreset.SEEDS, SplitSpec.globalTemporal(0.8, 0.1));
        System.out.println("data: " + x.fingerprint());
        System.out.println("split: " + x.split().describe());

        AutoIntModel model = AutoIntModel.create(AutoIntConfig.seedsAutoIntPlus(), x.encoder().fieldSpecs());
        // Early stopping: quit after 2 epochs without a better validation AUC, then restore the best weights.
        Trainer.History history = Trainer.builder(model)
                .epochs(maxEpochs).batchSize(2048).learningRate(1e-3f).l2Embedding(1e-5f)
                .earlyStopping(Trainer.Monitor.AUC, 2, true)
                .listener(new ConsoleProgress())
                .build().fit(x.train(), x.valid());
        System.out.printf(Locale.ROOT, "best epoch %d of %d, validation AUC %.4f%n",
                history.bestEpoch() + 1, history.epochs().size(), history.best().validAuc());

        // Held-out re-ranking: each test user's own test movies are ranked by the model's score.
        ProtocolResult result = new HeldOutProtocol(EvalConfig.defaults()).evaluate(x.testInteractions(), x.scoreTest(model));
        System.out.printf(Locale.ROOT, "test (%d users): NDCG@10 %.4f  Precision@10 %.4f  AUC %.4f  gAUC %.4f%n",
                result.users().length, result.value("ndcg@10"), result.value("precision@10"),
                result.value("auc"), result.value("gauc"));

        // Recommend: score every catalogue movie the user has not rated in training, keep the best 10.
        Recommender recommender = Recommender.builder(x.encoder().catalogue(), x.trainInteractions(), x.scorer(model)).build();
        // A test user with training history: for a newcomer the model knows only demographics.
        Set<Integer> known = Arrays.stream(x.trainData().ratings().userIds()).boxed().collect(Collectors.toSet());
        int user = Arrays.stream(result.users()).filter(known::contains).findFirst().orElse(result.users()[0]);
        System.out.println("top 10 for user " + user + ":");
        for (Recommendation r : recommender.recommend(user, 10)) {
            System.out.printf(Locale.ROOT, "%2d. %.3f  %-40.40s %-28s %s%n", r.rank(), r.score(), r.title(),
                    String.join("|", r.genres()), String.join("; ", r.reasons()));
        }
    }
}
