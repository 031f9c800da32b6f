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
 * The kernels at AutoInt's shapes, scalar/vector pairs over the same public facade.
 *
 * <p>{@code shape} names a product C[m,n] = A[m,k]·B[k,n]: {@code 28672x16x16} and {@code 28672x16x64}
 * are the query/key/value and wider projections of 2048 samples × 14 fields in the row-major layout,
 * {@code 2048x224x32} is the first DNN layer. Operations are single-threaded.
 *
 * <p>Only the vector fork gets {@code --add-modules jdk.incubator.vector}; the scalar fork runs as a
 * user's JVM without the flag would. Two one-second warm-ups reach C2's steady state for these loops
 * (checked with -prof comp); three one-second measurements; one fork each keeps the whole table under
 * two minutes ({@link BenchMain} raises forks with {@code --forks}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class KernelBenchmark {

    @Param({"28672x16x16", "28672x16x64", "2048x224x32"})
    public String shape;

    int m;
    int n;
    int k;
    float[] a;
    float[] b;
    float[] c;
    Kernels kernels;

    @Setup(Level.Trial)
    public void setUp() {
        String[] p = shape.split("x");
        m = Integer.parseInt(p[0]);
        k = Integer.parseInt(p[1]);
        n = Integer.parseInt(p[2]);
        SplittableRandom rnd = new SplittableRandom(1);
        a = new float[m * k];
        b = new float[k * n];
        c = new float[m * n];
        for (int i = 0; i < a.length; i++) a[i] = (float) rnd.nextDouble(-1, 1);
        for (int i = 0; i < b.length; i++) b[i] = (float) rnd.nextDouble(-1, 1);
        kernels = KernelProvider.vectorApiReadable() ? KernelProvider.vector() : Kernels.scalar();
    }

    /** FLOP of one operation: one multiply and one add per inner-product term. */
    public static double flops(String shape) {
        String[] p = shape.split("x");
        return 2.0 * Long.parseLong(p[0]) * Long.parseLong(p[1]) * Long.parseLong(p[2]);
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {"-Dautoint.kernels=scalar"})
    public float[] gemmScalar() {
        Kernels.scalar().mult(m, n, k, a, 0, k, b, 0, n, c, 0, n);
        return c;
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", KernelProvider.JIT_FLAGS, "-Dautoint.kernels=vector"})
    public float[] gemmVector() {
        kernels.mult(m, n, k, a, 0, k, b, 0, n, c, 0, n);
        return c;
    }
}
