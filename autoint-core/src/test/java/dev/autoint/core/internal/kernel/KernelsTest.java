package dev.autoint.core.internal.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kernel of the implementation in use (vector in the first surefire run, scalar in the second)
 * against a naive double-precision reference, over awkward sizes, non-zero offsets and zero sizes; and,
 * when the Vector API is readable, the vector implementation against the scalar one.
 */
class KernelsTest {

    static final int[] SIZES = {0, 1, 2, 3, 7, 8, 9, 13, 14, 15, 16, 17, 31, 33, 100, 207};
    static final int[] SMALL = {1, 2, 3, 7, 8, 9, 14, 16, 17, 33};

    static Stream<Kernels> implementations() {
        List<Kernels> ks = new ArrayList<>();
        ks.add(Kernels.get());
        if (KernelProvider.vectorApiReadable() && !Kernels.get().name().equals("vector")) {
            ks.add(KernelProvider.vector());
        }
        if (!Kernels.get().name().equals("scalar")) {
            ks.add(Kernels.scalar());
        }
        return ks.stream();
    }

    static Stream<Arguments> gemmShapes() {
        List<Arguments> out = new ArrayList<>();
        int[] ms = {0, 1, 3, 4, 5, 8, 9, 13, 17, 33};
        int[] ns = {0, 1, 7, 8, 15, 16, 17, 31, 33, 64, 65, 100, 207};
        int[] ks = {0, 1, 3, 14, 16, 17, 33};
        implementations().forEach(kr -> {
            for (int m : ms) for (int n : ns) for (int k : ks) out.add(Arguments.of(kr, m, n, k));
        });
        return out.stream();
    }

    static float[] random(SplittableRandom rnd, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (rnd.nextDouble() * 2 - 1);
        return x;
    }

    /** Tolerance for a float sum of k products of values in [-1, 1] against the double reference. */
    static double tol(int k) {
        return 2e-6 * (k + 1);
    }

