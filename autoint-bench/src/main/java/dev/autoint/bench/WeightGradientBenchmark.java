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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The projections' weight gradient of one interacting layer of the seed configuration, alone:
 * {@code dW (P, Din) += dqkvr (P, F·ld) · xᵀ (F·ld, Din)} with P = 64, Din = 16, F = 14 fields and {@code ld}
 * lanes per field row ({@link Kernels#multAddTransB}, the call {@code InteractingLayer.backward} makes once per
 * chunk), three floats more than whole vectors so that the scalar tail runs too. {@code ld} 128 is a training
 * chunk; the smaller widths show what the per-entry lane sums cost against the FMAs, which grow with k.
 * The secondary result {@code flops} is floating-point operations per second (2·P·Din·k per call).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 4, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", KernelProvider.JIT_FLAGS})
public class WeightGradientBenchmark {

    static final int P = 64;
    static final int DIN = 16;
    static final int FIELDS = 14;

    @Param({"32", "128"})
    public int ld;

    int k;
    float[] dq;
    float[] x;
    float[] dw;
    Kernels kernels;

    @Setup(Level.Trial)
    public void setUp() {
        k = FIELDS * ld + 3;
        SplittableRandom r = new SplittableRandom(1);
        dq = new float[P * k];
        x = new float[DIN * k];
        dw = new float[P * DIN];
        for (int i = 0; i < dq.length; i++) dq[i] = (float) r.nextDouble(-1, 1);
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextDouble(-1, 1);
        kernels = Kernels.get();
    }

    /** {@code counter}: PeakBenchmark's, so the "flops" line reads the same in both. */
    @Benchmark
    public float[] multAddTransB(PeakBenchmark.Counter counter) {
        counter.flops += 2.0 * P * DIN * k;
        kernels.multAddTransB(P, DIN, k, dq, 0, k, x, 0, k, dw, 0, DIN);
        return dw;
    }
}
