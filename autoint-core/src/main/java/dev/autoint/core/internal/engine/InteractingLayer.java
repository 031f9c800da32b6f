package dev.autoint.core.internal.engine;

import dev.autoint.core.model.AutoIntConfig;
import dev.autoint.core.internal.kernel.Kernels;

/**
 * One interacting layer: multi-head self-attention over the fields of a sample (paper eqs. 5-8).
 *
 * <pre>
 *   q_i = W_q e_i,  k_i = W_k e_i,  v_i = W_v e_i,  r_i = W_res e_i          (per field i, per head slice)
 *   a_ij^h = softmax_j( α · ⟨q_i^h, k_j^h⟩ ),  α = 1/√Dh if scaled, else 1      (eq. 5)
 *   o_i^h = Σ_j a_ij^h v_j^h                                                   (eq. 6)
 *   y_i = ReLU( [o_i^1 ; … ; o_i^H] + r_i )       (r_i omitted without residual; eqs. 7-8)
 * </pre>
 * The four weight matrices {@code W_q, W_k, W_v, W_res}, each {@code (A, Din)}, are stored one after the
 * other, and activations are feature-major {@code (feature, field, sample)}, so one product computes every
 * projection of every field: {@code qkvr (P, F·n) = W (P, Din) · x (Din, F·n)}.
 * Attention products run across samples in the lane layout ({@link Kernels#batchedMult}).
 */
public final class InteractingLayer {

    private final Kernels kr;
    private final int layer;
    private final int f;
    private final int din;
    private final int a;
    private final int h;
    private final int dh;
    private final int p; // projection rows: 3A, or 4A with the residual
    private final boolean residual;
    private final float alpha;
    private final int wOff; // start of the stacked (P, Din) weights
    /** Lanes a chunk is padded to a multiple of ({@code nPad}): the fewest over which a shared field is projected. */
    private static final int LANE_BLOCK = 16;

    /** Layer {@code layer} of a model with {@code fields} fields and input width {@code din}; weights at {@code wOff}. */
    public InteractingLayer(Kernels kr, int layer, int fields, int din, AutoIntConfig c, int wOff) {
        this.kr = kr;
        this.layer = layer;
        this.f = fields;
        this.din = din;
        this.a = c.attentionSize();
        this.h = c.heads();
        this.dh = c.headSize();
        this.residual = c.residual();
        this.p = (residual ? 4 : 3) * a;
        this.alpha = c.scaledAttention() ? (float) (1 / Math.sqrt(dh)) : 1f;
        this.wOff = wOff;
    }

    /** Forward over the workspace's current chunk: input {@code x} (din, F, ld), output into the layer's buffers. */
    public void forward(Workspace ws, float[] w, float[] x) {
        final int nPad = ws.nPad, ld = ws.ld, fs = f * ld; // fs: distance between two feature rows
        final float[] qkvr = ws.qkvr[layer], att = ws.attn[layer], y = ws.out[layer];
        // Where each buffer's layout starts (Workspace.realign: on a cache line).
        final int xb = ws.base(x), qb = ws.base(qkvr), ab = ws.base(att), yb = ws.base(y);
        long t = StepProfile.start();
        if (layer == 0 && ws.sharedCount > 0) {
            projectShared(ws, w, x, xb, qkvr, qb);
        } else if (nPad + 16 >= ld) {
            // qkvr (P, F, n) = W (P, Din) · x (Din, F·n): all fields in one product.
            kr.mult(p, fs, din, w, wOff, din, x, xb, fs, qkvr, qb, fs);
        } else {
            // A short chunk (a single row to explain, the tail of a batch): one product per field over the
            // chunk's lanes only, instead of every field's whole row of ld lanes.
            for (int i = 0; i < f; i++) kr.mult(p, nPad, din, w, wOff, din, x, xb + i * ld, fs, qkvr, qb + i * ld, fs);
        }
        // scores_h (F, F) = α · Q_h (F, Dh) · K_h (F, Dh)ᵀ, P_h = softmax over each row, o_h (F, Dh) = P_h · V_h,
        // written into head h's features of y; fused per block of samples and query field where the kernels can.
        t = StepProfile.lap(StepProfile.Part.PROJECTION, t);
        // y = ReLU(o + r) is the kernel's epilogue: no separate pass over the layer's output.
        kr.attentionLanes(nPad, f, h, dh, alpha, qkvr, qb, qb + a * fs, qb + 2 * a * fs,
                residual ? qb + 3 * a * fs : -1, fs, ld, att, ab, y, yb);
        StepProfile.lap(StepProfile.Part.ATTENTION, t);
    }

