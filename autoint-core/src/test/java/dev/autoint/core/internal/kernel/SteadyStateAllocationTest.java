package dev.autoint.core.internal.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Scoring allocates nothing once the JIT has settled: a fresh JVM started as the README says (the Vector API module
 * and {@link KernelProvider#JIT_FLAGS}), at this run's vector width ({@code -Dautoint.vectorBits} is passed on),
 * scores the seeds' model and reports its heap allocation per row ({@link SteadyStateMain}).
 *
 * <p>This is the guard against the Vector API's one performance trap: a vector C2 cannot keep in a register
 * (a kernel grown past the inlining limits, an operation without an intrinsic, or, on JDK 17 without the JIT
 * flags, stores compiled after the type-check traps ran out) is boxed on the heap, about 40,000 bytes per row for
 * this model, and scoring runs 3-4 times slower. Allocation, unlike time, does not depend on the machine's load.
 */
class SteadyStateAllocationTest {

    @Test
    void scoringAllocatesNothingOnceCompiled() throws Exception {
        List<String> jvmArgs = new ArrayList<>(List.of("--add-modules", "jdk.incubator.vector", "-Xmx1g",
                KernelProvider.JIT_FLAGS));
        String bits = System.getProperty("autoint.vectorBits");
        if (bits != null) jvmArgs.add("-Dautoint.vectorBits=" + bits);
        List<String> cmd = ForkedJvm.command(jvmArgs, SteadyStateMain.class, "4", "30", "50");
        Path out = Files.createTempFile("steady", ".out");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("scoring JVM finished").isTrue();
            String text = Files.readString(out, StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as("exit code; output:%n%s", text).isZero();
            String line = text.lines().filter(l -> l.startsWith("kernels=")).findFirst().orElseThrow(
                    () -> new AssertionError("no result line in:\n" + text));
            assertThat(line).as("the forked JVM ran the vector kernels").startsWith("kernels=vector");
            double bytesPerRow = Double.parseDouble(line.substring(line.indexOf("bytesPerRow=") + 12));
            // Boxed vectors cost tens of kilobytes a row; the measurement itself a few dozen bytes a window.
            assertThat(bytesPerRow).as("heap bytes allocated per scored row after warm-up (%s)", line).isLessThan(1.0);
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
