package dev.autoint.bench;

import dev.autoint.core.internal.engine.Gradients;
import dev.autoint.core.internal.kernel.KernelProvider;
import dev.autoint.core.internal.train.GradientStep;
import dev.autoint.core.internal.train.Updater;
import dev.autoint.core.model.AutoIntModel;
import dev.autoint.core.model.TensorInfo;
import dev.autoint.core.train.Adam;
import java.util.List;
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
 * The step after backward alone, on one thread: the seed model's layout with the rows a batch of 2,048 random rows
 * touches in every sparse tensor (and every dense tensor), then {@link GradientStep}'s plan and its one-pass
 * reduction and Adam update ({@code reduceAndUpdate}, what the trainer runs without clipping), with the L2 term on
 * the embeddings and the last-good copy as the trainer makes them. Each operation marks the rows and sets their
 * gradients first (the same work in every build), so the difference between builds is the update's.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", KernelProvider.JIT_FLAGS})
public class UpdateBenchmark {

    /** L2 strength on the embeddings: the seeds' 1e-5, or 0 (no L2 term and no penalty). */
    @Param({"1e-5", "0"})
    public float lambda;

    private Gradients grads;
    private GradientStep step;
    private Updater updater;
    private float[] lastGood;
    private List<TensorInfo> tensors;
    private int[][] rows; // per tensor: the rows one batch touches (null for dense tensors)

    @Setup(Level.Trial)
    public void setUp() {
        AutoIntModel model = AutoIntModel.create(SeedSetup.config(), SeedSetup.fields());
        grads = new Gradients(model.parameters());
        step = new GradientStep(model.parameters(), new Gradients[] {grads}, 1);
        updater = Updater.of(Adam.adam());
        lastGood = new float[model.parameters().size()];
        tensors = grads.tensors();
        rows = new int[tensors.size()][];
        SplittableRandom rnd = new SplittableRandom(5);
        for (int t = 0; t < tensors.size(); t++) {
            TensorInfo ti = tensors.get(t);
            if (!ti.sparse()) continue;
            rows[t] = new int[2048];
            for (int s = 0; s < rows[t].length; s++) rows[t][s] = rnd.nextInt(ti.rows());
        }
    }

    @Benchmark
    public Object reduceAndUpdate() {
        float[] g = grads.data();
        for (int t = 0; t < tensors.size(); t++) {
            TensorInfo ti = tensors.get(t);
            if (rows[t] == null) {
                for (int i = ti.offset(), end = i + ti.size(); i < end; i++) g[i] = 1e-3f;
            } else {
                for (int r : rows[t]) {
                    grads.touch(t, r);
                    g[ti.offset() + r * ti.rowSize()] += 1e-3f;
                }
            }
        }
        step.plan();
        step.beginUpdate(updater);
        step.reduceAndUpdate(0, lambda, updater, 1e-3f, lastGood);
        step.finishReduce();
        step.finishUpdate();
        return step.firstNonFiniteWeight();
    }
}
