package dev.autoint.core.internal.engine;

import dev.autoint.core.model.AutoIntConfig;
import dev.autoint.core.model.AutoIntModel;
import dev.autoint.core.model.Interaction;
import dev.autoint.core.model.Parameters;
import dev.autoint.core.data.EncodedDataset;
import dev.autoint.core.data.FieldKind;
import java.util.List;

/**
 * A deliberately plain double-precision twin of {@link AutoIntModel}: one sample at a time, natural
 * {@code [field][dim]} arrays, its own hand-written backward. Gradient checks run central differences on
 * it, and the float lane-layout model is compared with it. Parameters share the float model's flat layout.
 */
final class ReferenceModel {

    final AutoIntConfig c;
    final List<dev.autoint.core.data.FieldSpec> fields;
    final Parameters layout;
    final double[] w;
    final int nf, d, a, h, dh;
    final double alpha;

    ReferenceModel(AutoIntModel model) {
        this.c = model.config();
        this.fields = model.fields();
        this.layout = model.parameters();
        float[] src = layout.toArray();
        this.w = new double[src.length];
        for (int i = 0; i < src.length; i++) w[i] = src[i];
        nf = fields.size();
        d = c.embeddingSize();
        a = c.attentionSize();
        h = c.heads();
        dh = c.headSize();
        alpha = c.scaledAttention() ? 1 / Math.sqrt(dh) : 1;
    }

    int off(String name) {
        return layout.tensor(name).offset();
    }

    /** Mean BCE over all rows of data; if grad != null, adds d(mean loss)/dw into it. */
    double loss(EncodedDataset data, double[] grad) {
        double total = 0;
        int n = data.size();
        for (int r = 0; r < n; r++) {
            double z = logit(data, r, grad, 0, true);
            double y = data.label(r);
            total += Math.max(z, 0) - z * y + Math.log1p(Math.exp(-Math.abs(z)));
            if (grad != null) {
                double dz = (1 / (1 + Math.exp(-z)) - y) / n;
                logit(data, r, grad, dz, false);
            }
        }
        return total / n;
    }

    /**
     * Forward of one row; when forwardOnly is false, also runs backward with upstream dz and adds the
     * parameter gradients into grad.
     */
    double logit(EncodedDataset data, int r, double[] grad, double dz, boolean forwardOnly) {
        // ---- embeddings e[f][k]
        double[][] e = new double[nf][d];
        for (int f = 0; f < nf; f++) {
            int o = off("embedding." + fields.get(f).name());
            FieldKind kind = fields.get(f).kind();
            if (kind == FieldKind.CATEGORICAL) {
                int id = data.id(r, f);
                for (int k = 0; k < d; k++) e[f][k] = w[o + id * d + k];
            } else if (kind == FieldKind.MULTI_CATEGORICAL) {
                int[] ids = data.multiIds(r, f);
                for (int id : ids) for (int k = 0; k < d; k++) e[f][k] += w[o + id * d + k] / ids.length;
            } else {
                double x = data.value(r, f);
                for (int k = 0; k < d; k++) e[f][k] = x * w[o + k];
            }
        }
        // ---- interacting layers
        int layers = c.layers();
        double[][][] xs = new double[layers + 1][][];
        double[][][] qs = new double[layers][][], ks = new double[layers][][], vs = new double[layers][][];
        double[][][][] ps = new double[layers][][][];
        xs[0] = e;
        for (int l = 0; l < layers; l++) {
            double[][] x = xs[l];
            int din = x[0].length;
            double[][] q = proj(x, "attention." + l + ".wq", din), kk = proj(x, "attention." + l + ".wk", din);
            double[][] v = proj(x, "attention." + l + ".wv", din);
            double[][][] p = new double[h][nf][nf];
            double[][] y = new double[nf][a];
            for (int hh = 0; hh < h; hh++) {
                for (int i = 0; i < nf; i++) {
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < nf; j++) {
                        double s = 0;
                        for (int t = 0; t < dh; t++) s += q[i][hh * dh + t] * kk[j][hh * dh + t];
                        p[hh][i][j] = alpha * s;
                        max = Math.max(max, p[hh][i][j]);
                    }
                    double sum = 0;
                    for (int j = 0; j < nf; j++) sum += p[hh][i][j] = Math.exp(p[hh][i][j] - max);
                    for (int j = 0; j < nf; j++) p[hh][i][j] /= sum;
                    for (int t = 0; t < dh; t++) {
                        double o = 0;
                        for (int j = 0; j < nf; j++) o += p[hh][i][j] * v[j][hh * dh + t];
                        y[i][hh * dh + t] = o;
                    }
                }
            }
            if (c.residual()) {
                double[][] res = proj(x, "attention." + l + ".wres", din);
                for (int i = 0; i < nf; i++) for (int t = 0; t < a; t++) y[i][t] += res[i][t];
            }
            for (int i = 0; i < nf; i++) for (int t = 0; t < a; t++) y[i][t] = Math.max(y[i][t], 0);
            qs[l] = q;
            ks[l] = kk;
            vs[l] = v;
            ps[l] = p;
            xs[l + 1] = y;
        }
        // ---- DNN on flatten(e)
        int nd = c.dnnHidden().size();
        double[][] hs = new double[nd + 1][];
        FamilyReference fam = c.interaction() instanceof Interaction.Attention ? null : new FamilyReference(this, e);
        hs[0] = fam != null ? fam.dnnInput() : flatten(e);
        for (int i = 0; i < nd; i++) {
            int u = c.dnnHidden().get(i);
            int in = hs[i].length;
            int wo = off("dnn." + i + ".weight"), bo = off("dnn." + i + ".bias");
            double[] out = new double[u];
            for (int o = 0; o < u; o++) {
                double s = w[bo + o];
                for (int k = 0; k < in; k++) s += w[wo + o * in + k] * hs[i][k];
                out[o] = Math.max(s, 0);
            }
            hs[i + 1] = out;
        }
        // ---- output
        double[] att = fam != null ? fam.outputInput() : flatten(xs[layers]);
        double[] hl = hs[nd];
        int ow = att.length + (nd > 0 ? hl.length : 0) > 0 ? off("output.weight") : -1; // none for a plain FM
        double z = w[off("output.bias")];
        for (int k = 0; k < att.length; k++) z += w[ow + k] * att[k];
        if (fam != null) z += fam.fm();
        if (nd > 0) for (int k = 0; k < hl.length; k++) z += w[ow + att.length + k] * hl[k];
        if (c.linearTerm()) z += linear(data, r, null, 0);
        if (forwardOnly) return z;

