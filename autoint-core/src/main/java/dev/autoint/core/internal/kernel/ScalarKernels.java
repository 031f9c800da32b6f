package dev.autoint.core.internal.kernel;

/**
 * The portable implementation of {@link Kernels}: plain loops, correct on every JVM. Its static
 * {@code *Range} helpers also serve the vector implementation for the samples left over after its last full
 * vector. Loop orders keep the innermost loop unit-stride so that HotSpot's auto-vectoriser can help where it
 * applies.
 */
final class ScalarKernels extends Kernels {

    static final ScalarKernels INSTANCE = new ScalarKernels();

    private ScalarKernels() {
    }

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public int vectorBitSize() {
        return 32;
    }

    @Override
    protected void gemmStrided(int m, int n, int k, float[] a, int aOff, int ars, int acs, float[] b, int bOff,
                               int ldb, float[] c, int cOff, int ldc, boolean accumulate) {
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * ldc;
            if (!accumulate) {
                for (int j = 0; j < n; j++) c[ci + j] = 0f;
            }
            for (int p = 0; p < k; p++) {
                float av = a[aOff + i * ars + p * acs];
                int bp = bOff + p * ldb;
                for (int j = 0; j < n; j++) {
                    c[ci + j] += av * b[bp + j];
                }
            }
        }
    }

    @Override
    protected void multAddTransBImpl(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                              float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                c[cOff + i * ldc + j] += dot(k, a, aOff + i * lda, b, bOff + j * ldb);
            }
        }
    }

    @Override
    public void batchedMult(int count, int m, int n, int k, float alpha, float[] a, int aOff, int aRs, int aCs,
                            float[] b, int bOff, int bRs, int bCs, float[] c, int cOff, int cRs, int cCs) {
        batchedMultRange(0, count, m, n, k, alpha, a, aOff, aRs, aCs, b, bOff, bRs, bCs, c, cOff, cRs, cCs);
    }

    /** Samples [from, to) of {@link #batchedMult}; the vector implementation's tail uses it too. */
    static void batchedMultRange(int from, int to, int m, int n, int k, float alpha, float[] a, int aOff, int aRs,
                                 int aCs, float[] b, int bOff, int bRs, int bCs, float[] c, int cOff, int cRs,
                                 int cCs) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                int ci = cOff + i * cRs + j * cCs;
                for (int s = from; s < to; s++) {
                    float acc = 0f;
                    for (int p = 0; p < k; p++) {
                        acc += a[aOff + i * aRs + p * aCs + s] * b[bOff + p * bRs + j * bCs + s];
                    }
                    c[ci + s] = alpha * acc;
                }
            }
        }
    }

    @Override
    public void softmaxLanes(int count, int rows, int n, float[] x, int off, int rs, int cs) {
        softmaxLanesRange(0, count, rows, n, x, off, rs, cs);
    }

    static void softmaxLanesRange(int from, int to, int rows, int n, float[] x, int off, int rs, int cs) {
        for (int r = 0; r < rows; r++) {
            int o = off + r * rs;
            for (int s = from; s < to; s++) {
                float max = Float.NEGATIVE_INFINITY;
                for (int j = 0; j < n; j++) max = Math.max(max, x[o + j * cs + s]);
                float sum = 0f;
                for (int j = 0; j < n; j++) {
                    float e = FastExp.exp(x[o + j * cs + s] - max);
                    x[o + j * cs + s] = e;
                    sum += e;
                }
                float inv = 1f / sum;
                for (int j = 0; j < n; j++) x[o + j * cs + s] *= inv;
            }
        }
    }

    @Override
    public void softmaxLanesBackward(int count, int rows, int n, float[] p, int pOff, float[] dp, int dpOff,
                                     float[] dx, int dxOff, int rs, int cs) {
        softmaxLanesBackwardRange(0, count, rows, n, p, pOff, dp, dpOff, dx, dxOff, rs, cs);
    }

    static void softmaxLanesBackwardRange(int from, int to, int rows, int n, float[] p, int pOff, float[] dp,
                                          int dpOff, float[] dx, int dxOff, int rs, int cs) {
        for (int r = 0; r < rows; r++) {
            for (int s = from; s < to; s++) {
                float dotv = 0f;
                for (int j = 0; j < n; j++) {
                    dotv += p[pOff + r * rs + j * cs + s] * dp[dpOff + r * rs + j * cs + s];
                }
                for (int j = 0; j < n; j++) {
                    int e = r * rs + j * cs + s;
                    dx[dxOff + e] = p[pOff + e] * (dp[dpOff + e] - dotv);
                }
            }
        }
    }

    @Override
    public void relu(int n, float[] x, int xOff, float[] y, int yOff) {
        for (int i = 0; i < n; i++) y[yOff + i] = Math.max(x[xOff + i], 0f);
    }

    @Override
    public void reluBackward(int n, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff) {
        for (int i = 0; i < n; i++) dx[dxOff + i] = y[yOff + i] > 0f ? dy[dyOff + i] : 0f;
    }

    @Override
    public void addBiasRows(int rows, int cols, float[] y, int off, int ld, float[] bias, int bOff) {
        for (int i = 0; i < rows; i++) {
            int o = off + i * ld;
            float bv = bias[bOff + i];
            for (int j = 0; j < cols; j++) y[o + j] += bv;
        }
    }

    @Override
    public void rowSums(int rows, int cols, float[] x, int off, int ld, float[] out, int outOff) {
        for (int i = 0; i < rows; i++) {
            int o = off + i * ld;
            float s = 0f;
            for (int j = 0; j < cols; j++) s += x[o + j];
            out[outOff + i] += s;
        }
    }

    @Override
    public void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
        for (int i = 0; i < n; i++) y[yOff + i] += alpha * x[xOff + i];
    }

    private static float dot(int n, float[] x, int xOff, float[] y, int yOff) {
        float s = 0f;
        for (int i = 0; i < n; i++) s += x[xOff + i] * y[yOff + i];
        return s;
    }

    @Override
    public void gatherRows(int count, int d, float[] w, int[] src, float[] out, int oOff, int ors) {
        gatherRowsRange(0, count, d, w, src, out, oOff, ors);
    }

    static void gatherRowsRange(int from, int to, int d, float[] w, int[] src, float[] out, int oOff, int ors) {
        for (int s = from; s < to; s++) {
            int r = src[s];
            for (int k = 0; k < d; k++) out[oOff + k * ors + s] = w[r + k];
        }
    }

    @Override
    public void scatterAddRows(int count, int d, float[] dOut, int oOff, int ors, int[] dst, float[] g) {
        scatterAddRowsRange(0, count, d, dOut, oOff, ors, dst, g);
    }

    static void scatterAddRowsRange(int from, int to, int d, float[] dOut, int oOff, int ors, int[] dst, float[] g) {
        for (int s = from; s < to; s++) {
            int r = dst[s];
            for (int k = 0; k < d; k++) g[r + k] += dOut[oOff + k * ors + s];
        }
    }

    @Override
    public void adamUpdate(int off, int len, float[] w, float[] g, float[] m, float[] v, float beta1, float beta2,
                           float eps, float step, float b2, float lr, float wd, boolean decoupled) {
        adamRange(off, off + len, w, g, m, v, beta1, beta2, eps, step, b2, lr, wd, decoupled);
    }

    static void adamRange(int from, int to, float[] w, float[] g, float[] m, float[] v, float beta1, float beta2,
                          float eps, float step, float b2, float lr, float wd, boolean decoupled) {
        for (int i = from; i < to; i++) {
            float gi = g[i];
            if (decoupled) {
                w[i] *= 1 - lr * wd;
            } else if (wd != 0f) {
                gi += wd * w[i];
            }
            m[i] = beta1 * m[i] + (1 - beta1) * gi;
            v[i] = beta2 * v[i] + (1 - beta2) * gi * gi;
            float denom = (float) Math.sqrt(v[i]) / b2 + eps;
            w[i] -= step * m[i] / denom;
        }
    }

    @Override
    public void prepareUpdate(int off, int len, float[] g, float[][] others, float[] w, float twoLambda, float[] save) {
        prepareRange(off, off + len, g, others, w, twoLambda, save);
    }

    static void prepareRange(int from, int to, float[] g, float[][] others, float[] w, float twoLambda, float[] save) {
        for (int i = from; i < to; i++) {
            float gi = g[i];
            for (float[] o : others) {
                gi += o[i];
                o[i] = 0f;
            }
            if (twoLambda != 0f) gi += twoLambda * w[i];
            g[i] = gi;
            if (save != null) save[i] = w[i];
        }
    }

    @Override
    public boolean finishUpdate(int off, int len, float[] w, float[] g) {
        return finishRange(off, off + len, w, g);
    }

    static boolean finishRange(int from, int to, float[] w, float[] g) {
        boolean finite = true;
        for (int i = from; i < to; i++) {
            finite &= Float.isFinite(w[i]);
            g[i] = 0f;
        }
        return finite;
    }
}
