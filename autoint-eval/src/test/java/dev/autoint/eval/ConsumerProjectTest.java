package dev.autoint.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's project, written, compiled and run by the test: a few lines that encode synthetic rows, create an
 * {@code AutoIntModel}, train it one epoch and print its predictions. It runs in four JVMs, on the module path
 * (as the named module {@code consumer.app}, {@code requires dev.autoint.eval}) and on the class path, each with
 * and without {@code --add-modules jdk.incubator.vector}. A second module that imports library internals must
 * not compile on the module path.
 *
 * <p>The library jars and their dependencies come from surefire, which runs this module's tests on the module
 * path: {@code jdk.module.path} holds autoint-eval's classes, the autoint-data and autoint-core jars, Jackson,
 * Commons Statistics (inference, and the Commons Statistics, Numbers and RNG modules it requires), and nothing
 * else. Resolving {@code consumer.app} from exactly that path is the check that those dependencies work as
 * modules.
 *
 * <p>There is no public API that names the kernels in use (they are internal); the library logs one line when it
 * chooses them ({@code autoint kernels: vector, N-bit} or {@code autoint kernels: scalar; ...}, see
 * docs/ARCHITECTURE.md), and the test reads that line from the consumer's standard error.
 *
 * <p>The consumer JVMs set their own flags, so the outcome does not depend on this JVM's kernels: the test runs
 * in surefire's vector run only, not again in the scalar run.
 */
@EnabledIfSystemProperty(named = "autoint.kernels", matches = "vector",
        disabledReason = "the consumer JVMs choose their own flags; running once (in the vector run) is enough")
class ConsumerProjectTest {

    /**
     * Vector and scalar kernels agree to float rounding, not bit for bit (docs/ARCHITECTURE.md); after eight
     * training steps (batch 64, one thread) the probabilities of the two differed by at most 3e-8 here. Runs on
     * the same kernels must agree exactly, whatever the path.
     */
    private static final float VECTOR_VS_SCALAR = 1e-5f;
    private static final long RUN_TIMEOUT_SECONDS = 120;
    private static final int TEST_ROWS = 64;

    /** The consumer: a user's main class, the same source for the module-path and the class-path build. */
    private static final String MAIN = """
            package consumer;

            import dev.autoint.core.data.EncodedDataset;
            import dev.autoint.core.data.FieldSpec;
            import dev.autoint.core.model.AutoIntConfig;
            import dev.autoint.core.model.AutoIntModel;
            import dev.autoint.core.train.Trainer;
            import java.util.List;
            import java.util.SplittableRandom;

            public final class Main {
                public static void main(String[] args) {
                    List<FieldSpec> fields = List.of(FieldSpec.categorical("user", 30),
                            FieldSpec.categorical("item", 40), FieldSpec.multiCategorical("tags", 8),
                            FieldSpec.numeric("age"));
                    EncodedDataset train = rows(fields, 512, 1);
                    EncodedDataset test = rows(fields, %d, 2);
                    AutoIntModel model = AutoIntModel.create(AutoIntConfig.seedsAutoIntPlus(), fields);
                    Trainer.builder(model).epochs(1).batchSize(64).threads(1).seed(7).learningRate(1e-2f)
                            .build().fit(train, null);
                    System.out.println("module=" + AutoIntModel.class.getModule().getName());
                    for (float p : model.predictor().predict(test)) System.out.println(p);
                }

                static EncodedDataset rows(List<FieldSpec> fields, int n, long seed) {
                    SplittableRandom rnd = new SplittableRandom(seed);
                    EncodedDataset.Builder b = EncodedDataset.builder(fields);
                    for (int i = 0; i < n; i++) {
                        int user = rnd.nextInt(30), item = rnd.nextInt(40);
                        b.categorical(0, user).categorical(1, item).addMulti(2, rnd.nextInt(8))
                                .addMulti(2, rnd.nextInt(8)).numeric(3, (float) rnd.nextDouble())
                                .endRow((user + item) %% 3 == 0 ? 1f : 0f);
                    }
                    return b.build();
                }
            }
            """.formatted(TEST_ROWS);

