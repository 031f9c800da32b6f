package dev.autoint.core.internal.engine;

import dev.autoint.core.model.Interaction;

/**
 * The interaction of FM, DCN-v2 and xDeepFM for one sample, in double precision with natural arrays and
 * its own hand-written backward: {@link ReferenceModel}'s twin of {@link FamilyPath}. Written from the
 * equations in docs/MODEL.md, not from the lane-layout code.
 */
final class FamilyReference {

    private final ReferenceModel m;
    private final double[][] e; // [field][dim]
    private final int nf, d;
    private final Interaction it;
    // FM
    private double fm;
    private double[] sum;
    // cross: xs[0] = flatten(e), xs[l+1] = x0 ⊙ zs[l] + xs[l]
    private double[][] xs, zs;
    private double[] dxLast;
    // CIN: maps[k][h][dim] after ReLU, p the pooled direct maps
    private double[][][] maps;
    private double[] p;

    FamilyReference(ReferenceModel m, double[][] e) {
        this.m = m;
        this.e = e;
        this.nf = e.length;
        this.d = e[0].length;
        this.it = m.c.interaction();
        if (it instanceof Interaction.FactorizationMachine) {
            sum = new double[d];
            for (int k = 0; k < d; k++) {
                double sq = 0;
                for (int f = 0; f < nf; f++) {
                    sum[k] += e[f][k];
                    sq += e[f][k] * e[f][k];
                }
                fm += 0.5 * (sum[k] * sum[k] - sq);
            }
        } else if (it instanceof Interaction.CrossNetwork c) {
            int w = nf * d;
            xs = new double[c.layers() + 1][];
            zs = new double[c.layers()][];
            xs[0] = flat(e);
            for (int l = 0; l < c.layers(); l++) {
                int wo = m.off("cross." + l + ".weight"), bo = m.off("cross." + l + ".bias");
                zs[l] = new double[w];
                xs[l + 1] = new double[w];
                for (int r = 0; r < w; r++) {
                    double s = m.w[bo + r];
                    for (int q = 0; q < w; q++) s += m.w[wo + r * w + q] * xs[l][q];
                    zs[l][r] = s;
                    xs[l + 1][r] = xs[0][r] * s + xs[l][r];
                }
            }
            dxLast = new double[w];
        } else if (it instanceof Interaction.Cin c) {
            int nk = c.layerSizes().size();
            maps = new double[nk][][];
            p = new double[c.outputWidth()];
            double[][] prev = e;
            int po = 0;
            for (int k = 0; k < nk; k++) {
                int hk = c.layerSizes().get(k), hp = k == 0 ? nf : c.nextMaps(k - 1);
                int wo = m.off("cin." + k + ".weight"), bo = m.off("cin." + k + ".bias");
                maps[k] = new double[hk][d];
                for (int h = 0; h < hk; h++) {
                    for (int dd = 0; dd < d; dd++) {
                        double s = m.w[bo + h];
                        for (int i = 0; i < hp; i++) {
                            for (int j = 0; j < nf; j++) s += m.w[wo + h * hp * nf + i * nf + j] * prev[i][dd] * e[j][dd];
                        }
                        maps[k][h][dd] = Math.max(s, 0);
                    }
                }
                int direct = c.directMaps(k);
                for (int h = 0; h < direct; h++) for (int dd = 0; dd < d; dd++) p[po + h] += maps[k][hk - direct + h][dd];
                po += direct;
                prev = maps[k];
            }
        }
    }

    private static double[] flat(double[][] a) {
        double[] out = new double[a.length * a[0].length];
        for (int i = 0; i < a.length; i++) System.arraycopy(a[i], 0, out, i * a[0].length, a[0].length);
        return out;
    }

    private boolean stacked() {
        return it instanceof Interaction.CrossNetwork c && c.stacked();
    }

