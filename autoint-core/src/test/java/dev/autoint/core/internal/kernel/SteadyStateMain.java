package dev.autoint.core.internal.kernel;

import dev.autoint.core.data.EncodedDataset;
import dev.autoint.core.data.FieldSpec;
import dev.autoint.core.model.AutoIntConfig;
import dev.autoint.core.model.AutoIntModel;
import dev.autoint.core.model.Predictor;
import dev.autoint.core.train.Trainer;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The JVM that {@link SteadyStateAllocationTest} starts: scores batches of 2048 random rows with the seeds' AutoInt+
 * (14 categorical fields, 3 layers × 2 heads × 8, DNN 32-32, linear term; the fused attention path) on one thread,
 * and once the JIT has settled prints the heap bytes the scoring thread allocated per row over a window of
 * batches: {@code kernels=NAME bits=N bytesPerRow=X} (under 1 when every vector stays in registers).
 *
 * <p>Warm-up: batches until {@code warmSeconds} have passed, then windows of {@code windowBatches} batches until one
 * allocates less than a byte per row (the reflective reading itself allocates a few dozen bytes a window) or
 * {@code maxSeconds} have passed; the last window is reported. With a fourth argument {@code train}, each batch is
 * instead one training epoch over the 2048 rows (batches of 256, one thread, Adam, L2), and a window is settled
 * under {@link #TRAINING_SETTLED} bytes per sample.
 */
public final class SteadyStateMain {

    /**
     * Bytes per sample under which a training window counts as settled: a fit's own records allocate about 5, boxed
     * vectors in a training kernel thousands (33,000 with C2's rearrange intrinsic disabled, so that the weight
     * gradient's folds box).
     */
    static final double TRAINING_SETTLED = 64;

    private SteadyStateMain() {
    }

    public static void main(String[] args) throws ReflectiveOperationException {
        double warmSeconds = Double.parseDouble(args[0]);
        double maxSeconds = Double.parseDouble(args[1]);
        int windowBatches = Integer.parseInt(args[2]);
        List<FieldSpec> fields = new ArrayList<>();
        int[] vocab = {6040, 3706, 2, 7, 21, 3439, 18, 18, 18, 18, 18, 18, 10, 81};
        for (int f = 0; f < vocab.length; f++) fields.add(FieldSpec.categorical("f" + f, vocab[f] + 1));
        AutoIntModel model = AutoIntModel.create(AutoIntConfig.seedsAutoIntPlus().withDropout(0f), fields);
        int n = 2048;
        EncodedDataset.Builder b = EncodedDataset.builder(fields, n);
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < n; i++) {
            for (int f = 0; f < vocab.length; f++) b.categorical(f, 1 + r.nextInt(vocab[f]));
            b.endRow(0f);
        }
        EncodedDataset batch = b.build();
        // com.sun.management.ThreadMXBean, by reflection: this JVM runs on the class path, but the test sources
        // compile inside module dev.autoint.core, which does not read jdk.management.
        Object mx = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
        Method allocated = Class.forName("com.sun.management.ThreadMXBean").getMethod("getCurrentThreadAllocatedBytes");
        // One unit of work: scoring the batch, or (train) one fit of one epoch over it in batches of 256 on this
        // thread, whose bookkeeping (the shuffled order, the epoch's records) allocates a few bytes per sample.
        boolean train = args.length > 3 && args[3].equals("train");
        Runnable unit;
        if (train) {
            Trainer trainer = Trainer.builder(model).epochs(1).batchSize(256).threads(1).l2Embedding(1e-5f).build();
            unit = () -> trainer.fit(batch, null);
        } else {
            Predictor predictor = model.predictor();
            float[] out = new float[n];
            unit = () -> predictor.predict(batch, null, 0, n, out, 0, true);
        }
        double settled = train ? TRAINING_SETTLED : 1;
        long start = System.nanoTime();
        while (System.nanoTime() - start < warmSeconds * 1e9) unit.run();
        double bytesPerRow;
        do {
            long before = (Long) allocated.invoke(mx);
            for (int i = 0; i < windowBatches; i++) unit.run();
            bytesPerRow = (double) ((Long) allocated.invoke(mx) - before) / ((long) windowBatches * n);
        } while (bytesPerRow >= settled && System.nanoTime() - start < maxSeconds * 1e9);
        Kernels k = Kernels.get();
        System.out.println("kernels=" + k.name() + " bits=" + k.vectorBitSize() + " bytesPerRow=" + bytesPerRow);
    }
}
