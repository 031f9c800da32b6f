package dev.autoint.core.internal.kernel;

/**
 * The numeric kernels every AutoInt layer runs on: one facade, two implementations.
 *
 * <p>{@link #get()} returns the implementation chosen once at start-up: the Vector API one
 * ({@code VectorKernels}) when the JVM was started with
 * {@code --add-modules jdk.incubator.vector}, otherwise the scalar one, which always works. The system
 * property {@code autoint.kernels=scalar|vector} forces a choice. See {@link KernelProvider}.
 *
 * <p>Conventions, shared by every method:
 * <ul>
 *   <li>Matrices are row-major {@code float[]} with an offset and a leading dimension (the distance
 *       between the starts of two consecutive rows); only the named region is read or written.</li>
 *   <li>"Lane" kernels work on the batch-innermost ("sample-minor") layout the model uses: element
 *       (i, j) of sample s's small matrix X lives at {@code x[off + i*rs + j*cs + s]}, so the
 *       per-sample products become plain FMAs across samples, with no horizontal reductions.</li>
 *   <li>Arguments named {@code c}, {@code y}, {@code out} or {@code dx} are written; everything else is
 *       only read. Output regions must not overlap inputs unless a method says aliasing is allowed.</li>
 *   <li>Zero sizes are allowed and do nothing (an overwrite with a zero inner dimension writes zeros).</li>
 * </ul>
 * Results of the two implementations agree to float rounding (summation order differs), not bitwise.
 */
public abstract class Kernels {

    /** Only the two implementations in this package extend it. */
    Kernels() {
    }

    /** The implementation chosen for this JVM (see {@link KernelProvider}). */
    public static Kernels get() {
        return KernelProvider.current();
    }

    /** The portable scalar implementation (always available). */
    public static Kernels scalar() {
        return ScalarKernels.INSTANCE;
    }

    /** "scalar" or "vector". */
    public abstract String name();

    /** Width of the SIMD registers used, in bits; 32 for the scalar implementation. */
    public abstract int vectorBitSize();

    // ---------------------------------------------------------------- matrix products
    //
    // Names follow EJML: "mult" overwrites C, "multAdd" adds to it; "TransA" / "TransB" use the transpose of
    // A / B as stored.

    /** {@code C = A·B}. A is m×k, B is k×n, C is m×n (overwritten; zeros when k = 0). */
    public final void mult(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                           float[] c, int cOff, int ldc) {
        checkGemm(m, n, k);
        gemmStrided(m, n, k, a, aOff, lda, 1, b, bOff, ldb, c, cOff, ldc, false);
    }

    /** {@code C += A·B}. A is m×k, B is k×n, C is m×n. */
    public final void multAdd(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                              float[] c, int cOff, int ldc) {
        checkGemm(m, n, k);
        gemmStrided(m, n, k, a, aOff, lda, 1, b, bOff, ldb, c, cOff, ldc, true);
    }

    /** {@code C += Aᵀ·B}. A is k×m (so Aᵀ is m×k), B is k×n, C is m×n. */
    public final void multAddTransA(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                    float[] c, int cOff, int ldc) {
        checkGemm(m, n, k);
        gemmStrided(m, n, k, a, aOff, 1, lda, b, bOff, ldb, c, cOff, ldc, true);
    }