    /** What the output layer reads: x_L (parallel cross), p (CIN), nothing otherwise. */
    double[] outputInput() {
        if (xs != null && !stacked()) return xs[xs.length - 1];
        if (p != null) return p;
        return new double[0];
    }

    /** What the DNN reads: x_L when stacked, else flatten(e). */
    double[] dnnInput() {
        return stacked() ? xs[xs.length - 1] : flat(e);
    }

    /** FM's term of the logit (0 for the others). */
    double fm() {
        return fm;
    }

    /** Whether the DNN's input gradient belongs to the interaction (stacked) rather than to the embeddings. */
    boolean takesDnnGradient() {
        return stacked();
    }

    /** Adds the DNN's input gradient (stacked cross only). */
    void addDnnInputGradient(double[] g) {
        for (int r = 0; r < g.length; r++) dxLast[r] += g[r];
    }

    /** Backward from the output's gradient datt (of {@link #outputInput}) and the logit's dz; adds into grad and de. */
    void backward(double[] datt, double dz, double[] grad, double[][] de) {
        if (it instanceof Interaction.FactorizationMachine) {
            for (int f = 0; f < nf; f++) for (int k = 0; k < d; k++) de[f][k] += dz * (sum[k] - e[f][k]);
        } else if (it instanceof Interaction.CrossNetwork c) {
            int w = nf * d;
            double[] g = dxLast.clone();
            if (!c.stacked()) for (int r = 0; r < w; r++) g[r] += datt[r];
            double[] dx0 = new double[w];
            for (int l = c.layers() - 1; l >= 0; l--) {
                int wo = m.off("cross." + l + ".weight"), bo = m.off("cross." + l + ".bias");
                double[] dIn = g.clone(); // the residual x_l
                for (int r = 0; r < w; r++) {
                    double dzr = g[r] * xs[0][r];
                    dx0[r] += g[r] * zs[l][r];
                    grad[bo + r] += dzr;
                    for (int q = 0; q < w; q++) {
                        grad[wo + r * w + q] += dzr * xs[l][q];
                        dIn[q] += dzr * m.w[wo + r * w + q];
                    }
                }
                g = dIn;
            }
            for (int f = 0; f < nf; f++) for (int k = 0; k < d; k++) de[f][k] += g[f * d + k] + dx0[f * d + k];
        } else if (it instanceof Interaction.Cin c) {
            int nk = c.layerSizes().size();
            double[][][] dmaps = new double[nk][][];
            int po = 0;
            for (int k = 0; k < nk; k++) {
                int hk = c.layerSizes().get(k), direct = c.directMaps(k);
                dmaps[k] = new double[hk][d];
                for (int h = 0; h < direct; h++) for (int dd = 0; dd < d; dd++) dmaps[k][hk - direct + h][dd] += datt[po + h];
                po += direct;
            }
            for (int k = nk - 1; k >= 0; k--) {
                int hk = c.layerSizes().get(k), hp = k == 0 ? nf : c.nextMaps(k - 1);
                int wo = m.off("cin." + k + ".weight"), bo = m.off("cin." + k + ".bias");
                double[][] prev = k == 0 ? e : maps[k - 1];
                double[][] dprev = k == 0 ? de : dmaps[k - 1];
                for (int h = 0; h < hk; h++) {
                    for (int dd = 0; dd < d; dd++) {
                        double gp = maps[k][h][dd] > 0 ? dmaps[k][h][dd] : 0;
                        grad[bo + h] += gp;
                        for (int i = 0; i < hp; i++) {
                            for (int j = 0; j < nf; j++) {
                                int wi = wo + h * hp * nf + i * nf + j;
                                grad[wi] += gp * prev[i][dd] * e[j][dd];
                                dprev[i][dd] += gp * m.w[wi] * e[j][dd];
                                de[j][dd] += gp * m.w[wi] * prev[i][dd];
                            }
                        }
                    }
                }
            }
        }
    }
}
