package dev.autoint.core.internal.engine;

import dev.autoint.core.internal.kernel.Kernels;
import dev.autoint.core.model.AutoIntConfig;
import dev.autoint.core.model.Interaction;
import dev.autoint.core.model.Parameters;
import java.util.Arrays;

/**
 * The interaction part of the models beside AutoInt: FM's second-order term, DCN-v2's cross network or
 * xDeepFM's CIN, chosen by {@link AutoIntConfig#interaction()}. {@link Network} runs the shared parts
 * (embeddings, first-order term, DNN, output layer) and asks this class three things: what the output layer
 * reads from the interaction ({@link #outputInput}, {@code outputWidth} wide), what the DNN reads
 * ({@link #dnnInput}: the cross output when stacked, else the embeddings) and what to add to the logit
 * ({@link #addToLogits}, FM). Backward mirrors it.
 *
 * <pre>
 *   FM, DeepFM       z = b + lin + fm(e) + w_hᵀ h,           h = DNN(flatten(e))
 *   DCN-v2 parallel  z = b + lin + w_oᵀ [x_L ; h],           x_L = Cross^L(flatten(e)), h = DNN(flatten(e))
 *   DCN-v2 stacked   z = b + lin + w_hᵀ h,                   h = DNN(x_L)
 *   xDeepFM          z = b + lin + w_oᵀ [p ; h],             p = sum-pooled CIN maps, h = DNN(flatten(e))
 * </pre>
 * Every activation and scratch buffer lives in the workspace's {@link Buffers}.
 */
final class FamilyPath {

    private final int nf;
    private final int d;
    private final int fd;
    private final FmLayer fm; // FM only
    private final CrossLayer[] cross; // cross network only
    private final boolean stacked;
    private final CinLayer[] cin; // CIN only
    private final Interaction.Cin cinSpec;

    /** The interaction of {@code config} (not attention) over {@code fields} fields, tensors found by name in params. */
    FamilyPath(Kernels kr, AutoIntConfig config, int fields, Parameters params) {
        this.nf = fields;
        this.d = config.embeddingSize();
        this.fd = nf * d;
        Interaction it = config.interaction();
        if (it instanceof Interaction.FactorizationMachine) {
            fm = new FmLayer(nf, d);
            cross = new CrossLayer[0];
            stacked = false;
            cin = new CinLayer[0];
            cinSpec = null;
        } else if (it instanceof Interaction.CrossNetwork c) {
            fm = null;
            cross = new CrossLayer[c.layers()];
            for (int l = 0; l < cross.length; l++) {
                cross[l] = new CrossLayer(kr, l, nf, d, params.tensor("cross." + l + ".weight").offset(),
                        params.tensor("cross." + l + ".bias").offset());
            }
            stacked = c.stacked();
            cin = new CinLayer[0];
            cinSpec = null;
        } else if (it instanceof Interaction.Cin c) {
            fm = null;
            cross = new CrossLayer[0];
            stacked = false;
            cinSpec = c;
            cin = new CinLayer[c.layerSizes().size()];
            int prev = nf;
            for (int k = 0; k < cin.length; k++) {
                cin[k] = new CinLayer(kr, k, nf, d, prev, c.layerSizes().get(k), params.tensor("cin." + k + ".weight").offset(),
                        params.tensor("cin." + k + ".bias").offset());
                prev = c.nextMaps(k);
            }
        } else {
            throw new IllegalArgumentException("attention is not a family path: " + it);
        }
    }

    /** Fields the output layer's interaction part is grouped in for {@link FeatureMajor#permute}: F for x_L, else 1. */
    int outputFields() {
        return cross.length > 0 ? nf : 1;
    }

    /** Forward FLOP per sample of the interaction (the shared parts are counted by {@link Network}). */
    long flopsPerRow() {
        long t = fm != null ? fm.flopsPerRow() : 0;
        for (CrossLayer c : cross) t += c.flopsPerRow();
        for (CinLayer c : cin) t += c.flopsPerRow();
        if (cinSpec != null) t += (long) cinSpec.outputWidth() * d;
        return t;
    }

