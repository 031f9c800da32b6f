package dev.autoint.bench;

import dev.autoint.core.data.EncodedDataset;
import dev.autoint.data.movielens.FeaturePreset;
import dev.autoint.data.movielens.MovieLensData;
import dev.autoint.data.movielens.MovieLensEncoder;
import dev.autoint.data.movielens.MovieLensReader;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Times loading and encoding a MovieLens directory on one thread: read the files, fit the preset's
 * vocabularies on every row, encode every row. Runs warm-up loads first, then timed loads, and prints
 * each time, the median and minimum, and the encoded dataset's bytes per row.
 *
 * <p>Arguments (all optional): {@code [dir] [warmups] [runs] [preset]}; the directory defaults to
 * {@code ../shared/datasets/ml-1m-half} (resolved against the working directory and its parents), warm-ups
 * to 5, runs to 10, preset to SEEDS.
 *
 * <p>Run: {@code java -cp autoint-bench/target/benchmarks.jar dev.autoint.bench.LoadBenchmark [dir] [warmups] [runs]
 * [seeds|paper]} (pin it to one core with {@code taskset -c 0 java -XX:ActiveProcessorCount=1 ...}).
 */
public final class LoadBenchmark {

    private LoadBenchmark() {
    }

    /**
     * Runs the measurement.
     *
     * @param args {@code [dir] [warmups] [runs] [preset]}
     * @throws Exception when the data cannot be read
     */
    public static void main(String[] args) throws Exception {
        Path dir = args.length > 0 ? Path.of(args[0]) : findDefault();
        int warmups = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        FeaturePreset preset = args.length > 3 ? FeaturePreset.valueOf(args[3].toUpperCase(Locale.ROOT)) : FeaturePreset.SEEDS;
        System.out.println("LoadBenchmark: " + dir + ", preset " + preset + ", " + warmups + " warm-ups, " + runs + " runs");
        for (int i = 0; i < warmups; i++) {
            long t0 = System.nanoTime();
            load(dir, preset);
            System.out.printf(Locale.ROOT, "  warm-up %d: %.1f ms%n", i + 1, (System.nanoTime() - t0) / 1e6);
        }
        double[] ms = new double[runs];
        EncodedDataset last = null;
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            last = load(dir, preset);
            ms[i] = (System.nanoTime() - t0) / 1e6;
            System.out.printf(Locale.ROOT, "  run %d: %.1f ms%n", i + 1, ms[i]);
        }
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        if (runs > 0) {
            System.out.printf(Locale.ROOT, "rows=%d fields=%d median=%.1f ms min=%.1f ms bytes/row=%.2f%n", last.size(),
                    last.numFields(), sorted[runs / 2], sorted[0], (double) last.bytesUsed() / last.size());
        }
    }

    static EncodedDataset load(Path dir, FeaturePreset preset) throws Exception {
        MovieLensData data = MovieLensReader.read(dir, preset.labelRule());
        MovieLensEncoder enc = MovieLensEncoder.fit(preset, data);
        return enc.encode(data);
    }

    static Path findDefault() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path d = p.resolve("../shared/datasets/ml-1m-half").normalize();
            if (Files.isDirectory(d)) return d;
        }
        return Path.of("../shared/datasets/ml-1m-half");
    }
}
