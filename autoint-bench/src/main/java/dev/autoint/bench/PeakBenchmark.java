package dev.autoint.bench;

import dev.autoint.core.internal.kernel.KernelProvider;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * This machine's single-core FP32 FMA limit, measured the way the project's reference figure (102 GFLOP/s
 * per core on the earlier sessions' machine) was: twelve independent vector accumulators, each updated by one
 * fused multiply-add per step in the kernels' form ({@code acc = x.fma(y, acc)}), so latency never stalls
 * the FMA units. {@link BenchMain} divides every model and kernel figure by this result (unless
 * {@code --peak} overrides it), so "of peak" stays honest on a machine with wider vectors or another clock.
 *
 * <p>The species is the one the kernels use: {@code -Dautoint.vectorBits} when set, else the preferred
 * one, so on an AVX-512 machine forced to 256 bits the peak is the 256-bit peak. The result's secondary
 * value {@code flops} is floating-point operations per second (the driver JVM need not load the vector
 * module to know the lane count).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", KernelProvider.JIT_FLAGS})
public class PeakBenchmark {

    /** FMA steps per accumulator in one operation. */
    public static final int STEPS = 1 << 16;
    public static final int ACCUMULATORS = 12;

    static final VectorSpecies<Float> S = species();

    /** The width the vector kernels chose (and validated) in this JVM. */
    private static VectorSpecies<Float> species() {
        return VectorSpecies.of(float.class, VectorShape.forBitSize(KernelProvider.vector().vectorBitSize()));
    }

    /** Floating-point operations in one {@link #fma12} call (a fused multiply-add counts as two). */
    static double flopsPerOp() {
        return 2.0 * ACCUMULATORS * STEPS * S.length();
    }

    /** Counts floating-point operations; JMH reports the count per second as the secondary result "flops". */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Counter {
        public double flops;

        @Setup(Level.Iteration)
        public void reset() {
            flops = 0;
        }
    }

    float mul = 0.999999f;
    float add = 1e-7f;

    @Benchmark
    public float fma12(Counter counter) {
        counter.flops += flopsPerOp();
        FloatVector m = FloatVector.broadcast(S, mul);
        FloatVector b = FloatVector.broadcast(S, add);
        FloatVector a0 = FloatVector.broadcast(S, 1f), a1 = FloatVector.broadcast(S, 2f);
        FloatVector a2 = FloatVector.broadcast(S, 3f), a3 = FloatVector.broadcast(S, 4f);
        FloatVector a4 = FloatVector.broadcast(S, 5f), a5 = FloatVector.broadcast(S, 6f);
        FloatVector a6 = FloatVector.broadcast(S, 7f), a7 = FloatVector.broadcast(S, 8f);
        FloatVector a8 = FloatVector.broadcast(S, 9f), a9 = FloatVector.broadcast(S, 10f);
        FloatVector a10 = FloatVector.broadcast(S, 11f), a11 = FloatVector.broadcast(S, 12f);
        for (int i = 0; i < STEPS; i++) {
            a0 = m.fma(b, a0);
            a1 = m.fma(b, a1);
            a2 = m.fma(b, a2);
            a3 = m.fma(b, a3);
            a4 = m.fma(b, a4);
            a5 = m.fma(b, a5);
            a6 = m.fma(b, a6);
            a7 = m.fma(b, a7);
            a8 = m.fma(b, a8);
            a9 = m.fma(b, a9);
            a10 = m.fma(b, a10);
            a11 = m.fma(b, a11);
        }
        FloatVector s = a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11);
        return s.lane(0);
    }
}
