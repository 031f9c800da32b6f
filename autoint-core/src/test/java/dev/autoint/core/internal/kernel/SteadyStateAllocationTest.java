package dev.autoint.core.internal.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Scoring allocates nothing once the JIT has settled, training almost nothing: a fresh JVM started as the README
 * says (the Vector API module and {@link KernelProvider#JIT_FLAGS}), at this run's vector width
 * ({@code -Dautoint.vectorBits} is passed on), scores or trains the seeds' model and reports its heap allocation
 * per row ({@link SteadyStateMain}).
 *
 * <p>This is the guard against the Vector API's one performance trap: a vector C2 cannot keep in a register
 * (a kernel grown past the inlining limits, an operation without an intrinsic, or, on JDK 17 without the JIT
 * flags, stores compiled after the type-check traps ran out) is boxed on the heap, about 40,000 bytes per row for
 * this model, and scoring runs 3-4 times slower. Allocation, unlike time, does not depend on the machine's load.
 * The forked JVM writes a {@code -XX:+LogCompilation} file; a failure's message says from it whether C2 reached
 * its type-trap limit in a compilation (the cause the JIT flag is there for) or not.
 */
class SteadyStateAllocationTest {

    @Test
    void scoringAllocatesNothingOnceCompiled() throws Exception {
        // Boxed vectors cost tens of kilobytes a row; the measurement itself a few dozen bytes a window.
        steadyState("score", 1.0, "scoring");
    }

    /**
     * The same for a training step (forward, backward, weight gradients, Adam, L2) through {@code Trainer.fit}:
     * a fit's own records allocate about 5 bytes per sample, a boxed vector in a training kernel thousands.
     */
    @Test
    void trainingAllocatesAlmostNothingOnceCompiled() throws Exception {
        steadyState("train", SteadyStateMain.TRAINING_SETTLED, "training");
    }

    private static void steadyState(String mode, double limit, String what) throws Exception {
        Path out = Files.createTempFile("steady", ".out");
        Path compileLog = Files.createTempFile("steady", ".compilation.xml");
        List<String> jvmArgs = new ArrayList<>(List.of("--add-modules", "jdk.incubator.vector", "-Xmx1g",
                KernelProvider.JIT_FLAGS,
                // Read only when the test fails, to say whether C2's trap limit is what boxed the vectors.
                "-XX:+UnlockDiagnosticVMOptions", "-XX:+LogCompilation", "-XX:LogFile=" + compileLog));
        String bits = System.getProperty("autoint.vectorBits");
        if (bits != null) jvmArgs.add("-Dautoint.vectorBits=" + bits);
        List<String> cmd = ForkedJvm.command(jvmArgs, SteadyStateMain.class, "4", "30", mode.equals("train") ? "10" : "50", mode);
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).as(what + " JVM finished").isTrue();
            String text = Files.readString(out, StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as("exit code; output:%n%s", text).isZero();
            String line = text.lines().filter(l -> l.startsWith("kernels=")).findFirst().orElseThrow(
                    () -> new AssertionError("no result line in:\n" + text));
            assertThat(line).as("the forked JVM ran the vector kernels").startsWith("kernels=vector");
            double bytesPerRow = Double.parseDouble(line.substring(line.indexOf("bytesPerRow=") + 12));
            if (bytesPerRow >= limit) {
                throw new AssertionError(what + " allocated " + bytesPerRow + " heap bytes per row after warm-up ("
                        + line + "): vectors are boxed. " + trapSummary(compileLog)
                        + " See docs/ARCHITECTURE.md, 'A JIT hazard in the vector kernels'.");
            }
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(compileLog);
        }
    }

    /**
     * From a {@code -XX:+LogCompilation} file: the largest class-check trap sum C2 observed in one compilation and
     * how many times a sum had reached {@code PerMethodTrapLimit} (C2 then stops speculating on types there).
     */
    static String trapSummary(Path compileLog) throws IOException {
        if (!Files.exists(compileLog) || Files.size(compileLog) == 0) return "(no compilation log to read)";
        Matcher sum = Pattern.compile("observe trap='class_check' count='\\d+' total='(\\d+)'").matcher("");
        Matcher over = Pattern.compile("observe trap='class_check' count='0' mcount='\\d+' ccount='(\\d+)'").matcher("");
        long largest = 0, largestOver = 0, overs = 0;
        try (BufferedReader r = Files.newBufferedReader(compileLog, StandardCharsets.UTF_8)) {
            for (String l; (l = r.readLine()) != null; ) {
                if (sum.reset(l).find()) largest = Math.max(largest, Long.parseLong(sum.group(1)));
                if (over.reset(l).find()) {
                    overs++;
                    largestOver = Math.max(largestOver, Long.parseLong(over.group(1)));
                }
            }
        }
        return overs == 0
                ? "C2 never reached its type-trap limit (largest class-check sum " + largest + "): another cause."
                : "C2 reached its type-trap limit " + overs + " times (class-check sums up to " + largestOver
                        + "; the JVM had " + KernelProvider.JIT_FLAGS + ").";
    }

    @Test
    void trapSummaryReadsTheLimitFromTheCompilationLog() throws IOException {
        Path log = Files.createTempFile("steady", ".compilation.xml");
        try {
            Files.writeString(log, "<observe trap='class_check' count='100' total='300'/>\n"
                    + "<observe trap='class_check' count='0' mcount='0' ccount='3276'/>\n"
                    + "<observe trap='class_check' count='0' mcount='0' ccount='3488'/>\n");
            assertThat(trapSummary(log)).contains("reached its type-trap limit 2 times").contains("up to 3488");
            Files.writeString(log, "<observe trap='class_check' count='4' total='192'/>\n"
                    + "<observe trap='unstable_if' count='1' total='1'/>\n");
            assertThat(trapSummary(log)).contains("never reached").contains("largest class-check sum 192");
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
