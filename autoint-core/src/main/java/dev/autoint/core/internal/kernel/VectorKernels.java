package dev.autoint.core.internal.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Kernels} on the Java Vector API ({@code jdk.incubator.vector}). The only class of the project that
 * imports the incubator module; {@code KernelProvider} loads it by name once the module is readable.
 *
 * <p>Every kernel has the same three parts: a register-blocked body with several independent
 * accumulators (FMA latency is 4 cycles and two FMA pipes are busy only with at least 8 chains in flight),
 * a one-vector tail, and a scalar tail. Accumulators are updated as {@code acc = x.fma(y, acc)}: on this
 * machine that form reaches the FMA peak, while {@code acc.fma(x, y)}-style chains stall at 78-89%.
 *
 * <p>The species is a {@code static final} so that C2 treats it as a constant; a species held in an
 * instance field defeats the intrinsics and every operation falls back to slow Java code.
 */
final class VectorKernels extends Kernels {

    private static final VectorSpecies<Float> S = species(Integer.getInteger("autoint.vectorBits", 0));
    private static final int L = S.length();

    VectorKernels() {
    }

    private static VectorSpecies<Float> species(int bits) {
        if (bits == 0) {
            return FloatVector.SPECIES_PREFERRED;
        }
        if (bits != 128 && bits != 256 && bits != 512 || bits > FloatVector.SPECIES_PREFERRED.vectorBitSize()) {
            throw new IllegalArgumentException("-Dautoint.vectorBits=" + bits + ": use 128, 256 or 512, at most "
                    + FloatVector.SPECIES_PREFERRED.vectorBitSize() + " on this machine");
        }
        return VectorSpecies.of(float.class, VectorShape.forBitSize(bits));
    }

    @Override
    public String name() {
        return "vector";
    }

    @Override
    public int vectorBitSize() {
        return S.vectorBitSize();
    }

    // ================================================================ C (+)= A·B and C += Aᵀ·B

    @Override
    protected void gemmStrided(int m, int n, int k, float[] a, int aOff, int ars, int acs, float[] b, int bOff,
                               int ldb, float[] c, int cOff, int ldc, boolean accumulate) {
        int j = 0;
        // Column panels of 4, 2 and 1 vectors; rows blocked by 4 (16 accumulators), 4 (8) and 8 (8).
        for (; j + 4 * L <= n; j += 4 * L) {
            panel4(m, k, a, aOff, ars, acs, b, bOff + j, ldb, c, cOff + j, ldc, accumulate);
        }
        for (; j + 2 * L <= n; j += 2 * L) {
            panel2(m, k, a, aOff, ars, acs, b, bOff + j, ldb, c, cOff + j, ldc, accumulate);
        }
        for (; j + L <= n; j += L) {
            panel1(m, k, a, aOff, ars, acs, b, bOff + j, ldb, c, cOff + j, ldc, accumulate);
        }
        if (j < n) {
            // Fewer than one vector of columns left: plain loops.
            for (int i = 0; i < m; i++) {
                int ci = cOff + i * ldc;
                for (int jj = j; jj < n; jj++) {
                    float s = 0f;
                    for (int p = 0; p < k; p++) {
                        s += a[aOff + i * ars + p * acs] * b[bOff + p * ldb + jj];
                    }
                    c[ci + jj] = accumulate ? c[ci + jj] + s : s;
                }
            }
        }
    }

    private static void panel4(int m, int k, float[] a, int aOff, int ars, int acs, float[] b, int bOff, int ldb,
                               float[] c, int cOff, int ldc, boolean accumulate) {
        int i = 0;
        for (; i + 4 <= m; i += 4) {
            FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00, c03 = c00;
            FloatVector c10 = c00, c11 = c00, c12 = c00, c13 = c00;
            FloatVector c20 = c00, c21 = c00, c22 = c00, c23 = c00;
            FloatVector c30 = c00, c31 = c00, c32 = c00, c33 = c00;
            int a0 = aOff + i * ars;
            int a1 = a0 + ars;
            int a2 = a1 + ars;
            int a3 = a2 + ars;
            for (int p = 0; p < k; p++) {
                int bp = bOff + p * ldb;
                FloatVector b0 = FloatVector.fromArray(S, b, bp);
                FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
                FloatVector b2 = FloatVector.fromArray(S, b, bp + 2 * L);
                FloatVector b3 = FloatVector.fromArray(S, b, bp + 3 * L);
                int pa = p * acs;
                FloatVector x = FloatVector.broadcast(S, a[a0 + pa]);
                c00 = x.fma(b0, c00);
                c01 = x.fma(b1, c01);
                c02 = x.fma(b2, c02);
                c03 = x.fma(b3, c03);
                x = FloatVector.broadcast(S, a[a1 + pa]);
                c10 = x.fma(b0, c10);
                c11 = x.fma(b1, c11);
                c12 = x.fma(b2, c12);
                c13 = x.fma(b3, c13);
                x = FloatVector.broadcast(S, a[a2 + pa]);
                c20 = x.fma(b0, c20);
                c21 = x.fma(b1, c21);
                c22 = x.fma(b2, c22);
                c23 = x.fma(b3, c23);
                x = FloatVector.broadcast(S, a[a3 + pa]);
                c30 = x.fma(b0, c30);
                c31 = x.fma(b1, c31);
                c32 = x.fma(b2, c32);
                c33 = x.fma(b3, c33);
            }
            int r = cOff + i * ldc;
            (accumulate ? c00.add(FloatVector.fromArray(S, c, r)) : c00).intoArray(c, r);
            (accumulate ? c01.add(FloatVector.fromArray(S, c, r + L)) : c01).intoArray(c, r + L);
            (accumulate ? c02.add(FloatVector.fromArray(S, c, r + 2 * L)) : c02).intoArray(c, r + 2 * L);
            (accumulate ? c03.add(FloatVector.fromArray(S, c, r + 3 * L)) : c03).intoArray(c, r + 3 * L);
            r += ldc;
            (accumulate ? c10.add(FloatVector.fromArray(S, c, r)) : c10).intoArray(c, r);
            (accumulate ? c11.add(FloatVector.fromArray(S, c, r + L)) : c11).intoArray(c, r + L);
            (accumulate ? c12.add(FloatVector.fromArray(S, c, r + 2 * L)) : c12).intoArray(c, r + 2 * L);
            (accumulate ? c13.add(FloatVector.fromArray(S, c, r + 3 * L)) : c13).intoArray(c, r + 3 * L);
            r += ldc;
            (accumulate ? c20.add(FloatVector.fromArray(S, c, r)) : c20).intoArray(c, r);
            (accumulate ? c21.add(FloatVector.fromArray(S, c, r + L)) : c21).intoArray(c, r + L);
            (accumulate ? c22.add(FloatVector.fromArray(S, c, r + 2 * L)) : c22).intoArray(c, r + 2 * L);
            (accumulate ? c23.add(FloatVector.fromArray(S, c, r + 3 * L)) : c23).intoArray(c, r + 3 * L);
            r += ldc;
            (accumulate ? c30.add(FloatVector.fromArray(S, c, r)) : c30).intoArray(c, r);
            (accumulate ? c31.add(FloatVector.fromArray(S, c, r + L)) : c31).intoArray(c, r + L);
            (accumulate ? c32.add(FloatVector.fromArray(S, c, r + 2 * L)) : c32).intoArray(c, r + 2 * L);
            (accumulate ? c33.add(FloatVector.fromArray(S, c, r + 3 * L)) : c33).intoArray(c, r + 3 * L);
        }
        for (; i < m; i++) {
            FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0;
            int ai = aOff + i * ars;
            for (int p = 0; p < k; p++) {
                int bp = bOff + p * ldb;
                FloatVector x = FloatVector.broadcast(S, a[ai + p * acs]);
                c0 = x.fma(FloatVector.fromArray(S, b, bp), c0);
                c1 = x.fma(FloatVector.fromArray(S, b, bp + L), c1);
                c2 = x.fma(FloatVector.fromArray(S, b, bp + 2 * L), c2);
                c3 = x.fma(FloatVector.fromArray(S, b, bp + 3 * L), c3);
            }
            int r = cOff + i * ldc;
            (accumulate ? c0.add(FloatVector.fromArray(S, c, r)) : c0).intoArray(c, r);
            (accumulate ? c1.add(FloatVector.fromArray(S, c, r + L)) : c1).intoArray(c, r + L);
            (accumulate ? c2.add(FloatVector.fromArray(S, c, r + 2 * L)) : c2).intoArray(c, r + 2 * L);
            (accumulate ? c3.add(FloatVector.fromArray(S, c, r + 3 * L)) : c3).intoArray(c, r + 3 * L);
        }
    }

