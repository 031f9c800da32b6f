package dev.autoint.bench;

import dev.autoint.core.internal.kernel.KernelProvider;
import dev.autoint.core.data.EncodedDataset;
import dev.autoint.core.model.AutoIntConfig;
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
 * Every model of the family on the seed fields ({@link SeedSetup}: 14 categorical fields with the MovieLens-1M
 * vocabularies, embedding 16) with its preset (DeepCTR's defaults, as {@code bin/autoint train --model} uses
 * them), on one thread: inference of a batch of 2048 rows and training throughput (forward, backward, Adam,
 * L2 1e-5 on the touched embedding rows) over 10 batches of 2048. AutoInt+ is included so that one run gives
 * the whole family; {@link ModelBenchmark} measures it in more ways. {@code tools/bench_family.py} is the
 * PyTorch twin of every model and workload, and {@code tools/bench_family.sh} runs both and prints the ratios.
 *
 * <p>Warm-up and measurement as {@link ModelBenchmark}: 3 × 2 s reach steady state (C2 has compiled the kernels
 * after the first second), 5 × 2 s measure; training warms up longer because one call is 10 batches.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", KernelProvider.JIT_FLAGS, "-Xmx2g"})
public class FamilyBenchmark {

    /** Rows of an inference batch and of a training batch. */
    public static final int BATCH = 2048;
    /** Training batches per benchmark call. */
    public static final int TRAIN_BATCHES = 10;

    /** The model: a name of {@code bin/autoint train --model}. */
    @Param({"fm", "deepfm", "dcnv2", "xdeepfm", "autoint+"})
    public String model;

    Predictor predictor;
    EncodedDataset batch;
    float[] out;
    Trainer trainer;
    EncodedDataset train;

    /**
     * The preset of a model name, without dropout (a benchmark measures arithmetic, not regularisation).
     *
     * @param name fm, deepfm, dcnv2, xdeepfm or autoint+
     * @return its configuration
     * @throws IllegalArgumentException for another name
     */
    public static AutoIntConfig config(String name) {
        AutoIntConfig c = switch (name) {
            case "fm" -> AutoIntConfig.fm();
            case "deepfm" -> AutoIntConfig.deepFm();
            case "dcnv2" -> AutoIntConfig.dcnV2();
            case "xdeepfm" -> AutoIntConfig.xDeepFm();
            case "autoint+" -> AutoIntConfig.seedsAutoIntPlus();
            default -> throw new IllegalArgumentException("model must be fm, deepfm, dcnv2, xdeepfm or autoint+, got " + name);
        };
        return c.withDropout(0f);
    }

    /** Builds the model twice: one for inference, one that training updates (so updates do not leak into inference). */
    @Setup(Level.Trial)
    public void setUp() {
        predictor = AutoIntModel.create(config(model), SeedSetup.fields()).predictor();
        batch = SeedSetup.randomRows(BATCH, 1);
        out = new float[BATCH];
        AutoIntModel m = AutoIntModel.create(config(model), SeedSetup.fields());
        trainer = Trainer.builder(m).epochs(1).batchSize(BATCH).threads(1).l2Embedding(1e-5f).build();
        train = SeedSetup.randomRows(BATCH * TRAIN_BATCHES, 4);
    }

    /**
     * Probabilities of 2048 rows on one thread.
     *
     * @return the probabilities
     */
    @Benchmark
    public float[] inferBatch2048() {
        predictor.predict(batch, null, 0, BATCH, out, 0, true);
        return out;
    }

    /**
     * One epoch of 10 batches of 2048 on one thread; the trainer is reused (a new one per call would re-allocate
     * its workspaces).
     *
     * @return the history
     */
    @Benchmark
    @Warmup(iterations = 3, time = 3)
    public Object train10Batches() {
        return trainer.fit(train, null);
    }
}