    @ParameterizedTest(name = "{0} m={1} n={2} k={3}")
    @MethodSource("gemmShapes")
    void gemmFormsAgreeWithDoubleReference(Kernels kr, int m, int n, int k) {
        SplittableRandom rnd = new SplittableRandom(31L * m + 7L * n + k);
        int aOff = 3, bOff = 5, cOff = 7;
        int lda = k + 2, ldb = n + 3, ldc = n + 1;
        float[] a = random(rnd, aOff + m * lda + 1);
        float[] b = random(rnd, bOff + k * ldb + 1);
        float[] c0 = random(rnd, cOff + m * ldc + 1);

        // C = A·B (mult) and C += A·B (multAdd)
        for (boolean acc : new boolean[] {false, true}) {
            float[] c = c0.clone();
            if (acc) kr.multAdd(m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
            else kr.mult(m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = acc ? c0[cOff + i * ldc + j] : 0;
                    for (int p = 0; p < k; p++) s += (double) a[aOff + i * lda + p] * b[bOff + p * ldb + j];
                    assertEquals(s, c[cOff + i * ldc + j], tol(k), (acc ? "multAdd" : "mult") + " at " + i + "," + j);
                }
            }
            assertUntouchedOutside(c0, c, cOff, m, n, ldc);
        }

        // C += Aᵀ·B with A stored k×m
        int ldat = m + 2;
        float[] at = random(rnd, aOff + k * ldat + 1);
        float[] c = c0.clone();
        kr.multAddTransA(m, n, k, at, aOff, ldat, b, bOff, ldb, c, cOff, ldc);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = c0[cOff + i * ldc + j];
                for (int p = 0; p < k; p++) s += (double) at[aOff + p * ldat + i] * b[bOff + p * ldb + j];
                assertEquals(s, c[cOff + i * ldc + j], tol(k), "multAddTransA at " + i + "," + j);
            }
        }
        assertUntouchedOutside(c0, c, cOff, m, n, ldc);

        // C += A·Bᵀ with B stored n×k
        int ldbt = k + 4;
        float[] bt = random(rnd, bOff + n * ldbt + 1);
        c = c0.clone();
        kr.multAddTransB(m, n, k, a, aOff, lda, bt, bOff, ldbt, c, cOff, ldc);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = c0[cOff + i * ldc + j];
                for (int p = 0; p < k; p++) s += (double) a[aOff + i * lda + p] * bt[bOff + j * ldbt + p];
                assertEquals(s, c[cOff + i * ldc + j], tol(k), "multAddTransB at " + i + "," + j);
            }
        }
        assertUntouchedOutside(c0, c, cOff, m, n, ldc);
    }

    /**
     * The vector kernel's C += A·Bᵀ in 4×4 and 4×3 blocks (the projections' weight gradient) gives each entry exactly the
     * bits of its documented order: per lane an FMA chain over k in steps of L, the lanes summed in
     * {@link VectorKernels#sumLanes}' pairwise order, then the scalar tail. The lane sums are taken by a
     * butterfly across the block's accumulators; this pins that it changes no bit and puts every sum in the
     * right entry.
     */
    @ParameterizedTest(name = "m={0} n={1} k={2}")
    @CsvSource({"4,4,16", "8,16,224", "9,16,1795", "64,16,2019", "5,8,33", "13,12,47", "4,3,16", "8,10,1795", "7,7,47"})
    void weightGradientBlocksKeepTheLaneOrder(int m, int n, int k) {
        assumeTrue(KernelProvider.vectorApiReadable(), "the Vector API is not readable");
        Kernels kr = KernelProvider.vector();
        int lanes = kr.vectorBitSize() / 32;
        SplittableRandom rnd = new SplittableRandom(97L * m + n + k);
        int lda = k + 3, ldb = k + 1, ldc = n + 2;
        float[] a = random(rnd, m * lda);
        float[] b = random(rnd, n * ldb);
        float[] c0 = random(rnd, m * ldc);
        float[] c = c0.clone();
        kr.multAddTransB(m, n, k, a, 0, lda, b, 0, ldb, c, 0, ldc);
        int kv = k - k % lanes;
        int blockColumns = n % 4 == 0 ? n : n - n % 3; // 4×4 blocks, or 4×3 where n is not a multiple of 4
        for (int i = 0; i < m - m % 4; i++) {
            for (int j = 0; j < blockColumns; j++) {
                float[] acc = new float[lanes];
                for (int p = 0; p < kv; p += lanes) {
                    for (int l = 0; l < lanes; l++) acc[l] = Math.fma(a[i * lda + p + l], b[j * ldb + p + l], acc[l]);
                }
                float tail = 0f;
                for (int p = kv; p < k; p++) tail += a[i * lda + p] * b[j * ldb + p];
                float expected = c0[i * ldc + j] + (VectorKernels.sumLanes(acc, 0) + tail);
                assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(c[i * ldc + j]),
                        "entry " + i + "," + j + ": " + expected + " against " + c[i * ldc + j]);
            }
        }
    }

    /**
     * A column of C = A·B (a sample, in the model's lane layout) gets the same bits whatever the number of
     * columns, as long as that number is a multiple of 16 (the model pads chunks to 16 samples): a row's
     * score must not depend on the size of the chunk it is scored in (Spark partitions end anywhere).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("implementations")
    void gemmColumnsDoNotDependOnTheColumnCount(Kernels kr) {
        SplittableRandom rnd = new SplittableRandom(5);
        int full = 128;
        for (int m : new int[] {1, 3, 8, 9, 33}) {
            for (int k : new int[] {14, 33, 224}) {
                float[] a = random(rnd, m * k);
                float[] b = random(rnd, k * full);
                float[] expected = new float[m * full];
                kr.mult(m, full, k, a, 0, k, b, 0, full, expected, 0, full);
                for (int n = 16; n < full; n += 16) {
                    float[] c = new float[m * full];
                    kr.mult(m, n, k, a, 0, k, b, 0, full, c, 0, full);
                    for (int i = 0; i < m; i++) {
                        for (int j = 0; j < n; j++) {
                            assertEquals(expected[i * full + j], c[i * full + j], 0f, "m=" + m + " k=" + k + " n=" + n + " at " + i + "," + j);
                        }
                    }
                }
            }
        }
    }

    private static void assertUntouchedOutside(float[] before, float[] after, int off, int m, int n, int ld) {
        for (int idx = 0; idx < before.length; idx++) {
            int rel = idx - off;
            boolean inside = rel >= 0 && rel / ld < m && rel % ld < n;
            if (!inside) {
                assertEquals(before[idx], after[idx], 0f, "element " + idx + " outside the output region changed");
            }
        }
    }

    static Stream<Arguments> lanes() {
        List<Arguments> out = new ArrayList<>();
        implementations().forEach(kr -> {
            for (int count : SIZES) out.add(Arguments.of(kr, count));
        });
        return out.stream();
    }

    @ParameterizedTest(name = "{0} samples={1}")
    @MethodSource("lanes")
    void batchedMultAllTransposeForms(Kernels kr, int count) {
        SplittableRandom rnd = new SplittableRandom(count);
        // Attention-like shapes: Q·Kᵀ (14×8 · 8×14), P·V (14×14 · 14×8) and odd ones.
        int[][] shapes = {{14, 14, 8}, {14, 8, 14}, {3, 5, 7}, {1, 1, 1}, {9, 2, 4}};
        int stride = count + 3; // sample stride between matrix elements; every element is a row of samples
        for (int[] sh : shapes) {
            int m = sh[0], n = sh[1], k = sh[2];
            for (int form = 0; form < 4; form++) {
                boolean ta = (form & 1) != 0, tb = (form & 2) != 0;
                int aOff = 2, bOff = 1, cOff = 4;
                // element (i,p) of A at aOff + (ta ? p*m + i : i*k + p)*stride + s
                int aRs = (ta ? 1 : k) * stride, aCs = (ta ? m : 1) * stride;
                int bRs = (tb ? 1 : n) * stride, bCs = (tb ? k : 1) * stride;
                int cRs = n * stride, cCs = stride;
                float[] a = random(rnd, aOff + m * k * stride + 1);
                float[] b = random(rnd, bOff + k * n * stride + 1);
                float[] c0 = random(rnd, cOff + m * n * stride + 1);
                float[] c = c0.clone();
                float alpha = 0.35f;
                kr.batchedMult(count, m, n, k, alpha, a, aOff, aRs, aCs, b, bOff, bRs, bCs, c, cOff, cRs, cCs);
                for (int s = 0; s < count; s++) {
                    for (int i = 0; i < m; i++) {
                        for (int j = 0; j < n; j++) {
                            double sum = 0;
                            for (int p = 0; p < k; p++) {
                                sum += (double) a[aOff + i * aRs + p * aCs + s] * b[bOff + p * bRs + j * bCs + s];
                            }
                            double want = alpha * sum;
                            assertEquals(want, c[cOff + i * cRs + j * cCs + s], tol(k),
                                    "form " + form + " s=" + s + " (" + i + "," + j + ")");
                        }
                    }
                }
                // Padding between sample rows stays untouched.
                for (int e = 0; e < m * n; e++) {
                    for (int s = count; s < stride; s++) {
                        int idx = cOff + e * stride + s;
                        if (idx < c.length) assertEquals(c0[idx], c[idx], 0f);
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} samples={1}")
    @MethodSource("lanes")
    void softmaxLanesForwardAndBackward(Kernels kr, int count) {
        SplittableRandom rnd = new SplittableRandom(100 + count);
        int rows = 3, n = 14, cs = count + 1, rs = n * cs, off = 5;
        float[] x = random(rnd, off + rows * rs + 2);
        for (int i = 0; i < x.length; i++) x[i] *= 8; // spread, so exp matters
        float[] p = x.clone();
        kr.softmaxLanes(count, rows, n, p, off, rs, cs);
        float[] dp = random(rnd, x.length);
        float[] dx = new float[x.length];
        kr.softmaxLanesBackward(count, rows, n, p, off, dp, off, dx, off, rs, cs);
        for (int r = 0; r < rows; r++) {
            for (int s = 0; s < count; s++) {
                double[] ref = new double[n];
                double max = Double.NEGATIVE_INFINITY, sum = 0, dot = 0;
                for (int j = 0; j < n; j++) max = Math.max(max, x[off + r * rs + j * cs + s]);
                for (int j = 0; j < n; j++) sum += ref[j] = Math.exp(x[off + r * rs + j * cs + s] - max);
                for (int j = 0; j < n; j++) {
                    ref[j] /= sum;
                    dot += ref[j] * dp[off + r * rs + j * cs + s];
                }
                for (int j = 0; j < n; j++) {
                    int e = off + r * rs + j * cs + s;
                    assertEquals(ref[j], p[e], 1e-6, "softmax");
                    assertEquals(ref[j] * (dp[e] - dot), dx[e], 2e-6, "softmax backward");
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} samples={1}")
    @MethodSource("lanes")
    void attentionLanesAgreesWithDoubleReference(Kernels kr, int count) {
        // {fields, heads, head size}: 8 takes the fused vector path (odd and even field counts, one field),
        // the others the three-step default; every sample count in "lanes" covers whole blocks and tails.
        // The fourth number: 1 with the residual, 0 without (y = ReLU(o + r) or ReLU(o)).
        int[][] shapes = {{14, 2, 8, 1}, {14, 2, 8, 0}, {13, 3, 8, 1}, {1, 1, 8, 1}, {2, 1, 8, 0}, {5, 2, 4, 1},
                {7, 1, 3, 0}};
        SplittableRandom rnd = new SplittableRandom(7 + count);
        for (int[] sh : shapes) {
            int f = sh[0], heads = sh[1], dh = sh[2], a = heads * dh;
            boolean residual = sh[3] == 1;
            int ld = count + 5, fs = f * ld;
            int qOff = 3, kOff = qOff + a * fs, vOff = kOff + a * fs, rOff = vOff + a * fs;
            float[] qkv = random(rnd, rOff + a * fs + 2);
            for (int i = 0; i < qkv.length; i++) qkv[i] *= 2; // spread the scores so that softmax matters
            int pOff = 1, yOff = 2;
            float[] p0 = random(rnd, pOff + heads * f * f * ld + 1);
            float[] y0 = random(rnd, yOff + a * fs + 1);
            float[] p = p0.clone(), y = y0.clone();
            float alpha = 0.35f;
            kr.attentionLanes(count, f, heads, dh, alpha, qkv, qOff, kOff, vOff, residual ? rOff : -1, fs, ld,
                    p, pOff, y, yOff);
            String at = "f=" + f + " heads=" + heads + " dh=" + dh + " residual=" + residual;
            for (int s = 0; s < count; s++) {
                for (int h = 0; h < heads; h++) {
                    for (int i = 0; i < f; i++) {
                        double[] pr = new double[f];
                        double max = Double.NEGATIVE_INFINITY, sum = 0;
                        for (int j = 0; j < f; j++) {
                            double dot = 0;
                            for (int d = 0; d < dh; d++) {
                                dot += (double) qkv[qOff + (h * dh + d) * fs + i * ld + s]
                                        * qkv[kOff + (h * dh + d) * fs + j * ld + s];
                            }
                            pr[j] = alpha * dot;
                            max = Math.max(max, pr[j]);
                        }
                        for (int j = 0; j < f; j++) sum += pr[j] = Math.exp(pr[j] - max);
                        for (int j = 0; j < f; j++) {
                            pr[j] /= sum;
                            assertEquals(pr[j], p[pOff + ((h * f + i) * f + j) * ld + s], 2e-6, at + " p s=" + s);
                        }
                        for (int d = 0; d < dh; d++) {
                            double o = 0;
                            for (int j = 0; j < f; j++) o += pr[j] * qkv[vOff + (h * dh + d) * fs + j * ld + s];
                            if (residual) o += qkv[rOff + (h * dh + d) * fs + i * ld + s];
                            assertEquals(Math.max(o, 0), y[yOff + (h * dh + d) * fs + i * ld + s], 1e-5, at + " y s=" + s);
                        }
                    }
                }
            }
            // Lanes past count stay untouched in both outputs.
            for (int r = 0; r < heads * f * f; r++) {
                for (int s = count; s < ld; s++) assertEquals(p0[pOff + r * ld + s], p[pOff + r * ld + s], 0f, at);
            }
            for (int r = 0; r < a * f; r++) {
                for (int s = count; s < ld; s++) assertEquals(y0[yOff + r * ld + s], y[yOff + r * ld + s], 0f, at);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("implementations")
    void gatherAndScatterAddRowsMatchTheDefinitionBitForBit(Kernels kr) {
        SplittableRandom rnd = new SplittableRandom(21);
        for (int d : new int[] {1, 5, 8, 16, 17, 32, 33, 48}) {
            float[] w = random(rnd, 7 + 40 * d);
            for (int count : SIZES) {
                int ors = count + 9, oOff = 3;
                int[] src = new int[count + 2];
                // Few distinct rows, so that samples repeat rows (the scatter must add them in sample order).
                for (int s = 0; s < count; s++) src[s] = 7 + rnd.nextInt(5) * d;
                float[] out0 = random(rnd, oOff + d * ors + 1);
                float[] out = out0.clone(), expected = out0.clone();
                kr.gatherRows(count, d, w, src, out, oOff, ors);
                for (int s = 0; s < count; s++) {
                    for (int k = 0; k < d; k++) expected[oOff + k * ors + s] = w[src[s] + k];
                }
                assertArrayEquals(expected, out, "gather d=" + d + " count=" + count);
                float[] g0 = random(rnd, w.length), g = g0.clone(), gExpected = g0.clone();
                kr.scatterAddRows(count, d, out0, oOff, ors, src, g);
                for (int s = 0; s < count; s++) {
                    for (int k = 0; k < d; k++) gExpected[src[s] + k] += out0[oOff + k * ors + s];
                }
                assertArrayEquals(gExpected, g, "scatter-add d=" + d + " count=" + count);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("implementations")
    void adamUpdateIsTheScalarFormulaBitForBit(Kernels kr) {
        SplittableRandom rnd = new SplittableRandom(5);
        for (int mode = 0; mode < 3; mode++) { // no weight decay, L2-coupled, decoupled (AdamW)
            float wd = mode == 0 ? 0f : 0.01f;
            boolean decoupled = mode == 2;
            for (int len : SIZES) {
                int off = 2, size = off + len + 3;
                float[] w = random(rnd, size), g = random(rnd, size), m = random(rnd, size), v = random(rnd, size);
                for (int i = 0; i < size; i++) v[i] = Math.abs(v[i]);
                float[] w2 = w.clone(), m2 = m.clone(), v2 = v.clone();
                kr.adamUpdate(off, len, w, g, m, v, 0.9f, 0.999f, 1e-8f, 0.0123f, 0.031f, 0.001f, wd, decoupled);
                for (int i = off; i < off + len; i++) {
                    float gi = g[i];
                    if (decoupled) {
                        w2[i] *= 1 - 0.001f * wd;
                    } else if (wd != 0f) {
                        gi += wd * w2[i];
                    }
                    m2[i] = 0.9f * m2[i] + (1 - 0.9f) * gi;
                    v2[i] = 0.999f * v2[i] + (1 - 0.999f) * gi * gi;
                    w2[i] -= 0.0123f * m2[i] / ((float) Math.sqrt(v2[i]) / 0.031f + 1e-8f);
                }
                String at = "len=" + len + " mode=" + mode;
                assertArrayEquals(w2, w, at + " w");
                assertArrayEquals(m2, m, at + " m");
                assertArrayEquals(v2, v, at + " v");
            }
        }
    }

    /**
     * The update's first pass ({@link Kernels#prepareUpdate}): the other buffers summed into g in buffer order and
     * zeroed, the L2 gradient as a product then a sum, the weights copied; bit for bit the scalar formula, with 0-2
     * other buffers, with and without L2 and a save array, only inside [off, off+len).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("implementations")
    void prepareUpdateIsTheScalarFormulaBitForBit(Kernels kr) {
        SplittableRandom rnd = new SplittableRandom(6);
        for (int nOthers = 0; nOthers <= 2; nOthers++) {
            // 0.75 makes a fused multiply-add differ from the product-then-sum in hundreds of elements, not a few
            for (float twoLambda : new float[] {0f, 2e-3f, 0.75f}) {
                for (boolean withSave : new boolean[] {false, true}) {
                    for (int len : SIZES) {
                        int off = 3, size = off + len + 5;
                        float[] w = random(rnd, size), g = random(rnd, size);
                        float[][] others = new float[nOthers + 1][]; // one spare buffer, not passed: never touched
                        for (int t = 0; t <= nOthers; t++) others[t] = random(rnd, size);
                        float[][] othersBefore = new float[others.length][];
                        for (int t = 0; t < others.length; t++) othersBefore[t] = others[t].clone();
                        float[] save = withSave ? random(rnd, size) : null;
                        float[] saveExpected = withSave ? save.clone() : null;
                        float[] gExpected = g.clone(), wBefore = w.clone();
                        for (int i = off; i < off + len; i++) {
                            float gi = gExpected[i];
                            for (int t = 0; t < nOthers; t++) gi += othersBefore[t][i];
                            if (twoLambda != 0f) gi += twoLambda * w[i];
                            gExpected[i] = gi;
                            if (withSave) saveExpected[i] = w[i];
                        }
                        kr.prepareUpdate(off, len, g, Arrays.copyOf(others, nOthers), w, twoLambda, save);
                        String at = "len=" + len + " others=" + nOthers + " 2λ=" + twoLambda + " save=" + withSave;
                        assertArrayEquals(gExpected, g, at + " g");
                        assertArrayEquals(wBefore, w, at + " w unchanged");
                        if (withSave) assertArrayEquals(saveExpected, save, at + " save");
                        for (int t = 0; t < others.length; t++) {
                            for (int i = 0; i < size; i++) {
                                boolean zeroed = t < nOthers && i >= off && i < off + len;
                                assertEquals(zeroed ? 0f : othersBefore[t][i], others[t][i], at + " other " + t + " [" + i + "]");
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * The update's last pass ({@link Kernels#finishUpdate}): false exactly when a weight inside the range is
     * infinite or NaN (wherever it sits: in a full vector or the tail), and g zeroed inside the range only.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("implementations")
    void finishUpdateFindsEveryNonFiniteWeightAndZeroesTheGradient(Kernels kr) {
        SplittableRandom rnd = new SplittableRandom(7);
        float[] bad = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
            Float.intBitsToFloat(0xFFC00001), Float.intBitsToFloat(0x7F800001)}; // a negative NaN, a signalling one
        for (int len : SIZES) {
            int off = 1, size = off + len + 4;
            for (int at = -1; at < len; at++) { // -1: every weight finite
                float[] w = random(rnd, size), g = random(rnd, size);
                w[0] = Float.NaN; // outside the range: never looked at
                w[size - 1] = Float.POSITIVE_INFINITY;
                if (at >= 0) w[off + at] = bad[at % bad.length];
                w[off] = at == 0 ? w[off] : Float.MAX_VALUE; // the largest finite value is finite
                float[] finiteOddities = {-Float.MAX_VALUE, -0f, Float.MIN_VALUE, -Float.MIN_NORMAL / 3};
                for (int q = 0; q < finiteOddities.length; q++) {
                    int i = off + 1 + q;
                    if (i < off + len && i != off + at) w[i] = finiteOddities[q];
                }
                float[] gBefore = g.clone();
                boolean finite = kr.finishUpdate(off, len, w, g);
                assertEquals(at < 0, finite, "len=" + len + " non-finite at " + at);
                for (int i = 0; i < size; i++) {
                    assertEquals(i >= off && i < off + len ? 0f : gBefore[i], g[i], "len=" + len + " g[" + i + "]");
                }
            }
        }
    }

    static Stream<Arguments> sizes() {
        List<Arguments> out = new ArrayList<>();
        implementations().forEach(kr -> {
            for (int n : SIZES) out.add(Arguments.of(kr, n));
        });
        return out.stream();
    }

    @ParameterizedTest(name = "{0} n={1}")
    @MethodSource("sizes")
    void elementwiseAndReductions(Kernels kr, int n) {
        SplittableRandom rnd = new SplittableRandom(300 + n);
        int off = 3;
        float[] x = random(rnd, off + n + 2);
        float[] y0 = random(rnd, off + n + 2);

        float[] y = y0.clone();
        kr.relu(n, x, off, y, off);
        for (int i = 0; i < y.length; i++) {
            boolean in = i >= off && i < off + n;
            assertEquals(in ? Math.max(x[i], 0f) : y0[i], y[i], 0f);
        }
        float[] dx = new float[y.length];
        kr.reluBackward(n, y, off, y0, off, dx, off);
        for (int i = off; i < off + n; i++) assertEquals(y[i] > 0 ? y0[i] : 0f, dx[i], 0f);

        y = y0.clone();
        kr.axpy(n, -0.75f, x, off, y, off);
        for (int i = off; i < off + n; i++) assertEquals(y0[i] - 0.75 * x[i], y[i], 1e-6);

        // Bias add and row sums over a 5×n block with ld n+1.
        int rows = 5, ld = n + 1;
        float[] m0 = random(rnd, off + rows * ld);
        float[] rowBias = random(rnd, rows + 2);
        float[] m = m0.clone();
        kr.addBiasRows(rows, n, m, off, ld, rowBias, 1);
        float[] rowSums = new float[rows + 1];
        kr.rowSums(rows, n, m0, off, ld, rowSums, 1);
        for (int r = 0; r < rows; r++) {
            double rs = 0;
            for (int j = 0; j < n; j++) {
                int e = off + r * ld + j;
                assertEquals((double) m0[e] + rowBias[1 + r], m[e], 1e-6);
                rs += m0[e];
            }
            assertEquals(rs, rowSums[1 + r], tol(n));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("implementations")
    void attentionSurvivesExtremeScores(Kernels kr) {
        // Scores that differ by up to ~1e19 (queries scaled per sample, up to 1e18): every probability stays
        // finite and in [0, 1], and every row sums to 1 (the fused kernel's exponential flushes to 0 far below the
        // row's maximum instead of producing garbage bits).
        int count = 37, f = 14, heads = 2, dh = 8, a = heads * dh, ld = count + 3, fs = f * ld;
        int qOff = 0, kOff = a * fs, vOff = 2 * a * fs, rOff = 3 * a * fs;
        SplittableRandom rnd = new SplittableRandom(11);
        float[] qkv = random(rnd, 4 * a * fs);
        float[] scale = {1f, 1e3f, 1e6f, 1e9f, 1e12f, 1e18f};
        for (int c = 0; c < a; c++) {
            for (int i = 0; i < f; i++) {
                for (int s = 0; s < count; s++) qkv[qOff + c * fs + i * ld + s] *= scale[s % scale.length];
            }
        }
        float[] p = new float[heads * f * f * ld], y = new float[a * fs];
        kr.attentionLanes(count, f, heads, dh, 0.35f, qkv, qOff, kOff, vOff, rOff, fs, ld, p, 0, y, 0);
        for (int s = 0; s < count; s++) {
            for (int r = 0; r < heads * f; r++) {
                double sum = 0;
                for (int j = 0; j < f; j++) {
                    float v = p[(r * f + j) * ld + s];
                    assertThat(v).as("p sample %d row %d", s, r).isBetween(0f, 1f);
                    sum += v;
                }
                assertEquals(1.0, sum, 1e-5, "row sum, sample " + s + " scale " + scale[s % scale.length]);
            }
            for (int e = 0; e < a * f; e++) assertThat(Float.isFinite(y[e * ld + s])).isTrue();
        }
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void fastExpIsAccurate(Kernels kr) {
        double worst = 0;
        for (float v = -87f; v <= 88f; v += 0.01f) {
            double rel = Math.abs(FastExp.exp(v) - Math.exp(v)) / Math.exp(v);
            worst = Math.max(worst, rel);
        }
        assertThat(worst).isLessThan(5e-7);
        // Base 2, as the fused attention kernel uses it, over its whole domain [-126, 0], and exactly 0 below it
        // for every finite input, including those beyond the rounding trick's range (|z| >= 2^22, t < 0).
        double worst2 = 0;
        for (float z = -126f; z <= 0f; z += 0.0037f) {
            double want = Math.pow(2, z);
            worst2 = Math.max(worst2, Math.abs(FastExp.exp2(z) - want) / want);
        }
        assertThat(worst2).isLessThan(2.5e-7);
        for (float z : new float[] {-126.6f, -127f, -500f, -4.2e6f, -1.2582912e7f, -1.2582913e7f, -1.6e7f, -3e7f,
                -1e10f, -1e30f, -Float.MAX_VALUE}) {
            assertEquals(0f, FastExp.exp2(z), 0f, "2^" + z);
        }
        assertEquals(1f, FastExp.exp2(0f), 0f);
        // The lane softmax uses the vector exp: a single-element softmax row of e^(x - x) is exactly 1.
        float[] one = {3f};
        kr.softmaxLanes(1, 1, 1, one, 0, 1, 1);
        assertEquals(1f, one[0], 0f);
    }
}
