package dev.autoint.eval.tune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autoint.core.data.EncodedDataset;
import dev.autoint.core.model.AutoIntConfig;
import dev.autoint.core.model.Interaction;
import dev.autoint.data.SplitSpec;
import dev.autoint.data.movielens.FeaturePreset;
import dev.autoint.data.movielens.SyntheticMovieLens;
import dev.autoint.eval.movielens.MovieLensExperiment;
import dev.autoint.eval.tune.SearchSpace.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The search space, TPE against random search on a known objective, median pruning, and a small real tune. */
class TunerTest {

    static EncodedDataset train, valid;

    @BeforeAll
    static void data() {
        MovieLensExperiment x = MovieLensExperiment.prepare(SyntheticMovieLens.builder().users(150).movies(120).ratingsPerUser(40)
                .seed(42).labelRule(FeaturePreset.SEEDS.labelRule()).generate(), FeaturePreset.SEEDS, SplitSpec.globalTemporal(0.8, 0.1));
        train = x.train();
        valid = x.valid();
    }

    static SearchSpace full() {
        return SearchSpace.builder().logUniform(Target.LEARNING_RATE, 1e-4, 1e-2).uniform(Target.DROPOUT, 0, 0.5)
                .integer(Target.LAYERS, 1, 3).choice(Target.EMBEDDING_SIZE, 8, 16, 32).choice(Target.DNN, List.of(), List.of(32, 32))
                .choice(Target.SCHEDULE, "constant", "plateau").logUniform(Target.L2, 1e-7, 1e-4)
                .choice(Target.INTERACTION, Interaction.attention(), Interaction.fm()).choice(Target.HEADS, 1, 2).build();
    }

    @Test
    void samplesStayInTheirRangesAndMapToValidConfigs() {
        SearchSpace s = full();
        SplittableRandom r = new SplittableRandom(1);
        java.util.Set<Integer> seenLayers = new java.util.HashSet<>(), seenEmbedding = new java.util.HashSet<>();
        for (int n = 0; n < 500; n++) {
            double[] x = new double[s.parameters().size()];
            for (int i = 0; i < x.length; i++) x[i] = s.parameters().get(i).sample(r);
            Map<Target, Object> v = s.values(x);
            seenLayers.add((Integer) v.get(Target.LAYERS));
            seenEmbedding.add((Integer) v.get(Target.EMBEDDING_SIZE));
            double lr = (Double) v.get(Target.LEARNING_RATE);
            assertThat(lr).isBetween(1e-4, 1e-2);
            assertThat((Double) v.get(Target.DROPOUT)).isBetween(0.0, 0.5);
            assertThat((Integer) v.get(Target.LAYERS)).isBetween(1, 3);
            assertThat(v.get(Target.EMBEDDING_SIZE)).isIn(8, 16, 32);
            AutoIntConfig c = SearchSpace.configure(AutoIntConfig.seedsAutoIntPlus(), v);
            assertThat(c.embeddingSize()).isEqualTo(v.get(Target.EMBEDDING_SIZE));
            if (v.get(Target.INTERACTION) instanceof Interaction.Attention) {
                assertThat(c.layers()).isEqualTo(v.get(Target.LAYERS));
                assertThat(c.heads()).isEqualTo(v.get(Target.HEADS));
            } else {
                assertThat(c.layers()).isZero();
                assertThat(c.interaction()).isEqualTo(Interaction.fm());
            }
        }
        assertThat(seenLayers).containsExactlyInAnyOrder(1, 2, 3);
        assertThat(seenEmbedding).containsExactlyInAnyOrder(8, 16, 32);
        // log-uniform: about half the draws below the geometric middle 1e-3
        long below = 0;
        for (int n = 0; n < 2000; n++) if (Math.exp(s.parameters().get(0).sample(r)) < 1e-3) below++;
        assertThat(below).isBetween(900L, 1100L);
    }

    @Test
    void badSpacesAreRejectedNamingTheParameter() {
        assertThatThrownBy(() -> SearchSpace.builder().logUniform(Target.LEARNING_RATE, 0, 1e-2))
                .hasMessageContaining("learning-rate").hasMessageContaining("low > 0");
        assertThatThrownBy(() -> SearchSpace.builder().uniform(Target.DROPOUT, 0.2, 1.5)).hasMessageContaining("dropout");
        assertThatThrownBy(() -> SearchSpace.builder().uniform(Target.EMBEDDING_SIZE, 1, 2)).hasMessageContaining("embedding-size")
                .hasMessageContaining("integer");
        assertThatThrownBy(() -> SearchSpace.builder().integer(Target.HEADS, 0, 2)).hasMessageContaining("heads");
        assertThatThrownBy(() -> SearchSpace.builder().choice(Target.SCHEDULE, "cosine")).hasMessageContaining("schedule");
        assertThatThrownBy(() -> SearchSpace.builder().choice(Target.DNN, List.of(32, 0))).hasMessageContaining("dnn");
        assertThatThrownBy(() -> SearchSpace.builder().choice(Target.INTERACTION, "fm")).hasMessageContaining("interaction");
        assertThatThrownBy(() -> SearchSpace.builder().choice(Target.HEADS, 2, 2)).hasMessageContaining("twice");
        assertThatThrownBy(() -> SearchSpace.builder().integer(Target.LAYERS, 1, 2).integer(Target.LAYERS, 1, 3))
                .hasMessageContaining("already");
        assertThatThrownBy(() -> SearchSpace.builder().build()).hasMessageContaining("at least one");
        assertThatThrownBy(() -> Tuner.builder(full()).trials(0)).hasMessageContaining("trials");
        assertThatThrownBy(() -> Tuner.builder(full()).parallel(2, 0)).hasMessageContaining("threads per trial");
    }