        // ================= backward
        grad[off("output.bias")] += dz;
        double[] datt = new double[att.length];
        for (int k = 0; k < att.length; k++) {
            grad[ow + k] += dz * att[k];
            datt[k] = dz * w[ow + k];
        }
        double[][] de = new double[nf][d];
        if (nd > 0) {
            double[] dhv = new double[hl.length];
            for (int k = 0; k < hl.length; k++) {
                grad[ow + att.length + k] += dz * hl[k];
                dhv[k] = dz * w[ow + att.length + k];
            }
            for (int i = nd - 1; i >= 0; i--) {
                int u = c.dnnHidden().get(i);
                int in = hs[i].length;
                int wo = off("dnn." + i + ".weight"), bo = off("dnn." + i + ".bias");
                double[] din = new double[in];
                for (int o = 0; o < u; o++) {
                    double g = hs[i + 1][o] > 0 ? dhv[o] : 0;
                    grad[bo + o] += g;
                    for (int k = 0; k < in; k++) {
                        grad[wo + o * in + k] += g * hs[i][k];
                        din[k] += g * w[wo + o * in + k];
                    }
                }
                dhv = din;
            }
            if (fam != null && fam.takesDnnGradient()) {
                fam.addDnnInputGradient(dhv);
            } else {
                for (int f = 0; f < nf; f++) for (int k = 0; k < d; k++) de[f][k] += dhv[f * d + k];
            }
        }
        if (c.linearTerm()) linear(data, r, grad, dz);
        if (fam != null) fam.backward(datt, dz, grad, de);
        double[][] dy = fam != null ? new double[nf][d] : unflatten(datt, nf); // layers = 0 with a family model
        for (int l = layers - 1; l >= 0; l--) {
            double[][] x = xs[l];
            int din = x[0].length;
            double[][] y = xs[l + 1];
            double[][] dzz = new double[nf][a];
            for (int i = 0; i < nf; i++) for (int t = 0; t < a; t++) dzz[i][t] = y[i][t] > 0 ? dy[i][t] : 0;
            double[][] dq = new double[nf][a], dk = new double[nf][a], dv = new double[nf][a];
            for (int hh = 0; hh < h; hh++) {
                for (int i = 0; i < nf; i++) {
                    double[] dp = new double[nf];
                    for (int j = 0; j < nf; j++) {
                        for (int t = 0; t < dh; t++) {
                            dp[j] += dzz[i][hh * dh + t] * vs[l][j][hh * dh + t];
                            dv[j][hh * dh + t] += ps[l][hh][i][j] * dzz[i][hh * dh + t];
                        }
                    }
                    double dot = 0;
                    for (int j = 0; j < nf; j++) dot += ps[l][hh][i][j] * dp[j];
                    for (int j = 0; j < nf; j++) {
                        double ds = alpha * ps[l][hh][i][j] * (dp[j] - dot);
                        for (int t = 0; t < dh; t++) {
                            dq[i][hh * dh + t] += ds * ks[l][j][hh * dh + t];
                            dk[j][hh * dh + t] += ds * qs[l][i][hh * dh + t];
                        }
                    }
                }
            }
            double[][] dx = new double[nf][din];
            projBack(x, dq, "attention." + l + ".wq", din, grad, dx);
            projBack(x, dk, "attention." + l + ".wk", din, grad, dx);
            projBack(x, dv, "attention." + l + ".wv", din, grad, dx);
            if (c.residual()) projBack(x, dzz, "attention." + l + ".wres", din, grad, dx);
            dy = dx;
        }
        for (int f = 0; f < nf; f++) for (int k = 0; k < d; k++) de[f][k] += dy[f][k];
        // embeddings
        for (int f = 0; f < nf; f++) {
            int o = off("embedding." + fields.get(f).name());
            FieldKind kind = fields.get(f).kind();
            if (kind == FieldKind.CATEGORICAL) {
                int id = data.id(r, f);
                for (int k = 0; k < d; k++) grad[o + id * d + k] += de[f][k];
            } else if (kind == FieldKind.MULTI_CATEGORICAL) {
                int[] ids = data.multiIds(r, f);
                for (int id : ids) for (int k = 0; k < d; k++) grad[o + id * d + k] += de[f][k] / ids.length;
            } else {
                double x = data.value(r, f);
                for (int k = 0; k < d; k++) grad[o + k] += x * de[f][k];
            }
        }
        return z;
    }

    private double linear(EncodedDataset data, int r, double[] grad, double dz) {
        double z = 0;
        for (int f = 0; f < nf; f++) {
            int o = off("linear." + fields.get(f).name());
            FieldKind kind = fields.get(f).kind();
            if (kind == FieldKind.CATEGORICAL) {
                int id = data.id(r, f);
                z += w[o + id];
                if (grad != null) grad[o + id] += dz;
            } else if (kind == FieldKind.MULTI_CATEGORICAL) {
                int[] ids = data.multiIds(r, f);
                for (int id : ids) {
                    z += w[o + id] / ids.length;
                    if (grad != null) grad[o + id] += dz / ids.length;
                }
            } else {
                z += data.value(r, f) * w[o];
                if (grad != null) grad[o] += dz * data.value(r, f);
            }
        }
        return z;
    }

    private double[][] proj(double[][] x, String name, int din) {
        int o = off(name);
        double[][] out = new double[nf][a];
        for (int i = 0; i < nf; i++)
            for (int t = 0; t < a; t++) {
                double s = 0;
                for (int k = 0; k < din; k++) s += w[o + t * din + k] * x[i][k];
                out[i][t] = s;
            }
        return out;
    }

    private void projBack(double[][] x, double[][] dout, String name, int din, double[] grad, double[][] dx) {
        int o = off(name);
        for (int i = 0; i < nf; i++)
            for (int t = 0; t < a; t++)
                for (int k = 0; k < din; k++) {
                    grad[o + t * din + k] += dout[i][t] * x[i][k];
                    dx[i][k] += dout[i][t] * w[o + t * din + k];
                }
    }

    private static double[] flatten(double[][] m) {
        int cols = m[0].length;
        double[] out = new double[m.length * cols];
        for (int i = 0; i < m.length; i++) System.arraycopy(m[i], 0, out, i * cols, cols);
        return out;
    }

    private static double[][] unflatten(double[] v, int rows) {
        int cols = v.length / rows;
        double[][] out = new double[rows][cols];
        for (int i = 0; i < rows; i++) System.arraycopy(v, i * cols, out[i], 0, cols);
        return out;
    }
}