    private static void panel2(int m, int k, float[] a, int aOff, int ars, int acs, float[] b, int bOff, int ldb,
                               float[] c, int cOff, int ldc, boolean accumulate) {
        int i = 0;
        for (; i + 4 <= m; i += 4) {
            FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00;
            FloatVector c20 = c00, c21 = c00, c30 = c00, c31 = c00;
            int a0 = aOff + i * ars;
            int a1 = a0 + ars;
            int a2 = a1 + ars;
            int a3 = a2 + ars;
            for (int p = 0; p < k; p++) {
                int bp = bOff + p * ldb;
                FloatVector b0 = FloatVector.fromArray(S, b, bp);
                FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
                int pa = p * acs;
                FloatVector x = FloatVector.broadcast(S, a[a0 + pa]);
                c00 = x.fma(b0, c00);
                c01 = x.fma(b1, c01);
                x = FloatVector.broadcast(S, a[a1 + pa]);
                c10 = x.fma(b0, c10);
                c11 = x.fma(b1, c11);
                x = FloatVector.broadcast(S, a[a2 + pa]);
                c20 = x.fma(b0, c20);
                c21 = x.fma(b1, c21);
                x = FloatVector.broadcast(S, a[a3 + pa]);
                c30 = x.fma(b0, c30);
                c31 = x.fma(b1, c31);
            }
            int r = cOff + i * ldc;
            (accumulate ? c00.add(FloatVector.fromArray(S, c, r)) : c00).intoArray(c, r);
            (accumulate ? c01.add(FloatVector.fromArray(S, c, r + L)) : c01).intoArray(c, r + L);
            r += ldc;
            (accumulate ? c10.add(FloatVector.fromArray(S, c, r)) : c10).intoArray(c, r);
            (accumulate ? c11.add(FloatVector.fromArray(S, c, r + L)) : c11).intoArray(c, r + L);
            r += ldc;
            (accumulate ? c20.add(FloatVector.fromArray(S, c, r)) : c20).intoArray(c, r);
            (accumulate ? c21.add(FloatVector.fromArray(S, c, r + L)) : c21).intoArray(c, r + L);
            r += ldc;
            (accumulate ? c30.add(FloatVector.fromArray(S, c, r)) : c30).intoArray(c, r);
            (accumulate ? c31.add(FloatVector.fromArray(S, c, r + L)) : c31).intoArray(c, r + L);
        }
        for (; i < m; i++) {
            FloatVector c0 = FloatVector.zero(S), c1 = c0;
            int ai = aOff + i * ars;
            for (int p = 0; p < k; p++) {
                int bp = bOff + p * ldb;
                FloatVector x = FloatVector.broadcast(S, a[ai + p * acs]);
                c0 = x.fma(FloatVector.fromArray(S, b, bp), c0);
                c1 = x.fma(FloatVector.fromArray(S, b, bp + L), c1);
            }
            int r = cOff + i * ldc;
            (accumulate ? c0.add(FloatVector.fromArray(S, c, r)) : c0).intoArray(c, r);
            (accumulate ? c1.add(FloatVector.fromArray(S, c, r + L)) : c1).intoArray(c, r + L);
        }
    }

    private static void panel1(int m, int k, float[] a, int aOff, int ars, int acs, float[] b, int bOff, int ldb,
                               float[] c, int cOff, int ldc, boolean accumulate) {
        int i = 0;
        for (; i + 8 <= m; i += 8) {
            FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
            int a0 = aOff + i * ars;
            for (int p = 0; p < k; p++) {
                FloatVector bv = FloatVector.fromArray(S, b, bOff + p * ldb);
                int pa = a0 + p * acs;
                c0 = FloatVector.broadcast(S, a[pa]).fma(bv, c0);
                c1 = FloatVector.broadcast(S, a[pa + ars]).fma(bv, c1);
                c2 = FloatVector.broadcast(S, a[pa + 2 * ars]).fma(bv, c2);
                c3 = FloatVector.broadcast(S, a[pa + 3 * ars]).fma(bv, c3);
                c4 = FloatVector.broadcast(S, a[pa + 4 * ars]).fma(bv, c4);
                c5 = FloatVector.broadcast(S, a[pa + 5 * ars]).fma(bv, c5);
                c6 = FloatVector.broadcast(S, a[pa + 6 * ars]).fma(bv, c6);
                c7 = FloatVector.broadcast(S, a[pa + 7 * ars]).fma(bv, c7);
            }
            int r = cOff + i * ldc;
            (accumulate ? c0.add(FloatVector.fromArray(S, c, r)) : c0).intoArray(c, r);
            (accumulate ? c1.add(FloatVector.fromArray(S, c, r + ldc)) : c1).intoArray(c, r + ldc);
            (accumulate ? c2.add(FloatVector.fromArray(S, c, r + 2 * ldc)) : c2).intoArray(c, r + 2 * ldc);
            (accumulate ? c3.add(FloatVector.fromArray(S, c, r + 3 * ldc)) : c3).intoArray(c, r + 3 * ldc);
            (accumulate ? c4.add(FloatVector.fromArray(S, c, r + 4 * ldc)) : c4).intoArray(c, r + 4 * ldc);
            (accumulate ? c5.add(FloatVector.fromArray(S, c, r + 5 * ldc)) : c5).intoArray(c, r + 5 * ldc);
            (accumulate ? c6.add(FloatVector.fromArray(S, c, r + 6 * ldc)) : c6).intoArray(c, r + 6 * ldc);
            (accumulate ? c7.add(FloatVector.fromArray(S, c, r + 7 * ldc)) : c7).intoArray(c, r + 7 * ldc);
        }
        for (; i < m; i++) {
            // One chain over p, in order, as every other panel: a column (a sample) then gets the same
            // rounding whichever panel holds it, so a row's score does not depend on the size of the chunk
            // it is scored in (the output layer, m = 1, runs only here when a chunk ends in a single vector).
            FloatVector c0 = FloatVector.zero(S);
            int ai = aOff + i * ars;
            for (int p = 0; p < k; p++) {
                c0 = FloatVector.broadcast(S, a[ai + p * acs]).fma(FloatVector.fromArray(S, b, bOff + p * ldb), c0);
            }
            int off = cOff + i * ldc;
            (accumulate ? c0.add(FloatVector.fromArray(S, c, off)) : c0).intoArray(c, off);
        }
    }

    // ================================================================ C += A·Bᵀ