    /** {@code C += A·Bᵀ}. A is m×k, B is n×k (so Bᵀ is k×n), C is m×n. */
    public final void multAddTransB(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                    float[] c, int cOff, int ldc) {
        checkGemm(m, n, k);
        if (m == 0 || n == 0 || k == 0) return;
        multAddTransBImpl(m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
    }

    /**
     * C (m×n, row-major) {@code =} or {@code +=} A·B where element (i, p) of A is
     * {@code a[aOff + i*ars + p*acs]} and B is row-major k×n. Covers {@link #mult}, {@link #multAdd} and
     * {@link #multAddTransA}.
     */
    protected abstract void gemmStrided(int m, int n, int k, float[] a, int aOff, int ars, int acs,
                                        float[] b, int bOff, int ldb, float[] c, int cOff, int ldc,
                                        boolean accumulate);

    /** {@link #multAddTransB} once the sizes are checked and non-zero. */
    protected abstract void multAddTransBImpl(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff,
                                              int ldb, float[] c, int cOff, int ldc);

    /**
     * Batched small products in the lane layout: for every sample {@code s < count},
     * {@code C_s = alpha · A_s·B_s} (overwritten), A_s is m×k, B_s is k×n, C_s is m×n, with element (i, j) of
     * X_s at {@code x[xOff + i*xRs + j*xCs + s]}. Transposes are expressed by swapping strides, so this one
     * kernel gives attention's Q·Kᵀ, P·V and all their gradients.
     */
    public abstract void batchedMult(int count, int m, int n, int k, float alpha,
                                     float[] a, int aOff, int aRs, int aCs,
                                     float[] b, int bOff, int bRs, int bCs,
                                     float[] c, int cOff, int cRs, int cCs);

    // ---------------------------------------------------------------- softmax

    /**
     * In-place softmax in the lane layout: for each row r and sample s, over j in [0, n), of
     * {@code x[off + r*rs + j*cs + s]}.
     */
    public abstract void softmaxLanes(int count, int rows, int n, float[] x, int off, int rs, int cs);

    /** Softmax backward in the lane layout; same addressing for p, dp and dx; dx may alias dp. */
    public abstract void softmaxLanesBackward(int count, int rows, int n, float[] p, int pOff, float[] dp,
                                              int dpOff, float[] dx, int dxOff, int rs, int cs);

    // ---------------------------------------------------------------- attention

    /**
     * Multi-head self-attention over the fields of {@code count} samples in the lane layout: for every head
     * {@code h < heads} and query field {@code i < f},
     * <pre>
     *   p_ij = softmax_j( alpha · Σ_d q_i[d] k_j[d] ),   o_i[d] = Σ_j p_ij v_j[d],   d &lt; dh
     * </pre>
     * Feature d of head h of field i of sample s sits at {@code x[off + (h*dh + d)*fs + i*ld + s]} for
     * {@code x} = Q ({@code qOff}), K ({@code kOff}) and V ({@code vOff}), all in {@code qkv}; the output o goes
     * to the same place in {@code y} ({@code yOff}, overwritten) as the interacting layer's output
     * {@code y = ReLU(o + r)}, where r is the residual projection at the same place from {@code rOff} in
     * {@code qkv} ({@code rOff < 0}: no residual, {@code y = ReLU(o)}). The probabilities are kept for the
     * backward pass and for explanations: p_ij of head h at {@code p[pOff + ((h*f + i)*f + j)*ld + s]}.
     *
     * <p>This default runs the steps one after the other over the whole chunk (two {@link #batchedMult}, a
     * {@link #softmaxLanes}, {@link #axpy} and {@link #relu}); an implementation may fuse them so that a query's
     * scores never leave the first-level cache. Results agree to float rounding.
     */
    public void attentionLanes(int count, int f, int heads, int dh, float alpha, float[] qkv, int qOff, int kOff,
                               int vOff, int rOff, int fs, int ld, float[] p, int pOff, float[] y, int yOff) {
        for (int h = 0; h < heads; h++) {
            batchedMult(count, f, f, dh, alpha, qkv, qOff + h * dh * fs, ld, fs, qkv, kOff + h * dh * fs, fs, ld,
                    p, pOff + h * f * f * ld, f * ld, ld);
        }
        softmaxLanes(count, heads * f, f, p, pOff, f * ld, ld);
        for (int h = 0; h < heads; h++) {
            batchedMult(count, f, dh, f, 1f, p, pOff + h * f * f * ld, f * ld, ld, qkv, vOff + h * dh * fs, ld, fs,
                    y, yOff + h * dh * fs, ld, fs);
        }
        // Rows are the A = heads·dh features of every field: count lanes each, at stride ld.
        for (int r = 0, rows = heads * dh * f; r < rows; r++) {
            if (rOff >= 0) axpy(count, 1f, qkv, rOff + r * ld, y, yOff + r * ld);
            relu(count, y, yOff + r * ld, y, yOff + r * ld);
        }
    }

    // ---------------------------------------------------------------- element-wise

    /** {@code y[i] = max(x[i], 0)}; y may alias x. */
    public abstract void relu(int n, float[] x, int xOff, float[] y, int yOff);

    /** {@code dx[i] = y[i] > 0 ? dy[i] : 0} where y is ReLU's output; dx may alias dy. */
    public abstract void reluBackward(int n, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff);

    /** {@code y[i*ld + j] += bias[i]} for a rows×cols block (one bias per row; the lane layout's bias). */
    public abstract void addBiasRows(int rows, int cols, float[] y, int off, int ld, float[] bias, int bOff);

    /** {@code out[i] += Σ_j x[i*ld + j]} (gradient of {@link #addBiasRows}). */
    public abstract void rowSums(int rows, int cols, float[] x, int off, int ld, float[] out, int outOff);

    /** {@code y[i] += alpha * x[i]}. */
    public abstract void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff);