    /** A 2-D quadratic in the search coordinates, maximum 0 at (log 3e-3, 0.3); higher is better. */
    static double quadratic(double[] x) {
        double a = (x[0] - Math.log(3e-3)) / Math.log(1e4), b = (x[1] - 0.3) / 0.9;
        return -(a * a + b * b);
    }

    static List<Tuner.Evaluated> searchQuadratic(Tuner.Search search, long seed, int trials) {
        SearchSpace s = SearchSpace.builder().logUniform(Target.LEARNING_RATE, 1e-5, 1e-1).uniform(Target.DROPOUT, 0, 0.9).build();
        Tuner t = Tuner.builder(s).search(search).trials(trials).seed(seed).parallel(2, 1).tpe(6, 0.25).build();
        List<Tuner.Evaluated> out = new ArrayList<>();
        List<Tuner.Evaluated> returned = t.search((i, x, rule) -> new Tuner.Evaluated(quadratic(x), null, x.clone()),
                (i, e) -> out.add(e));
        assertThat(returned).extracting(Tuner.Evaluated::score).containsExactlyElementsOf(out.stream().map(Tuner.Evaluated::score).toList());
        assertThat(returned).allMatch(e -> e.payload() == null);
        return out;
    }

    static double best(List<Tuner.Evaluated> es) {
        return es.stream().mapToDouble(Tuner.Evaluated::score).max().orElseThrow();
    }

    @Test
    void tpeBeatsRandomSearchOnAQuadraticWithinTheSameBudget() {
        int seeds = 20, budget = 30;
        double tpe = 0, random = 0;
        int tpeWins = 0;
        for (long seed = 0; seed < seeds; seed++) {
            double a = best(searchQuadratic(Tuner.Search.TPE, seed, budget)), b = best(searchQuadratic(Tuner.Search.RANDOM, seed, budget));
            tpe += a;
            random += b;
            if (a > b) tpeWins++;
        }
        System.out.printf("quadratic, %d trials, mean best over %d seeds: TPE %.5f, random %.5f; TPE better on %d seeds%n",
                budget, seeds, tpe / seeds, random / seeds, tpeWins);
        assertThat(tpe / seeds).isGreaterThan(random / seeds);
        assertThat(tpeWins).isGreaterThan(seeds / 2);
    }

    @Test
    void theSameSeedProposesTheSameTrials() {
        for (Tuner.Search s : Tuner.Search.values()) {
            List<Tuner.Evaluated> a = searchQuadratic(s, 5, 16), b = searchQuadratic(s, 5, 16), c = searchQuadratic(s, 6, 16);
            for (int i = 0; i < 16; i++) assertThat((double[]) b.get(i).payload()).containsExactly((double[]) a.get(i).payload());
            assertThat((double[]) c.get(15).payload()).isNotEqualTo(a.get(15).payload());
        }
    }

    @Test
    void medianRuleComparesWithCompletedTrialsAtTheSameEpoch() {
        List<Tuner.Evaluated> done = List.of(new Tuner.Evaluated(0.7, new double[] {0.6, 0.7}, null),
                new Tuner.Evaluated(0.8, new double[] {0.65, 0.8}, null), new Tuner.Evaluated(0.75, new double[] {0.7, 0.75}, null),
                new Tuner.Evaluated(0.5, null, null)); // pruned or diverged: not counted
        Tuner.MedianRule rule = new Tuner.MedianRule(done, 1, 3);
        assertThat(rule.prune(0, 0.64)).isTrue();
        assertThat(rule.prune(0, 0.65)).isFalse();
        assertThat(rule.prune(1, 0.74)).isTrue();
        assertThat(rule.prune(2, 0.1)).as("no completed trial reached epoch 3").isFalse();
        assertThat(new Tuner.MedianRule(done, 2, 3).prune(0, 0.1)).as("warm-up").isFalse();
        assertThat(new Tuner.MedianRule(done, 1, 4).prune(0, 0.1)).as("too few completed").isFalse();
    }

