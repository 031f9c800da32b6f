package dev.autoint.bench;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Old against new in one JVM: loads two or more builds of the benchmarks jar side by side, each in its own class
 * loader, and times the same {@link SeedWorkloads} in every build in turn, round after round, so that every
 * build sees the same moments of a shared, noisy machine. Prints each build's median rate and the median of the
 * per-round ratios against the first build, with the single-core FMA peak measured in the same JVM.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -Xmx8g -cp autoint-bench/target/benchmarks.jar \
 *     dev.autoint.bench.AlternateMain [--rounds 8] [--seconds 1] [--workloads infer,train1,...] \
 *     new=autoint-bench/target/benchmarks.jar old=/path/to/old-benchmarks.jar
 * </pre>
 * Why: on the shared VMs this project is measured on, the same build varies by 10-30% between JVMs and even
 * between minutes, so old and new measured in separate JMH forks differ by more than most changes do; paired
 * rounds cancel most of that (odd rounds take the builds in reverse order). A single-thread workload is timed
 * by the calling thread's CPU time, the two-thread training by the clock. Each build warms every workload for
 * {@code 2 × seconds} first. The builds share one heap and one JIT, and their classes are compiled separately
 * (an A/A run, one build loaded twice, shows how far that alone moves a ratio: up to 10%). Load the newer build
 * first: with two different builds, the one loaded second has sometimes run a workload 1.5-15× slower for a whole
 * run (docs/PERFORMANCE.md, "Round 4"), which shows as a bimodal per-round range. Every build must contain what
 * {@link SeedWorkloads} calls (builds from 2026-11-30 on do; a workload a build lacks is reported as such).
 * System properties such as {@code -Dautoint.vectorBits=256} apply to every build.
 */
public final class AlternateMain {

