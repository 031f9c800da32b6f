package dev.autoint.bench;

import dev.autoint.core.data.EncodedDataset;
import dev.autoint.core.internal.engine.StepProfile;
import dev.autoint.core.internal.engine.StepProfile.Part;
import dev.autoint.core.model.AutoIntConfig;
import dev.autoint.core.model.AutoIntModel;
import dev.autoint.core.model.Predictor;
import dev.autoint.core.train.Trainer;
import java.util.EnumMap;
import java.util.Map;

/**
 * The per-part roofline of the seed configuration: where a forward pass and a training step spend their time,
 * against the FLOPs and bytes each part must move and the single-core FMA peak measured in the same JVM.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -Dautoint.profile=true -cp autoint-bench/target/benchmarks.jar \
 *     dev.autoint.bench.RooflineMain [seconds per phase, default 10] [training threads, default 1]
 * </pre>
 * Without {@code -Dautoint.profile=true} the parts are not timed (the passes compile without the timers) and it
 * stops with a message. It runs, one thread each: the peak loop of {@link PeakBenchmark}; inference of a
 * 2048-row batch ({@code ModelBenchmark.inferBatch2048}'s workload) for warm-up and then the measured seconds;
 * training on 10 batches of 2048 ({@code train10Batches}, 1 thread) the same way. It prints one Markdown table
 * per phase: time per row and share of the phase for each part, the part's FLOPs and minimum bytes per row
 * (analytic, from the shapes; {@code docs/PERFORMANCE.md} derives them), achieved GFLOP/s and fraction of the
 * peak. The timers add a few dozen {@code System.nanoTime()} calls per 128-row chunk (under 1%).
 *
 * <p>With more than one training thread it skips inference and times the step on that many threads. The
 * forward and backward parts then add up every thread's time (CPU time: their ns/row is what they cost, not
 * what they take on the clock), while the gradient reduction and the update are timed by the calling thread
 * around the whole parallel phase (wall clock). "not in a part" is then wall time less the parts' time
 * divided by the threads: the serial remainder plus the waits at each phase's end.
 */
public final class RooflineMain {

    private RooflineMain() {
    }

    public static void main(String[] args) {
        if (!StepProfile.ON) {
            System.err.println("RooflineMain: start the JVM with -Dautoint.profile=true (the passes are timed only then)");
            System.exit(2);
        }
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 10;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        if (threads < 1) throw new IllegalArgumentException("training threads must be at least 1, not " + threads);
        double peak = measurePeak(seconds / 2);
        AutoIntConfig config = SeedSetup.config();
        Shapes sh = new Shapes(SeedSetup.fields().size(), config);
        System.out.printf("# Roofline, seed configuration, %d thread%s%n%n%s; %s; kernels %s; peak %.1f GFLOP/s per core (PeakBenchmark loop, same JVM)%n%n",
                threads, threads == 1 ? "" : "s", Machine.cpu(), "JDK " + System.getProperty("java.version"),
                dev.autoint.core.internal.kernel.Kernels.get(), peak / 1e9);

        if (threads == 1) {
            AutoIntModel model = AutoIntModel.create(config, SeedSetup.fields());
            Predictor predictor = model.predictor();
            EncodedDataset batch = SeedSetup.randomRows(ModelBenchmark.BATCH, 1);
            float[] out = new float[ModelBenchmark.BATCH];
            Runnable infer = () -> predictor.predict(batch, null, 0, ModelBenchmark.BATCH, out, 0, true);
            long rows = run(infer, ModelBenchmark.BATCH, seconds);
            report("Inference, batch of 2048 rows", rows, sh.forward(), peak, 1);
        }

        AutoIntModel m = AutoIntModel.create(config, SeedSetup.fields());
        Trainer trainer = Trainer.builder(m).epochs(1).batchSize(ModelBenchmark.BATCH).threads(threads).l2Embedding(1e-5f).build();
        EncodedDataset data = SeedSetup.randomRows(ModelBenchmark.BATCH * ModelBenchmark.TRAIN_BATCHES, 4);
        long samples = run(() -> trainer.fit(data, null), data.size(), seconds);
        Map<Part, double[]> train = new EnumMap<>(sh.forward());
        train.putAll(sh.backward());
        report("Training step (forward, backward, Adam, L2), batch 2048", samples, train, peak, threads);
    }

