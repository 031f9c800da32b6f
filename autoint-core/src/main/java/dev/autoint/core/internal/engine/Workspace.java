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
    /**
     * The buffers that start on a cache line ({@link #realign}) and, for each, the index of its first element
     * ({@link #base}): element (row r, sample s) of such a buffer is at {@code base(x) + r*ld + s}.
     */
    private final float[][] aligned;
    private final int[] bases;
    private final Object[] holder = new Object[1]; // LaneAlignment's reference slot: realign allocates nothing

    Workspace(Network network, int capacity, boolean inferenceOnly) {
        if (capacity <= 0) throw new IllegalArgumentException("workspace capacity must be > 0, got " + capacity);
        LaneAlignment.checkSetting();
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
        // The lane-layout buffers of the interacting layers and the DNN, and, for AutoInt (whose embeddings only
        // the engine's own layers read), the embeddings: one line longer than their layout, so that they can
        // start on a cache line wherever the array sits (realign). The model family's buffers start at 0.
        final int slack = LaneAlignment.LINE_FLOATS;
        boolean alignEmbeddings = network.family() == null;
        e0 = new float[f * d * ld + (alignEmbeddings ? slack : 0)];
        de0 = new float[f * d * ld + (alignEmbeddings ? slack : 0)];
        qkvr = new float[c.layers()][];
        attn = new float[c.layers()][];
        out = new float[c.layers()][];
        for (int l = 0; l < c.layers(); l++) {
            qkvr[l] = inferenceOnly && l > 0 ? qkvr[0] : new float[f * p * ld + slack];
            attn[l] = new float[h * f * f * ld + slack];
            out[l] = new float[f * a * ld + slack];
        }
        dqkvr = new float[c.layers() > 0 ? f * p * ld + slack : 0];
        dattn = new float[c.layers() > 0 ? h * f * f * ld + slack : 0];
        dyA = new float[f * Math.max(d, a) * ld + slack];
        dyB = new float[f * Math.max(d, a) * ld + slack];
        int nd = c.dnnHidden().size();
        hidden = new float[nd][];
        mask = new float[nd][];
        int maxU = 0;
        for (int i = 0; i < nd; i++) {
            int u = c.dnnHidden().get(i);
            maxU = Math.max(maxU, u);
            hidden[i] = new float[u * ld + slack];
            mask[i] = c.dropout() > 0 ? new float[u * ld + slack] : null;
        }
        int maxIn = 0;
        for (int i = 0; i < nd; i++) maxIn = Math.max(maxIn, i == 0 ? f * d : c.dnnHidden().get(i - 1));
        dhT = new float[inferenceOnly ? 0 : capacity * maxU];
        gT = new float[inferenceOnly ? 0 : maxIn * maxU];
        dhA = new float[maxU * ld + slack];
        dhB = new float[maxU * ld + slack];
        int w0 = nd > 0 ? c.dnnHidden().get(0) * f * d : 0;
        dnnW0 = new float[w0];
        int ow = network.interactionOutputWidth();
        outW = new float[ow];
        outG = new float[ow];
        linear = new float[ld];
        logits = new float[ld];
        dlogits = new float[ld];
        family = network.family() == null ? null : network.family().newBuffers(ld, inferenceOnly);
        java.util.List<float[]> list = new java.util.ArrayList<>();
        if (alignEmbeddings) {
            list.add(e0);
            list.add(de0);
        }
        for (int l = 0; l < c.layers(); l++) {
            if (!list.contains(qkvr[l])) list.add(qkvr[l]);
            list.add(attn[l]);
            list.add(out[l]);
        }
        if (c.layers() > 0) {
            list.add(dqkvr);
            list.add(dattn);
        }
        list.add(dyA);
        list.add(dyB);
        for (int i = 0; i < nd; i++) {
            list.add(hidden[i]);
            if (mask[i] != null) list.add(mask[i]);
        }
        list.add(dhA);
        list.add(dhB);
        aligned = list.toArray(new float[0][]);
        bases = new int[aligned.length];
        realign();
    }

    /**
     * Chooses, for every buffer in {@link #aligned}, the first element that starts a 64-byte cache line
     * ({@link LaneAlignment#offset}), so that every block of 16 samples is one line. Called at the start of
     * every forward pass ({@link Network#forward}), never between a forward and its backward, which read the
     * buffers at the same offsets. The garbage collector may move an array at any time; that only costs
     * speed until the next forward realigns it.
     */
    void realign() {
        for (int i = 0; i < aligned.length; i++) {
            bases[i] = forcedBase < 0 ? LaneAlignment.offset(aligned[i], holder)
                    : scramble ? (forcedBase + 7 * i + 3 * forwards) % LaneAlignment.LINE_FLOATS : forcedBase;
        }
        forwards++;
    }

    /**
     * Tests: when in [0, 16), the buffers start at chosen elements instead of on a cache line: buffer i at
     * {@code (forcedBase + scramble·(7·i + 3·forwards)) mod 16}, i.e. all at {@code forcedBase} unless
     * {@code scramble}, in which case each buffer starts elsewhere and the starts move at every forward (as when
     * the garbage collector moves the arrays).
     */
    int forcedBase = -1;
    boolean scramble;
    private int forwards;

    /**
     * The index of the first element of lane-layout buffer {@code x}: where {@link #realign} put it when
     * {@code x} is one of this workspace's aligned buffers, 0 for any other array (the model family's buffers,
     * the permuted weights, logits, a benchmark's own).
     */
    int base(float[] x) {
        for (int i = 0; i < aligned.length; i++) {
            if (aligned[i] == x) return bases[i];
        }
        return 0;
    }

    /** Zeroes the first {@code length} elements of buffer {@code x}'s layout, from {@link #base}{@code (x)}. */
    void zero(float[] x, int length) {
        int b = base(x);
        java.util.Arrays.fill(x, b, b + length, 0f);
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

    /**
     * The embedding gradient buffer {@code (D, F, ld)}. Like {@link #embeddings()} and {@link #layerOutput},
     * its layout starts at an offset in [0, 16) that the workspace chooses so that it starts on a cache line.
     */
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