    // ---------------------------------------------------------------- embeddings and optimizers

    /**
     * Embedding lookup into the lane layout: {@code out[oOff + k*ors + s] = w[src[s] + k]} for {@code s < count}
     * and {@code k < d}, where {@code src[s]} is where sample s's row starts in {@code w}. A copy: every
     * implementation writes the same bits.
     */
    public abstract void gatherRows(int count, int d, float[] w, int[] src, float[] out, int oOff, int ors);

    /**
     * The gradient of {@link #gatherRows}: {@code g[dst[s] + k] += dOut[oOff + k*ors + s]} for {@code s < count}
     * in increasing order and {@code k < d}. Rows may repeat (two samples with the same id); each element
     * receives its samples' gradients in sample order, so every implementation gives the same bits.
     */
    public abstract void scatterAddRows(int count, int d, float[] dOut, int oOff, int ors, int[] dst, float[] g);

    /**
     * Adam's update of {@code w[off .. off+len)} from the gradient {@code g}, with first and second moments
     * {@code m} and {@code v} (updated in place), element by element in this order of float operations:
     * <pre>
     *   gi = g[i];  decoupled: w[i] *= 1 − lr·wd   (else, wd ≠ 0: gi += wd·w[i])
     *   m[i] = β1·m[i] + (1 − β1)·gi;   v[i] = β2·v[i] + (1 − β2)·gi·gi
     *   w[i] −= step·m[i] / (√v[i] / b2 + eps)
     * </pre>
     * where {@code step} is lr over the first moment's bias correction and {@code b2} the square root of the
     * second's. No fused multiply-adds: every implementation gives the same bits.
     */
    public abstract void adamUpdate(int off, int len, float[] w, float[] g, float[] m, float[] v, float beta1,
                                    float beta2, float eps, float step, float b2, float lr, float wd,
                                    boolean decoupled);

    /**
     * The part of a training step's update of {@code [off, off+len)} of the flat layout that comes before the
     * optimizer, in one pass: the other threads' gradients added into {@code g} in buffer order and zeroed
     * ({@code g[i] += others[t][i]} for every t, then {@code others[t][i] = 0}); when
     * {@code twoLambda} ≠ 0, the L2 gradient {@code g[i] += twoLambda·w[i]} (a product, then a sum: no fused
     * multiply-add); and {@code w} copied into {@code save} (unless null). Every implementation gives the same bits.
     */
    public abstract void prepareUpdate(int off, int len, float[] g, float[][] others, float[] w, float twoLambda,
                                       float[] save);

    /**
     * The end of a training step's update of {@code [off, off+len)}: returns whether every {@code w[i]} is finite,
     * and zeroes {@code g[i]}.
     */
    public abstract boolean finishUpdate(int off, int len, float[] w, float[] g);

    // ---------------------------------------------------------------- shared helpers

    private static void checkGemm(int m, int n, int k) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("negative matrix size: m=" + m + " n=" + n + " k=" + k);
        }
    }

    @Override
    public String toString() {
        return name() + " kernels (" + vectorBitSize() + "-bit)";
    }
}
