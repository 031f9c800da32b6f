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
 * The regex selects benchmarks as JMH does (default: the kernel benchmarks). The peak defaults to
 * 102 GFLOP/s, one core's FP32 FMA limit measured on the project's reference machine.
 */
public final class BenchMain {

    private BenchMain() {
    }

    public static void main(String[] args) throws RunnerException {
        String include = "dev.autoint.bench.(KernelBenchmark|AttentionBenchmark)";
        int forks = -1;
        double peak = 102.0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--forks" -> forks = Integer.parseInt(args[++i]);
                case "--peak" -> peak = Double.parseDouble(args[++i]);
                default -> include = args[i];
            }
        }
        ChainedOptionsBuilder opts = new OptionsBuilder().include(include);
        if (forks > 0) {
            opts.forks(forks);
        }
        Collection<RunResult> results = new Runner(opts.build()).run();
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "%-48s %14s %10s %9s", "benchmark", "ops/s", "GFLOP/s", "of peak"));
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark().replace("dev.autoint.bench.", "");
            String shape = r.getParams().getParam("shape");
            double opsPerSec = r.getPrimaryResult().getScore();
            double flops = flopsPerOp(name, shape);
            String label = shape == null ? name : name + " [" + shape + "]";
            if (flops > 0) {
                double gflops = opsPerSec * flops / 1e9;
                lines.add(String.format(Locale.ROOT, "%-48s %14.2f %10.2f %8.1f%%", label, opsPerSec, gflops,
                        100 * gflops / peak));
            } else {
                lines.add(String.format(Locale.ROOT, "%-48s %14.2f %10s %9s", label, opsPerSec, "-", "-"));
            }
        }
        System.out.println();
        System.out.println("JDK " + System.getProperty("java.vm.version") + ", " + Runtime.getRuntime().availableProcessors()
                + " cores, peak " + peak + " GFLOP/s per core");
        lines.forEach(System.out::println);
    }

    static double flopsPerOp(String benchmark, String shape) {
        if (benchmark.startsWith("KernelBenchmark")) {
            return KernelBenchmark.flops(shape);
        }
        if (benchmark.startsWith("AttentionBenchmark")) {
            return AttentionBenchmark.FLOPS;
        }
        return 0;
    }
}