    /** Activations and scratch of the interaction for one workspace; the backward ones only when training. */
    static final class Buffers {
        final float[] fmSum; // (D, ld) S_k
        final float[] fmOut; // (ld)
        final float[][] crossW; // per layer (F·D, F·D), rows and columns feature-major
        final float[][] crossB; // per layer (F·D), feature-major
        final float[][] crossZ; // per layer (F·D, ld) W x_l + b
        final float[][] crossX; // per layer (F·D, ld) x_{l+1}
        final float[] crossDA; // (F·D, ld) ping-pong gradients; DA receives ∂x_L
        final float[] crossDB;
        final float[] crossDz; // (F·D, ld)
        final float[] crossG; // (F·D, F·D) a layer's weight gradient, feature-major
        final float[] crossGb; // (F·D)
        final float[][] cinOut; // per layer (H_k, D, ld)
        final float[] cinZ; // (max H'·F, D, ld)
        final float[] cinDz;
        final float[] cinDA; // (max H, D, ld) ping-pong gradients of the layers' outputs
        final float[] cinDB;
        final float[] pooled; // (Σ direct maps, ld)
        final float[] dPooled;

        Buffers(FamilyPath p, int ld, boolean inferenceOnly) {
            int fd = p.fd, d = p.d;
            boolean train = !inferenceOnly;
            fmSum = new float[p.fm != null ? d * ld : 0];
            fmOut = new float[p.fm != null ? ld : 0];
            int nc = p.cross.length;
            crossW = new float[nc][fd * fd];
            crossB = new float[nc][fd];
            crossZ = new float[nc][fd * ld];
            crossX = new float[nc][fd * ld];
            crossDA = new float[nc > 0 && train ? fd * ld : 0];
            crossDB = new float[crossDA.length];
            crossDz = new float[crossDA.length];
            crossG = new float[nc > 0 && train ? fd * fd : 0];
            crossGb = new float[nc > 0 && train ? fd : 0];
            int nk = p.cin.length;
            cinOut = new float[nk][];
            int maxZ = 0, maxH = 0;
            for (int k = 0; k < nk; k++) {
                cinOut[k] = new float[p.cin[k].maps() * d * ld];
                maxZ = Math.max(maxZ, (k == 0 ? p.nf : p.cinSpec.nextMaps(k - 1)) * p.nf * d * ld);
                maxH = Math.max(maxH, p.cin[k].maps() * d * ld);
            }
            cinZ = new float[maxZ];
            cinDz = new float[train ? maxZ : 0];
            cinDA = new float[train ? maxH : 0];
            cinDB = new float[train ? maxH : 0];
            int pw = p.cinSpec != null ? p.cinSpec.outputWidth() : 0;
            pooled = new float[pw * ld];
            dPooled = new float[train ? pw * ld : 0];
        }
    }

    Buffers newBuffers(int ld, boolean inferenceOnly) {
        return new Buffers(this, ld, inferenceOnly);
    }

    /** The interaction's forward pass over the workspace's chunk, from the embeddings {@code ws.e0}. */
    void forward(Workspace ws, float[] w) {
        final Buffers b = ws.family;
        final int nPad = ws.nPad, ld = ws.ld;
        if (fm != null) fm.forward(ws.e0, nPad, ld, b.fmSum, b.fmOut);
        float[] x = ws.e0;
        for (int l = 0; l < cross.length; l++) {
            cross[l].forward(b, w, ws.e0, x, nPad, ld);
            x = b.crossX[l];
        }
        if (cin.length > 0) {
            x = ws.e0;
            for (int k = 0; k < cin.length; k++) {
                cin[k].forward(b, w, x, ws.e0, nPad, ld);
                x = b.cinOut[k];
            }
            // p: each layer's direct maps (the last ones), summed over the embedding dimension.
            int po = 0;
            for (int k = 0; k < cin.length; k++) {
                int direct = cinSpec.directMaps(k), start = cin[k].maps() - direct;
                float[] out = b.cinOut[k];
                for (int h = 0; h < direct; h++) {
                    int pr = (po + h) * ld;
                    Arrays.fill(b.pooled, pr, pr + nPad, 0f);
                    for (int dd = 0; dd < d; dd++) {
                        int xr = ((start + h) * d + dd) * ld;
                        for (int s = 0; s < nPad; s++) b.pooled[pr + s] += out[xr + s];
                    }
                }
                po += direct;
            }
        }
    }