    /** Three good trials complete; a planted trial with a learning rate too small to learn is pruned after one epoch. */
    @Test
    void medianPruningStopsAPlantedBadTrial() {
        SearchSpace s = SearchSpace.builder().choice(Target.LEARNING_RATE, 3e-3, 1e-8).build();
        Tuner t = Tuner.builder(s).parallel(1, 1).baseConfig(AutoIntConfig.seedsAutoIntPlus().withEmbeddingSize(8).withLayers(1))
                .training(dev.autoint.core.train.Adam.adam(), 1e-3f, 1e-5f, 256).epochs(4, dev.autoint.core.train.Trainer.Monitor.AUC, 0)
                .build();
        List<Tuner.Evaluated> done = new ArrayList<>();
        Tuner.MedianRule none = new Tuner.MedianRule(done, 1, 3);
        for (int i = 0; i < 3; i++) {
            Tuner.TrialRun r = t.trainTrial(i, s.values(new double[] {0}), none, train, valid);
            assertThat(r.trial().status()).isEqualTo(Tuner.Status.COMPLETED);
            assertThat(r.trial().history().epochs()).hasSize(4);
            done.add(new Tuner.Evaluated(r.trial().validAuc(), r.curve(), null));
        }
        Tuner.MedianRule rule = new Tuner.MedianRule(done, 1, 3);
        Tuner.TrialRun bad = t.trainTrial(3, s.values(new double[] {1}), rule, train, valid);
        assertThat(bad.trial().status()).isEqualTo(Tuner.Status.PRUNED);
        assertThat(bad.trial().history().epochs()).hasSize(1);
        assertThat(bad.curve()).as("pruned trials do not feed the rule").isNull();
        Tuner.TrialRun good = t.trainTrial(4, s.values(new double[] {0}), rule, train, valid);
        assertThat(good.trial().status()).isEqualTo(Tuner.Status.COMPLETED);
    }

    @Test
    void aSmallTuneIsReproducibleAndKeepsTheBestModel() {
        SearchSpace s = SearchSpace.builder().logUniform(Target.LEARNING_RATE, 3e-4, 1e-2).choice(Target.EMBEDDING_SIZE, 4, 8).build();
        Tuner.Builder b = Tuner.builder(s).trials(4).seed(3).parallel(2, 1).tpe(2, 0.25)
                .baseConfig(AutoIntConfig.seedsAutoIntPlus().withLayers(1)).training(dev.autoint.core.train.Adam.adam(), 1e-3f, 1e-5f, 512)
                .epochs(2, dev.autoint.core.train.Trainer.Monitor.AUC, 1);
        Tuner.Result a = b.build().run(train, valid), c = b.build().run(train, valid);
        assertThat(a.csv(false)).isEqualTo(c.csv(false));
        assertThat(a.trials()).hasSize(4);
        Tuner.Trial best = a.best();
        for (Tuner.Trial t : a.trials()) assertThat(best.validAuc()).isGreaterThanOrEqualTo(t.validAuc());
        float[] p = a.bestModel().predictor().predict(valid);
        assertThat(dev.autoint.core.train.Metrics.auc(p, valid.labelColumn(), valid.size())).isCloseTo(best.validAuc(),
                org.assertj.core.data.Offset.offset(1e-9));
        assertThat(a.markdown()).contains("| trial | learning-rate | embedding-size |").contains("| " + (best.index() + 1) + "* |");
    }

    /** The schedule names a trial records map to the schedules it trained with, so a recipe can be trained again. */
    @Test
    void scheduleNamesGiveTheTrialsSchedules() {
        assertThat(Tuner.schedule("constant", 0.01f, 10).rate(0)).isEqualTo(0.01f);
        assertThat(Tuner.schedule("constant", 0.01f, 10).rate(1000)).isEqualTo(0.01f);
        var warmup = Tuner.schedule("warmup", 0.01f, 10);
        assertThat(warmup.rate(0)).isLessThan(0.01f);
        assertThat(warmup.rate(10)).isEqualTo(0.01f);
        var plateau = Tuner.schedule("plateau", 0.01f, 10);
        assertThat(plateau).isInstanceOf(dev.autoint.core.train.ReduceOnPlateau.class);
        plateau.onEpochEnd(0, 0.7, true);
        plateau.onEpochEnd(1, 0.6, true); // one epoch without improvement: patience 1 waits
        assertThat(plateau.rate(100)).isEqualTo(0.01f);
        plateau.onEpochEnd(2, 0.65, true); // the second in a row: halved
        assertThat(plateau.rate(100)).isEqualTo(0.005f);
        assertThatThrownBy(() -> Tuner.schedule("cosine", 0.01f, 10)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cosine").hasMessageContaining("plateau");
        assertThatThrownBy(() -> Tuner.schedule("constant", 0f, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Tuner.schedule("warmup", 0.01f, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
