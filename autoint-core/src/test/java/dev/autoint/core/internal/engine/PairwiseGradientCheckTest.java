package dev.autoint.core.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autoint.core.data.EncodedDataset;
import dev.autoint.core.model.AutoIntConfig;
import dev.autoint.core.model.AutoIntModel;
import dev.autoint.core.model.Interaction;
import dev.autoint.core.model.PairwiseLoss;
import dev.autoint.core.model.TensorInfo;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.assertj.core.data.Offset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The pairwise training step's parameter gradient ({@link Network#backwardPairs} over chunks of 8, as the trainer
 * runs it) against central differences, in double precision on {@link ReferenceModel}, of
 * {@code (1/P) Σ_pairs weight · loss(s⁺ − s⁻)}: every parameter, for BPR and the hinge, on AutoInt+ and DeepFM.
 * The hinge's margin is large enough that every pair is on its linear side, away from the kink.
 */
class PairwiseGradientCheckTest {

    static Stream<Arguments> cases() {
        AutoIntConfig base = AutoIntConfig.defaults().withEmbeddingSize(4).withLayers(2).withHeads(2).withHeadSize(3)
                .withEmbeddingInitStd(0.7f).withSeed(7);
        AutoIntConfig plus = base.withResidual(true).withDnnHidden(List.of(5, 3)).withLinearTerm(true);
        AutoIntConfig deepFm = base.withLayers(0).withLinearTerm(true).withDnnHidden(List.of(5, 3)).withInteraction(Interaction.fm());
        return Stream.of(
                Arguments.of("AutoInt+ BPR", plus, PairwiseLoss.bpr()),
                Arguments.of("AutoInt+ hinge", plus, PairwiseLoss.hinge(50)),
                Arguments.of("DeepFM BPR", deepFm, PairwiseLoss.bpr()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void pairwiseGradientIsTheNumericGradientOfTheSummedPairwiseLoss(String name, AutoIntConfig config, PairwiseLoss loss) {
        AutoIntModel model = GradientCheckTest.model(config);
        EncodedDataset pos = weighted(GradientCheckTest.data(19, 21));
        // Each positive's negative: the same row with the item fields (item, genres) of another random row.
        boolean[] itemFields = {false, true, true, false};
        EncodedDataset pool = GradientCheckTest.data(30, 22);
        SplittableRandom rnd = new SplittableRandom(5);
        int[] ctx = new int[pos.size()];
        int[] items = new int[pos.size()];
        for (int i = 0; i < ctx.length; i++) {
            ctx[i] = i;
            items[i] = rnd.nextInt(pool.size());
        }
        EncodedDataset neg = EncodedDataset.candidates(pos, ctx, pool, items, itemFields);

        Network net = Network.of(model);
        Workspace wp = net.newWorkspace(8);
        Workspace wn = net.newWorkspace(8);
        Gradients grads = new Gradients(model.parameters());
        double lossSum = 0;
        for (int from = 0; from < pos.size(); from += 8) {
            int n = Math.min(8, pos.size() - from);
            net.forward(wp, pos, null, from, n, true, 0L, from);
            net.forward(wn, neg, null, from, n, true, 0L, pos.size() + from);
            lossSum += net.backwardPairs(wp, pos, null, from, wn, neg, null, from, loss, 1f / pos.size(), grads);
        }

        ReferenceModel ref = new ReferenceModel(model);
        assertThat(lossSum / pos.size()).isCloseTo(pairLoss(ref, pos, neg, loss), Offset.offset(1e-5));
        double[] numeric = new double[ref.w.length];
        double eps = 1e-6, maxAbs = 0;
        for (int i = 0; i < ref.w.length; i++) {
            double keep = ref.w[i];
            ref.w[i] = keep + eps;
            double up = pairLoss(ref, pos, neg, loss);
            ref.w[i] = keep - eps;
            double down = pairLoss(ref, pos, neg, loss);
            ref.w[i] = keep;
            numeric[i] = (up - down) / (2 * eps);
            maxAbs = Math.max(maxAbs, Math.abs(numeric[i]));
        }
        assertThat(maxAbs).isGreaterThan(1e-3);
        float[] g = grads.data();
        int checked = 0;
        for (TensorInfo t : model.parameters().tensors()) {
            for (int i = t.offset(); i < t.offset() + t.size(); i++) {
                assertThat((double) g[i]).as("%s: %s[%d]", name, t.name(), i - t.offset())
                        .isCloseTo(numeric[i], Offset.offset(1e-6 + 1e-4 * Math.abs(numeric[i]) + 1e-5 * maxAbs));
                checked++;
            }
        }
        assertThat(checked).isEqualTo(model.parameters().size());
    }

    /** {@code (1/P) Σ_i weight_i · loss(s⁺_i − s⁻_i)} in double precision. */
    private static double pairLoss(ReferenceModel ref, EncodedDataset pos, EncodedDataset neg, PairwiseLoss loss) {
        double total = 0;
        for (int r = 0; r < pos.size(); r++) {
            total += pos.weight(r) * loss.value(ref.logit(pos, r, null, 0, true), ref.logit(neg, r, null, 0, true));
        }
        return total / pos.size();
    }

    /** The rows with weights 0.5, 1, 1.5, ... so that the positive row's weight is exercised. */
    private static EncodedDataset weighted(EncodedDataset d) {
        float[] w = new float[d.size()];
        for (int r = 0; r < w.length; r++) w[r] = 0.5f * (1 + r % 3);
        int nf = d.numFields();
        int[][] ids = new int[nf][];
        int[][] mo = new int[nf][];
        int[][] mi = new int[nf][];
        float[][] v = new float[nf][];
        for (int f = 0; f < nf; f++) {
            switch (d.fields().get(f).kind()) {
                case CATEGORICAL -> ids[f] = d.idColumn(f);
                case MULTI_CATEGORICAL -> {
                    mo[f] = d.multiOffsetColumn(f);
                    mi[f] = d.multiIdColumn(f);
                }
                case NUMERIC -> v[f] = d.valueColumn(f);
            }
        }
        return EncodedDataset.ofColumns(d.fields(), d.labelColumn(), w, ids, mo, mi, v);
    }
}
