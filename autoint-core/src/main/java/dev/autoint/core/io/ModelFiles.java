package dev.autoint.core.io;

import dev.autoint.core.internal.io.AtomicFiles;
import dev.autoint.core.internal.io.Safetensors;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.autoint.core.AutoIntVersion;
import dev.autoint.core.data.FieldSpec;
import dev.autoint.core.model.AutoIntConfig;
import dev.autoint.core.model.AutoIntModel;
import dev.autoint.core.model.Parameters;
import dev.autoint.core.model.TensorInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Saves and loads a model as a directory of two files:
 * <ul>
 *   <li>{@value #WEIGHTS}: every parameter tensor, by name, as float32 in the
 *       <a href="https://github.com/huggingface/safetensors">safetensors</a> format;</li>
 *   <li>{@value #MANIFEST}: the configuration, the fields, and provenance (library version, seed,
 *       creation time, anything the caller adds), as JSON.</li>
 * </ul>
 * Each file is written atomically. Loading checks every tensor's name, dtype and shape against what the
 * manifest's configuration implies and reports every mismatch by name in one {@link ModelFileException}.
 */
public final class ModelFiles {

    /** The weights file's name within a model directory. */
    public static final String WEIGHTS = "model.safetensors";
    /** The manifest file's name within a model directory. */
    public static final String MANIFEST = "model.json";
    /** The manifest's {@code format} value, which marks a directory as a model of this library. */
    public static final String FORMAT = "autoint-java model";
    /** The manifest format version this library writes and reads; other versions are rejected. */
    public static final int FORMAT_VERSION = 1;

    static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    /**
     * What {@value #MANIFEST} holds.
     *
     * @param format         always {@value #FORMAT}
     * @param formatVersion  the manifest format version, {@value #FORMAT_VERSION}
     * @param libraryVersion the {@link AutoIntVersion#VERSION} that saved the model
     * @param createdAt      when the model was saved, as an ISO-8601 instant
     * @param seed           the configuration's initialisation seed
     * @param config         the model's configuration
     * @param fields         the model's fields, in order
     * @param provenance     what the caller added at save time (data fingerprint, metrics, ...), as given
     */
    public record Manifest(String format, int formatVersion, String libraryVersion, String createdAt, long seed,
                           AutoIntConfig config, List<FieldSpec> fields, Map<String, Object> provenance) {
    }

    /**
     * A loaded model and its manifest.
     *
     * @param model    the model, holding the saved weights
     * @param manifest the manifest it was loaded from
     */
    public record Loaded(AutoIntModel model, Manifest manifest) {
    }

    private ModelFiles() {
    }

    /**
     * Saves the model with no provenance; see {@link #save(AutoIntModel, Path, Map)}.
     *
     * @param model the model to save
     * @param dir   the directory, created if missing; existing model files in it are replaced
     * @throws IOException if a file cannot be written
     */
    public static void save(AutoIntModel model, Path dir) throws IOException {
        save(model, dir, Map.of());
    }

    /**
     * Saves the model; {@code provenance} (data fingerprint, metrics, ...) is stored in the manifest as given.
     * Each file is replaced atomically, so a reader sees either the old or the new file, never a partial one;
     * a crash between the two files can leave a new weights file beside an old manifest. Do not train the
     * model while saving it.
     *
     * @param model      the model to save
     * @param dir        the directory, created if missing; existing model files in it are replaced
     * @param provenance extra manifest entries, serialisable by Jackson; copied
     * @throws IOException if a file cannot be written
     */
    public static void save(AutoIntModel model, Path dir, Map<String, Object> provenance) throws IOException {
        Files.createDirectories(dir);
        Parameters p = model.parameters();
        List<Safetensors.Tensor> tensors = new ArrayList<>();
        for (TensorInfo t : p.tensors()) tensors.add(new Safetensors.Tensor(t.name(), t.shape(), p.get(t.name())));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("library_version", AutoIntVersion.VERSION);
        Safetensors.write(dir.resolve(WEIGHTS), tensors, meta);
        Manifest m = new Manifest(FORMAT, FORMAT_VERSION, AutoIntVersion.VERSION, Instant.now().toString(),
                model.config().seed(), model.config(), model.fields(), new LinkedHashMap<>(provenance));
        AtomicFiles.writeBytes(dir.resolve(MANIFEST), JSON.writeValueAsBytes(m));
    }

    /**
     * Reads and checks a model directory's manifest without loading the weights.
     *
     * @param dir the model directory
     * @return the manifest
     * @throws ModelFileException if the manifest is missing, not JSON, not this library's format or of another
     *                            format version
     * @throws IOException        if the file cannot be read
     */
    public static Manifest readManifest(Path dir) throws IOException {
        Path file = dir.resolve(MANIFEST);
        JsonNode node;
        try {
            node = JSON.readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new ModelFileException(file, "no such file (is " + dir + " a model directory?)");
        } catch (IOException e) {
            throw new ModelFileException(file, "not valid JSON: " + e.getMessage(), e);
        }
        if (node == null || !FORMAT.equals(node.path("format").asText())) {
            throw new ModelFileException(file, "not an autoint-java model manifest (format is '"
                    + (node == null ? "" : node.path("format").asText()) + "')");
        }
        int version = node.path("formatVersion").asInt(-1);
        if (version != FORMAT_VERSION) {
            throw new ModelFileException(file, "format version " + version + " is not supported (this library reads "
                    + FORMAT_VERSION + ")");
        }
        try {
            return JSON.treeToValue(node, Manifest.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new ModelFileException(file, "invalid manifest: " + e.getMessage(), e);
        }
    }

    /**
     * Loads a model saved by {@link #save}.
     *
     * @param dir the model directory
     * @return the model and its manifest
     * @throws ModelFileException if a file is missing or malformed, the configuration is invalid, the tensors'
     *                            names, shapes or dtypes do not match the configuration (every mismatch is listed),
     *                            or a weight is not finite
     * @throws IOException        if a file cannot be read
     */
    public static Loaded load(Path dir) throws IOException {
        Manifest m = readManifest(dir);
        AutoIntModel model;
        try {
            model = AutoIntModel.create(m.config(), m.fields());
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(dir.resolve(MANIFEST), "invalid configuration: " + e.getMessage(), e);
        }
        Path file = dir.resolve(WEIGHTS);
        Safetensors.Contents contents = Safetensors.read(file);
        Parameters p = model.parameters();
        List<String> problems = new ArrayList<>();
        Set<String> expected = new HashSet<>();
        for (TensorInfo t : p.tensors()) {
            expected.add(t.name());
            Safetensors.Tensor s = contents.get(t.name());
            if (s == null) {
                problems.add("missing tensor '" + t.name() + "' " + t.shapeString());
            } else if (!Arrays.equals(s.shape(), t.shape())) {
                problems.add("tensor '" + t.name() + "' has shape " + Arrays.toString(s.shape()) + ", expected "
                        + t.shapeString());
            } else if (!s.dtype().equals("F32")) {
                problems.add("tensor '" + t.name() + "' has dtype " + s.dtype() + ", expected F32");
            }
        }
        for (Safetensors.Tensor s : contents.tensors()) {
            if (!expected.contains(s.name())) problems.add("unexpected tensor '" + s.name() + "'");
        }
        if (!problems.isEmpty()) {
            throw new ModelFileException(file, problems.size() + " mismatch(es) with the manifest's configuration: "
                    + String.join("; ", problems));
        }
        for (TensorInfo t : p.tensors()) {
            float[] v = contents.get(t.name()).values();
            for (float x : v) {
                if (!Float.isFinite(x)) {
                    throw new ModelFileException(file, "tensor '" + t.name() + "' holds a non-finite value");
                }
            }
            p.set(t.name(), v);
        }
        return new Loaded(model, m);
    }
}
