package dev.autoint.bench;

import dev.autoint.core.internal.kernel.KernelProvider;
import dev.autoint.core.internal.kernel.Kernels;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Attention scores for 2048 samples × 2 heads: per sample and head, S = Q·Kᵀ with Q, K of shape 14×8.
 *
 * <p>Two layouts are weighed. {@code lanes*}: the model's sample-minor layout in chunks of 256 samples,
 * element (f, d) of sample s at {@code (f*D + d)*LD + s} within its chunk, where one vector holds 16 samples and each product is plain FMAs with no
 * horizontal reduction ({@link Kernels#batchedMult}). {@code perSample*}: the row-major layout, one
 * 14×8 · 8×14 product per sample and head through {@link Kernels#multAddTransB}, i.e. 196 dot products of length 8.
 * Settings as in {@link KernelBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class AttentionBenchmark {

    static final int B = 2048;
    static final int F = 14;
    static final int H = 2;
    static final int DH = 8;
    static final int D = H * DH;
    /** Samples per chunk, as the model processes them: a chunk's Q, K and scores stay in L2. */
    static final int CH = 256;
    /**
     * Distance between two matrix elements' sample rows: the chunk plus one cache line, so that consecutive
     * rows (17 lines apart) fall into different L1 sets. With a power-of-two stride every row maps to the
     * same few sets and the 8-way L1 thrashes (measured with one 2048-sample chunk and an 8 KiB stride:
     * 4 GFLOP/s).
     */
    static final int LD = CH + 16;
    static final int CHUNKS = B / CH;
    /** FLOP per operation: B·H·F·F·DH multiply-adds. */
    public static final double FLOPS = 2.0 * B * H * F * F * DH;

    float[] q;
    float[] k;
    float[] scores;
    Kernels kernels;

    @Setup(Level.Trial)
    public void setUp() {
        SplittableRandom rnd = new SplittableRandom(2);
        q = new float[CHUNKS * LD * F * D];
        k = new float[CHUNKS * LD * F * D];
        scores = new float[CHUNKS * LD * H * F * F];
        for (int i = 0; i < q.length; i++) {
            q[i] = (float) rnd.nextDouble(-1, 1);
            k[i] = (float) rnd.nextDouble(-1, 1);
        }
        kernels = KernelProvider.vectorApiReadable() ? KernelProvider.vector() : Kernels.scalar();
    }

    static void lanes(Kernels kr, float[] q, float[] k, float[] scores) {
        for (int c = 0; c < CHUNKS; c++) {
            int in = c * LD * F * D;
            int out = c * LD * H * F * F;
            for (int h = 0; h < H; h++) {
                // In chunk c, Q_s (F×DH): element (i, d) at (i*D + h*DH + d)*LD + s;
                // Kᵀ_s (DH×F): element (d, j) at (j*D + h*DH + d)*LD + s.
                kr.batchedMult(CH, F, F, DH, 1f, q, in + h * DH * LD, D * LD, LD, k, in + h * DH * LD, LD, D * LD,
                        scores, out + h * F * F * LD, F * LD, LD);
            }
        }
    }

    static void perSample(Kernels kr, float[] q, float[] k, float[] scores) {
        for (int s = 0; s < B; s++) { // row-major: sample s's F×D block at s*F*D
            for (int h = 0; h < H; h++) {
                // Row-major per sample: Q_s at s*F*D, row i of head h at s*F*D + i*D + h*DH.
                kr.multAddTransB(F, F, DH, q, s * F * D + h * DH, D, k, s * F * D + h * DH, D,
                        scores, (s * H + h) * F * F, F);
            }
        }
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {"-Dautoint.kernels=scalar"})
    public float[] lanesScalar() {
        lanes(Kernels.scalar(), q, k, scores);
        return scores;
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", KernelProvider.JIT_FLAGS, "-Dautoint.kernels=vector"})
    public float[] lanesVector() {
        lanes(kernels, q, k, scores);
        return scores;
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {"-Dautoint.kernels=scalar"})
    public float[] perSampleScalar() {
        java.util.Arrays.fill(scores, 0f);
        perSample(Kernels.scalar(), q, k, scores);
        return scores;
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", KernelProvider.JIT_FLAGS, "-Dautoint.kernels=vector"})
    public float[] perSampleVector() {
        java.util.Arrays.fill(scores, 0f);
        perSample(kernels, q, k, scores);
        return scores;
    }
}
