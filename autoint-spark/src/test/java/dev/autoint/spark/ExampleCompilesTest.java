package dev.autoint.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark example in {@code examples/spark} is a single-file program run by {@code bin/autoint-spark
 * example} (outside any module, so that the examples module keeps its own dependencies): this test compiles
 * it against this module's test class path, so an API change that breaks it fails the build.
 */
class ExampleCompilesTest {

    @Test
    void theSparkExampleCompiles(@TempDir Path out) {
        Assumptions.assumeFalse("scalar".equals(System.getProperty("autoint.kernels")), "kernel-independent");
        Path source = Path.of("..", "examples", "spark", "ScoreOnSpark.java");
        assertThat(source).exists();
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter messages = new StringWriter();
        boolean ok = javac.getTask(messages, null, null,
                List.of("--release", "17", "-Xlint:all", "-Werror", "-proc:none", "-cp", System.getProperty("java.class.path"), "-d", out.toString()),
                null, javac.getStandardFileManager(null, null, null).getJavaFileObjects(source.toFile())).call();
        assertThat(ok).as(messages.toString()).isTrue();
        assertThat(Files.exists(out.resolve("ScoreOnSpark.class"))).isTrue();
    }
}
