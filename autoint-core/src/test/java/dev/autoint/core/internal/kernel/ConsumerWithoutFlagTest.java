package dev.autoint.core.internal.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A consumer JVM started without {@code --add-modules jdk.incubator.vector} (and without
 * {@code -Dautoint.kernels}) works on the scalar kernels, logs the fallback warning exactly once naming the
 * flag, and computes what this JVM computes (vector or scalar, depending on the surefire run) within 1e-5.
 */
class ConsumerWithoutFlagTest {

    @Test
    void runsWithoutTheFlagAndAgrees() throws Exception {
        List<String> cmd = ForkedJvm.command(List.of(), ConsumerMain.class);
        Path out = Files.createTempFile("consumer", ".out");
        Path err = Files.createTempFile("consumer", ".err");
        try {
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("consumer finished").isTrue();
            String stderr = Files.readString(err, StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as("exit code; stderr:%n%s", stderr).isZero();
            List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
            assertThat(lines.get(0)).isEqualTo("kernels=scalar");
            long warnings = stderr.lines().filter(l -> l.contains("--add-modules jdk.incubator.vector")).count();
            assertThat(warnings).as("fallback warnings in:%n%s", stderr).isEqualTo(1);
            assertThat(stderr).contains("WARNING");
            assertThat(stderr).doesNotContain("Exception");
            float[] here = ConsumerMain.compute();
            assertThat(lines).hasSize(here.length + 1);
            for (int i = 0; i < here.length; i++) {
                assertThat(Float.parseFloat(lines.get(i + 1))).as("row %d", i).isCloseTo(here[i], within(1e-5f));
            }
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

}
