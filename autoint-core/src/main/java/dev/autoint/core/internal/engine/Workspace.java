package dev.autoint.core.internal.engine;

import dev.autoint.core.model.AutoIntConfig;

/**
 * Per-thread scratch memory for one chunk of at most {@link #capacity()} samples: every activation the
 * backward pass needs and every gradient buffer, allocated once, sized from the model and the capacity.
 * A forward or backward pass allocates nothing. Not thread-safe: one workspace per thread.
 *
 * <p>All buffers use the lane layout with row stride {@code ld} (see the package documentation).
 */
public final class Workspace {

    final Network network;
    final int capacity;
    /** Scoring only: one projection buffer serves every layer (a third of the memory traffic), no backward. */
    final boolean inferenceOnly;
    /** Row stride: capacity rounded up to 32, plus 16, so consecutive rows fall into different L1 sets. */
    final int ld;
    /** Samples in the current chunk, and that count rounded up to a multiple of 16 (the lanes computed). */
    int n;
    int nPad;
    /**
     * Inference only: per field, whether every sample of the current chunk has the same input (one user's
     * fields across candidate rows), and how many do; 0 when nothing is shared or the workspace trains. Set by
     * {@link Network#forward}, read by the layers that compute such a field once (see EmbeddingLayer.markShared).
     */
    final boolean[] shared;
    int sharedCount;

    final int[] rowStarts; // (capacity) where each sample's embedding row starts, for one field at a time
    final float[] e0; // (D, F, ld) embeddings, feature-major
    final float[] de0; // (D, F, ld)
    final float[][] qkvr; // per layer (P, F, ld) with P = 3A or 4A: Q, K, V and residual projections
    final float[][] attn; // per layer (H, F, F, ld) attention probabilities
    final float[][] out; // per layer (A, F, ld) = ReLU(attention + residual)
    final float[] dqkvr; // (P, F, ld)
    final float[] dattn; // (H, F, F, ld)
    final float[] dyA; // (max(D, A), F, ld) ping-pong gradient buffers between layers
    final float[] dyB;
    // Weights that read a flattened (field, feature) vector, permuted to the feature-major row order: the
    // first DNN layer (U_0, F·D) and the output's attention part (F·W), and the latter's gradient in that order.
    final float[] dnnW0;
    final float[] outW;
    final float[] outG;
    final float[][] hidden; // per DNN layer (U_i, ld), after ReLU and dropout
    final float[][] mask; // per DNN layer (U_i, ld) dropout scale (0 or 1/(1-p)); null without dropout
    final float[] dhT; // (capacity, max U): a DNN layer's output gradient, transposed
    final float[] gT; // (max in, max U): a DNN layer's weight gradient, transposed
    final float[] dhA; // (max U, ld)
    final float[] dhB;
    final float[] linear; // (ld) first-order term per sample
    final float[] logits; // (ld)
    final float[] dlogits; // (ld)
    final FamilyPath.Buffers family; // the interaction's buffers for FM, DCN-v2 and xDeepFM; null for AutoInt

    Workspace(Network network, int capacity, boolean inferenceOnly) {
        if (capacity <= 0) throw new IllegalArgumentException("workspace capacity must be > 0, got " + capacity);
        this.network = network;
        this.capacity = capacity;
        this.inferenceOnly = inferenceOnly;
        this.ld = ((capacity + 31) / 32) * 32 + 16;
        AutoIntConfig c = network.config();
        int f = network.fields().size();
        int d = c.embeddingSize();
        int a = c.attentionSize();
        int h = c.heads();
        int p = network.projectionRows();
        shared = new boolean[f];
        rowStarts = new int[capacity];
        e0 = new float[f * d * ld];
        de0 = new float[f * d * ld];
        qkvr = new float[c.layers()][];
        attn = new float[c.layers()][];
        out = new float[c.layers()][];
        for (int l = 0; l < c.layers(); l++) {
            qkvr[l] = inferenceOnly && l > 0 ? qkvr[0] : new float[f * p * ld];
            attn[l] = new float[h * f * f * ld];
            out[l] = new float[f * a * ld];
        }
        dqkvr = new float[c.layers() > 0 ? f * p * ld : 0];
        dattn = new float[c.layers() > 0 ? h * f * f * ld : 0];
        dyA = new float[f * Math.max(d, a) * ld];
        dyB = new float[f * Math.max(d, a) * ld];
        int nd = c.dnnHidden().size();
        hidden = new float[nd][];
        mask = new float[nd][];
        int maxU = 0;
        for (int i = 0; i < nd; i++) {
            int u = c.dnnHidden().get(i);
            maxU = Math.max(maxU, u);
            hidden[i] = new float[u * ld];
            mask[i] = c.dropout() > 0 ? new float[u * ld] : null;
        }
        int maxIn = 0;
        for (int i = 0; i < nd; i++) maxIn = Math.max(maxIn, i == 0 ? f * d : c.dnnHidden().get(i - 1));
        dhT = new float[inferenceOnly ? 0 : capacity * maxU];
        gT = new float[inferenceOnly ? 0 : maxIn * maxU];
        dhA = new float[maxU * ld];
        dhB = new float[maxU * ld];
        int w0 = nd > 0 ? c.dnnHidden().get(0) * f * d : 0;
        dnnW0 = new float[w0];
        int ow = network.interactionOutputWidth();
        outW = new float[ow];
        outG = new float[ow];
        linear = new float[ld];
        logits = new float[ld];
        dlogits = new float[ld];
        family = network.family() == null ? null : network.family().newBuffers(ld, inferenceOnly);
    }

    /** The most samples a chunk may hold. */
    public int capacity() {
        return capacity;
    }

    /**
     * Sets the current chunk to {@code n} samples without a forward pass, for benchmarks and tests that run one
     * layer alone on {@link #embeddings()}.
     */
    public void setChunk(int n) {
        if (n <= 0 || n > capacity) throw new IllegalArgumentException("chunk of " + n + " outside [1, " + capacity + "]");
        this.n = n;
        this.nPad = (n + 15) & ~15;
        this.sharedCount = 0;
    }

    /** The embedding activations {@code (D, F, ld)}, the first interacting layer's input. */
    public float[] embeddings() {
        return e0;
    }

    /** The embedding gradient buffer {@code (D, F, ld)}. */
    public float[] embeddingGradient() {
        return de0;
    }

    /** The output {@code (A, F, ld)} of interacting layer {@code l}. */
    public float[] layerOutput(int l) {
        return out[l];
    }

    /** Logit of sample s of the last forward pass (s below the chunk's size). */
    public float logit(int s) {
        return logits[s];
    }
}
