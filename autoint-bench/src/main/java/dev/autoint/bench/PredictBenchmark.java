package dev.autoint.bench;

import dev.autoint.core.data.EncodedDataset;
import dev.autoint.core.model.AutoIntModel;
import dev.autoint.core.model.Predictor;
import dev.autoint.data.LabelRule;
import dev.autoint.data.table.DelimitedFormat;
import dev.autoint.data.table.DelimitedReader;
import dev.autoint.data.table.FieldDef;
import dev.autoint.data.table.RawTable;
import dev.autoint.data.table.Schema;
import dev.autoint.data.table.TableEncoder;
import dev.autoint.eval.bundle.FilePredictor;
import dev.autoint.eval.bundle.ModelBundle;
import java.io.BufferedWriter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * {@code predict} end to end against the in-memory {@link Predictor}, on the same rows and threads, in one
 * run: a synthetic CSV of the seed configuration's 14 categorical fields (MovieLens-1M vocabularies) is
 * written, a bundle with an untrained seed-configuration model is made from it, then, alternately,
 * <ul>
 *   <li><b>in memory</b>: the rows already read and encoded, scored by {@code threads} threads over equal
 *       slices;</li>
 *   <li><b>end to end</b>: {@link FilePredictor} reading, encoding, scoring and writing {@code line,probability}
 *       in chunks.</li>
 * </ul>
 * Prints each rate, their ratio, and the peak heap of the end-to-end runs for the full file and for a
 * quarter of it (bounded memory: it should not grow with the file).
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector -Xmx3g -cp autoint-bench/target/benchmarks.jar
 * dev.autoint.bench.PredictBenchmark [rows=1000000] [threads=2] [rounds=3] [chunk=16384]}
 */
public final class PredictBenchmark {

    private static int chunk = FilePredictor.DEFAULT_CHUNK;

