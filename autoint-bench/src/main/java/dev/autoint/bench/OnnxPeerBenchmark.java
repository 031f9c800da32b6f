package dev.autoint.bench;

import dev.autoint.core.internal.kernel.KernelProvider;
import ai.onnxruntime.OrtException;
import dev.autoint.core.io.ModelFiles;
import dev.autoint.core.model.AutoIntModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link ModelBenchmark}'s inference workloads run by ONNX Runtime Java on the PyTorch twin exported to ONNX
 * ({@link OnnxPeer}): a batch of 2048 rows, 3,706 random rows and one user's 3,706 candidate rows, the same rows
 * as ModelBenchmark's (ONNX Runtime computes every row in full, the library the user's fields once), on one
 * thread (intra-op and inter-op threads 1). Warm-up, measurement and fork settings are ModelBenchmark's, so the
 * two runs compare directly; {@link BenchMain} reports rows/s for both.
 *
 * <p>The peer directory comes from {@code -Dautoint.onnxPeer=DIR} (default {@value #DEFAULT_DIR}, relative to
 * the working directory); {@code tools/bench_peers.sh} makes it and runs this. The ids are in an int64 tensor made
 * once in setup, and the output tensor is bound once, so a timed call is one {@code run} and a copy of the
 * probabilities: ONNX Runtime's overhead per call at its lowest. Setup checks that ONNX Runtime's probabilities
 * on the 2048-row batch match the library's (same weights, from the peer directory) within
 * {@link OnnxPeer#TOLERANCE}, so the figures are of the same model.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
// The vector module only for the library's scoring in the setup check; ONNX Runtime does not use it.
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", KernelProvider.JIT_FLAGS, "-Xmx2g"})
public class OnnxPeerBenchmark {

    /** The peer directory when {@code autoint.onnxPeer} is not set. */
    public static final String DEFAULT_DIR = "autoint-bench/target/onnx-peer";

    OnnxPeer.Runner runner;
    OnnxPeer.Batch batch;
    OnnxPeer.Batch candidates;
    OnnxPeer.Batch userCandidates;
    float[] out;

    @Setup(Level.Trial)
    public void setUp() throws IOException, OrtException {
        Path dir = Path.of(System.getProperty("autoint.onnxPeer", DEFAULT_DIR)).toAbsolutePath();
        if (!Files.isRegularFile(dir.resolve(OnnxPeer.ONNX))) {
            throw new IllegalStateException("no " + OnnxPeer.ONNX + " in " + dir + ": run tools/bench_peers.sh, or "
                    + "make it as OnnxPeer's Javadoc says and pass -Dautoint.onnxPeer=DIR");
        }
        runner = new OnnxPeer.Runner(dir.resolve(OnnxPeer.ONNX));
        batch = runner.batch(OnnxPeer.ids(SeedSetup.randomRows(ModelBenchmark.BATCH, 1)));
        candidates = runner.batch(OnnxPeer.ids(SeedSetup.randomRows(ModelBenchmark.CANDIDATES, 2)));
        userCandidates = runner.batch(OnnxPeer.ids(SeedSetup.userCandidateRows(ModelBenchmark.CANDIDATES, 5)));
        out = new float[ModelBenchmark.CANDIDATES];

        AutoIntModel model = ModelFiles.load(dir.resolve(OnnxPeer.MODEL)).model();
        float[] library = model.predictor().predict(SeedSetup.randomRows(ModelBenchmark.BATCH, 1));
        runner.predict(batch, out);
        double worst = 0;
        for (int i = 0; i < ModelBenchmark.BATCH; i++) worst = Math.max(worst, Math.abs((double) out[i] - library[i]));
        if (!(worst <= OnnxPeer.TOLERANCE)) {
            throw new IllegalStateException("ONNX Runtime and the library differ by " + worst + " on the batch: "
                    + dir + " holds models with different weights (re-run tools/bench_peers.sh)");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws OrtException {
        batch.close();
        candidates.close();
        userCandidates.close();
        runner.close();
    }

    @Benchmark
    public float[] inferBatch2048() throws OrtException {
        runner.predict(batch, out);
        return out;
    }

    @Benchmark
    public float[] scoreCandidates3706() throws OrtException {
        runner.predict(candidates, out);
        return out;
    }

    @Benchmark
    public float[] scoreUserCandidates3706() throws OrtException {
        runner.predict(userCandidates, out);
        return out;
    }
}
