package dev.autoint.core.model;

import dev.autoint.core.kernel.Kernels;

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
 * other, so a single product per field computes all projections: {@code qkvr_f (P, n) = W (P, Din) · x_f}.
 * Attention products run across samples in the lane layout ({@link Kernels#batchedGemm}).
 */
final class InteractingLayer {

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

    InteractingLayer(Kernels kr, int layer, int fields, int din, AutoIntConfig c, int wOff) {
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

    /** x (F, Din, n) → ws.out[layer] (F, A, n); keeps qkvr and the attention probabilities for backward. */
    void forward(Workspace ws, float[] w, float[] x) {
        final int nPad = ws.nPad, ld = ws.ld, fs = p * ld;
        final float[] qkvr = ws.qkvr[layer], att = ws.attn[layer], y = ws.out[layer];
        for (int i = 0; i < f; i++) {
            kr.gemm(p, nPad, din, w, wOff, din, x, i * din * ld, ld, qkvr, i * fs, ld, false);
        }
        for (int hh = 0; hh < h; hh++) {
            // scores_h (F, F) = α · Q_h (F, Dh) · K_hᵀ (Dh, F)
            kr.batchedGemm(nPad, f, f, dh, alpha,
                    qkvr, hh * dh * ld, fs, ld,
                    qkvr, (a + hh * dh) * ld, ld, fs,
                    att, hh * f * f * ld, f * ld, ld, false);
        }
        kr.softmaxLanes(nPad, h * f, f, att, 0, f * ld, ld);
        for (int hh = 0; hh < h; hh++) {
            // o_h (F, Dh) = P_h (F, F) · V_h (F, Dh), written into head h's columns of y
            kr.batchedGemm(nPad, f, dh, f, 1f,
                    att, hh * f * f * ld, f * ld, ld,
                    qkvr, (2 * a + hh * dh) * ld, fs, ld,
                    y, hh * dh * ld, a * ld, ld, false);
        }
        if (residual) {
            for (int i = 0; i < f; i++) kr.axpy(a * ld, 1f, qkvr, i * fs + 3 * a * ld, y, i * a * ld);
        }
        kr.relu(f * a * ld, y, 0, y, 0);
    }

    /**
     * dy (F, A, n) is the gradient of this layer's output and is overwritten (it becomes dZ, the gradient
     * before the ReLU); the input gradient is added into dx (F, Din, n); weight gradients into grads.
     */
    void backward(Workspace ws, float[] w, float[] x, float[] dy, float[] dx, float[] g) {
        final int n = ws.n, nPad = ws.nPad, ld = ws.ld, fs = p * ld;
        final float[] qkvr = ws.qkvr[layer], att = ws.attn[layer], y = ws.out[layer];
        final float[] dq = ws.dqkvr, dat = ws.dattn;
        kr.reluBackward(f * a * ld, y, 0, dy, 0, dy, 0);
        if (residual) {
            for (int i = 0; i < f; i++) System.arraycopy(dy, i * a * ld, dq, i * fs + 3 * a * ld, a * ld);
        }
        for (int hh = 0; hh < h; hh++) {
            // dV_h (F, Dh) = P_hᵀ (F, F) · dO_h (F, Dh)
            kr.batchedGemm(nPad, f, dh, f, 1f,
                    att, hh * f * f * ld, ld, f * ld,
                    dy, hh * dh * ld, a * ld, ld,
                    dq, (2 * a + hh * dh) * ld, fs, ld, false);
            // dP_h (F, F) = dO_h (F, Dh) · V_hᵀ (Dh, F)
            kr.batchedGemm(nPad, f, f, dh, 1f,
                    dy, hh * dh * ld, a * ld, ld,
                    qkvr, (2 * a + hh * dh) * ld, ld, fs,
                    dat, hh * f * f * ld, f * ld, ld, false);
        }
        kr.softmaxLanesBackward(nPad, h * f, f, att, 0, dat, 0, dat, 0, f * ld, ld);
        for (int hh = 0; hh < h; hh++) {
            // dQ_h (F, Dh) = α · dS_h (F, F) · K_h (F, Dh)
            kr.batchedGemm(nPad, f, dh, f, alpha,
                    dat, hh * f * f * ld, f * ld, ld,
                    qkvr, (a + hh * dh) * ld, fs, ld,
                    dq, hh * dh * ld, fs, ld, false);
            // dK_h (F, Dh) = α · dS_hᵀ (F, F) · Q_h (F, Dh)
            kr.batchedGemm(nPad, f, dh, f, alpha,
                    dat, hh * f * f * ld, ld, f * ld,
                    qkvr, hh * dh * ld, fs, ld,
                    dq, (a + hh * dh) * ld, fs, ld, false);
        }
        for (int i = 0; i < f; i++) {
            // dW (P, Din) += dqkvr_i (P, n) · x_iᵀ (n, Din), over the chunk's real samples only
            kr.gemmNT(p, din, n, dq, i * fs, ld, x, i * din * ld, ld, g, wOff, din);
            // dx_i (Din, n) += Wᵀ (Din, P) · dqkvr_i (P, n)
            kr.gemmTN(din, nPad, p, w, wOff, din, dq, i * fs, ld, dx, i * din * ld, ld);
        }
    }
}
