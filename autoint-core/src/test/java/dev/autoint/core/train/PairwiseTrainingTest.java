package dev.autoint.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autoint.core.data.EncodedDataset;
import dev.autoint.core.data.FieldSpec;
import dev.autoint.core.model.AutoIntConfig;
import dev.autoint.core.model.AutoIntModel;
import dev.autoint.core.model.Loss;
import dev.autoint.core.model.PairwiseLoss;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Pairwise training through {@link Trainer.Builder#pairwise}: on implicit feedback with a planted user × item-group
 * taste, BPR and the hinge rank held-out liked items above the others; the run is repeatable bit for bit and its
 * AUC does not depend on the thread count; misuse fails with a clear message.
 */
class PairwiseTrainingTest {

    /**
     * U users, I items in G groups (item i is in group i % G); each user likes two random groups. Training holds
     * only positive rows: for each user, half of the liked items. The test set holds each user's other liked items
     * (label 1) and every item of the groups the user does not like (label 0).
     */
    static final class Taste {
        static final int U = 60, I = 48, G = 4;
        final List<FieldSpec> fields = List.of(FieldSpec.categorical("user", U + 1), FieldSpec.categorical("item", I + 1),
                FieldSpec.categorical("group", G + 1));
        final boolean[] itemFields = {false, true, true};
        final EncodedDataset items;
        final EncodedDataset train;
        final EncodedDataset test;
        final int[] trainUsers;

        Taste(long seed) {
            SplittableRandom r = new SplittableRandom(seed);
            EncodedDataset.Builder cat = EncodedDataset.builder(fields);
            for (int i = 0; i < I; i++) cat.categorical(0, 0).categorical(1, i + 1).categorical(2, i % G + 1).endRow(0f);
            items = cat.build();
            EncodedDataset.Builder tr = EncodedDataset.builder(fields);
            EncodedDataset.Builder te = EncodedDataset.builder(fields);
            List<Integer> users = new ArrayList<>();
            for (int u = 0; u < U; u++) {
                int g1 = r.nextInt(G), g2 = (g1 + 1 + r.nextInt(G - 1)) % G;
                for (int i = 0; i < I; i++) {
                    boolean liked = i % G == g1 || i % G == g2;
                    EncodedDataset.Builder b = liked && r.nextBoolean() ? tr : te;
                    b.categorical(0, u + 1).categorical(1, i + 1).categorical(2, i % G + 1).endRow(liked ? 1f : 0f);
                    if (b == tr) users.add(u);
                }
            }
            train = tr.build();
            test = te.build();
            trainUsers = users.stream().mapToInt(Integer::intValue).toArray();
        }
    }

    static AutoIntModel model(Taste t) {
        return AutoIntModel.create(AutoIntConfig.seedsAutoIntPlus().withEmbeddingSize(8).withLayers(1).withHeadSize(4)
                .withDnnHidden(List.of(16)).withDropout(0f).withSeed(5), t.fields);
    }

    static Trainer.Builder trainer(AutoIntModel m, Taste t, PairwiseLoss loss, int threads) {
        return Trainer.builder(m).epochs(25).batchSize(128).threads(threads).seed(11).learningRate(1e-2f)
                .pairwise(loss, NegativeSampler.uniform(t.items, t.itemFields).excludingSeen(t.trainUsers));
    }

    @Test
    void bprAndHingeRankHeldOutLikedItemsAboveTheOthers() {
        Taste t = new Taste(3);
        double untrained = TrainerTest.testAuc(model(t), t.test);
        for (PairwiseLoss loss : new PairwiseLoss[] {PairwiseLoss.bpr(), PairwiseLoss.hinge(1)}) {
            AutoIntModel m = model(t);
            Trainer.History h = trainer(m, t, loss, 2).build().fit(t.train, null);
            double auc = TrainerTest.testAuc(m, t.test);
            System.out.printf("planted taste, %s: test AUC %.4f (untrained %.4f), train loss %.4f -> %.4f%n", loss, auc,
                    untrained, h.epochs().get(0).trainLoss(), h.epochs().get(h.epochs().size() - 1).trainLoss());
            assertThat(auc).as("%s test AUC", loss).isGreaterThan(0.85);
            assertThat(h.epochs().get(h.epochs().size() - 1).trainLoss()).isLessThan(h.epochs().get(0).trainLoss());
        }
        assertThat(untrained).isBetween(0.35, 0.65);
    }

    @Test
    void pairwiseTrainingIsRepeatableAndItsAucIndependentOfTheThreadCount() {
        Taste t = new Taste(4);
        float[][] w = new float[3][];
        double[] auc = new double[3];
        int[] threads = {2, 2, 1};
        for (int k = 0; k < 3; k++) {
            AutoIntModel m = model(t);
            Trainer.builder(m).epochs(8).batchSize(128).threads(threads[k]).seed(11).learningRate(1e-2f)
                    .pairwise(PairwiseLoss.bpr(), NegativeSampler.popularity(t.items, t.itemFields, 0.75)).build().fit(t.train, null);
            w[k] = m.parameters().toArray();
            auc[k] = TrainerTest.testAuc(m, t.test);
        }
        assertThat(w[1]).containsExactly(w[0]);
        assertThat(Math.abs(auc[2] - auc[0])).isLessThan(0.01);
    }

    @Test
    void misuseFailsWithAClearMessage() {
        Taste t = new Taste(5);
        NegativeSampler s = NegativeSampler.uniform(t.items, t.itemFields);
        assertThatThrownBy(() -> Trainer.builder(model(t)).loss(Loss.focal(2)).pairwise(PairwiseLoss.bpr(), s).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("either loss(...) or pairwise(...)");
        assertThatThrownBy(() -> Trainer.builder(model(t)).pairwise(PairwiseLoss.bpr(), s)
                .earlyStopping(Trainer.Monitor.LOGLOSS, 1, true).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("must monitor AUC");
        assertThatThrownBy(() -> Trainer.builder(model(t)).pairwise(null, s)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("loss");
        assertThatThrownBy(() -> Trainer.builder(model(t)).pairwise(PairwiseLoss.bpr(), null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("sampler");
        // Only negative rows: nothing to pair.
        AutoIntModel m = model(t);
        float[] before = m.parameters().toArray();
        Trainer tr = Trainer.builder(m).threads(1).pairwise(PairwiseLoss.bpr(), s).build();
        assertThatThrownBy(() -> tr.fit(t.test.select(negativeRows(t.test)), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs positive rows");
        assertThat(m.parameters().toArray()).containsExactly(before);
    }

    private static int[] negativeRows(EncodedDataset d) {
        return java.util.stream.IntStream.range(0, d.size()).filter(r -> !Metrics.isPositive(d.label(r))).toArray();
    }
}
