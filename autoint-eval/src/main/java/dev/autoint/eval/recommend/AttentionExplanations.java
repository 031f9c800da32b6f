package dev.autoint.eval.recommend;

import dev.autoint.core.data.EncodedDataset;
import dev.autoint.core.data.FieldSpec;
import dev.autoint.core.model.Predictor;
import dev.autoint.eval.recommend.Recommender.ExplanationHook;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * Model-based explanations for any AutoInt model: the field pairs (i ≠ j) its last interacting layer
 * attended to most for the (user, item) row, averaged over heads, e.g.
 * {@code "attention: user_id→genre1 0.31, movie_id→age 0.18"}. Works for every dataset, since it needs only
 * the fields and the row. Thread-safe. Made by {@link ExplanationHook#attention}.
 */
final class AttentionExplanations implements ExplanationHook {

    private final Predictor predictor;
    private final List<FieldSpec> fields;
    private final BiFunction<Integer, Integer, EncodedDataset> row;
    private final int pairs;

    /**
     * @param predictor the model's predictor (it must have at least one interacting layer)
     * @param row       builds the one-row dataset of (user, item) as the model scores it
     * @param pairs     how many pairs to name (at least 1)
     */
    AttentionExplanations(Predictor predictor, BiFunction<Integer, Integer, EncodedDataset> row, int pairs) {
        this.predictor = Objects.requireNonNull(predictor, "predictor");
        this.fields = predictor.model().fields();
        this.row = Objects.requireNonNull(row, "row");
        if (predictor.model().config().layers() < 1) throw new IllegalArgumentException("the model has no interacting layer to explain with");
        if (pairs < 1) throw new IllegalArgumentException("pairs must be >= 1, got " + pairs);
        this.pairs = pairs;
    }

    @Override
    public List<String> explain(int user, int item) {
        return List.of(describe(predictor.attention(row.apply(user, item), 0)));
    }

    /** The strongest pairs of the last layer of attention probabilities {@code [layer][head][i][j]}. */
    String describe(float[][][][] att) {
        float[][][] last = att[att.length - 1];
        int f = fields.size();
        double[][] avg = new double[f][f];
        for (float[][] head : last) for (int i = 0; i < f; i++) for (int j = 0; j < f; j++) avg[i][j] += head[i][j] / last.length;
        int k = Math.min(pairs, f * (f - 1));
        int[] bi = new int[k], bj = new int[k];
        java.util.Arrays.fill(bi, -1);
        for (int i = 0; i < f; i++) {
            for (int j = 0; j < f; j++) {
                if (i == j) continue;
                int pos = k;
                while (pos > 0 && (bi[pos - 1] < 0 || avg[i][j] > avg[bi[pos - 1]][bj[pos - 1]])) pos--;
                if (pos >= k) continue;
                System.arraycopy(bi, pos, bi, pos + 1, k - pos - 1);
                System.arraycopy(bj, pos, bj, pos + 1, k - pos - 1);
                bi[pos] = i;
                bj[pos] = j;
            }
        }
        StringBuilder sb = new StringBuilder("attention: ");
        for (int p = 0; p < k && bi[p] >= 0; p++) {
            if (p > 0) sb.append(", ");
            sb.append(String.format(Locale.ROOT, "%s→%s %.2f", fields.get(bi[p]).name(), fields.get(bj[p]).name(), avg[bi[p]][bj[p]]));
        }
        return sb.toString();
    }
}