    /** What the output layer reads ({@code outputWidth} rows): x_L (parallel cross), p (CIN); e0, unread, otherwise. */
    float[] outputInput(Workspace ws) {
        if (cross.length > 0 && !stacked) return ws.family.crossX[cross.length - 1];
        if (cin.length > 0) return ws.family.pooled;
        return ws.e0;
    }

    /** What the first DNN layer reads, (F·D) rows feature-major: x_L when stacked, else the embeddings. */
    float[] dnnInput(Workspace ws) {
        return stacked ? ws.family.crossX[cross.length - 1] : ws.e0;
    }

    /** Adds the FM term to the logits (nothing for the other interactions). */
    void addToLogits(Workspace ws) {
        if (fm == null) return;
        for (int s = 0; s < ws.nPad; s++) ws.logits[s] += ws.family.fmOut[s];
    }

    /**
     * Starts a backward pass: zeroes and returns the buffer that receives the gradient of {@link #outputInput}
     * ({@code ws.de0}, already zeroed by the network, when the output reads nothing from the interaction).
     */
    float[] startBackward(Workspace ws) {
        Buffers b = ws.family;
        if (cross.length > 0) {
            Arrays.fill(b.crossDA, 0f);
            return stacked ? ws.de0 : b.crossDA;
        }
        if (cin.length > 0) {
            Arrays.fill(b.dPooled, 0f);
            return b.dPooled;
        }
        return ws.de0;
    }

    /** Where the first DNN layer's input gradient goes: ∂x_L when stacked, else ∂e. */
    float[] dnnInputGradient(Workspace ws) {
        return stacked ? ws.family.crossDA : ws.de0;
    }

    /**
     * The interaction's backward pass, once the output layer and the DNN have filled the buffers of
     * {@link #startBackward} and {@link #dnnInputGradient}: adds into {@code ws.de0} and the weights' gradients.
     */
    void backward(Workspace ws, float[] w, float[] g) {
        final Buffers b = ws.family;
        final int n = ws.n, nPad = ws.nPad, ld = ws.ld;
        if (fm != null) fm.backward(ws.e0, b.fmSum, ws.dlogits, nPad, ld, ws.de0);
        float[] dOut = b.crossDA, spare = b.crossDB;
        for (int l = cross.length - 1; l >= 0; l--) {
            float[] xl = l == 0 ? ws.e0 : b.crossX[l - 1];
            float[] dIn = l == 0 ? ws.de0 : spare;
            if (l > 0) Arrays.fill(dIn, 0f);
            cross[l].backward(b, ws.e0, xl, dOut, dIn, ws.de0, g, n, nPad, ld);
            spare = dOut;
            dOut = dIn;
        }
        if (cin.length > 0) {
            int last = cin.length - 1;
            float[] dCur = b.cinDA, dSpare = b.cinDB;
            Arrays.fill(dCur, 0, cin[last].maps() * d * ld, 0f);
            addPooledGradient(b, last, dCur, nPad, ld);
            for (int k = last; k >= 0; k--) {
                float[] dIn;
                if (k > 0) {
                    dIn = dSpare;
                    Arrays.fill(dIn, 0, cin[k - 1].maps() * d * ld, 0f);
                    addPooledGradient(b, k - 1, dIn, nPad, ld);
                } else {
                    dIn = ws.de0;
                }
                cin[k].backward(b, w, k == 0 ? ws.e0 : b.cinOut[k - 1], ws.e0, dCur, dIn, ws.de0, g, n, nPad, ld);
                dSpare = dCur;
                dCur = dIn;
            }
        }
    }

    /** {@code dX^k} of layer k's direct maps += ∂p of their pooled value, for every dimension. */
    private void addPooledGradient(Buffers b, int k, float[] dx, int nPad, int ld) {
        int po = 0;
        for (int j = 0; j < k; j++) po += cinSpec.directMaps(j);
        int direct = cinSpec.directMaps(k), start = cin[k].maps() - direct;
        for (int h = 0; h < direct; h++) {
            int pr = (po + h) * ld;
            for (int dd = 0; dd < d; dd++) {
                int xr = ((start + h) * d + dd) * ld;
                for (int s = 0; s < nPad; s++) dx[xr + s] += b.dPooled[pr + s];
            }
        }
    }
}