    /** A consumer that reaches for internals: an unexported package and one exported only to data and eval. */
    private static final String FORBIDDEN = """
            package forbidden;

            import dev.autoint.core.internal.io.AtomicFiles;
            import dev.autoint.core.internal.kernel.Kernels;

            public final class Peek {
                public static void main(String[] args) {
                    System.out.println(Kernels.get().name() + " " + AtomicFiles.class);
                }
            }
            """;

    private static List<Path> libraryPath;

    @BeforeAll
    static void libraryPath() {
        String mp = System.getProperty("jdk.module.path");
        assertThat(mp).as("surefire runs autoint-eval's tests on the module path").isNotBlank();
        libraryPath = new ArrayList<>();
        for (String e : mp.split(File.pathSeparator)) libraryPath.add(Path.of(e));
    }

    @Test
    void runsOnTheModulePathAndTheClassPathWithAndWithoutTheVectorApi(@TempDir Path dir) throws Exception {
        Path modSrc = dir.resolve("module-src");
        write(modSrc.resolve("module-info.java"), "module consumer.app {\n    requires dev.autoint.eval;\n}\n");
        write(modSrc.resolve("consumer/Main.java"), MAIN);
        Path modClasses = dir.resolve("module-classes");
        String modErrors = compile(List.of(modSrc.resolve("module-info.java"), modSrc.resolve("consumer/Main.java")),
                List.of("--module-path", join(libraryPath)), modClasses);
        assertThat(modErrors).as("module-path compilation").isNull();

        Path cpClasses = dir.resolve("classpath-classes");
        Path cpMain = dir.resolve("classpath-src/consumer/Main.java");
        write(cpMain, MAIN);
        String cpErrors = compile(List.of(cpMain), List.of("-classpath", join(libraryPath)), cpClasses);
        assertThat(cpErrors).as("class-path compilation").isNull();

        List<Path> modulePath = new ArrayList<>(List.of(modClasses));
        modulePath.addAll(libraryPath);
        List<Path> classPath = new ArrayList<>(List.of(cpClasses));
        classPath.addAll(libraryPath);
        List<String> onModulePath = List.of("--module-path", join(modulePath), "-m", "consumer.app/consumer.Main");
        List<String> onClassPath = List.of("-cp", join(classPath), "consumer.Main");

        Run moduleScalar = run(dir, "module-scalar", List.of(), onModulePath);
        Run moduleVector = run(dir, "module-vector", List.of("--add-modules", "jdk.incubator.vector"), onModulePath);
        Run classScalar = run(dir, "class-scalar", List.of(), onClassPath);
        Run classVector = run(dir, "class-vector", List.of("--add-modules", "jdk.incubator.vector"), onClassPath);

        for (Run r : List.of(moduleScalar, moduleVector)) assertThat(r.module).as(r.name).isEqualTo("dev.autoint.core");
        for (Run r : List.of(classScalar, classVector)) assertThat(r.module).as(r.name + " (unnamed module)").isEqualTo("null");
        for (Run r : List.of(moduleScalar, classScalar)) {
            assertThat(r.kernels).as(r.name).startsWith("autoint kernels: scalar")
                    .contains("--add-modules jdk.incubator.vector");
        }
        for (Run r : List.of(moduleVector, classVector)) {
            assertThat(r.kernels).as(r.name).startsWith("autoint kernels: vector");
            if (Runtime.version().feature() < 25) { // started without them: the line names the JIT flags
                assertThat(r.kernels).as(r.name).contains("-XX:PerMethodTrapLimit=100000");
            }
        }

        // The same kernels give the same bits on either path; vector and scalar agree to float rounding.
        assertThat(moduleScalar.predictions).as("scalar: module path vs class path").isEqualTo(classScalar.predictions);
        assertThat(moduleVector.predictions).as("vector: module path vs class path").isEqualTo(classVector.predictions);
        for (int i = 0; i < TEST_ROWS; i++) {
            assertThat(moduleVector.predictions[i]).as("row %d, vector vs scalar", i)
                    .isCloseTo(moduleScalar.predictions[i], within(VECTOR_VS_SCALAR));
        }
        float maxDiff = 0, min = 1, max = 0;
        for (int i = 0; i < TEST_ROWS; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(moduleVector.predictions[i] - moduleScalar.predictions[i]));
            min = Math.min(min, moduleScalar.predictions[i]);
            max = Math.max(max, moduleScalar.predictions[i]);
        }
        assertThat(max - min).as("the predictions depend on the rows").isGreaterThan(1e-3f);
        System.out.printf(Locale.ROOT, "consumer: vector vs scalar predictions differ by at most %.3g%n", maxDiff);
    }

    @Test
    void internalsDoNotCompileFromTheModulePath(@TempDir Path dir) throws Exception {
        Path src = dir.resolve("src");
        write(src.resolve("module-info.java"), "module consumer.bad {\n    requires dev.autoint.eval;\n}\n");
        write(src.resolve("forbidden/Peek.java"), FORBIDDEN);
        String errors = compile(List.of(src.resolve("module-info.java"), src.resolve("forbidden/Peek.java")),
                List.of("--module-path", join(libraryPath)), dir.resolve("classes"));
        assertThat(errors).as("compiling a module that imports internals").isNotNull()
                .contains("package dev.autoint.core.internal.kernel is not visible")
                .contains("package dev.autoint.core.internal.kernel is declared in module dev.autoint.core, "
                        + "which does not export it")
                .contains("package dev.autoint.core.internal.io is not visible")
                .contains("which does not export it to module consumer.bad");

        // The control: the same source compiles on the class path, where nothing is encapsulated at compile
        // time, so the failure above comes from the module descriptors and not from a missing class.
        Path cpSrc = dir.resolve("classpath-src/forbidden/Peek.java");
        write(cpSrc, FORBIDDEN);
        assertThat(compile(List.of(cpSrc), List.of("-classpath", join(libraryPath)), dir.resolve("cp-classes")))
                .as("the same source on the class path").isNull();
    }

    /** Compiles {@code sources} into {@code out}; returns null on success, else the compiler's messages. */
    private static String compile(List<Path> sources, List<String> pathOptions, Path out) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertThat(javac).as("a JDK, not a JRE, runs the tests").isNotNull();
        Files.createDirectories(out);
        // No -Werror: on the module path javac warns "using incubating module(s): jdk.incubator.vector" for any
        // consumer, because core's "requires static" puts the module in the graph it compiles against.
        List<String> options = new ArrayList<>(List.of("--release", "17", "-d", out.toString()));
        options.addAll(pathOptions);
        StringWriter messages = new StringWriter();
        try (StandardJavaFileManager fm = javac.getStandardFileManager(null, Locale.ROOT, StandardCharsets.UTF_8)) {
            boolean ok = javac.getTask(messages, fm, null, options, null, fm.getJavaFileObjectsFromPaths(sources)).call();
            return ok ? null : messages.toString();
        }
    }

    /** One consumer JVM's outcome: the module of the library, the kernel log line, the predictions. */
    private record Run(String name, String module, String kernels, float[] predictions) {
    }

    private static Run run(Path dir, String name, List<String> flags, List<String> launch)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(flags);
        cmd.addAll(launch);
        Path out = dir.resolve(name + ".out");
        Path err = dir.resolve(name + ".err");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(RUN_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError(name + ": the consumer did not finish in " + RUN_TIMEOUT_SECONDS + " s: " + cmd);
        }
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as("%s: exit code of %s; stderr:%n%s", name, cmd, stderr).isZero();
        assertThat(stderr).as(name).doesNotContain("Exception");
        List<String> kernelLines = stderr.lines().map(l -> l.replaceFirst("^[A-Z]+: ", ""))
                .filter(l -> l.startsWith("autoint kernels:")).toList();
        assertThat(kernelLines).as("%s: one kernel choice logged; stderr:%n%s", name, stderr).hasSize(1);
        assertThat(lines).as(name).hasSize(TEST_ROWS + 1);
        assertThat(lines.get(0)).as(name).startsWith("module=");
        float[] predictions = new float[TEST_ROWS];
        for (int i = 0; i < TEST_ROWS; i++) {
            predictions[i] = Float.parseFloat(lines.get(i + 1));
            assertThat(predictions[i]).as("%s row %d", name, i).isStrictlyBetween(0f, 1f);
        }
        return new Run(name, lines.get(0).substring("module=".length()), kernelLines.get(0), predictions);
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    private static String join(List<Path> paths) {
        List<String> s = new ArrayList<>();
        for (Path p : paths) s.add(p.toString());
        return String.join(File.pathSeparator, s);
    }
}
