package dev.autoint.bench;

import dev.autoint.core.internal.kernel.KernelProvider;
import dev.autoint.core.internal.engine.InteractingLayer;
import dev.autoint.core.internal.engine.Network;
import dev.autoint.core.internal.engine.ParameterAccess;
import dev.autoint.core.internal.engine.Workspace;
import dev.autoint.core.model.AutoIntConfig;
import dev.autoint.core.model.AutoIntModel;
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
 * One interacting layer of the seed configuration (14 fields, D = A = 16, 2 heads × 8, residual) alone,
 * forward and backward, over 2048 samples in chunks of {@link Network#chunkSize()}, one thread, through the
 * engine's internal (non-exported) classes, which the benchmarks reach on the class path.
 * FLOP per sample: forward 41,216 (projections 28,672, scores and P·V 12,544); backward twice that.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", KernelProvider.JIT_FLAGS})
public class InteractingLayerBenchmark {

    public static final int SAMPLES = 2048;
    public static final double FORWARD_FLOPS_PER_SAMPLE = 41_216;

    AutoIntModel model;
    Workspace ws;
    InteractingLayer layer;
    float[] dy;
    float[] dx;
    float[] g;

    @Setup(Level.Trial)
    public void setUp() {
        model = AutoIntModel.create(SeedSetup.config(), SeedSetup.fields());
        ws = Network.of(model).newWorkspace(Network.of(model).chunkSize());
        AutoIntConfig c = model.config();
        int f = model.fields().size();
        layer = new InteractingLayer(Kernels.get(), 0, f, c.embeddingSize(), c, model.parameters().tensor("attention.0.wq").offset());
        ws.setChunk(ws.capacity());
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < ws.embeddings().length; i++) ws.embeddings()[i] = (float) r.nextDouble(-0.1, 0.1);
        dy = new float[ws.layerOutput(0).length];
        for (int i = 0; i < dy.length; i++) dy[i] = (float) r.nextDouble(-1, 1);
        dx = new float[ws.embeddingGradient().length];
        g = new float[model.parameters().size()];
        layer.forward(ws, ParameterAccess.data(model.parameters()), ws.embeddings());
    }

    @Benchmark
    public float[] forward() {
        float[] w = ParameterAccess.data(model.parameters());
        for (int done = 0; done < SAMPLES; done += ws.capacity()) layer.forward(ws, w, ws.embeddings());
        return ws.layerOutput(0);
    }

    @Benchmark
    public float[] backward() {
        float[] w = ParameterAccess.data(model.parameters());
        // Keeps the last forward's activations; dy is overwritten by the ReLU backward, which only zeroes
        // more of it each call, so the arithmetic per call is the same.
        for (int done = 0; done < SAMPLES; done += ws.capacity()) layer.backward(ws, w, ws.embeddings(), dy, dx, g);
        return g;
    }
}
