package dev.autoint.examples.cli;

import static dev.autoint.examples.cli.AutoIntCliTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.autoint.core.internal.io.AtomicFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bundle trained on real MovieLens 100K evaluates and recommends identically after its data directory is
 * deleted (the data is copied to a temporary directory for the test, never into the project), and a copy
 * of another bundle's weights with the same shapes is refused by name.
 */
class BundleWithoutDataTest {

    @TempDir
    Path dir;

    static Path ml100k() {
        String prop = System.getProperty("autoint.datasets");
        Path root = prop != null && !prop.isBlank() && !prop.contains("${") ? Path.of(prop) : Path.of("..", "..", "shared", "datasets");
        Path d = root.resolve("ml-100k");
        if (!Files.isRegularFile(d.resolve("u.data"))) {
            String msg = "MovieLens 100K not found at " + d + " (set -Dautoint.datasets)";
            if (Boolean.parseBoolean(System.getProperty("autoint.requireData", "false"))) Assertions.fail(msg);
            Assumptions.abort(msg + "; skipping");
        }
        return d;
    }

    @Test
    void evaluatesAndRecommendsIdenticallyAfterTheDataIsDeleted() throws Exception {
        Assumptions.assumeFalse("scalar".equals(System.getProperty("autoint.kernels")),
                "file handling does not depend on the kernels: run once, in the vector run");
        Path data = dir.resolve("ml-100k-copy");
        Files.createDirectories(data);
        try (Stream<Path> s = Files.list(ml100k())) {
            for (Path f : (Iterable<Path>) s::iterator) Files.copy(f, data.resolve(f.getFileName()));
        }
        Path bundle = dir.resolve("ml100k-bundle");
        AutoIntCliTest.Run train = run("train", "--data", data.toString(), "--split", "per-user-temporal", "--out", bundle.toString(),
                "--epochs", "1", "--quiet");
        assertThat(train.code()).as(train.err()).isZero();

        List<String> before = useBundle(bundle, dir.resolve("eval-before"));
        AtomicFiles.deleteTree(data);
        assertThat(data).doesNotExist();
        List<String> after = useBundle(bundle, dir.resolve("eval-after"));
        assertThat(after).isEqualTo(before);
        for (String f : new String[] {"metrics.json", "metrics-full-catalog.json", "metrics-sampled.json"}) {
            assertThat(Files.readString(dir.resolve("eval-after").resolve(f))).as(f)
                    .isEqualTo(Files.readString(dir.resolve("eval-before").resolve(f)));
        }
    }

    /** What evaluate and recommend print (without timings). */
    private static List<String> useBundle(Path bundle, Path evalOut) {
        List<String> out = new ArrayList<>();
        AutoIntCliTest.Run eval = run("evaluate", bundle.toString(), "--out", evalOut.toString(), "--negatives", "50");
        assertThat(eval.code()).as(eval.err()).isZero();
        out.add(eval.out().replaceAll("[0-9.]+ s\\b", "T s").replaceAll("(?m)^(wrote|added).*$", ""));
        AutoIntCliTest.Run rec = run("recommend", bundle.toString(), "--user", "1", "--top", "10", "--alpha", "0.05", "--lambda", "0.2");
        assertThat(rec.code()).as(rec.err()).isZero();
        assertThat(rec.out()).contains("top 10 for user 1").contains("preferred genre");
        out.add(rec.out().replaceAll("[0-9.]+ ms\\)", "T ms)"));
        return out;
    }

    @Test
    void anotherModelsWeightsWithTheSameShapesAreRefused() throws Exception {
        Path a = dir.resolve("a"), b = dir.resolve("b");
        for (Path p : new Path[] {a, b}) {
            AutoIntCliTest.Run r = run(AutoIntCliTest.with(new String[] {"train", "--out", p.toString(), "--epochs", "1", "--batch", "512",
                "--quiet", "--seed", p == a ? "1" : "2"}, AutoIntCliTest.TINY));
            assertThat(r.code()).as(r.err()).isZero();
        }
        Files.copy(b.resolve("model.safetensors"), a.resolve("model.safetensors"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        AutoIntCliTest.Run r = run("recommend", a.toString(), "--user", "7");
        assertThat(r.code()).isEqualTo(4);
        assertThat(r.err()).contains("model.safetensors").contains("SHA-256");
        Files.writeString(b.resolve("notes.txt"), "hello");
        AutoIntCliTest.Run extra = run("evaluate", b.toString());
        assertThat(extra.code()).isEqualTo(4);
        assertThat(extra.err()).contains("notes.txt").contains("not listed");
    }
}