    private AlternateMain() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = 8;
        double seconds = 1;
        List<String> workloads = List.of(SeedWorkloads.NAMES);
        List<String> labels = new ArrayList<>();
        List<Path> jars = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Double.parseDouble(args[++i]);
                case "--workloads" -> workloads = List.of(args[++i].split(","));
                default -> {
                    int eq = args[i].indexOf('=');
                    if (eq <= 0) usage("expected LABEL=JAR, got " + args[i]);
                    Path jar = Path.of(args[i].substring(eq + 1));
                    if (!Files.isRegularFile(jar)) usage("no such jar: " + jar);
                    labels.add(args[i].substring(0, eq));
                    jars.add(jar);
                }
            }
        }
        if (jars.size() < 2) usage("name at least two builds");
        if (rounds < 1 || seconds <= 0) usage("--rounds and --seconds must be positive");
        byte[] workloadClass = ownBytes(SeedWorkloads.class);
        double peak = RooflineMain.measurePeak(2);
        System.out.printf("# Alternating builds, %d rounds of %.1f s per workload and build%n%n%s; JDK %s; peak %.1f GFLOP/s"
                + " (PeakBenchmark loop, this JVM); builds: %s%n%n", rounds, seconds, Machine.cpu(),
                System.getProperty("java.version"), peak / 1e9, String.join(", ", describe(labels, jars)));
        System.out.printf("| workload | %s | %s |%n", String.join(" | ", labels),
                String.join(" | ", ratioHeads(labels)));
        System.out.println("|---|" + "---:|".repeat(labels.size() + labels.size() - 1));
        List<ClassLoader> loaders = new ArrayList<>();
        for (Path jar : jars) loaders.add(new BuildLoader(jar, workloadClass));
        List<String> notes = new ArrayList<>();
        for (String w : workloads) {
            int n = jars.size();
            Runnable[] calls = new Runnable[n];
            long units = 0;
            String unit = "";
            boolean wall = false;
            for (int b = 0; b < n; b++) {
                try {
                    Object[] made = (Object[]) loaders.get(b).loadClass(SeedWorkloads.class.getName())
                            .getMethod("make", String.class).invoke(null, w);
                    calls[b] = (Runnable) made[0];
                    units = (Long) made[1];
                    unit = (String) made[2];
                    wall = (Boolean) made[3];
                } catch (ReflectiveOperationException | LinkageError e) {
                    Throwable cause = e instanceof java.lang.reflect.InvocationTargetException t ? t.getCause() : e;
                    notes.add(w + ": build " + labels.get(b) + " cannot run it (" + cause + ")");
                }
            }
            double[][] rate = new double[n][rounds];
            for (int b = 0; b < n; b++) if (calls[b] != null) time(calls[b], 2 * seconds, wall); // warm-up
            for (int r = 0; r < rounds; r++) {
                // Odd rounds run the builds in reverse order, so that neither goes first every time.
                for (int i = 0; i < n; i++) {
                    int b = r % 2 == 0 ? i : n - 1 - i;
                    if (calls[b] != null) rate[b][r] = units * time(calls[b], seconds, wall);
                }
            }
            StringBuilder row = new StringBuilder("| " + w + " (" + unit + "/s" + (wall ? ", wall clock" : "") + ") |");
            for (int b = 0; b < n; b++) row.append(' ').append(calls[b] == null ? "–" : format(Stats.median(rate[b]))).append(" |");
            for (int b = 1; b < n; b++) {
                if (calls[0] == null || calls[b] == null) {
                    row.append(" – |");
                    continue;
                }
                double[] q = new double[rounds];
                for (int r = 0; r < rounds; r++) q[r] = rate[b][r] / rate[0][r];
                double[] s = q.clone();
                Arrays.sort(s);
                row.append(String.format(" **%.3f** (%.3f-%.3f) |", Stats.median(q), s[0], s[rounds - 1]));
            }
            System.out.println(row);
        }
        System.out.println();
        for (String note : notes) System.out.println("- " + note);
        System.out.println("Rates are medians over the rounds; ratios are medians (and ranges) of the per-round ratios.");
    }

    /** Calls per second of {@code call} over about {@code seconds} of the thread's CPU time (or the clock). */
    private static double time(Runnable call, double seconds, boolean wall) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long limit = (long) (seconds * 1e9);
        long calls = 0;
        long t0 = wall ? System.nanoTime() : mx.getCurrentThreadCpuTime();
        long elapsed;
        do {
            call.run();
            calls++;
            elapsed = (wall ? System.nanoTime() : mx.getCurrentThreadCpuTime()) - t0;
        } while (elapsed < limit);
        return calls / (elapsed / 1e9);
    }

    private static String format(double rate) {
        return rate >= 1e4 ? String.format("%.1fk", rate / 1e3) : String.format("%.1f", rate);
    }

    private static List<String> ratioHeads(List<String> labels) {
        List<String> heads = new ArrayList<>();
        for (int b = 1; b < labels.size(); b++) heads.add(labels.get(b) + " / " + labels.get(0));
        return heads;
    }

    private static List<String> describe(List<String> labels, List<Path> jars) {
        List<String> out = new ArrayList<>();
        for (int b = 0; b < labels.size(); b++) out.add(labels.get(b) + " = " + jars.get(b));
        return out;
    }

    private static byte[] ownBytes(Class<?> c) throws IOException {
        String resource = c.getName().replace('.', '/') + ".class";
        try (InputStream in = AlternateMain.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) throw new IOException("cannot read " + resource + " from this jar");
            return in.readAllBytes();
        }
    }

    private static void usage(String why) {
        System.err.println("AlternateMain: " + why);
        System.err.println("usage: AlternateMain [--rounds N] [--seconds S] [--workloads "
                + String.join(",", SeedWorkloads.NAMES) + "] LABEL=JAR LABEL=JAR [...]");
        System.exit(2);
    }

    /**
     * One build: its jar's classes, except {@link SeedWorkloads}, which is defined from this jar's bytes so that
     * every build runs the same workload code (linked against the build's own classes).
     */
    private static final class BuildLoader extends URLClassLoader {
        private final byte[] workloadClass;

        BuildLoader(Path jar, byte[] workloadClass) throws IOException {
            super(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
            this.workloadClass = workloadClass;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.equals(SeedWorkloads.class.getName())) {
                synchronized (getClassLoadingLock(name)) {
                    Class<?> c = findLoadedClass(name);
                    if (c == null) c = defineClass(name, workloadClass, 0, workloadClass.length);
                    return c;
                }
            }
            return super.loadClass(name, resolve);
        }
    }
}