    @Override
    protected void multAddTransBImpl(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                              float[] c, int cOff, int ldc) {
        // Dot-product form: each C entry is a dot product over k, vectorised along k. A 4×3 block keeps
        // 12 chains in flight and loads 7 vectors per 12 FMAs; lanes are reduced once per entry.
        int kv = k - k % L;
        int i = 0;
        for (; i + 4 <= m; i += 4) {
            int j = 0;
            // 4×4 where n allows (16 chains, 8 loads per 16 FMAs: the projections' weight gradient has n = Din = 16),
            // then 4×3 blocks, then single columns.
            for (; n % 4 == 0 && j + 4 <= n; j += 4) {
                block44(i, j, k, kv, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
            }
            for (; j + 3 <= n; j += 3) {
                block43(i, j, k, kv, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
            }
            for (; j < n; j++) {
                for (int ii = i; ii < i + 4; ii++) {
                    c[cOff + ii * ldc + j] += dotVec(k, a, aOff + ii * lda, b, bOff + j * ldb);
                }
            }
        }
        for (; i < m; i++) {
            for (int j = 0; j < n; j++) {
                c[cOff + i * ldc + j] += dotVec(k, a, aOff + i * lda, b, bOff + j * ldb);
            }
        }
    }

    private static void block44(int i, int j, int k, int kv, float[] a, int aOff, int lda, float[] b, int bOff,
                                int ldb, float[] c, int cOff, int ldc) {
        FloatVector s00 = FloatVector.zero(S), s01 = s00, s02 = s00, s03 = s00;
        FloatVector s10 = s00, s11 = s00, s12 = s00, s13 = s00;
        FloatVector s20 = s00, s21 = s00, s22 = s00, s23 = s00;
        FloatVector s30 = s00, s31 = s00, s32 = s00, s33 = s00;
        int a0 = aOff + i * lda;
        int a1 = a0 + lda;
        int a2 = a1 + lda;
        int a3 = a2 + lda;
        int b0 = bOff + j * ldb;
        int b1 = b0 + ldb;
        int b2 = b1 + ldb;
        int b3 = b2 + ldb;
        for (int p = 0; p < kv; p += L) {
            FloatVector y0 = FloatVector.fromArray(S, b, b0 + p);
            FloatVector y1 = FloatVector.fromArray(S, b, b1 + p);
            FloatVector y2 = FloatVector.fromArray(S, b, b2 + p);
            FloatVector y3 = FloatVector.fromArray(S, b, b3 + p);
            FloatVector x = FloatVector.fromArray(S, a, a0 + p);
            s00 = x.fma(y0, s00);
            s01 = x.fma(y1, s01);
            s02 = x.fma(y2, s02);
            s03 = x.fma(y3, s03);
            x = FloatVector.fromArray(S, a, a1 + p);
            s10 = x.fma(y0, s10);
            s11 = x.fma(y1, s11);
            s12 = x.fma(y2, s12);
            s13 = x.fma(y3, s13);
            x = FloatVector.fromArray(S, a, a2 + p);
            s20 = x.fma(y0, s20);
            s21 = x.fma(y1, s21);
            s22 = x.fma(y2, s22);
            s23 = x.fma(y3, s23);
            x = FloatVector.fromArray(S, a, a3 + p);
            s30 = x.fma(y0, s30);
            s31 = x.fma(y1, s31);
            s32 = x.fma(y2, s32);
            s33 = x.fma(y3, s33);
        }
        float[] red = LANES16.get();
        s00.intoArray(red, 0 * L);
        s01.intoArray(red, 1 * L);
        s02.intoArray(red, 2 * L);
        s03.intoArray(red, 3 * L);
        s10.intoArray(red, 4 * L);
        s11.intoArray(red, 5 * L);
        s12.intoArray(red, 6 * L);
        s13.intoArray(red, 7 * L);
        s20.intoArray(red, 8 * L);
        s21.intoArray(red, 9 * L);
        s22.intoArray(red, 10 * L);
        s23.intoArray(red, 11 * L);
        s30.intoArray(red, 12 * L);
        s31.intoArray(red, 13 * L);
        s32.intoArray(red, 14 * L);
        s33.intoArray(red, 15 * L);
        if (FOLDS) foldSums16(red);
        for (int ii = 0; ii < 4; ii++) {
            int r = cOff + (i + ii) * ldc + j;
            int ai = a0 + ii * lda;
            c[r] += laneSum(red, 4 * ii) + tail(kv, k, a, ai, b, b0);
            c[r + 1] += laneSum(red, 4 * ii + 1) + tail(kv, k, a, ai, b, b1);
            c[r + 2] += laneSum(red, 4 * ii + 2) + tail(kv, k, a, ai, b, b2);
            c[r + 3] += laneSum(red, 4 * ii + 3) + tail(kv, k, a, ai, b, b3);
        }
    }

    /**
     * The lane sum of vector {@code e} of the up to 16 a block stored in {@code red}, once the block has called
     * {@link #foldSums16} where {@link #FOLDS}: read from where the folds left it, or summed here.
     */
    private static float laneSum(float[] red, int e) {
        return FOLDS ? red[FOLDED_SLOT[e]] : sumLanes(red, e * L);
    }

    /**
     * Whether {@link #block44} folds its 16 lane sums together ({@link #foldSums16}): for 4, 8 and 16 lanes (128,
     * 256 and 512 bits, every x86 width), where 16 vectors fold into whole vectors of sums. Other lengths (wider
     * or non-power-of-two SVE vectors) sum each accumulator with {@link #sumLanes}, to the same bits.
     */
    private static final boolean FOLDS = L == 4 || L == 8 || L == 16;

    /**
     * The lane sums of the 16 vectors in {@code red[0 .. 16L)}, each in {@link #sumLanes}' pairwise order, by a
     * butterfly across the vectors ({@link #foldLevel}): each level halves the vectors and each one's partial sums,
     * until every lane holds a whole sum. Vector v's sum ends at {@code red[FOLDED_SLOT[v]]}. The kernel stores
     * its accumulators and this loads them: written into the kernel, the folds pushed C2 past its node budget.
     */
    private static void foldSums16(float[] red) {
        int vectors = 16;
        for (int level = 0; (L >> (level + 1)) >= 1; level++) {
            foldLevel(red, vectors, level);
            vectors /= 2;
        }
    }

    /**
     * One level of the butterfly of {@link #foldSums16}: vectors 2q and 2q+1 of {@code red} (x and y) fold into
     * vector q. With {@code w = L >> (level + 1)}, in each group of 2w lanes, the low w lanes of the result are
     * {@code x.lo + x.hi} and the high w lanes {@code y.hi + y.lo}: lane i of a vector's partial sums gets
     * {@code v[i] + v[i + w]}, the step of {@link #sumLanes} (addition commutes bit for bit), so the sums are the
     * bits sumLanes gives. A loop of its own: fifteen folds written out in one method passed C2's node budget,
     * and the calls it then made boxed every vector.
     */
    private static void foldLevel(float[] red, int vectors, int level) {
        // One constant mask and shuffle per level, in static finals: C2 knows their exact classes only as
        // constants (an element of a static final array is not one, and its intrinsics would then fail).
        VectorMask<Float> hi = level == 0 ? FOLD_HIGH_0 : level == 1 ? FOLD_HIGH_1 : level == 2 ? FOLD_HIGH_2 : FOLD_HIGH_3;
        VectorShuffle<Float> swap = level == 0 ? FOLD_SWAP_0 : level == 1 ? FOLD_SWAP_1 : level == 2 ? FOLD_SWAP_2 : FOLD_SWAP_3;
        for (int q = 0; q < vectors / 2; q++) {
            FloatVector x = FloatVector.fromArray(S, red, 2 * q * L);
            FloatVector y = FloatVector.fromArray(S, red, (2 * q + 1) * L);
            x.blend(y, hi).add(y.blend(x, hi).rearrange(swap)).intoArray(red, q * L);
        }
    }

    /** Per level of {@link #foldLevel}: the high w lanes of each group of 2w, and the swap of the two halves. */
    private static final VectorMask<Float> FOLD_HIGH_0 = foldMask(0), FOLD_HIGH_1 = foldMask(1),
            FOLD_HIGH_2 = foldMask(2), FOLD_HIGH_3 = foldMask(3);
    private static final VectorShuffle<Float> FOLD_SWAP_0 = foldSwap(0), FOLD_SWAP_1 = foldSwap(1),
            FOLD_SWAP_2 = foldSwap(2), FOLD_SWAP_3 = foldSwap(3);

    private static VectorMask<Float> foldMask(int level) {
        int w = Math.max(1, L >> (level + 1));
        boolean[] bits = new boolean[L];
        for (int i = 0; i < L; i++) bits[i] = (i & w) != 0;
        return VectorMask.fromArray(S, bits, 0);
    }

    private static VectorShuffle<Float> foldSwap(int level) {
        int w = Math.max(1, L >> (level + 1));
        return VectorShuffle.fromOp(S, i -> i ^ w);
    }

    /**
     * Where accumulator e (row-major in {@link #block44}'s 4×4 block) ends up in the scratch array after the
     * folds: found by running the same folds on lane labels.
     */
    private static final int[] FOLDED_SLOT = foldedSlots();

    private static int[] foldedSlots() {
        if (!FOLDS) return null; // block44 sums lane by lane
        // Label each accumulator's lanes with its index, fold the labels as block44 folds the vectors (a lane's
        // label after a fold is that of the accumulator whose partial sum it holds), read off where each ends.
        int[][] v = new int[16][L];
        for (int e = 0; e < 16; e++) java.util.Arrays.fill(v[e], e);
        int count = 16;
        for (int level = 0; (L >> (level + 1)) >= 1; level++) {
            int w = L >> (level + 1);
            for (int q = 0; q < count / 2; q++) {
                int[] x = v[2 * q], y = v[2 * q + 1], out = new int[L];
                for (int i = 0; i < L; i++) out[i] = (i & w) == 0 ? x[i] : y[i];
                v[q] = out;
            }
            count /= 2;
        }
        if (count * L != 16) throw new AssertionError("16 vectors of " + L + " lanes folded into " + count);
        int[] slot = new int[16];
        for (int q = 0; q < count; q++) {
            for (int i = 0; i < L; i++) slot[v[q][i]] = q * L + i;
        }
        return slot;
    }

    /** Per-thread scratch for the lane reductions of {@link #block44} and {@link #block43}. */
    private static final ThreadLocal<float[]> LANES16 = ThreadLocal.withInitial(() -> new float[16 * L]);

    private static void block43(int i, int j, int k, int kv, float[] a, int aOff, int lda, float[] b, int bOff,
                                int ldb, float[] c, int cOff, int ldc) {
        FloatVector s00 = FloatVector.zero(S), s01 = s00, s02 = s00;
        FloatVector s10 = s00, s11 = s00, s12 = s00;
        FloatVector s20 = s00, s21 = s00, s22 = s00;
        FloatVector s30 = s00, s31 = s00, s32 = s00;
        int a0 = aOff + i * lda;
        int a1 = a0 + lda;
        int a2 = a1 + lda;
        int a3 = a2 + lda;
        int b0 = bOff + j * ldb;
        int b1 = b0 + ldb;
        int b2 = b1 + ldb;
        for (int p = 0; p < kv; p += L) {
            FloatVector y0 = FloatVector.fromArray(S, b, b0 + p);
            FloatVector y1 = FloatVector.fromArray(S, b, b1 + p);
            FloatVector y2 = FloatVector.fromArray(S, b, b2 + p);
            FloatVector x = FloatVector.fromArray(S, a, a0 + p);
            s00 = x.fma(y0, s00);
            s01 = x.fma(y1, s01);
            s02 = x.fma(y2, s02);
            x = FloatVector.fromArray(S, a, a1 + p);
            s10 = x.fma(y0, s10);
            s11 = x.fma(y1, s11);
            s12 = x.fma(y2, s12);
            x = FloatVector.fromArray(S, a, a2 + p);
            s20 = x.fma(y0, s20);
            s21 = x.fma(y1, s21);
            s22 = x.fma(y2, s22);
            x = FloatVector.fromArray(S, a, a3 + p);
            s30 = x.fma(y0, s30);
            s31 = x.fma(y1, s31);
            s32 = x.fma(y2, s32);
        }
        int r = cOff + i * ldc + j;
        float[] red = LANES16.get();
        s00.intoArray(red, 0 * L);
        s01.intoArray(red, 1 * L);
        s02.intoArray(red, 2 * L);
        s10.intoArray(red, 3 * L);
        s11.intoArray(red, 4 * L);
        s12.intoArray(red, 5 * L);
        s20.intoArray(red, 6 * L);
        s21.intoArray(red, 7 * L);
        s22.intoArray(red, 8 * L);
        s30.intoArray(red, 9 * L);
        s31.intoArray(red, 10 * L);
        s32.intoArray(red, 11 * L);
        if (FOLDS) {
            // Four zero vectors make the 16 that foldSums16 takes; their sums are not read.
            java.util.Arrays.fill(red, 12 * L, 16 * L, 0f);
            foldSums16(red);
        }
        c[r] += laneSum(red, 0) + tail(kv, k, a, a0, b, b0);
        c[r + 1] += laneSum(red, 1) + tail(kv, k, a, a0, b, b1);
        c[r + 2] += laneSum(red, 2) + tail(kv, k, a, a0, b, b2);
        r += ldc;
        c[r] += laneSum(red, 3) + tail(kv, k, a, a1, b, b0);
        c[r + 1] += laneSum(red, 4) + tail(kv, k, a, a1, b, b1);
        c[r + 2] += laneSum(red, 5) + tail(kv, k, a, a1, b, b2);
        r += ldc;
        c[r] += laneSum(red, 6) + tail(kv, k, a, a2, b, b0);
        c[r + 1] += laneSum(red, 7) + tail(kv, k, a, a2, b, b1);
        c[r + 2] += laneSum(red, 8) + tail(kv, k, a, a2, b, b2);
        r += ldc;
        c[r] += laneSum(red, 9) + tail(kv, k, a, a3, b, b0);
        c[r + 1] += laneSum(red, 10) + tail(kv, k, a, a3, b, b1);
        c[r + 2] += laneSum(red, 11) + tail(kv, k, a, a3, b, b2);
    }

    /**
     * Σ of {@code v[off .. off+L)} in a fixed pairwise order (element i += element i + w for w = L/2, …, 1,
     * the order of a lane butterfly), overwriting those elements. Kernels reduce a vector by storing it into
     * a per-thread scratch array and calling this: a method that takes a {@code FloatVector} argument must be
     * inlined by C2, or the vector is boxed on the heap, and C2 often declined to inline such helpers
     * (NodeCountInliningCutoff, "callee is too large"). {@code reduceLanes(ADD)} is not used because it
     * leaves the order unspecified (on JDK 25 its C2 intrinsic and its Java fallback differ), which would make
     * results depend on JIT timing.
     */
    static float sumLanes(float[] v, int off) {
        if (Integer.bitCount(L) != 1) {
            float s = 0f;
            for (int i = 0; i < L; i++) s += v[off + i];
            return s;
        }
        for (int w = L / 2; w > 0; w /= 2) {
            for (int i = 0; i < w; i++) v[off + i] += v[off + i + w];
        }
        return v[off];
    }

    /** Per-thread scratch for single lane reductions and the attention's row maxima (two vectors of L). */
    private static final ThreadLocal<float[]> LANES = ThreadLocal.withInitial(() -> new float[2 * L]);

    private static float tail(int from, int to, float[] x, int xOff, float[] y, int yOff) {
        float s = 0f;
        for (int p = from; p < to; p++) s += x[xOff + p] * y[yOff + p];
        return s;
    }

    private static float dotVec(int n, float[] x, int xOff, float[] y, int yOff) {
        int i = 0;
        FloatVector s0 = FloatVector.zero(S), s1 = s0, s2 = s0, s3 = s0;
        for (; i + 4 * L <= n; i += 4 * L) {
            s0 = FloatVector.fromArray(S, x, xOff + i).fma(FloatVector.fromArray(S, y, yOff + i), s0);
            s1 = FloatVector.fromArray(S, x, xOff + i + L).fma(FloatVector.fromArray(S, y, yOff + i + L), s1);
            s2 = FloatVector.fromArray(S, x, xOff + i + 2 * L)
                    .fma(FloatVector.fromArray(S, y, yOff + i + 2 * L), s2);
            s3 = FloatVector.fromArray(S, x, xOff + i + 3 * L)
                    .fma(FloatVector.fromArray(S, y, yOff + i + 3 * L), s3);
        }
        for (; i + L <= n; i += L) {
            s0 = FloatVector.fromArray(S, x, xOff + i).fma(FloatVector.fromArray(S, y, yOff + i), s0);
        }
        float[] red = LANES.get();
        s0.add(s1).add(s2.add(s3)).intoArray(red, 0);
        return sumLanes(red, 0) + tail(i, n, x, xOff, y, yOff);
    }

    // ================================================================ batched small products (lane layout)

    @Override
    public void batchedMult(int count, int m, int n, int k, float alpha, float[] a, int aOff, int aRs, int aCs,
                            float[] b, int bOff, int bRs, int bCs, float[] c, int cOff, int cRs, int cCs) {
        // One vector holds the same matrix element of L consecutive samples, so each per-sample product
        // is a sequence of plain FMAs. Blocks of 2 rows × up to 8 columns keep up to 16 independent chains
        // in flight (AVX-512 has 32 registers) for 2 + 8 loads per k step.
        int sv = count - count % L;
        for (int s = 0; s < sv; s += L) {
            int i = 0;
            for (; i + 2 <= m; i += 2) {
                int j = 0;
                // Widest blocks first: 2×8 and 2×7 cover attention's n = Dh = 8 and n = F = 14 exactly.
                if (n % 8 != 0 && n % 7 == 0) {
                    for (; j + 7 <= n; j += 7) {
                        lanes2x7(s, i, j, k, alpha, a, aOff, aRs, aCs, b, bOff, bRs, bCs, c, cOff, cRs, cCs);
                    }
                }
                for (; j + 8 <= n; j += 8) {
                    lanes2x8(s, i, j, k, alpha, a, aOff, aRs, aCs, b, bOff, bRs, bCs, c, cOff, cRs, cCs);
                }
                for (; j + 7 <= n; j += 7) {
                    lanes2x7(s, i, j, k, alpha, a, aOff, aRs, aCs, b, bOff, bRs, bCs, c, cOff, cRs, cCs);
                }
                for (; j + 4 <= n; j += 4) {
                    lanes24(s, i, j, k, alpha, a, aOff, aRs, aCs, b, bOff, bRs, bCs, c, cOff, cRs, cCs);
                }
                for (; j + 2 <= n; j += 2) {
                    lanes22(s, i, j, k, alpha, a, aOff, aRs, aCs, b, bOff, bRs, bCs, c, cOff, cRs, cCs);
                }
                for (; j < n; j++) {
                    lanes11(s, i, j, k, alpha, a, aOff, aRs, aCs, b, bOff, bRs, bCs, c, cOff, cRs, cCs);
                    lanes11(s, i + 1, j, k, alpha, a, aOff, aRs, aCs, b, bOff, bRs, bCs, c, cOff, cRs, cCs);
                }
            }
            for (; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    lanes11(s, i, j, k, alpha, a, aOff, aRs, aCs, b, bOff, bRs, bCs, c, cOff, cRs, cCs);
                }
            }
        }
        if (sv < count) {
            ScalarKernels.batchedMultRange(sv, count, m, n, k, alpha, a, aOff, aRs, aCs, b, bOff, bRs, bCs,
                    c, cOff, cRs, cCs);
        }
    }

    /** 2 rows × 8 columns of C for one block of samples: 16 chains, 10 loads per k step. */
    private static void lanes2x8(int s, int i, int j, int k, float alpha, float[] a, int aOff, int aRs, int aCs,
                                float[] b, int bOff, int bRs, int bCs, float[] c, int cOff, int cRs, int cCs) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c02 = z, c03 = z, c04 = z, c05 = z, c06 = z, c07 = z, c10 = z, c11 = z, c12 = z, c13 = z, c14 = z, c15 = z, c16 = z, c17 = z;
        int a0 = aOff + i * aRs + s;
        int a1 = a0 + aRs;
        int bj = bOff + j * bCs + s;
        for (int p = 0; p < k; p++) {
            int bp = bj + p * bRs;
            FloatVector y0 = FloatVector.fromArray(S, b, bp);
            FloatVector y1 = FloatVector.fromArray(S, b, bp + bCs);
            FloatVector y2 = FloatVector.fromArray(S, b, bp + 2 * bCs);
            FloatVector y3 = FloatVector.fromArray(S, b, bp + 3 * bCs);
            FloatVector y4 = FloatVector.fromArray(S, b, bp + 4 * bCs);
            FloatVector y5 = FloatVector.fromArray(S, b, bp + 5 * bCs);
            FloatVector y6 = FloatVector.fromArray(S, b, bp + 6 * bCs);
            FloatVector y7 = FloatVector.fromArray(S, b, bp + 7 * bCs);
            FloatVector x = FloatVector.fromArray(S, a, a0 + p * aCs);
            c00 = x.fma(y0, c00);
            c01 = x.fma(y1, c01);
            c02 = x.fma(y2, c02);
            c03 = x.fma(y3, c03);
            c04 = x.fma(y4, c04);
            c05 = x.fma(y5, c05);
            c06 = x.fma(y6, c06);
            c07 = x.fma(y7, c07);
            x = FloatVector.fromArray(S, a, a1 + p * aCs);
            c10 = x.fma(y0, c10);
            c11 = x.fma(y1, c11);
            c12 = x.fma(y2, c12);
            c13 = x.fma(y3, c13);
            c14 = x.fma(y4, c14);
            c15 = x.fma(y5, c15);
            c16 = x.fma(y6, c16);
            c17 = x.fma(y7, c17);
        }
        int r = cOff + i * cRs + j * cCs + s;
        (alpha == 1f ? c00 : c00.mul(alpha)).intoArray(c, r);
        (alpha == 1f ? c01 : c01.mul(alpha)).intoArray(c, r + cCs);
        (alpha == 1f ? c02 : c02.mul(alpha)).intoArray(c, r + 2 * cCs);
        (alpha == 1f ? c03 : c03.mul(alpha)).intoArray(c, r + 3 * cCs);
        (alpha == 1f ? c04 : c04.mul(alpha)).intoArray(c, r + 4 * cCs);
        (alpha == 1f ? c05 : c05.mul(alpha)).intoArray(c, r + 5 * cCs);
        (alpha == 1f ? c06 : c06.mul(alpha)).intoArray(c, r + 6 * cCs);
        (alpha == 1f ? c07 : c07.mul(alpha)).intoArray(c, r + 7 * cCs);
        r += cRs;
        (alpha == 1f ? c10 : c10.mul(alpha)).intoArray(c, r);
        (alpha == 1f ? c11 : c11.mul(alpha)).intoArray(c, r + cCs);
        (alpha == 1f ? c12 : c12.mul(alpha)).intoArray(c, r + 2 * cCs);
        (alpha == 1f ? c13 : c13.mul(alpha)).intoArray(c, r + 3 * cCs);
        (alpha == 1f ? c14 : c14.mul(alpha)).intoArray(c, r + 4 * cCs);
        (alpha == 1f ? c15 : c15.mul(alpha)).intoArray(c, r + 5 * cCs);
        (alpha == 1f ? c16 : c16.mul(alpha)).intoArray(c, r + 6 * cCs);
        (alpha == 1f ? c17 : c17.mul(alpha)).intoArray(c, r + 7 * cCs);
    }

