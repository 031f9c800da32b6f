package dev.autoint.core.io;

import dev.autoint.core.internal.io.AtomicFiles;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autoint.core.data.EncodedDataset;
import dev.autoint.core.data.FieldSpec;
import dev.autoint.core.model.AutoIntConfig;
import dev.autoint.core.model.AutoIntModel;
import dev.autoint.core.model.Interaction;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import static org.assertj.core.api.Assertions.within;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFilesTest {

    static final List<FieldSpec> FIELDS = List.of(FieldSpec.categorical("user", 30), FieldSpec.categorical("item", 40),
            FieldSpec.multiCategorical("genres", 8), FieldSpec.numeric("year"));

    static EncodedDataset data(int n) {
        SplittableRandom rnd = new SplittableRandom(5);
        EncodedDataset.Builder b = EncodedDataset.builder(FIELDS);
        for (int i = 0; i < n; i++) {
            b.categorical(0, rnd.nextInt(30)).categorical(1, rnd.nextInt(40)).addMulti(2, rnd.nextInt(8))
                    .numeric(3, (float) rnd.nextDouble()).endRow(rnd.nextInt(2));
        }
        return b.build();
    }

    AutoIntModel model() {
        return AutoIntModel.create(AutoIntConfig.seedsAutoIntPlus().withSeed(3), FIELDS);
    }

    @Test
    void saveLoadGivesBitIdenticalPredictions(@TempDir Path dir) throws IOException {
        AutoIntModel m = model();
        ModelFiles.save(m, dir, Map.of("data", "unit-test"));
        ModelFiles.Loaded loaded = ModelFiles.load(dir);
        assertThat(loaded.model().config()).isEqualTo(m.config());
        assertThat(loaded.model().fields()).isEqualTo(m.fields());
        assertThat(loaded.manifest().provenance()).containsEntry("data", "unit-test");
        assertThat(loaded.manifest().seed()).isEqualTo(3L);
        assertThat(loaded.manifest().libraryVersion()).isNotBlank();
        EncodedDataset d = data(300);
        float[] a = m.predictor().predict(d);
        float[] b = loaded.model().predictor().predict(d);
        for (int i = 0; i < a.length; i++) {
            assertThat(Float.floatToRawIntBits(b[i])).isEqualTo(Float.floatToRawIntBits(a[i]));
        }
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("model.json", "model.safetensors");
        }
    }

    @Test
    void aModelSavedBeforeTheModelFamilyStillLoadsAsAutoIntAndPredictsTheSame() throws Exception {
        // Saved by main at 1bb039b (before AutoIntConfig had an interaction), with its predictions on data(50).
        Path dir = Path.of(ModelFilesTest.class.getResource("/models/main-autoint-plus/model.json").toURI()).getParent();
        assertThat(Files.readString(dir.resolve(ModelFiles.MANIFEST))).doesNotContain("interaction");
        ModelFiles.Loaded loaded = ModelFiles.load(dir);
        assertThat(loaded.model().config()).isEqualTo(
                AutoIntConfig.seedsAutoIntPlus().withEmbeddingSize(4).withEmbeddingInitStd(0.7f).withSeed(3));
        assertThat(loaded.model().config().interaction()).isEqualTo(Interaction.attention());
        JsonNode expected = new ObjectMapper().readTree(dir.resolve("predictions.json").toFile());
        float[] p = loaded.model().predictor().predict(data(50));
        assertThat(p).hasSize(expected.size());
        for (int i = 0; i < p.length; i++) {
            assertThat((double) p[i]).as("prediction %d", i).isCloseTo(expected.get(i).asDouble(), within(1e-6));
        }
    }

    static Stream<Arguments> familyConfigs() {
        return Stream.of(
                Arguments.of("fm", AutoIntConfig.fm()),
                Arguments.of("fm", AutoIntConfig.deepFm()),
                Arguments.of("cross", AutoIntConfig.dcnV2()),
                Arguments.of("cross", AutoIntConfig.dcnV2().withInteraction(Interaction.cross(3, true))),
                Arguments.of("cin", AutoIntConfig.xDeepFm()),
                Arguments.of("cin", AutoIntConfig.xDeepFm().withInteraction(Interaction.cin(List.of(6, 5), false))));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("familyConfigs")
    void everyModelOfTheFamilySavesAndLoadsWithBitIdenticalPredictions(String type, AutoIntConfig config, @TempDir Path dir)
            throws IOException {
        AutoIntModel m = AutoIntModel.create(config.withEmbeddingInitStd(0.5f).withSeed(9), FIELDS);
        ModelFiles.save(m, dir);
        assertThat(Files.readString(dir.resolve(ModelFiles.MANIFEST))).contains("\"type\" : \"" + type + "\"");
        AutoIntModel loaded = ModelFiles.load(dir).model();
        assertThat(loaded.config()).isEqualTo(m.config());
        assertThat(loaded.parameters().tensors()).isEqualTo(m.parameters().tensors());
        EncodedDataset d = data(150);
        float[] a = m.predictor().predict(d);
        float[] b = loaded.predictor().predict(d);
        for (int i = 0; i < a.length; i++) {
            assertThat(Float.floatToRawIntBits(b[i])).isEqualTo(Float.floatToRawIntBits(a[i]));
        }
    }

    @Test
    void truncatedAndCorruptedFilesAreRejected(@TempDir Path dir) throws IOException {
        ModelFiles.save(model(), dir);
        Path w = dir.resolve(ModelFiles.WEIGHTS);
        byte[] original = Files.readAllBytes(w);

        Files.write(w, java.util.Arrays.copyOf(original, original.length - 10));
        assertThatThrownBy(() -> ModelFiles.load(dir)).isInstanceOf(ModelFileException.class)
                .hasMessageContaining("model.safetensors").hasMessageContaining("truncated");

        Files.write(w, java.util.Arrays.copyOf(original, 5));
        assertThatThrownBy(() -> ModelFiles.load(dir)).hasMessageContaining("truncated");

        byte[] flipped = original.clone();
        flipped[flipped.length - 3] ^= 0x40;
        Files.write(w, flipped);
        assertThatThrownBy(() -> ModelFiles.load(dir)).hasMessageContaining("corrupted");

        byte[] badJson = original.clone();
        badJson[8] = '!'; // the header's opening brace
        Files.write(w, badJson);
        assertThatThrownBy(() -> ModelFiles.load(dir)).hasMessageContaining("not valid JSON");

        Files.delete(w);
        assertThatThrownBy(() -> ModelFiles.load(dir)).hasMessageContaining("no such file");
    }

    @Test
    void shapeAndNameMismatchesAreAllReported(@TempDir Path dir) throws IOException {
        // Weights of a model with other sizes under a manifest that expects the original sizes.
        AutoIntModel small = AutoIntModel.create(AutoIntConfig.seedsAutoIntPlus().withEmbeddingSize(8).withLinearTerm(false), FIELDS);
        ModelFiles.save(model(), dir);
        Path other = dir.resolve("other");
        ModelFiles.save(small, other);
        Files.copy(other.resolve(ModelFiles.WEIGHTS), dir.resolve(ModelFiles.WEIGHTS),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThatThrownBy(() -> ModelFiles.load(dir)).isInstanceOf(ModelFileException.class)
                .hasMessageContaining("tensor 'embedding.user' has shape [30, 8], expected [30, 16]")
                .hasMessageContaining("missing tensor 'linear.user'")
                .hasMessageContaining("attention.0.wq");
    }

    @Test
    void manifestProblemsNameTheFile(@TempDir Path dir) throws IOException {
        ModelFiles.save(model(), dir);
        Files.writeString(dir.resolve(ModelFiles.MANIFEST), "{\"format\":\"something else\"}");
        assertThatThrownBy(() -> ModelFiles.load(dir)).hasMessageContaining("model.json").hasMessageContaining("not an autoint-java model");
        Files.writeString(dir.resolve(ModelFiles.MANIFEST), "{oops");
        assertThatThrownBy(() -> ModelFiles.load(dir)).hasMessageContaining("not valid JSON");
    }

    @Test
    void aFailedWriteLeavesTheOldFileIntact(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("x.bin");
        AtomicFiles.writeBytes(f, new byte[] {1, 2, 3});
        assertThatThrownBy(() -> AtomicFiles.write(f, out -> {
            out.write(new byte[] {9, 9});
            throw new IOException("disk full");
        })).hasMessage("disk full");
        assertThat(Files.readAllBytes(f)).containsExactly(1, 2, 3);
        try (var files = Files.list(dir)) {
            assertThat(files.count()).isEqualTo(1);
        }
    }
}
