package dev.autoint.core.internal.kernel;

/**
 * Single-precision e^x by range reduction and a degree-6 polynomial, the classic Cephes {@code expf}
 * scheme: x = n·ln2 + r with |r| ≤ ln2/2, e^r ≈ 1 + r + r²·P(r), e^x = 2^n·e^r. Relative error about
 * 2 ulp on [-87, 88]; inputs are clamped to that range (e^-87 ≈ 1.6e-38, never 0, so softmax stays finite).
 *
 * <p>Why not {@link Math#exp}: the vector kernels need the identical formula lane by lane (the Vector
 * API's EXP is a slow Java fallback on some JDKs), and scalar and vector softmax should agree closely.
 * The constants are public so the vector implementation uses the very same ones.
 */
public final class FastExp {
    public static final float LO = -87.0f;
    public static final float HI = 88.0f;
    public static final float LOG2E = 1.44269504088896341f;
    /** ln2 split in two so that n·LN2_HI is exact for the n that occur. */
    public static final float LN2_HI = 0.693359375f;
    public static final float LN2_LO = -2.12194440e-4f;
    /** Adding and subtracting 1.5·2²³ rounds a float of magnitude below 2²² to the nearest integer. */
    public static final float ROUND_MAGIC = 12582912f;
    public static final float P0 = 1.9875691500e-4f;
    public static final float P1 = 1.3981999507e-3f;
    public static final float P2 = 8.3334519073e-3f;
    public static final float P3 = 4.1665795894e-2f;
    public static final float P4 = 1.6666665459e-1f;
    public static final float P5 = 5.0000001201e-1f;

    /**
     * 2^f ≈ 1 + f·(Q1 + f·(Q2 + … + f·Q6)) on |f| ≤ 1/2: a degree-6 fit of relative error below 1e-7 in
     * float (fitted by iterated reweighted least squares on Chebyshev nodes, then checked on 200,001 points;
     * {@code FastExpTest} checks {@link #exp2} against {@link Math#pow}). Base 2 needs no split ln2: f = z − n
     * is exact, so 2^z = 2^n·2^f costs six FMAs and no reduction. The fused attention kernel scales its scores
     * by log2(e) once and takes 2^(s − max) with it.
     */
    public static final float Q1 = 0.6931471824645996f;
    public static final float Q2 = 0.24022647738456726f;
    public static final float Q3 = 0.055503323674201965f;
    public static final float Q4 = 0.00961843691766262f;
    public static final float Q5 = 0.0013398875016719103f;
    public static final float Q6 = 0.00015353361959569156f;
    /** Bits of {@link #ROUND_MAGIC}: t's bits minus these are the rounded integer n, while t is in [2^23, 2^24). */
    public static final int MAGIC_BITS = Float.floatToRawIntBits(ROUND_MAGIC);

    private FastExp() {
    }

    /**
     * 2^z for z ≤ 0 (the shifted scores of a softmax); relative error below 2.5e-7 on [−126, 0], exactly 0 below
     * about −126.5, and 0 (never garbage) for any finite z however negative. The scalar twin of the vector
     * kernels' inline form, operation for operation: the rounded integer n comes from the bits of
     * t = z + ROUND_MAGIC, and the biased exponent n + 127 is clamped at 0 as an integer rather than z as a float
     * (one integer max instead of Java's six-instruction float max in the vector form). The first clamp, of t's
     * bits at 0, keeps a negative t (z below −2^23) from wrapping around in the addition.
     */
    public static float exp2(float z) {
        float t = z + ROUND_MAGIC;
        float f = z - (t - ROUND_MAGIC);
        float p = Math.fma(Q6, f, Q5);
        p = Math.fma(p, f, Q4);
        p = Math.fma(p, f, Q3);
        p = Math.fma(p, f, Q2);
        p = Math.fma(p, f, Q1);
        p = Math.fma(p, f, 1f);
        int biased = Math.max(Math.max(Float.floatToRawIntBits(t), 0) + (127 - MAGIC_BITS), 0);
        return p * Float.intBitsToFloat(biased << 23);
    }

    public static float exp(float x) {
        x = Math.min(Math.max(x, LO), HI);
        float n = (x * LOG2E + ROUND_MAGIC) - ROUND_MAGIC;
        float r = Math.fma(n, -LN2_HI, x);
        r = Math.fma(n, -LN2_LO, r);
        float p = Math.fma(P0, r, P1);
        p = Math.fma(p, r, P2);
        p = Math.fma(p, r, P3);
        p = Math.fma(p, r, P4);
        p = Math.fma(p, r, P5);
        float e = Math.fma(p, r * r, r) + 1f;
        return e * Float.intBitsToFloat(((int) n + 127) << 23);
    }
}
