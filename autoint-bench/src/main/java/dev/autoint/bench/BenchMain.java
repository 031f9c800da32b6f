package dev.autoint.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the JMH benchmarks and prints one table with GFLOP/s and the fraction of this machine's FMA peak.
 *
 * <p>Usage: {@code java -jar autoint-bench/target/benchmarks.jar [regex] [--forks N] [--peak GFLOPS]}.
 * The regex selects benchmarks as JMH does (default: the kernel benchmarks; {@code ModelBenchmark} for the
 * whole model). Unless {@code --peak} gives it, the peak is measured first by {@link PeakBenchmark} (one
 * core's FP32 FMA limit at the kernels' vector width, about 6 s): a Zen 4 core gives 102 GFLOP/s, a Zen 5
 * core with full-width AVX-512 about 260. A benchmark with a {@code threads} parameter is compared
 * with that many cores' peak. JVM flags after {@code --jvmArgs} (for example
 * {@code -Dautoint.vectorBits=256}) go to every fork, the peak's included.
 */
public final class BenchMain {

    private BenchMain() {
    }

    public static void main(String[] args) throws RunnerException {
        String include = "dev.autoint.bench.(KernelBenchmark|AttentionBenchmark)";
        int forks = -1;
        double peak = Double.NaN;
        List<String> jvmArgs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--forks" -> forks = Integer.parseInt(args[++i]);
                case "--peak" -> peak = Double.parseDouble(args[++i]);
                case "--jvmArgs" -> {
                    for (String a : args[++i].trim().split("\\s+")) {
                        if (!a.isEmpty()) jvmArgs.add(a);
                    }
                }
                default -> include = args[i];
            }
        }
        String peakSource = "given";
        if (Double.isNaN(peak)) {
            ChainedOptionsBuilder p = new OptionsBuilder().include("dev\\.autoint\\.bench\\.PeakBenchmark\\.fma12");
            if (!jvmArgs.isEmpty()) p.jvmArgsPrepend(jvmArgs.toArray(String[]::new));
            RunResult r = new Runner(p.build()).runSingle();
            peak = r.getSecondaryResults().get("flops").getScore() / 1e9;
            peakSource = "measured by PeakBenchmark";
        }
        ChainedOptionsBuilder opts = new OptionsBuilder().include(include);
        if (forks > 0) {
            opts.forks(forks);
        }
        if (!jvmArgs.isEmpty()) opts.jvmArgsPrepend(jvmArgs.toArray(String[]::new));
        Collection<RunResult> results = new Runner(opts.build()).run();
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "%-52s %12s %10s %13s %10s %9s", "benchmark", "ops/s", "ms/op",
                "rows/s", "GFLOP/s", "of peak"));
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark().replace("dev.autoint.bench.", "").replace("dev.autoint.core.model.", "");
            String shape = r.getParams().getParam("shape");
            String threads = r.getParams().getParam("threads");
            double score = r.getPrimaryResult().getScore();
            String unit = r.getPrimaryResult().getScoreUnit();
            double opsPerSec = unit.equals("ms/op") ? 1e3 / score : unit.equals("us/op") ? 1e6 / score : score;
            double flops = flopsPerOp(name, shape);
            long rows = rowsPerOp(name);
            int cores = threads == null ? 1 : Integer.parseInt(threads);
            String label = name + (shape == null ? "" : " [" + shape + "]") + (threads == null ? "" : " [" + threads + " threads]");
            double gflops = opsPerSec * flops / 1e9;
            lines.add(String.format(Locale.ROOT, "%-52s %12.2f %10.3f %13s %10.2f %8.1f%%", label, opsPerSec,
                    1e3 / opsPerSec, rows > 0 ? String.format(Locale.ROOT, "%.0f", rows * opsPerSec) : "-", gflops,
                    100 * gflops / (peak * cores)));
        }
        System.out.println();
        System.out.println(String.format(Locale.ROOT, "JDK %s, %d cores, flags %s, peak %.1f GFLOP/s per core (%s)",
                System.getProperty("java.vm.version"), Runtime.getRuntime().availableProcessors(),
                jvmArgs.isEmpty() ? "(none)" : String.join(" ", jvmArgs), peak, peakSource));
        lines.forEach(System.out::println);
    }

    /** Rows (samples) processed by one operation of a model benchmark; 0 for kernel benchmarks. */
    static long rowsPerOp(String benchmark) {
        if (benchmark.endsWith("inferBatch2048")) return ModelBenchmark.BATCH;
        if (benchmark.endsWith("scoreCandidates3706") || benchmark.endsWith("scoreUserCandidates3706")) {
            return ModelBenchmark.CANDIDATES;
        }
        if (benchmark.endsWith("train10Batches")) return (long) ModelBenchmark.BATCH * ModelBenchmark.TRAIN_BATCHES;
        if (benchmark.startsWith("InteractingLayerBenchmark")) return InteractingLayerBenchmark.SAMPLES;
        return 0;
    }

    static double flopsPerOp(String benchmark, String shape) {
        if (benchmark.startsWith("RecommendBenchmark")) {
            return 0;
        }
        if (benchmark.startsWith("InteractingLayerBenchmark")) {
            double perSample = InteractingLayerBenchmark.FORWARD_FLOPS_PER_SAMPLE
                    * (benchmark.endsWith("backward") ? 2 : 1);
            return perSample * InteractingLayerBenchmark.SAMPLES;
        }
        // OnnxPeerBenchmark runs the same model on ONNX Runtime: the same FLOPs per row.
        if (benchmark.startsWith("ModelBenchmark") || benchmark.startsWith("OnnxPeerBenchmark")) {
            double perRow = SeedSetup.FORWARD_FLOPS_PER_ROW * (benchmark.endsWith("train10Batches") ? 3 : 1);
            // The library computes one user's fields once per chunk; ONNX Runtime computes every row in full.
            if (benchmark.equals("ModelBenchmark.scoreUserCandidates3706")) {
                perRow -= SeedSetup.USER_CANDIDATE_FLOPS_SAVED_PER_ROW;
            }
            return perRow * rowsPerOp(benchmark);
        }
        if (benchmark.startsWith("KernelBenchmark")) {
            return KernelBenchmark.flops(shape);
        }
        if (benchmark.startsWith("AttentionBenchmark")) {
            return AttentionBenchmark.FLOPS;
        }
        return 0;
    }
}