    private PredictBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("stream")) { // the child JVM of the bounded-memory check
            ModelBundle b = ModelBundle.load(Path.of(args[1]));
            TableEncoder enc = (TableEncoder) b.encoder();
            FilePredictor.Result r = FilePredictor.predict(b, Path.of(args[2]), enc.schema().format(), Path.of(args[3]), 2, chunk);
            System.out.printf(Locale.ROOT, "%d rows at %,.0f rows/s with -Xmx%s%n", r.rows(), r.rowsPerSecond(), args[4]);
            return;
        }
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        if (args.length > 3) chunk = Integer.parseInt(args[3]);
        Path tmp = Files.createTempDirectory("autoint-predict-bench");
        try {
            run(tmp, rows, threads, rounds);
        } finally {
            dev.autoint.core.internal.io.AtomicFiles.deleteTree(tmp);
        }
    }

    static void run(Path tmp, int rows, int threads, int rounds) throws Exception {
        Path csv = tmp.resolve("rows.csv"), quarter = tmp.resolve("quarter.csv");
        writeCsv(csv, rows, 1);
        writeCsv(quarter, rows / 4, 2);
        List<FieldDef> fields = new ArrayList<>();
        for (String n : SeedSetup.NAMES) fields.add(FieldDef.categorical(n, n));
        Schema schema = Schema.of(fields, "label", LabelRule.atLeast(1));
        DelimitedFormat format = schema.format();
        long t0 = System.nanoTime();
        RawTable all = DelimitedReader.read(csv, schema, format);
        TableEncoder enc = TableEncoder.fit(all);
        EncodedDataset encoded = enc.encode(all);
        System.out.printf(Locale.ROOT, "%,d rows, %d fields, %.1f MB on disk; read, fit and encoded in %.1f s%n", rows,
                fields.size(), Files.size(csv) / 1e6, (System.nanoTime() - t0) / 1e9);
        AutoIntModel model = AutoIntModel.create(SeedSetup.config(), enc.fieldSpecs());
        Path bundleDir = tmp.resolve("bundle");
        ModelBundle.builder(model, enc).write(bundleDir);
        ModelBundle bundle = ModelBundle.load(bundleDir);
        all = null; // only the encoded rows stay for the in-memory runs

        System.out.println("JDK " + System.getProperty("java.version") + ", " + threads + " threads, chunk "
                + chunk + " rows, " + Machine.cpu());
        double[] mem = new double[rounds], e2e = new double[rounds];
        long peakFull = 0, peakQuarter = 0;
        Path out = tmp.resolve("scores.csv");
        inMemory(bundle.predictor(), encoded, threads); // warm-up
        FilePredictor.predict(bundle, quarter, format, out, threads, chunk);
        for (int r = 0; r < rounds; r++) {
            mem[r] = inMemory(bundle.predictor(), encoded, threads);
            System.gc();
            resetPeaks();
            e2e[r] = FilePredictor.predict(bundle, csv, format, out, threads, chunk).rowsPerSecond();
            peakFull = Math.max(peakFull, peakHeap());
            System.gc();
            resetPeaks();
            FilePredictor.predict(bundle, quarter, format, out, threads, chunk);
            peakQuarter = Math.max(peakQuarter, peakHeap());
            System.out.printf(Locale.ROOT, "round %d: in memory %,.0f rows/s, end to end %,.0f rows/s, ratio %.2f%n", r + 1,
                    mem[r], e2e[r], e2e[r] / mem[r]);
        }
        double m = median(mem), e = median(e2e);
        System.out.printf(Locale.ROOT, "median: in memory %,.0f rows/s, end to end (read CSV, encode, score, write CSV) %,.0f rows/s, "
                + "ratio %.2f%n", m, e, e / m);
        System.out.printf(Locale.ROOT, "peak heap pools during end to end: %.0f MB for %,d rows, %.0f MB for %,d rows (in-memory rows alone: %.0f MB)%n",
                peakFull / 1e6, rows, peakQuarter / 1e6, rows / 4, encoded.bytesUsed() / 1e6);
        // Bounded memory: the same file end to end in a JVM whose whole heap is smaller than the encoded rows.
        String xmx = "48m";
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--add-modules",
                "jdk.incubator.vector", "-Xmx" + xmx, "-cp", System.getProperty("java.class.path"), PredictBenchmark.class.getName(),
                "stream", bundleDir.toString(), csv.toString(), out.toString(), xmx);
        Process child = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String text = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int code = child.waitFor();
        for (String l : text.split("\n")) if (l.contains("rows at")) System.out.println("bounded memory: " + l.trim());
        if (code != 0) System.out.println("bounded memory check FAILED (exit " + code + "):\n" + text);
    }

    /** Rows per second of the in-memory predictor, {@code threads} equal slices in parallel. */
    static double inMemory(Predictor p, EncodedDataset data, int threads) throws InterruptedException {
        int n = data.size();
        float[] out = new float[n];
        Thread[] ts = new Thread[threads];
        long t0 = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            int from = (int) ((long) n * t / threads), to = (int) ((long) n * (t + 1) / threads);
            ts[t] = new Thread(() -> p.predict(data, null, from, to - from, out, from, true));
            ts[t].start();
        }
        for (Thread t : ts) t.join();
        return n / ((System.nanoTime() - t0) / 1e9);
    }

    static void writeCsv(Path file, int rows, long seed) throws IOException {
        SplittableRandom rnd = new SplittableRandom(seed);
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(String.join(",", SeedSetup.NAMES) + ",label\n");
            StringBuilder sb = new StringBuilder(128);
            for (int r = 0; r < rows; r++) {
                sb.setLength(0);
                for (int f = 0; f < SeedSetup.NAMES.length; f++) {
                    sb.append(1 + rnd.nextInt(SeedSetup.VOCABULARIES[f])).append(',');
                }
                sb.append(rnd.nextDouble() < 0.575 ? 1 : 0).append('\n');
                w.write(sb.toString());
            }
        }
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean b : ManagementFactory.getMemoryPoolMXBeans()) if (b.getType() == MemoryType.HEAP) b.resetPeakUsage();
    }

    private static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean b : ManagementFactory.getMemoryPoolMXBeans()) if (b.getType() == MemoryType.HEAP) sum += b.getPeakUsage().getUsed();
        return sum;
    }

    private static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c[c.length / 2];
    }
}
