package dev.autoint.eval.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autoint.core.io.ModelFileException;
import dev.autoint.core.model.AutoIntConfig;
import dev.autoint.core.model.AutoIntModel;
import dev.autoint.data.SplitSpec;
import dev.autoint.data.movielens.FeaturePreset;
import dev.autoint.data.movielens.MovieLensData;
import dev.autoint.data.movielens.SyntheticMovieLens;
import dev.autoint.eval.CandidateScorer;
import dev.autoint.eval.movielens.MovieLensExperiment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writing, loading, verifying and using a bundle, without the data it came from. */
class ModelBundleTest {

    static MovieLensExperiment x;
    static AutoIntModel model;

    @BeforeAll
    static void setUp() {
        MovieLensData data = SyntheticMovieLens.builder().users(120).movies(90).ratingsPerUser(30).seed(5).generate();
        x = MovieLensExperiment.prepare(data, FeaturePreset.SEEDS, SplitSpec.globalTemporal(0.8, 0.1));
        model = AutoIntModel.create(AutoIntConfig.seedsAutoIntPlus().withSeed(3), x.encoder().fieldSpecs());
    }

    @Test
    void aLoadedBundleScoresEvaluatesAndRecommendsAsTheExperimentDoes(@TempDir Path dir) throws Exception {
        Path b = dir.resolve("bundle");
        x.bundle(model).provenance(Map.of("note", "test")).file("reports/hello.txt", f -> Files.writeString(f, "hi")).write(b);
        ModelBundle loaded = ModelBundle.load(b);
        assertThat(loaded.manifest().provenance()).containsEntry("note", "test").containsKey("dataFingerprint");
        assertThat(loaded.files()).containsKey("reports/hello.txt");
        assertThat(loaded.model().parameters().toArray()).isEqualTo(model.parameters().toArray());
        assertThat(loaded.predictor().predict(loaded.heldOut().rows())).isEqualTo(x.scoreTest(model));
        assertThat(loaded.predictor()).isSameAs(loaded.predictor()); // one scratch workspace per thread, not per call
        assertThat(loaded.trainTargets()).isEqualTo(x.trainData().ratings().ratings());
        assertThat(loaded.encoder().catalogue().items()).isEqualTo(x.encoder().catalogue().items());

        // ranking protocols: the same candidate scores as the experiment's scorer, user by user
        CandidateScorer a = x.scorer(model), c = loaded.heldOutScorer();
        int[] items = loaded.encoder().catalogue().itemIds();
        for (int u : new int[] {x.testInteractions().user(0), x.testInteractions().user(x.testInteractions().size() - 1)}) {
            float[] s1 = new float[items.length], s2 = new float[items.length];
            a.score(u, items, s1);
            c.score(u, items, s2);
            assertThat(s2).isEqualTo(s1);
        }
        // recommendation context: the same as the experiment's fixed-month scorer
        Map<String, String> ctx = loaded.encoder().defaultContext();
        List<String> warnings = new ArrayList<>();
        CandidateScorer r1 = x.scorer(model, Integer.parseInt(ctx.get("year")), Integer.parseInt(ctx.get("month")));
        CandidateScorer r2 = loaded.scorer(ctx, warnings);
        int user = x.trainInteractions().user(0);
        float[] s1 = new float[items.length], s2 = new float[items.length];
        r1.score(user, items, s1);
        r2.score(user, items, s2);
        assertThat(s2).isEqualTo(s1);
        assertThat(warnings).isEmpty();
    }

    @Test
    void tamperingIsReportedByFile(@TempDir Path dir) throws Exception {
        Path b = dir.resolve("b");
        x.bundle(model).write(b);
        Path other = dir.resolve("other");
        x.bundle(AutoIntModel.create(AutoIntConfig.seedsAutoIntPlus().withSeed(4), x.encoder().fieldSpecs())).write(other);

        // another model's weights, same shapes
        Files.copy(other.resolve("model.safetensors"), b.resolve("model.safetensors"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThatThrownBy(() -> ModelBundle.load(b)).isInstanceOf(ModelFileException.class)
                .hasMessageContaining("model.safetensors").hasMessageContaining("SHA-256");
        Files.copy(dir.resolve("other").resolve("model.safetensors"), b.resolve("model.safetensors"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        Path c = dir.resolve("c");
        x.bundle(model).write(c);
        String enc = Files.readString(c.resolve("encoder.json"), StandardCharsets.UTF_8);
        Files.writeString(c.resolve("encoder.json"), enc.replace("\"1\"", "\"2\""));
        assertThatThrownBy(() -> ModelBundle.load(c)).hasMessageContaining("encoder.json");

        Path d = dir.resolve("d");
        x.bundle(model).write(d);
        Files.delete(d.resolve("heldout.safetensors"));
        Files.writeString(d.resolve("stray.bin"), "x");
        assertThatThrownBy(() -> ModelBundle.load(d)).hasMessageContaining("heldout.safetensors: missing")
                .hasMessageContaining("stray.bin: not listed");
    }

    @Test
    void rewritingReplacesTheWholeBundleAndAddingFilesKeepsItVerified(@TempDir Path dir) throws Exception {
        Path b = dir.resolve("b");
        x.bundle(model).file("metrics-sampled.json", f -> Files.writeString(f, "{}")).write(b);
        x.bundle(model).write(b); // retraining: nothing of the older bundle survives
        assertThat(b.resolve("metrics-sampled.json")).doesNotExist();
        ModelBundle.addFiles(b, Map.of("metrics-full-catalog.json", f -> Files.writeString(f, "{\"a\": 1}")));
        ModelBundle loaded = ModelBundle.load(b);
        assertThat(loaded.files()).containsKey("metrics-full-catalog.json");
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly("b");
        }
        assertThatThrownBy(() -> ModelBundle.addFiles(b, Map.of("../escape.txt", f -> Files.writeString(f, "x"))))
                .isInstanceOf(IllegalArgumentException.class);
        Path file = dir.resolve("file");
        Files.writeString(file, "x");
        assertThatThrownBy(() -> x.bundle(model).write(file)).hasMessageContaining("not a directory");
        assertThatThrownBy(() -> ModelBundle.load(file)).hasMessageContaining("is a file");
    }

    @Test
    void aKillBetweenTheFinalRenamesIsFinishedByTheNextLoad(@TempDir Path dir) throws Exception {
        Path b = dir.resolve("b");
        x.bundle(model).write(b);
        Map<String, String> files = ModelBundle.load(b).files();
        // the state a kill leaves between "old moved aside" and "new moved in": no b, a complete .new and the .old
        Path fresh = dir.resolve(".b.new-1");
        Path old = dir.resolve(".b.old-1");
        Files.move(b, old);
        copyTree(old, fresh);
        Files.writeString(dir.resolve(".b.lock"), "");
        Files.createDirectories(dir.resolve(".b.tmp-2"));
        ModelBundle loaded = ModelBundle.load(b);
        assertThat(loaded.files()).isEqualTo(files);
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly("b");
        }
    }

    private static void copyTree(Path from, Path to) throws Exception {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(t);
                else Files.copy(p, t);
            }
        }
    }
}