    /** Runs {@code task} for warm-up, resets the timers, runs it again for {@code seconds}; rows processed. */
    private static long run(Runnable task, int rowsPerCall, double seconds) {
        long warm = System.nanoTime() + (long) (seconds * 0.6e9);
        while (System.nanoTime() < warm) task.run();
        StepProfile.reset();
        long t0 = System.nanoTime(), end = t0 + (long) (seconds * 1e9);
        long rows = 0;
        while (System.nanoTime() < end) {
            task.run();
            rows += rowsPerCall;
        }
        wallNanos = System.nanoTime() - t0;
        return rows;
    }

    private static long wallNanos;

    private static void report(String title, long rows, Map<Part, double[]> model, double peak, int threads) {
        long[] ns = StepProfile.snapshot();
        double timed = 0; // wall-clock equivalent: the threads' parts shared out, the caller's parallel phases as timed
        for (Part p : Part.values()) timed += partWallNanos(p, ns, threads);
        System.out.printf("## %s: %.0f rows/s%s%n%n", title, rows / (wallNanos / 1e9), threads == 1 ? ""
                : String.format(" on %d threads (ns/row of the forward and backward parts: summed over threads; share: of the wall clock; whole: of %d cores' peak)", threads, threads));
        System.out.println("| part | ns/row | share | FLOP/row | bytes/row (min) | FLOP/byte | GFLOP/s | of peak |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
        double totalFlops = 0;
        for (Part p : Part.values()) {
            if (ns[p.ordinal()] == 0 && !model.containsKey(p)) continue;
            double nsRow = (double) ns[p.ordinal()] / rows;
            double[] fb = model.getOrDefault(p, new double[] {0, 0});
            totalFlops += fb[0];
            double gflops = fb[0] / nsRow;
            System.out.printf("| %s | %.1f | %.1f%% | %,.0f | %,.0f | %s | %s | %s |%n", name(p), nsRow,
                    100.0 * partWallNanos(p, ns, threads) / wallNanos, fb[0], fb[1],
                    fb[1] > 0 ? String.format("%.1f", fb[0] / fb[1]) : "–",
                    fb[0] > 0 ? String.format("%.1f", gflops) : "–",
                    fb[0] > 0 ? String.format("%.1f%%", 100 * gflops * 1e9 / peak) : "–");
        }
        double untimed = wallNanos - timed;
        System.out.printf("| not in a part (batching, predictor, trainer loop%s) | %.1f | %.1f%% | | | | | |%n",
                threads > 1 ? ", serial parts and waits" : "",
                untimed / rows, 100.0 * untimed / wallNanos);
        double all = totalFlops * rows / (wallNanos / 1e9);
        System.out.printf("| **whole** | %.1f | 100%% | %,.0f | | | %.1f | %.1f%% |%n%n", (double) wallNanos / rows,
                totalFlops, all / 1e9, 100 * all / (peak * threads));
    }

    /**
     * Part {@code p}'s share of the wall clock in nanoseconds: the reduction and the update as the calling thread
     * timed them around their parallel phase, every other part's time summed over threads divided by them.
     */
    private static double partWallNanos(Part p, long[] ns, int threads) {
        return p == Part.REDUCE || p == Part.UPDATE ? ns[p.ordinal()] : (double) ns[p.ordinal()] / threads;
    }

    private static String name(Part p) {
        return p.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }

    /** FLOP/s of {@link PeakBenchmark#fma12} on this thread, after a warm-up. */
    static double measurePeak(double seconds) {
        PeakBenchmark b = new PeakBenchmark();
        PeakBenchmark.Counter c = new PeakBenchmark.Counter();
        float sink = 0;
        long warm = System.nanoTime() + (long) (seconds * 0.5e9);
        while (System.nanoTime() < warm) sink += b.fma12(c);
        c.reset();
        long t0 = System.nanoTime(), end = t0 + (long) (seconds * 1e9);
        while (System.nanoTime() < end) sink += b.fma12(c);
        double flops = c.flops / ((System.nanoTime() - t0) / 1e9);
        if (sink == 42) System.out.print(""); // keeps the loop alive
        return flops;
    }

    /**
     * FLOPs and minimum bytes per row of each part, from the shapes (multiply and add counted separately; bytes:
     * activations each part must read and write once per row, 4 bytes each, weights not counted since they stay
     * in cache). Derived in docs/PERFORMANCE.md.
     */
    static final class Shapes {
        final double f, d, a, heads, dh, p, layers, dnnIn, out;
        final double[] dnn;

        Shapes(int fields, AutoIntConfig c) {
            f = fields;
            d = c.embeddingSize();
            a = c.attentionSize();
            heads = c.heads();
            dh = c.headSize();
            p = (c.residual() ? 4 : 3) * a;
            layers = c.layers();
            dnnIn = f * d;
            dnn = c.dnnHidden().stream().mapToDouble(Integer::doubleValue).toArray();
            out = f * (c.layers() > 0 ? a : d) + (dnn.length > 0 ? dnn[dnn.length - 1] : 0);
        }

        double dnnFlops() {
            double in = dnnIn, fl = 0;
            for (double u : dnn) {
                fl += 2 * in * u;
                in = u;
            }
            return fl;
        }

        double dnnBytes() {
            double in = dnnIn, by = 0;
            for (double u : dnn) {
                by += 4 * (in + u);
                in = u;
            }
            return by;
        }

        Map<Part, double[]> forward() {
            Map<Part, double[]> m = new EnumMap<>(Part.class);
            m.put(Part.EMBED, new double[] {0, 4 * f * d + 4 * f});
            // per layer: read x (F·Din), write qkvr (F·P); Din = D for layer 0 and A after (here equal)
            m.put(Part.PROJECTION, new double[] {layers * 2 * f * p * d, layers * 4 * f * (d + p)});
            // per layer and head: scores 2·F·F·Dh, P·V 2·F·F·Dh; read Q, K, V and the residual (4·F·Dh), write P
            // (F·F) and y (F·Dh)
            m.put(Part.ATTENTION, new double[] {layers * heads * 4 * f * f * dh,
                    layers * heads * 4 * (5 * f * dh + f * f)});
            m.put(Part.DNN, new double[] {dnnFlops(), dnnBytes()});
            m.put(Part.OUTPUT, new double[] {2 * out, 4 * (out + f)});
            return m;
        }

        Map<Part, double[]> backward() {
            Map<Part, double[]> m = new EnumMap<>(Part.class);
            m.put(Part.LOSS, new double[] {0, 8});
            m.put(Part.OUTPUT_BACKWARD, new double[] {4 * out, 4 * 2 * out});
            m.put(Part.DNN_BACKWARD, new double[] {2 * dnnFlops(), 2 * dnnBytes()});
            m.put(Part.RELU_BACKWARD, new double[] {0, layers * 4 * f * a * 3});
            // dV, dP, dQ, dK: four products of 2·F·F·Dh per head; P, dP read and written, Q, K, V, dO read, dQKV written
            m.put(Part.ATTENTION_BACKWARD, new double[] {layers * heads * 8 * f * f * dh,
                    layers * heads * 4 * (3 * f * f + 7 * f * dh)});
            m.put(Part.PROJECTION_WEIGHT_GRAD, new double[] {layers * 2 * f * p * d, layers * 4 * f * (d + p)});
            m.put(Part.PROJECTION_INPUT_GRAD, new double[] {layers * 2 * f * p * d, layers * 4 * f * (d + p + d)});
            m.put(Part.EMBED_BACKWARD, new double[] {0, 4 * f * d * 2 + 8 * f});
            return m;
        }
    }
}
