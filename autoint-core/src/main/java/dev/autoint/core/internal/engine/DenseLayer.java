package dev.autoint.core.internal.engine;

import dev.autoint.core.internal.kernel.Kernels;

/**
 * One hidden layer of the DNN branch of AutoInt+: {@code h = dropout(ReLU(W x + b))}, W of shape (U, in).
 *
 * <p>Dropout is inverted (kept units scaled by 1/(1−p)) and its mask is a pure function of
 * (seed, step, position of the sample in the batch, layer, unit), so it does not depend on how the batch
 * was split across threads.
 */
final class DenseLayer {

    private final Kernels kr;
    private final int index;
    private final int in;
    private final int units;
    private final int wOff;
    private final int bOff;
    private final float dropout;
    private final int fields; // > 0 for the first layer, whose input is the feature-major embeddings
    private final int width;

    /**
     * @param fields F when the input is the flattened embeddings (the first layer), else 0
     * @param width  D for the first layer
     */
    DenseLayer(Kernels kr, int index, int in, int units, int wOff, int bOff, float dropout, int fields, int width) {
        this.kr = kr;
        this.index = index;
        this.in = in;
        this.units = units;
        this.wOff = wOff;
        this.bOff = bOff;
        this.dropout = dropout;
        this.fields = fields;
        this.width = width;
    }

    int units() {
        return units;
    }

    /** x (in, n) → ws.hidden[index] (U, n). */
    void forward(Workspace ws, float[] w, float[] x, boolean training, long dropoutKey, int positionBase) {
        final int nPad = ws.nPad, ld = ws.ld;
        final float[] hOut = ws.hidden[index];
        final int hb = ws.base(hOut);
        float[] wm = w;
        int wo = wOff;
        if (fields > 0) {
            FeatureMajor.permute(w, wOff, ws.dnnW0, units, fields, width);
            wm = ws.dnnW0;
            wo = 0;
        }
        kr.mult(units, nPad, in, wm, wo, in, x, ws.base(x), ld, hOut, hb, ld);
        kr.addBiasRows(units, nPad, hOut, hb, ld, w, bOff);
        kr.relu(units * ld, hOut, hb, hOut, hb);
        float[] m = ws.mask[index];
        if (m != null) {
            final int mb = ws.base(m);
            if (training) {
                float keep = 1f / (1f - dropout);
                for (int u = 0; u < units; u++) {
                    for (int s = 0; s < nPad; s++) {
                        float r = uniform(dropoutKey, positionBase + s, index, u);
                        m[mb + u * ld + s] = r >= dropout ? keep : 0f;
                    }
                }
                for (int u = 0; u < units; u++) {
                    for (int s = 0; s < nPad; s++) hOut[hb + u * ld + s] *= m[mb + u * ld + s];
                }
            } else {
                java.util.Arrays.fill(m, 1f);
            }
        }
    }

    /** dh (U, n) is overwritten; adds into dx (in, n) and the weight and bias gradients. */
    void backward(Workspace ws, float[] w, float[] x, float[] dh, float[] dx, float[] g) {
        final int n = ws.n, nPad = ws.nPad, ld = ws.ld;
        final float[] hOut = ws.hidden[index];
        final int hb = ws.base(hOut), db = ws.base(dh);
        float[] m = ws.mask[index];
        if (m != null) {
            final int mb = ws.base(m);
            for (int i = 0, e = units * ld; i < e; i++) dh[db + i] *= m[mb + i];
        }
        kr.reluBackward(units * ld, hOut, hb, dh, db, dh, db);
        kr.rowSums(units, n, dh, db, ld, g, bOff);
        // dW (U, in) = dh (U, n) · xᵀ (n, in). As a product of rows over samples it would reduce across lanes
        // once per weight (U·in reductions per chunk); computed transposed, dWᵀ (in, U) = x (in, n) · dhᵀ (n, U),
        // it is an ordinary product whose rows are units: dh is transposed (U·n floats, small) and no lane
        // reduction remains.
        final float[] dhT = ws.dhT, gT = ws.gT;
        for (int u = 0; u < units; u++) {
            for (int s = 0; s < n; s++) dhT[s * units + u] = dh[db + u * ld + s];
        }
        kr.mult(in, units, n, x, ws.base(x), ld, dhT, 0, units, gT, 0, units);
        if (fields > 0) {
            FeatureMajor.addBackTransposed(gT, g, wOff, units, fields, width);
            kr.multAddTransA(in, nPad, units, ws.dnnW0, 0, in, dh, db, ld, dx, ws.base(dx), ld);
        } else {
            FeatureMajor.addBackTransposed(gT, g, wOff, units, 1, in); // one "field" of width in: a plain transpose
            kr.multAddTransA(in, nPad, units, w, wOff, in, dh, db, ld, dx, ws.base(dx), ld);
        }
    }

    /** A uniform float in [0, 1) from a 64-bit mix (SplitMix64's finaliser) of the four coordinates. */
    static float uniform(long key, long position, int layer, int unit) {
        long z = key + position * 0x9E3779B97F4A7C15L + ((long) layer << 40 | unit) * 0xC2B2AE3D27D4EB4FL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        return (z >>> 40) * 0x1.0p-24f;
    }
}