    /** 2 rows × 7 columns of C for one block of samples: 14 chains, 9 loads per k step. */
    private static void lanes2x7(int s, int i, int j, int k, float alpha, float[] a, int aOff, int aRs, int aCs,
                                float[] b, int bOff, int bRs, int bCs, float[] c, int cOff, int cRs, int cCs) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c02 = z, c03 = z, c04 = z, c05 = z, c06 = z, c10 = z, c11 = z, c12 = z, c13 = z, c14 = z, c15 = z, c16 = z;
        int a0 = aOff + i * aRs + s;
        int a1 = a0 + aRs;
        int bj = bOff + j * bCs + s;
        for (int p = 0; p < k; p++) {
            int bp = bj + p * bRs;
            FloatVector y0 = FloatVector.fromArray(S, b, bp);
            FloatVector y1 = FloatVector.fromArray(S, b, bp + bCs);
            FloatVector y2 = FloatVector.fromArray(S, b, bp + 2 * bCs);
            FloatVector y3 = FloatVector.fromArray(S, b, bp + 3 * bCs);
            FloatVector y4 = FloatVector.fromArray(S, b, bp + 4 * bCs);
            FloatVector y5 = FloatVector.fromArray(S, b, bp + 5 * bCs);
            FloatVector y6 = FloatVector.fromArray(S, b, bp + 6 * bCs);
            FloatVector x = FloatVector.fromArray(S, a, a0 + p * aCs);
            c00 = x.fma(y0, c00);
            c01 = x.fma(y1, c01);
            c02 = x.fma(y2, c02);
            c03 = x.fma(y3, c03);
            c04 = x.fma(y4, c04);
            c05 = x.fma(y5, c05);
            c06 = x.fma(y6, c06);
            x = FloatVector.fromArray(S, a, a1 + p * aCs);
            c10 = x.fma(y0, c10);
            c11 = x.fma(y1, c11);
            c12 = x.fma(y2, c12);
            c13 = x.fma(y3, c13);
            c14 = x.fma(y4, c14);
            c15 = x.fma(y5, c15);
            c16 = x.fma(y6, c16);
        }
        int r = cOff + i * cRs + j * cCs + s;
        (alpha == 1f ? c00 : c00.mul(alpha)).intoArray(c, r);
        (alpha == 1f ? c01 : c01.mul(alpha)).intoArray(c, r + cCs);
        (alpha == 1f ? c02 : c02.mul(alpha)).intoArray(c, r + 2 * cCs);
        (alpha == 1f ? c03 : c03.mul(alpha)).intoArray(c, r + 3 * cCs);
        (alpha == 1f ? c04 : c04.mul(alpha)).intoArray(c, r + 4 * cCs);
        (alpha == 1f ? c05 : c05.mul(alpha)).intoArray(c, r + 5 * cCs);
        (alpha == 1f ? c06 : c06.mul(alpha)).intoArray(c, r + 6 * cCs);
        r += cRs;
        (alpha == 1f ? c10 : c10.mul(alpha)).intoArray(c, r);
        (alpha == 1f ? c11 : c11.mul(alpha)).intoArray(c, r + cCs);
        (alpha == 1f ? c12 : c12.mul(alpha)).intoArray(c, r + 2 * cCs);
        (alpha == 1f ? c13 : c13.mul(alpha)).intoArray(c, r + 3 * cCs);
        (alpha == 1f ? c14 : c14.mul(alpha)).intoArray(c, r + 4 * cCs);
        (alpha == 1f ? c15 : c15.mul(alpha)).intoArray(c, r + 5 * cCs);
        (alpha == 1f ? c16 : c16.mul(alpha)).intoArray(c, r + 6 * cCs);
    }

    private static void lanes24(int s, int i, int j, int k, float alpha, float[] a, int aOff, int aRs, int aCs,
                                float[] b, int bOff, int bRs, int bCs, float[] c, int cOff, int cRs, int cCs) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00, c03 = c00;
        FloatVector c10 = c00, c11 = c00, c12 = c00, c13 = c00;
        int a0 = aOff + i * aRs + s;
        int a1 = a0 + aRs;
        int bj = bOff + j * bCs + s;
        for (int p = 0; p < k; p++) {
            int bp = bj + p * bRs;
            FloatVector y0 = FloatVector.fromArray(S, b, bp);
            FloatVector y1 = FloatVector.fromArray(S, b, bp + bCs);
            FloatVector y2 = FloatVector.fromArray(S, b, bp + 2 * bCs);
            FloatVector y3 = FloatVector.fromArray(S, b, bp + 3 * bCs);
            FloatVector x = FloatVector.fromArray(S, a, a0 + p * aCs);
            c00 = x.fma(y0, c00);
            c01 = x.fma(y1, c01);
            c02 = x.fma(y2, c02);
            c03 = x.fma(y3, c03);
            x = FloatVector.fromArray(S, a, a1 + p * aCs);
            c10 = x.fma(y0, c10);
            c11 = x.fma(y1, c11);
            c12 = x.fma(y2, c12);
            c13 = x.fma(y3, c13);
        }
        int r = cOff + i * cRs + j * cCs + s;
        (alpha == 1f ? c00 : c00.mul(alpha)).intoArray(c, r);
        (alpha == 1f ? c01 : c01.mul(alpha)).intoArray(c, r + cCs);
        (alpha == 1f ? c02 : c02.mul(alpha)).intoArray(c, r + 2 * cCs);
        (alpha == 1f ? c03 : c03.mul(alpha)).intoArray(c, r + 3 * cCs);
        r += cRs;
        (alpha == 1f ? c10 : c10.mul(alpha)).intoArray(c, r);
        (alpha == 1f ? c11 : c11.mul(alpha)).intoArray(c, r + cCs);
        (alpha == 1f ? c12 : c12.mul(alpha)).intoArray(c, r + 2 * cCs);
        (alpha == 1f ? c13 : c13.mul(alpha)).intoArray(c, r + 3 * cCs);
    }

    private static void lanes22(int s, int i, int j, int k, float alpha, float[] a, int aOff, int aRs, int aCs,
                                float[] b, int bOff, int bRs, int bCs, float[] c, int cOff, int cRs, int cCs) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00;
        int a0 = aOff + i * aRs + s;
        int a1 = a0 + aRs;
        int bj = bOff + j * bCs + s;
        for (int p = 0; p < k; p++) {
            int bp = bj + p * bRs;
            FloatVector y0 = FloatVector.fromArray(S, b, bp);
            FloatVector y1 = FloatVector.fromArray(S, b, bp + bCs);
            FloatVector x = FloatVector.fromArray(S, a, a0 + p * aCs);
            c00 = x.fma(y0, c00);
            c01 = x.fma(y1, c01);
            x = FloatVector.fromArray(S, a, a1 + p * aCs);
            c10 = x.fma(y0, c10);
            c11 = x.fma(y1, c11);
        }
        int r = cOff + i * cRs + j * cCs + s;
        (alpha == 1f ? c00 : c00.mul(alpha)).intoArray(c, r);
        (alpha == 1f ? c01 : c01.mul(alpha)).intoArray(c, r + cCs);
        r += cRs;
        (alpha == 1f ? c10 : c10.mul(alpha)).intoArray(c, r);
        (alpha == 1f ? c11 : c11.mul(alpha)).intoArray(c, r + cCs);
    }

    private static void lanes11(int s, int i, int j, int k, float alpha, float[] a, int aOff, int aRs, int aCs,
                                float[] b, int bOff, int bRs, int bCs, float[] c, int cOff, int cRs, int cCs) {
        FloatVector c0 = FloatVector.zero(S), c1 = c0;
        int ai = aOff + i * aRs + s;
        int bj = bOff + j * bCs + s;
        int p = 0;
        for (; p + 2 <= k; p += 2) {
            c0 = FloatVector.fromArray(S, a, ai + p * aCs).fma(FloatVector.fromArray(S, b, bj + p * bRs), c0);
            c1 = FloatVector.fromArray(S, a, ai + (p + 1) * aCs)
                    .fma(FloatVector.fromArray(S, b, bj + (p + 1) * bRs), c1);
        }
        if (p < k) {
            c0 = FloatVector.fromArray(S, a, ai + p * aCs).fma(FloatVector.fromArray(S, b, bj + p * bRs), c0);
        }
        FloatVector v = c0.add(c1);
        int off = cOff + i * cRs + j * cCs + s;
        (alpha == 1f ? v : v.mul(alpha)).intoArray(c, off);
    }

    // ================================================================ fused attention

    @Override
    public void attentionLanes(int count, int f, int heads, int dh, float alpha, float[] qkv, int qOff, int kOff,
                               int vOff, int rOff, int fs, int ld, float[] p, int pOff, float[] y, int yOff) {
        if (dh != 8 || f < 2) {
            // The fused loop holds two queries' 8 features in registers; other shapes take the three-step
            // default (as exact, and as fast as before fusion).
            super.attentionLanes(count, f, heads, dh, alpha, qkv, qOff, kOff, vOff, rOff, fs, ld, p, pOff, y, yOff);
            return;
        }
        // For each block of L samples, head and pair of query fields, everything happens in one pass over the
        // key fields per step (scores and their maximum; exponentials and their sum; normalisation and the
        // weighted sum of V), on rows of p that stay in L1. With an odd F the last pair overlaps the one before
        // it and writes the same values again.
        int sv = count - count % L;
        int rs = f * ld;
        // Where the residual of an output element is, relative to the element: rOff − yOff (same layout).
        int rd = rOff < 0 ? NO_RESIDUAL : rOff - yOff;
        // Scores in base 2: alpha·log2(e)·⟨q, k⟩, so that softmax takes 2^(s − max), which needs no split ln2.
        float alpha2 = alpha * FastExp.LOG2E;
        // The two rows' maxima, found while their scores are computed: L lanes each.
        float[] rowMax = LANES.get();
        for (int s = 0; s < sv; s += L) {
            for (int h = 0; h < heads; h++) {
                int q = qOff + h * 8 * fs + s;
                int k = kOff + h * 8 * fs + s;
                int v = vOff + h * 8 * fs + s;
                int ph = pOff + h * f * rs + s;
                int o = yOff + h * 8 * fs + s;
                for (int i = 0; i < f; i += 2) {
                    int ii = Math.min(i, f - 2);
                    scores2x8(f, alpha2, qkv, q + ii * ld, k, fs, ld, p, ph + ii * rs, rs, rowMax);
                    softmaxRowBase2(f, p, ph + ii * rs, ld, rowMax, 0);
                    softmaxRowBase2(f, p, ph + (ii + 1) * rs, ld, rowMax, L);
                    weighted2x8(f, p, ph + ii * rs, rs, qkv, v, rd, fs, ld, y, o + ii * ld);
                }
            }
        }
        if (sv < count) {
            for (int h = 0; h < heads; h++) {
                ScalarKernels.batchedMultRange(sv, count, f, f, dh, alpha, qkv, qOff + h * dh * fs, ld, fs,
                        qkv, kOff + h * dh * fs, fs, ld, p, pOff + h * f * rs, rs, ld);
            }
            ScalarKernels.softmaxLanesRange(sv, count, heads * f, f, p, pOff, rs, ld);
            for (int h = 0; h < heads; h++) {
                ScalarKernels.batchedMultRange(sv, count, f, dh, f, 1f, p, pOff + h * f * rs, rs, ld,
                        qkv, vOff + h * dh * fs, ld, fs, y, yOff + h * dh * fs, ld, fs);
            }
            for (int row = 0, rows = heads * dh * f; row < rows; row++) {
                int yr = yOff + row * ld;
                for (int s = sv; s < count; s++) {
                    float o = y[yr + s] + (rOff >= 0 ? qkv[rOff + row * ld + s] : 0f);
                    y[yr + s] = Math.max(o, 0f);
                }
            }
        }
    }

    /** {@link #weighted2x8}'s residual distance when there is none. */
    private static final int NO_RESIDUAL = Integer.MIN_VALUE;

    /**
     * Scores of query fields i and i+1 against every key field j, for one block of samples:
     * {@code p[pi + j*ld] = alpha·⟨q_i, k_j⟩} and {@code p[pi + rs + j*ld] = alpha·⟨q_{i+1}, k_j⟩}, and each
     * row's maximum over j into {@code rowMax[0 .. L)} and {@code rowMax[L .. 2L)} (softmax's shift: found here,
     * where its chain of maxima overlaps the FMAs, instead of in a pass of its own).
     * Both queries' 8 features (times alpha) stay in registers; each key feature loaded feeds two FMAs.
     * The three steps of a pair are three methods, not one: C2 stops inlining the Vector API's calls in a
     * method that large, and a vector that is not inlined is boxed on the heap (measured: 40% slower).
     */
    private static void scores2x8(int f, float alpha, float[] x, int qi, int k, int fs, int ld, float[] p, int pi,
                                  int rs, float[] rowMax) {
        FloatVector a0 = FloatVector.fromArray(S, x, qi).mul(alpha);
        FloatVector a1 = FloatVector.fromArray(S, x, qi + fs).mul(alpha);
        FloatVector a2 = FloatVector.fromArray(S, x, qi + 2 * fs).mul(alpha);
        FloatVector a3 = FloatVector.fromArray(S, x, qi + 3 * fs).mul(alpha);
        FloatVector a4 = FloatVector.fromArray(S, x, qi + 4 * fs).mul(alpha);
        FloatVector a5 = FloatVector.fromArray(S, x, qi + 5 * fs).mul(alpha);
        FloatVector a6 = FloatVector.fromArray(S, x, qi + 6 * fs).mul(alpha);
        FloatVector a7 = FloatVector.fromArray(S, x, qi + 7 * fs).mul(alpha);
        int qb = qi + ld;
        FloatVector b0 = FloatVector.fromArray(S, x, qb).mul(alpha);
        FloatVector b1 = FloatVector.fromArray(S, x, qb + fs).mul(alpha);
        FloatVector b2 = FloatVector.fromArray(S, x, qb + 2 * fs).mul(alpha);
        FloatVector b3 = FloatVector.fromArray(S, x, qb + 3 * fs).mul(alpha);
        FloatVector b4 = FloatVector.fromArray(S, x, qb + 4 * fs).mul(alpha);
        FloatVector b5 = FloatVector.fromArray(S, x, qb + 5 * fs).mul(alpha);
        FloatVector b6 = FloatVector.fromArray(S, x, qb + 6 * fs).mul(alpha);
        FloatVector b7 = FloatVector.fromArray(S, x, qb + 7 * fs).mul(alpha);
        FloatVector maxA = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY), maxB = maxA;
        for (int j = 0; j < f; j++) {
            int kj = k + j * ld;
            FloatVector k0 = FloatVector.fromArray(S, x, kj);
            FloatVector k1 = FloatVector.fromArray(S, x, kj + fs);
            FloatVector sa = a0.mul(k0), ta = a1.mul(k1);
            FloatVector sb = b0.mul(k0), tb = b1.mul(k1);
            FloatVector k2 = FloatVector.fromArray(S, x, kj + 2 * fs);
            FloatVector k3 = FloatVector.fromArray(S, x, kj + 3 * fs);
            sa = a2.fma(k2, sa);
            ta = a3.fma(k3, ta);
            sb = b2.fma(k2, sb);
            tb = b3.fma(k3, tb);
            FloatVector k4 = FloatVector.fromArray(S, x, kj + 4 * fs);
            FloatVector k5 = FloatVector.fromArray(S, x, kj + 5 * fs);
            sa = a4.fma(k4, sa);
            ta = a5.fma(k5, ta);
            sb = b4.fma(k4, sb);
            tb = b5.fma(k5, tb);
            FloatVector k6 = FloatVector.fromArray(S, x, kj + 6 * fs);
            FloatVector k7 = FloatVector.fromArray(S, x, kj + 7 * fs);
            FloatVector scoreA = a6.fma(k6, sa).add(a7.fma(k7, ta));
            FloatVector scoreB = b6.fma(k6, sb).add(b7.fma(k7, tb));
            scoreA.intoArray(p, pi + j * ld);
            scoreB.intoArray(p, pi + rs + j * ld);
            maxA = maxA.max(scoreA);
            maxB = maxB.max(scoreB);
        }
        maxA.intoArray(rowMax, 0);
        maxB.intoArray(rowMax, L);
    }

    /**
     * {@code y[oi + d*fs] = Σ_j p[pi + j*ld]·v_j[d]} and the same for the next query field
     * ({@code p} row {@code pi + rs}, output {@code oi + ld}): 16 accumulators, 10 loads per 16 FMAs.
     */
    private static void weighted2x8(int f, float[] p, int pi, int rs, float[] x, int v, int rd, int fs, int ld,
                                    float[] y, int oi) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c0 = z, c1 = z, c2 = z, c3 = z, c4 = z, c5 = z, c6 = z, c7 = z;
        FloatVector e0 = z, e1 = z, e2 = z, e3 = z, e4 = z, e5 = z, e6 = z, e7 = z;
        for (int j = 0; j < f; j++) {
            FloatVector pa = FloatVector.fromArray(S, p, pi + j * ld);
            FloatVector pb = FloatVector.fromArray(S, p, pi + rs + j * ld);
            int vj = v + j * ld;
            FloatVector w = FloatVector.fromArray(S, x, vj);
            c0 = pa.fma(w, c0);
            e0 = pb.fma(w, e0);
            w = FloatVector.fromArray(S, x, vj + fs);
            c1 = pa.fma(w, c1);
            e1 = pb.fma(w, e1);
            w = FloatVector.fromArray(S, x, vj + 2 * fs);
            c2 = pa.fma(w, c2);
            e2 = pb.fma(w, e2);
            w = FloatVector.fromArray(S, x, vj + 3 * fs);
            c3 = pa.fma(w, c3);
            e3 = pb.fma(w, e3);
            w = FloatVector.fromArray(S, x, vj + 4 * fs);
            c4 = pa.fma(w, c4);
            e4 = pb.fma(w, e4);
            w = FloatVector.fromArray(S, x, vj + 5 * fs);
            c5 = pa.fma(w, c5);
            e5 = pb.fma(w, e5);
            w = FloatVector.fromArray(S, x, vj + 6 * fs);
            c6 = pa.fma(w, c6);
            e6 = pb.fma(w, e6);
            w = FloatVector.fromArray(S, x, vj + 7 * fs);
            c7 = pa.fma(w, c7);
            e7 = pb.fma(w, e7);
        }
        // The layer's epilogue, y = ReLU(o + r): r, the residual projection, sits at the same (feature, field,
        // lane) place in x, rd elements after o's place in y.
        if (rd != NO_RESIDUAL) {
            int ri = oi + rd, rb = ri + ld;
            c0 = c0.add(FloatVector.fromArray(S, x, ri));
            c1 = c1.add(FloatVector.fromArray(S, x, ri + fs));
            c2 = c2.add(FloatVector.fromArray(S, x, ri + 2 * fs));
            c3 = c3.add(FloatVector.fromArray(S, x, ri + 3 * fs));
            c4 = c4.add(FloatVector.fromArray(S, x, ri + 4 * fs));
            c5 = c5.add(FloatVector.fromArray(S, x, ri + 5 * fs));
            c6 = c6.add(FloatVector.fromArray(S, x, ri + 6 * fs));
            c7 = c7.add(FloatVector.fromArray(S, x, ri + 7 * fs));
            e0 = e0.add(FloatVector.fromArray(S, x, rb));
            e1 = e1.add(FloatVector.fromArray(S, x, rb + fs));
            e2 = e2.add(FloatVector.fromArray(S, x, rb + 2 * fs));
            e3 = e3.add(FloatVector.fromArray(S, x, rb + 3 * fs));
            e4 = e4.add(FloatVector.fromArray(S, x, rb + 4 * fs));
            e5 = e5.add(FloatVector.fromArray(S, x, rb + 5 * fs));
            e6 = e6.add(FloatVector.fromArray(S, x, rb + 6 * fs));
            e7 = e7.add(FloatVector.fromArray(S, x, rb + 7 * fs));
        }
        c0.max(0f).intoArray(y, oi);
        c1.max(0f).intoArray(y, oi + fs);
        c2.max(0f).intoArray(y, oi + 2 * fs);
        c3.max(0f).intoArray(y, oi + 3 * fs);
        c4.max(0f).intoArray(y, oi + 4 * fs);
        c5.max(0f).intoArray(y, oi + 5 * fs);
        c6.max(0f).intoArray(y, oi + 6 * fs);
        c7.max(0f).intoArray(y, oi + 7 * fs);
        int ob = oi + ld;
        e0.max(0f).intoArray(y, ob);
        e1.max(0f).intoArray(y, ob + fs);
        e2.max(0f).intoArray(y, ob + 2 * fs);
        e3.max(0f).intoArray(y, ob + 3 * fs);
        e4.max(0f).intoArray(y, ob + 4 * fs);
        e5.max(0f).intoArray(y, ob + 5 * fs);
        e6.max(0f).intoArray(y, ob + 6 * fs);
        e7.max(0f).intoArray(y, ob + 7 * fs);
    }

    // ================================================================ softmax

    @Override
    public void softmaxLanes(int count, int rows, int n, float[] x, int off, int rs, int cs) {
        int sv = count - count % L;
        for (int r = 0; r < rows; r++) {
            int o = off + r * rs;
            for (int s = 0; s < sv; s += L) softmaxRow(n, x, o + s, cs);
        }
        if (sv < count) {
            ScalarKernels.softmaxLanesRange(sv, count, rows, n, x, off, rs, cs);
        }
    }

    /**
     * In-place softmax over {@code x[o + j*cs]}, j &lt; n, for one block of L samples, of values given in base 2
     * (log2(e) times the natural scores), whose maximum over j is {@code max[mo .. mo+L)}:
     * p_j = 2^(x_j − max) / Σ 2^(x_k − max), the same probabilities. {@link FastExp#exp2} written out for two
     * elements at a time, their steps interleaved (two independent chains of dependent operations keep the
     * FMA pipes busier than one), with two partial sums. Instead of clamping x − max from below (Java's
     * {@code max} on floats is six instructions, for NaN and −0), the biased exponent is clamped at 0 as an
     * integer, as {@link FastExp#exp2} does (two instructions), so an element more than about 126.5 binary orders
     * below the maximum becomes exactly 0, for any finite scores.
     */
    private static void softmaxRowBase2(int n, float[] x, int o, int cs, float[] max, int mo) {
        FloatVector m = FloatVector.fromArray(S, max, mo);
        FloatVector sum0 = FloatVector.zero(S), sum1 = sum0;
        int j = 0;
        for (; j + 1 < n; j += 2) {
            FloatVector za = FloatVector.fromArray(S, x, o + j * cs).sub(m);
            FloatVector zb = FloatVector.fromArray(S, x, o + (j + 1) * cs).sub(m);
            FloatVector ta = za.add(FastExp.ROUND_MAGIC), tb = zb.add(FastExp.ROUND_MAGIC);
            FloatVector fa = za.sub(ta.sub(FastExp.ROUND_MAGIC)), fb = zb.sub(tb.sub(FastExp.ROUND_MAGIC));
            FloatVector c = FloatVector.broadcast(S, FastExp.Q6), c5 = FloatVector.broadcast(S, FastExp.Q5);
            FloatVector qa = fa.fma(c, c5), qb = fb.fma(c, c5);
            c = FloatVector.broadcast(S, FastExp.Q4);
            qa = qa.fma(fa, c);
            qb = qb.fma(fb, c);
            c = FloatVector.broadcast(S, FastExp.Q3);
            qa = qa.fma(fa, c);
            qb = qb.fma(fb, c);
            c = FloatVector.broadcast(S, FastExp.Q2);
            qa = qa.fma(fa, c);
            qb = qb.fma(fb, c);
            c = FloatVector.broadcast(S, FastExp.Q1);
            qa = qa.fma(fa, c);
            qb = qb.fma(fb, c);
            c = FloatVector.broadcast(S, 1f);
            qa = qa.fma(fa, c);
            qb = qb.fma(fb, c);
            IntVector ba = ta.reinterpretAsInts().max(0).add(127 - FastExp.MAGIC_BITS).max(0)
                    .lanewise(VectorOperators.LSHL, 23);
            IntVector bb = tb.reinterpretAsInts().max(0).add(127 - FastExp.MAGIC_BITS).max(0)
                    .lanewise(VectorOperators.LSHL, 23);
            FloatVector ea = qa.mul(ba.reinterpretAsFloats()), eb = qb.mul(bb.reinterpretAsFloats());
            ea.intoArray(x, o + j * cs);
            eb.intoArray(x, o + (j + 1) * cs);
            sum0 = sum0.add(ea);
            sum1 = sum1.add(eb);
        }
        if (j < n) {
            FloatVector z = FloatVector.fromArray(S, x, o + j * cs).sub(m);
            FloatVector t = z.add(FastExp.ROUND_MAGIC);
            FloatVector fr = z.sub(t.sub(FastExp.ROUND_MAGIC));
            FloatVector q = fr.fma(FloatVector.broadcast(S, FastExp.Q6), FloatVector.broadcast(S, FastExp.Q5));
            q = q.fma(fr, FloatVector.broadcast(S, FastExp.Q4));
            q = q.fma(fr, FloatVector.broadcast(S, FastExp.Q3));
            q = q.fma(fr, FloatVector.broadcast(S, FastExp.Q2));
            q = q.fma(fr, FloatVector.broadcast(S, FastExp.Q1));
            q = q.fma(fr, FloatVector.broadcast(S, 1f));
            IntVector bits = t.reinterpretAsInts().max(0).add(127 - FastExp.MAGIC_BITS).max(0)
                    .lanewise(VectorOperators.LSHL, 23);
            FloatVector e = q.mul(bits.reinterpretAsFloats());
            e.intoArray(x, o + j * cs);
            sum0 = sum0.add(e);
        }
        FloatVector inv = FloatVector.broadcast(S, 1f).div(sum0.add(sum1));
        for (j = 0; j < n; j++) {
            FloatVector.fromArray(S, x, o + j * cs).mul(inv).intoArray(x, o + j * cs);
        }
    }

    /** In-place softmax over {@code x[o + j*cs]}, j &lt; n, for one block of L samples. */
    private static void softmaxRow(int n, float[] x, int o, int cs) {
        FloatVector max = FloatVector.fromArray(S, x, o);
        for (int j = 1; j < n; j++) max = max.max(FloatVector.fromArray(S, x, o + j * cs));
        FloatVector sum = FloatVector.zero(S);
        for (int j = 0; j < n; j++) {
            // exp(x − max), the body of exp(FloatVector) written out: C2 declines to inline that call
            // here ("callee is too large"), and a vector passed to a method that is not inlined is
            // boxed on the heap, which made softmax several times slower.
            FloatVector z = FloatVector.fromArray(S, x, o + j * cs).sub(max).max(FastExp.LO).min(FastExp.HI);
            FloatVector t = z.mul(FastExp.LOG2E).add(FastExp.ROUND_MAGIC);
            FloatVector nn = t.sub(FastExp.ROUND_MAGIC);
            FloatVector rr = nn.fma(FloatVector.broadcast(S, -FastExp.LN2_HI), z);
            rr = nn.fma(FloatVector.broadcast(S, -FastExp.LN2_LO), rr);
            FloatVector q = rr.fma(FloatVector.broadcast(S, FastExp.P0), FloatVector.broadcast(S, FastExp.P1));
            q = q.fma(rr, FloatVector.broadcast(S, FastExp.P2));
            q = q.fma(rr, FloatVector.broadcast(S, FastExp.P3));
            q = q.fma(rr, FloatVector.broadcast(S, FastExp.P4));
            q = q.fma(rr, FloatVector.broadcast(S, FastExp.P5));
            IntVector bits = t.reinterpretAsInts().add(127 - FastExp.MAGIC_BITS).lanewise(VectorOperators.LSHL, 23);
            FloatVector e = q.fma(rr.mul(rr), rr).add(1f).mul(bits.reinterpretAsFloats());
            e.intoArray(x, o + j * cs);
            sum = sum.add(e);
        }
        FloatVector inv = FloatVector.broadcast(S, 1f).div(sum);
        for (int j = 0; j < n; j++) {
            FloatVector.fromArray(S, x, o + j * cs).mul(inv).intoArray(x, o + j * cs);
        }
    }

    @Override
    public void softmaxLanesBackward(int count, int rows, int n, float[] p, int pOff, float[] dp, int dpOff,
                                     float[] dx, int dxOff, int rs, int cs) {
        int sv = count - count % L;
        for (int r = 0; r < rows; r++) {
            for (int s = 0; s < sv; s += L) {
                int e0 = r * rs + s;
                FloatVector d = FloatVector.zero(S);
                for (int j = 0; j < n; j++) {
                    int e = e0 + j * cs;
                    d = FloatVector.fromArray(S, p, pOff + e).fma(FloatVector.fromArray(S, dp, dpOff + e), d);
                }
                for (int j = 0; j < n; j++) {
                    int e = e0 + j * cs;
                    FloatVector pv = FloatVector.fromArray(S, p, pOff + e);
                    pv.mul(FloatVector.fromArray(S, dp, dpOff + e).sub(d)).intoArray(dx, dxOff + e);
                }
            }
        }
        if (sv < count) {
            ScalarKernels.softmaxLanesBackwardRange(sv, count, rows, n, p, pOff, dp, dpOff, dx, dxOff, rs, cs);
        }
    }

    // ================================================================ element-wise

    @Override
    public void relu(int n, float[] x, int xOff, float[] y, int yOff) {
        int i = 0;
        for (; i + L <= n; i += L) FloatVector.fromArray(S, x, xOff + i).max(0f).intoArray(y, yOff + i);
        for (; i < n; i++) y[yOff + i] = Math.max(x[xOff + i], 0f);
    }

    @Override
    public void reluBackward(int n, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff) {
        int i = 0;
        FloatVector zero = FloatVector.zero(S);
        for (; i + L <= n; i += L) {
            FloatVector yv = FloatVector.fromArray(S, y, yOff + i);
            zero.blend(FloatVector.fromArray(S, dy, dyOff + i), yv.compare(VectorOperators.GT, 0f))
                    .intoArray(dx, dxOff + i);
        }
        for (; i < n; i++) dx[dxOff + i] = y[yOff + i] > 0f ? dy[dyOff + i] : 0f;
    }

    @Override
    public void addBiasRows(int rows, int cols, float[] y, int off, int ld, float[] bias, int bOff) {
        for (int r = 0; r < rows; r++) {
            int o = off + r * ld;
            float bv = bias[bOff + r];
            int j = 0;
            for (; j + L <= cols; j += L) FloatVector.fromArray(S, y, o + j).add(bv).intoArray(y, o + j);
            for (; j < cols; j++) y[o + j] += bv;
        }
    }

    @Override
    public void rowSums(int rows, int cols, float[] x, int off, int ld, float[] out, int outOff) {
        for (int r = 0; r < rows; r++) {
            int o = off + r * ld;
            FloatVector s0 = FloatVector.zero(S), s1 = s0;
            int j = 0;
            for (; j + 2 * L <= cols; j += 2 * L) {
                s0 = s0.add(FloatVector.fromArray(S, x, o + j));
                s1 = s1.add(FloatVector.fromArray(S, x, o + j + L));
            }
            for (; j + L <= cols; j += L) s0 = s0.add(FloatVector.fromArray(S, x, o + j));
            float[] red = LANES.get();
            s0.add(s1).intoArray(red, 0);
            float s = sumLanes(red, 0);
            for (; j < cols; j++) s += x[o + j];
            out[outOff + r] += s;
        }
    }

    @Override
    public void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
        int i = 0;
        FloatVector av = FloatVector.broadcast(S, alpha);
        for (; i + L <= n; i += L) {
            FloatVector.fromArray(S, x, xOff + i).fma(av, FloatVector.fromArray(S, y, yOff + i)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) y[yOff + i] = Math.fma(alpha, x[xOff + i], y[yOff + i]);
    }

    // ================================================================ embeddings and optimizers

    @Override
    public void gatherRows(int count, int d, float[] w, int[] src, float[] out, int oOff, int ors) {
        int sv = count - count % L;
        // Feature k of L samples at once: a gather of w[src[s] + k] across the lanes, one store per feature.
        for (int s = 0; s < sv; s += L) {
            for (int k = 0; k < d; k++) FloatVector.fromArray(S, w, k, src, s).intoArray(out, oOff + k * ors + s);
        }
        ScalarKernels.gatherRowsRange(sv, count, d, w, src, out, oOff, ors);
    }

    /** Per thread: {@code k·ors} for k &lt; L, the lane offsets of one sample's features (scatterAddRows). */
    private static final ThreadLocal<int[]> FEATURE_STRIDES = ThreadLocal.withInitial(() -> new int[L + 1]);

    @Override
    public void scatterAddRows(int count, int d, float[] dOut, int oOff, int ors, int[] dst, float[] g) {
        if (d < L) {
            ScalarKernels.scatterAddRowsRange(0, count, d, dOut, oOff, ors, dst, g);
            return;
        }
        int[] idx = FEATURE_STRIDES.get();
        if (idx[L] != ors + 1) { // the last slot remembers the stride the offsets were made for
            for (int k = 0; k < L; k++) idx[k] = k * ors;
            idx[L] = ors + 1;
        }
        int dv = d - d % L;
        // Sample by sample (rows may repeat), L features at a time: a gather down the lane layout's column,
        // one add into the contiguous row.
        for (int s = 0; s < count; s++) {
            int r = dst[s];
            for (int k = 0; k < dv; k += L) {
                FloatVector col = FloatVector.fromArray(S, dOut, oOff + k * ors + s, idx, 0);
                FloatVector.fromArray(S, g, r + k).add(col).intoArray(g, r + k);
            }
            for (int k = dv; k < d; k++) g[r + k] += dOut[oOff + k * ors + s];
        }
    }

    @Override
    public void adamUpdate(int off, int len, float[] w, float[] g, float[] m, float[] v, float beta1, float beta2,
                           float eps, float step, float b2, float lr, float wd, boolean decoupled) {
        int end = off + len, ve = off + len - len % L;
        float c1 = 1 - beta1, c2 = 1 - beta2, shrink = 1 - lr * wd;
        boolean coupled = !decoupled && wd != 0f;
        int i = off;
        for (; i < ve; i += L) {
            FloatVector gi = FloatVector.fromArray(S, g, i);
            FloatVector wi = FloatVector.fromArray(S, w, i);
            if (decoupled) {
                wi = wi.mul(shrink);
            } else if (coupled) {
                gi = gi.add(wi.mul(wd));
            }
            FloatVector mi = FloatVector.fromArray(S, m, i).mul(beta1).add(gi.mul(c1));
            FloatVector vi = FloatVector.fromArray(S, v, i).mul(beta2).add(gi.mul(c2).mul(gi));
            mi.intoArray(m, i);
            vi.intoArray(v, i);
            FloatVector denom = vi.lanewise(VectorOperators.SQRT).div(b2).add(eps);
            wi.sub(mi.mul(step).div(denom)).intoArray(w, i);
        }
        ScalarKernels.adamRange(i, end, w, g, m, v, beta1, beta2, eps, step, b2, lr, wd, decoupled);
    }

    @Override
    public void prepareUpdate(int off, int len, float[] g, float[][] others, float[] w, float twoLambda, float[] save) {
        int end = off + len, ve = off + len - len % L;
        int i = off;
        for (; i < ve; i += L) {
            FloatVector gi = FloatVector.fromArray(S, g, i);
            for (float[] o : others) {
                gi = gi.add(FloatVector.fromArray(S, o, i));
                FloatVector.zero(S).intoArray(o, i);
            }
            FloatVector wi = FloatVector.fromArray(S, w, i);
            if (twoLambda != 0f) gi = gi.add(wi.mul(twoLambda));
            gi.intoArray(g, i);
            if (save != null) wi.intoArray(save, i);
        }
        ScalarKernels.prepareRange(i, end, g, others, w, twoLambda, save);
    }

    @Override
    public boolean finishUpdate(int off, int len, float[] w, float[] g) {
        int end = off + len, ve = off + len - len % L;
        // Not finite: every exponent bit set (infinity or NaN), the largest value the masked exponent can take.
        IntVector top = FloatVector.zero(S).reinterpretAsInts();
        int i = off;
        for (; i < ve; i += L) {
            top = top.max(FloatVector.fromArray(S, w, i).reinterpretAsInts().and(EXPONENT_BITS));
            FloatVector.zero(S).intoArray(g, i);
        }
        boolean finite = top.reduceLanes(VectorOperators.MAX) != EXPONENT_BITS;
        return ScalarKernels.finishRange(i, end, w, g) & finite;
    }

    /** The exponent field of a float: all ones for infinity and NaN. */
    private static final int EXPONENT_BITS = 0x7F800000;
}
