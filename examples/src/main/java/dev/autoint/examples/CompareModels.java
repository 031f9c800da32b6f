package dev.autoint.examples;

import dev.autoint.core.model.AutoIntConfig;
import dev.autoint.core.model.AutoIntModel;
import dev.autoint.core.train.Trainer;
import dev.autoint.data.movielens.FeaturePreset;
import dev.autoint.data.movielens.MovieLensData;
import dev.autoint.data.movielens.SyntheticMovieLens;
import dev.autoint.eval.movielens.MovieLensExperiment;
import dev.autoint.data.SplitSpec;
import dev.autoint.eval.protocol.EvalConfig;
import dev.autoint.eval.protocol.HeldOutProtocol;
import dev.autoint.eval.protocol.ProtocolResult;
import dev.autoint.eval.stats.ComparisonReport;
import dev.autoint.eval.stats.ModelComparison;
import java.util.Locale;

/**
 * Compare models: is AutoInt+ really better than AutoInt, or just luckier on this test set?
 *
 * <p>Teaches: a fair comparison trains both models on the same split with the same recipe, evaluates them
 * with the same protocol, and then tests the per-user differences (paired t-test, Wilcoxon signed-rank
 * test, bootstrap confidence interval of the mean difference) instead of eyeballing two averages.
 *
 * <p>Run: {@code java dev.autoint.examples.CompareModels [users] [epochs]} (defaults 1500 users, 6 epochs).
 */
public final class CompareModels {

    public static void main(String[] args) {
        int users = args.length > 0 ? Integer.parseInt(args[0]) : 1500;
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 6;
        MovieLensData data = SyntheticMovieLens.builder().users(users).movies(600).seed(11).generate();
        MovieLensExperiment x = MovieLensExperiment.prepare(data, FeaturePreset.SEEDS, SplitSpec.globalTemporal(0.8, 0.1));

        // Both in DeepCTR form (attention layers plus a linear term); AutoInt+ adds a DNN branch over the
        // embeddings, and that is the only difference between the two configurations.
        ProtocolResult autoInt = trainAndEvaluate("AutoInt", AutoIntConfig.deepCtr(), x, epochs);
        ProtocolResult autoIntPlus = trainAndEvaluate("AutoInt+", AutoIntConfig.seedsAutoIntPlus(), x, epochs);

        // Pairing by user removes the between-user variance: some users are simply easier to rank than others.
        ComparisonReport report = new ModelComparison()
                .compare("ndcg@10", "AutoInt+", autoIntPlus, "AutoInt", autoInt, true);
        System.out.println(report.text());
        System.out.println("verdict: " + report.verdict());
    }

    static ProtocolResult trainAndEvaluate(String name, AutoIntConfig config, MovieLensExperiment x, int epochs) {
        AutoIntModel model = AutoIntModel.create(config, x.encoder().fieldSpecs());
        Trainer.builder(model).epochs(epochs).batchSize(1024).learningRate(1e-3f).l2Embedding(1e-5f)
                .earlyStopping(Trainer.Monitor.AUC, 2, true)
                .build().fit(x.train(), x.valid());
        ProtocolResult r = new HeldOutProtocol(EvalConfig.defaults()).evaluate(x.testInteractions(), x.scoreTest(model));
        System.out.printf(Locale.ROOT, "%-9s NDCG@10 %.4f  AUC %.4f  (%d test users)%n",
                name, r.value("ndcg@10"), r.value("auc"), r.users().length);
        return r;
    }
}
