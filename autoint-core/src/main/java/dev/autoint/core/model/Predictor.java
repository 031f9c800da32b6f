package dev.autoint.core.model;

import dev.autoint.core.data.EncodedDataset;
import dev.autoint.core.internal.engine.Network;
import dev.autoint.core.internal.engine.Workspace;
import java.util.Objects;

/**
 * Scores encoded rows with a model's current parameters. Thread-safe: each calling thread gets its own
 * workspace (created on first use, then reused), so concurrent calls never share scratch memory
 * and a warm call allocates nothing but its result. Scoring while a trainer updates the same model gives
 * scores of a mix of old and new weights; score a copy (see {@code ModelFiles}) when that matters.
 *
 * <p>Scoring one user's candidates needs no special call: build the rows with
 * {@link dev.autoint.core.data.EncodedDataset#candidates EncodedDataset.candidates} (or any rows that repeat the
 * user's fields) and score them here. Each chunk of rows is checked for fields whose input is the same in every
 * row (n·F compares at most); those fields' embeddings, first-layer attention projections and first-order
 * terms are computed once per chunk instead of once per row. The scores are bit for bit those of scoring each
 * row alone: a row's score never depends on the rows scored with it.
 */
public final class Predictor {

    private final AutoIntModel model;
    private final Network network;
    private final ThreadLocal<Workspace> workspaces;

    Predictor(AutoIntModel model) {
        this.model = Objects.requireNonNull(model, "model");
        this.network = Network.of(model);
        this.workspaces = ThreadLocal.withInitial(() -> network.newInferenceWorkspace(Network.DEFAULT_CHUNK));
    }

    /**
     * The model this predictor scores with.
     *
     * @return the model, never null
     */
    public AutoIntModel model() {
        return model;
    }

    /**
     * Click probabilities σ(logit) of every row of {@code data}, into {@code out[0 .. data.size())}.
     *
     * @param data the rows; their fields must match the model's
     * @param out  receives one probability in [0, 1] per row; entries past {@code data.size()} are untouched
     * @throws IndexOutOfBoundsException if {@code out} is shorter than {@code data.size()}
     */
    public void predict(EncodedDataset data, float[] out) {
        predict(data, null, 0, data.size(), out, 0, true);
    }

    /**
     * Click probabilities of every row of {@code data}, as a new array.
     *
     * @param data the rows; their fields must match the model's
     * @return one probability in [0, 1] per row, in row order
     */
    public float[] predict(EncodedDataset data) {
        float[] out = new float[data.size()];
        predict(data, out);
        return out;
    }

    /**
     * Logits (log-odds, before the sigmoid) of every row of {@code data}, into {@code out[0 .. data.size())}.
     *
     * @param data the rows; their fields must match the model's
     * @param out  receives one logit per row; entries past {@code data.size()} are untouched
     * @throws IndexOutOfBoundsException if {@code out} is shorter than {@code data.size()}
     */
    public void logits(EncodedDataset data, float[] out) {
        predict(data, null, 0, data.size(), out, 0, false);
    }

    /**
     * Scores {@code count} rows: {@code rows[from ..]} (or rows {@code from ..} when {@code rows} is null),
     * writing into {@code out[outOff ..]} probabilities ({@code probabilities}) or logits.
     *
     * @param data          the rows; their fields must match the model's
     * @param rows          row indices into {@code data}, or null to score consecutive rows
     * @param from          first position in {@code rows} (or first row of {@code data} when {@code rows} is null)
     * @param count         number of rows to score, at least 0
     * @param out           receives the scores at {@code out[outOff .. outOff + count)}; nothing else is written
     * @param outOff        first index of {@code out} written
     * @param probabilities true for probabilities in [0, 1], false for logits
     * @throws IndexOutOfBoundsException if a range falls outside {@code out}, {@code rows} or {@code data}
     */
    public void predict(EncodedDataset data, int[] rows, int from, int count, float[] out, int outOff,
                        boolean probabilities) {
        Objects.checkFromIndexSize(outOff, count, out.length);
        if (rows != null) Objects.checkFromIndexSize(from, count, rows.length);
        else Objects.checkFromIndexSize(from, count, data.size());
        Workspace ws = workspaces.get();
        for (int done = 0; done < count; ) {
            int n = Math.min(ws.capacity(), count - done);
            network.forward(ws, data, rows, from + done, n, false, 0L, 0);
            for (int s = 0; s < n; s++) {
                float z = ws.logit(s);
                out[outOff + done + s] = probabilities ? sigmoid(z) : z;
            }
            done += n;
        }
    }

    /**
     * The click probability of one row.
     *
     * @param data the rows; their fields must match the model's
     * @param row  the row, in {@code [0, data.size())}
     * @return the probability, in [0, 1]
     * @throws IndexOutOfBoundsException if {@code row} is out of range
     */
    public float predict(EncodedDataset data, int row) {
        Objects.checkIndex(row, data.size());
        Workspace ws = workspaces.get();
        network.forward(ws, data, null, row, 1, false, 0L, 0);
        return sigmoid(ws.logit(0));
    }

    /**
     * The attention probabilities the model used for one row: {@code [layer][head][i][j]} is how much field
     * i attended to field j (each {@code [layer][head][i]} sums to 1). Field order is the model's.
     *
     * @param data the rows; their fields must match the model's
     * @param row  the row, in {@code [0, data.size())}
     * @return a new array {@code [layers][heads][fields][fields]}; empty when the model has no interacting layer
     * @throws IndexOutOfBoundsException if {@code row} is out of range
     */
    public float[][][][] attention(EncodedDataset data, int row) {
        Objects.checkIndex(row, data.size());
        Workspace ws = workspaces.get();
        network.forward(ws, data, null, row, 1, false, 0L, 0);
        return network.attentionOf(ws, 0);
    }

    static float sigmoid(float z) {
        return z >= 0 ? 1f / (1f + (float) Math.exp(-z)) : (float) (Math.exp(z) / (1 + Math.exp(z)));
    }
}
