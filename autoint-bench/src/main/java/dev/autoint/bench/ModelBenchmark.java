package dev.autoint.bench;

import dev.autoint.core.internal.kernel.KernelProvider;
import dev.autoint.core.data.EncodedDataset;
import dev.autoint.core.model.AutoIntModel;
import dev.autoint.core.model.Predictor;
import dev.autoint.core.train.Trainer;
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
 * The whole model at the seed configuration ({@link SeedSetup}): single-thread inference of a batch of
 * 2048 rows, single-thread scoring of 3,706 rows twice (random rows, where no field repeats, and one user's
 * fields with the 3,706 MovieLens-1M movies, where the scorer computes the user's fields once per chunk),
 * and training throughput (forward, backward, Adam) over 10 batches of 2048 with 1 or 2 threads.
 * Everything runs on the vector kernels ({@code --add-modules jdk.incubator.vector}).
 * {@link BenchMain} converts ops/s to rows/s and GFLOP/s (140,544 FLOP per row forward, 16,384 fewer for one
 * user's candidates, three times 140,544 per training sample).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", KernelProvider.JIT_FLAGS, "-Xmx2g"})
public class ModelBenchmark {

    public static final int BATCH = 2048;
    public static final int CANDIDATES = 3706;
    public static final int TRAIN_BATCHES = 10;

    AutoIntModel model;
    Predictor predictor;
    EncodedDataset batch;
    EncodedDataset candidates;
    EncodedDataset userCandidates;
    EncodedDataset train;
    float[] out;

    @Setup(Level.Trial)
    public void setUp() {
        model = AutoIntModel.create(SeedSetup.config(), SeedSetup.fields());
        predictor = model.predictor();
        batch = SeedSetup.randomRows(BATCH, 1);
        candidates = SeedSetup.randomRows(CANDIDATES, 2);
        userCandidates = SeedSetup.userCandidateRows(CANDIDATES, 5);
        train = SeedSetup.randomRows(BATCH * TRAIN_BATCHES, 3);
        out = new float[CANDIDATES];
    }

    @Benchmark
    public float[] inferBatch2048() {
        predictor.predict(batch, null, 0, BATCH, out, 0, true);
        return out;
    }

    @Benchmark
    public float[] scoreCandidates3706() {
        predictor.predict(candidates, null, 0, CANDIDATES, out, 0, true);
        return out;
    }

    /** One user against the catalogue: the rows a recommendation request scores. */
    @Benchmark
    public float[] scoreUserCandidates3706() {
        predictor.predict(userCandidates, null, 0, CANDIDATES, out, 0, true);
        return out;
    }

    /** Training throughput; the state holds its own model so updates do not leak into the other benchmarks. */
    @State(Scope.Thread)
    public static class TrainState {
        @Param({"1", "2"})
        public int threads;
        Trainer trainer;
        EncodedDataset data;

        @Setup(Level.Trial)
        public void setUp() {
            AutoIntModel m = AutoIntModel.create(SeedSetup.config(), SeedSetup.fields());
            trainer = Trainer.builder(m).epochs(1).batchSize(BATCH).threads(threads).l2Embedding(1e-5f).build();
            data = SeedSetup.randomRows(BATCH * TRAIN_BATCHES, 4);
        }
    }

    @Benchmark
    @Warmup(iterations = 3, time = 3)
    public Object train10Batches(TrainState s) {
        // Each call is a fresh epoch of 10 batches (fit runs epochs 0 .. epochs-1; a new trainer per call
        // would re-allocate workspaces, so reuse it through resume-free repeated fits).
        return s.trainer.fit(s.data, null);
    }
}