    /**
     * The first layer's projections when some fields are the same in every sample of the chunk
     * ({@code ws.shared}, one user's fields across candidate rows): such a field's input is one column copied
     * across the lanes, so its projections are computed on the first {@value #LANE_BLOCK} lanes only and copied;
     * the other fields are projected over the chunk's lanes. Saves {@code 2·P·Din} FLOP per shared field and
     * sample. The values are bit for bit those of the full product: every kernel computes each output lane as
     * the same chain over the inner dimension, in the same order, whichever column it sits in (the vector
     * kernels' panels are FMA chains from zero, a block of {@value #LANE_BLOCK} columns never reaches their
     * scalar tail; the scalar kernels loop per column).
     */
    private void projectShared(Workspace ws, float[] w, float[] x, int xb, float[] qkvr, int qb) {
        final int n = ws.n, nPad = ws.nPad, ld = ws.ld, fs = f * ld;
        for (int i = 0; i < f; i++) {
            if (!ws.shared[i]) {
                kr.mult(p, nPad, din, w, wOff, din, x, xb + i * ld, fs, qkvr, qb + i * ld, fs);
                continue;
            }
            kr.mult(p, LANE_BLOCK, din, w, wOff, din, x, xb + i * ld, fs, qkvr, qb + i * ld, fs);
            if (n > LANE_BLOCK) {
                for (int r = 0; r < p; r++) {
                    int o = qb + r * fs + i * ld;
                    java.util.Arrays.fill(qkvr, o + LANE_BLOCK, o + n, qkvr[o]);
                    java.util.Arrays.fill(qkvr, o + n, o + nPad, 0f); // as the product of the zero padding lanes
                }
            }
        }
    }

    /**
     * Backward of the last forward: {@code dy} (A, F, n) is the gradient of this layer's output (overwritten
     * without the residual, where it becomes dZ, the gradient before the ReLU; left as it was with it); the
     * input gradient is added into {@code dx} (Din, F, n), the weights' into {@code g}.
     */
    public void backward(Workspace ws, float[] w, float[] x, float[] dy, float[] dx, float[] g) {
        final int n = ws.n, nPad = ws.nPad, ld = ws.ld, fs = f * ld;
        final float[] qkvr = ws.qkvr[layer], att = ws.attn[layer], y = ws.out[layer];
        final float[] dq = ws.dqkvr, dat = ws.dattn;
        final int xb = ws.base(x), dyb = ws.base(dy), dxb = ws.base(dx), qb = ws.base(qkvr), ab = ws.base(att),
                yb = ws.base(y), dqb = ws.base(dq), db = ws.base(dat);
        long t = StepProfile.start();
        // dZ, the gradient before the ReLU, is both dO (the attention's output gradient) and, with the residual,
        // the residual projection's gradient: written straight into that part of dqkvr, read from there.
        final float[] dz = residual ? dq : dy;
        final int dzOff = residual ? dqb + 3 * a * fs : dyb;
        kr.reluBackward(a * fs, y, yb, dy, dyb, dz, dzOff);
        t = StepProfile.lap(StepProfile.Part.RELU_BACKWARD, t);
        for (int hh = 0; hh < h; hh++) {
            // dV_h (F, Dh) = P_hᵀ (F, F) · dO_h (F, Dh)
            kr.batchedMult(nPad, f, dh, f, 1f,
                    att, ab + hh * f * f * ld, ld, f * ld,
                    dz, dzOff + hh * dh * fs, ld, fs,
                    dq, dqb + (2 * a + hh * dh) * fs, ld, fs);
            // dP_h (F, F) = dO_h (F, Dh) · V_hᵀ (Dh, F)
            kr.batchedMult(nPad, f, f, dh, 1f,
                    dz, dzOff + hh * dh * fs, ld, fs,
                    qkvr, qb + (2 * a + hh * dh) * fs, fs, ld,
                    dat, db + hh * f * f * ld, f * ld, ld);
        }
        kr.softmaxLanesBackward(nPad, h * f, f, att, ab, dat, db, dat, db, f * ld, ld);
        for (int hh = 0; hh < h; hh++) {
            // dQ_h (F, Dh) = α · dS_h (F, F) · K_h (F, Dh)
            kr.batchedMult(nPad, f, dh, f, alpha,
                    dat, db + hh * f * f * ld, f * ld, ld,
                    qkvr, qb + (a + hh * dh) * fs, ld, fs,
                    dq, dqb + hh * dh * fs, ld, fs);
            // dK_h (F, Dh) = α · dS_hᵀ (F, F) · Q_h (F, Dh)
            kr.batchedMult(nPad, f, dh, f, alpha,
                    dat, db + hh * f * f * ld, ld, f * ld,
                    qkvr, qb + hh * dh * fs, ld, fs,
                    dq, dqb + (a + hh * dh) * fs, ld, fs);
        }
        // Lanes past the chunk's samples may hold values from an earlier, larger chunk: zero them in dqkvr
        // so that the products below, which run over whole rows of F·ld lanes, only see this chunk.
        for (int r = 0, rows = p * f; r < rows; r++) java.util.Arrays.fill(dq, dqb + r * ld + n, dqb + (r + 1) * ld, 0f);
        t = StepProfile.lap(StepProfile.Part.ATTENTION_BACKWARD, t);
        // dW (P, Din) += dqkvr (P, F·n) · xᵀ (F·n, Din): one reduction over every field and sample.
        kr.multAddTransB(p, din, fs, dq, dqb, fs, x, xb, fs, g, wOff, din);
        t = StepProfile.lap(StepProfile.Part.PROJECTION_WEIGHT_GRAD, t);
        // dx (Din, F·n) += Wᵀ (Din, P) · dqkvr (P, F·n)
        kr.multAddTransA(din, fs, p, w, wOff, din, dq, dqb, fs, dx, dxb, fs);
        StepProfile.lap(StepProfile.Part.PROJECTION_INPUT_GRAD, t);
    }
}
