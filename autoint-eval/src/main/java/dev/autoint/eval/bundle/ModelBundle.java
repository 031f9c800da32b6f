package dev.autoint.eval.bundle;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.autoint.core.AutoIntVersion;
import dev.autoint.core.data.EncodedDataset;
import dev.autoint.core.internal.io.AtomicFiles;
import dev.autoint.core.internal.io.DatasetFiles;
import dev.autoint.core.internal.io.Digests;
import dev.autoint.core.io.ModelFileException;
import dev.autoint.core.io.ModelFiles;
import dev.autoint.core.internal.io.Safetensors;
import dev.autoint.core.model.AutoIntModel;
import dev.autoint.core.model.Predictor;
import dev.autoint.data.Catalogue;
import dev.autoint.data.FeatureEncoder;
import dev.autoint.eval.CandidateScorer;
import dev.autoint.eval.Interactions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A trained model with everything needed to score, evaluate and recommend without its training data:
 * <ul>
 *   <li>{@value ModelFiles#WEIGHTS} and {@value ModelFiles#MANIFEST}: the model;</li>
 *   <li>{@value FeatureEncoder#FILE} and the encoder's data files: vocabularies, scalers, schema or preset,
 *       label rule, item catalogue with encoded item features, known users;</li>
 *   <li>{@value #INTERACTIONS} (optional): the training interactions (user, item, label, time, raw target),
 *       which recommendation excludes and explains with;</li>
 *   <li>{@value #HELD_OUT} (optional): the held-out rows, encoded, with their interactions, which
 *       evaluation scores;</li>
 *   <li>reports (metrics JSON, charts) added by training and evaluation;</li>
 *   <li>{@value #MANIFEST}: format, library version, creation time, provenance (data fingerprint, split,
 *       recipe) and the SHA-256 of every other file.</li>
 * </ul>
 * {@link Builder#write} stages the whole directory and renames it into place
 * ({@link AtomicFiles#writeDirectory}): a process killed at any instant leaves the old bundle or the new
 * one, complete. {@link #load} resolves what such a kill left, then verifies every file's digest (a file
 * swapped in from another model, edited or truncated is reported by name) before reading anything.
 *
 * <p>Immutable after loading; its scorers and predictor are thread-safe.
 */
public final class ModelBundle {

    /** The bundle manifest's file name. */
    public static final String MANIFEST = "bundle.json";
    /** The training interactions' file name (optional file). */
    public static final String INTERACTIONS = "interactions.safetensors";
    /** The held-out rows' file name (optional file). */
    public static final String HELD_OUT = "heldout.safetensors";
    /** The manifest's {@code format} value, which marks a directory as a bundle. */
    public static final String FORMAT = "autoint-java bundle";
    /** The manifest format version this library writes and reads; other versions are rejected. */
    public static final int FORMAT_VERSION = 1;

    static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    /**
     * What {@value #MANIFEST} holds.
     *
     * @param format         {@value #FORMAT}
     * @param formatVersion  {@value #FORMAT_VERSION}
     * @param libraryVersion the autoint-java version that wrote it
     * @param createdAt      ISO-8601 instant
     * @param provenance     how it was made: data fingerprint, split, recipe, training history (as given)
     * @param files          every other file of the bundle (relative path with '/') → SHA-256 hex
     */
    public record Manifest(String format, int formatVersion, String libraryVersion, String createdAt,
                           Map<String, Object> provenance, Map<String, String> files) {
    }

    /**
     * Held-out rows and who and what they are about, aligned row by row.
     *
     * @param rows         the encoded rows, each in its own context
     * @param interactions user, item, label and time of each row
     */
    public record HeldOut(EncodedDataset rows, Interactions interactions) {
        /**
         * @param rows         the encoded rows
         * @param interactions one interaction per row
         * @throws IllegalArgumentException if the two differ in size
         */
        public HeldOut {
            if (rows.size() != interactions.size()) {
                throw new IllegalArgumentException(rows.size() + " held-out rows but " + interactions.size() + " interactions");
            }
        }
    }

    private final Path dir;
    private final Manifest manifest;
    private final AutoIntModel model;
    private final ModelFiles.Manifest modelManifest;
    private final FeatureEncoder encoder;
    private final Interactions train; // null when the bundle has none
    private final float[] trainTargets; // raw targets of the training interactions (e.g. star ratings), or null
    private final HeldOut heldOut; // null when the bundle has none
    private final Predictor predictor; // one for the bundle: it keeps a scratch workspace per thread

    private ModelBundle(Path dir, Manifest manifest, AutoIntModel model, ModelFiles.Manifest modelManifest,
                        FeatureEncoder encoder, Interactions train, float[] trainTargets, HeldOut heldOut) {
        this.dir = dir;
        this.manifest = manifest;
        this.model = model;
        this.modelManifest = modelManifest;
        this.encoder = encoder;
        this.train = train;
        this.trainTargets = trainTargets;
        this.heldOut = heldOut;
        this.predictor = model.predictor();
    }

    // ------------------------------------------------------------------ accessors

    /**
     * The directory it was loaded from.
     *
     * @return the directory
     */
    public Path directory() {
        return dir;
    }

    /**
     * The bundle's manifest, as loaded.
     *
     * @return the manifest
     */
    public Manifest manifest() {
        return manifest;
    }

    /**
     * The trained model. Do not train it further: the bundle's scorers share it.
     *
     * @return the model
     */
    public AutoIntModel model() {
        return model;
    }

    /**
     * The model's own manifest (configuration and fields).
     *
     * @return the manifest
     */
    public ModelFiles.Manifest modelManifest() {
        return modelManifest;
    }

    /**
     * The encoder the model was trained with: what turns raw rows into model input.
     *
     * @return the encoder
     */
    public FeatureEncoder encoder() {
        return encoder;
    }

    /**
     * The thread-safe scorer of encoded rows, the same instance every call: each thread that scores gets one
     * scratch workspace and reuses it (a new predictor per call would allocate a fresh workspace per call).
     *
     * @return the predictor
     */
    public Predictor predictor() {
        return predictor;
    }

    /**
     * The training interactions, or null when the data has no users and items.
     *
     * @return the interactions, or null
     */
    public Interactions trainInteractions() {
        return train;
    }

    /**
     * The raw target of each training interaction (for MovieLens the star rating), or null; read-only.
     *
     * @return the backing array, aligned with {@link #trainInteractions()}, or null
     */
    public float[] trainTargets() {
        return trainTargets;
    }

    /**
     * The held-out rows, or null when the bundle has none.
     *
     * @return the rows, or null
     */
    public HeldOut heldOut() {
        return heldOut;
    }

    /**
     * Whether the bundle can recommend: it has a catalogue, users and training interactions.
     *
     * @return true when {@link #scorer} and the recommender can be used
     */
    public boolean canRecommend() {
        return !encoder.catalogue().isEmpty() && encoder.users().size() > 0 && train != null;
    }

    /**
     * A scorer of (user, candidate items) with one context for every user (see
     * {@link FeatureEncoder#contextRow}). Thread-safe.
     *
     * @param context  context values by key; missing keys take their defaults; copied
     * @param warnings receives each distinct clipping or unknown-value warning once, appended while holding the
     *                 list's lock; or null to drop them
     * @return the scorer; scoring an unknown user or reading a bad context value throws IllegalArgumentException
     * @throws IllegalStateException if the bundle has no item catalogue
     */
    public CandidateScorer scorer(Map<String, String> context, List<String> warnings) {
        Map<String, String> ctx = Map.copyOf(context);
        Catalogue cat = requireCatalogue();
        Predictor p = predictor();
        return (user, items, out) -> {
            List<String> w = new ArrayList<>(0);
            EncodedDataset row = encoder.contextRow(user, ctx, w);
            if (warnings != null) {
                synchronized (warnings) {
                    for (String s : w) if (!warnings.contains(s)) warnings.add(s);
                }
            }
            EncodedDataset rows = cat.candidates(row, 0, items);
            p.predict(rows, null, 0, items.length, out, 0, true);
        };
    }

    /**
     * A scorer for the ranking protocols: each user is scored in the context of their earliest held-out
     * row (its user and context fields, with the item fields of each candidate).
     *
     * @return the scorer
     * @throws IllegalStateException if the bundle has no held-out rows or no item catalogue
     */
    public CandidateScorer heldOutScorer() {
        if (heldOut == null) throw new IllegalStateException("bundle " + dir + " holds no held-out rows");
        return heldOutScorer(requireCatalogue(), heldOut, predictor());
    }

    /**
     * Scores (user, candidate items) in the context of the user's earliest held-out row: that row's user and
     * context fields, each candidate's item fields from the catalogue.
     *
     * @param cat     the item catalogue
     * @param heldOut the held-out rows
     * @param p       the predictor
     * @return the scorer; a user without held-out rows gives IllegalArgumentException when scored
     */
    public static CandidateScorer heldOutScorer(Catalogue cat, HeldOut heldOut, Predictor p) {
        Interactions t = heldOut.interactions();
        Map<Integer, Integer> first = new HashMap<>();
        for (int i = 0; i < t.size(); i++) {
            int u = t.user(i);
            Integer prev = first.get(u);
            if (prev == null || t.timestamp(i) < t.timestamp(prev)) first.put(u, i);
        }
        Map<Integer, Integer> context = Map.copyOf(first);
        EncodedDataset rowsIn = heldOut.rows();
        return (user, items, out) -> {
            Integer row = context.get(user);
            if (row == null) throw new IllegalArgumentException("user " + user + " has no held-out rows");
            EncodedDataset rows = cat.candidates(rowsIn, row, items);
            p.predict(rows, null, 0, items.length, out, 0, true);
        };
    }

    private Catalogue requireCatalogue() {
        Catalogue cat = encoder.catalogue();
        if (cat.isEmpty()) {
            throw new IllegalStateException("the bundle in " + dir + " has no item catalogue: its data declares no items "
                    + "(add \"items\" to the schema to recommend)");
        }
        return cat;
    }

    // ------------------------------------------------------------------ writing

    /**
     * Starts a bundle of a trained model and the encoder it was trained with.
     *
     * @param model   the trained model
     * @param encoder the encoder; its fields must equal the model's
     * @return the builder
     * @throws IllegalArgumentException if the fields differ
     */
    public static Builder builder(AutoIntModel model, FeatureEncoder encoder) {
        return new Builder(model, encoder);
    }

    /** Writes a file of a bundle into the staging directory. */
    @FunctionalInterface
    public interface FileWriter {
        /**
         * Writes the file.
         *
         * @param file where to write, in the staging directory; its parent exists
         * @throws IOException if it cannot be written; the bundle is then not written
         */
        void write(Path file) throws IOException;
    }

    /** Collects a bundle's parts; {@link #write} writes them as one unit. */
    public static final class Builder {
        private final AutoIntModel model;
        private final FeatureEncoder encoder;
        private Interactions train;
        private float[] trainTargets;
        private HeldOut heldOut;
        private final Map<String, Object> provenance = new LinkedHashMap<>();
        private final Map<String, FileWriter> files = new LinkedHashMap<>();

        private Builder(AutoIntModel model, FeatureEncoder encoder) {
            this.model = Objects.requireNonNull(model, "model");
            this.encoder = Objects.requireNonNull(encoder, "encoder");
            if (!encoder.fieldSpecs().equals(model.fields())) {
                throw new IllegalArgumentException("the model's fields " + model.fields() + " differ from the encoder's "
                        + encoder.fieldSpecs());
            }
        }

        /**
         * The training interactions and, optionally, their raw targets (star ratings); for recommendation.
         *
         * @param interactions the training rows
         * @param targets      the raw target per row, or null
         * @return this builder
         * @throws IllegalArgumentException if {@code targets} has another length
         */
        public Builder trainInteractions(Interactions interactions, float[] targets) {
            if (targets != null && targets.length != interactions.size()) {
                throw new IllegalArgumentException(targets.length + " targets for " + interactions.size() + " interactions");
            }
            this.train = interactions;
            this.trainTargets = targets;
            return this;
        }

        /**
         * The held-out rows evaluation scores.
         *
         * @param rows         the encoded rows, with the model's fields
         * @param interactions one interaction per row
         * @return this builder
         * @throws IllegalArgumentException if the fields differ from the model's or the sizes differ
         */
        public Builder heldOut(EncodedDataset rows, Interactions interactions) {
            if (!rows.fields().equals(model.fields())) throw new IllegalArgumentException("held-out rows have other fields than the model");
            this.heldOut = new HeldOut(rows, interactions);
            return this;
        }

        /**
         * Adds provenance entries (data fingerprint, split, recipe, history...); later entries replace earlier ones.
         *
         * @param entries entries serialisable by Jackson
         * @return this builder
         */
        public Builder provenance(Map<String, Object> entries) {
            provenance.putAll(entries);
            return this;
        }

        /**
         * Adds a report file, written by {@code writer} while staging.
         *
         * @param name   a relative path with '/', without ".."; not a file the bundle writes itself
         * @param writer writes the file
         * @return this builder
         * @throws IllegalArgumentException if the name is not allowed
         */
        public Builder file(String name, FileWriter writer) {
            checkName(name);
            files.put(name, Objects.requireNonNull(writer, "writer"));
            return this;
        }

        /**
         * Writes the bundle into {@code dir} as one unit, replacing whatever bundle was there (and nothing of
         * it survives: reports of an older model are gone with it). {@code dir} must not be an existing
         * regular file.
         *
         * @param dir the bundle directory
         * @throws IOException if {@code dir} is a file, or a file cannot be written; the old bundle is then kept
         */
        public void write(Path dir) throws IOException {
            if (Files.exists(dir) && !Files.isDirectory(dir)) {
                throw new IOException(dir + " exists and is not a directory");
            }
            AtomicFiles.writeDirectory(dir, staged -> {
                ModelFiles.save(model, staged);
                encoder.save(staged);
                if (train != null) writeInteractions(staged.resolve(INTERACTIONS), "train", train, trainTargets, null);
                if (heldOut != null) writeInteractions(staged.resolve(HELD_OUT), "heldout", heldOut.interactions(), null, heldOut.rows());
                for (Map.Entry<String, FileWriter> e : files.entrySet()) {
                    Path f = staged.resolve(e.getKey());
                    Files.createDirectories(f.getParent());
                    e.getValue().write(f);
                }
                writeManifest(staged, provenance);
            });
        }
    }

    /**
     * Rewrites the bundle in {@code dir} as one unit with extra or replaced report files (evaluation
     * results); the model, encoder and data files are copied unchanged and the manifest is renewed.
     *
     * @param dir   the bundle directory
     * @param extra writers by relative path; {@value #MANIFEST} cannot be replaced
     * @throws ModelFileException       if the current bundle does not load and verify
     * @throws IllegalArgumentException if a name is not allowed
     * @throws IOException              if a file cannot be read or written; the old bundle is then kept
     */
    public static void addFiles(Path dir, Map<String, FileWriter> extra) throws IOException {
        ModelBundle current = load(dir); // verifies what is copied
        for (String name : extra.keySet()) {
            checkName(name);
            if (name.equals(MANIFEST)) throw new IllegalArgumentException("cannot replace " + MANIFEST);
        }
        AtomicFiles.writeDirectory(dir, staged -> {
            for (String name : current.manifest.files().keySet()) {
                if (extra.containsKey(name)) continue;
                Path to = staged.resolve(name);
                Files.createDirectories(to.getParent());
                Files.copy(dir.resolve(name), to);
            }
            for (Map.Entry<String, FileWriter> e : extra.entrySet()) {
                Path f = staged.resolve(e.getKey());
                Files.createDirectories(f.getParent());
                e.getValue().write(f);
            }
            writeManifest(staged, current.manifest.provenance());
        });
    }

    private static void checkName(String name) {
        Path p = Path.of(name);
        if (name.isBlank() || p.isAbsolute() || name.contains("..") || name.contains("\\") || name.equals(MANIFEST)) {
            throw new IllegalArgumentException("bundle file name must be a relative path inside the bundle, got '" + name + "'");
        }
    }

    private static void writeManifest(Path staged, Map<String, Object> provenance) throws IOException {
        Map<String, String> digests = new TreeMap<>();
        try (Stream<Path> s = Files.walk(staged)) {
            for (Path f : (Iterable<Path>) s.filter(Files::isRegularFile)::iterator) {
                String rel = staged.relativize(f).toString().replace('\\', '/');
                if (!rel.equals(MANIFEST)) digests.put(rel, Digests.sha256(f));
            }
        }
        Manifest m = new Manifest(FORMAT, FORMAT_VERSION, AutoIntVersion.VERSION, Instant.now().toString(),
                new LinkedHashMap<>(provenance), digests);
        AtomicFiles.writeBytes(staged.resolve(MANIFEST), JSON.writeValueAsBytes(m));
    }

    private static void writeInteractions(Path file, String prefix, Interactions in, float[] targets, EncodedDataset rows)
            throws IOException {
        int n = in.size();
        int[] u = new int[n], it = new int[n];
        float[] l = new float[n];
        long[] ts = new long[n];
        for (int i = 0; i < n; i++) {
            u[i] = in.user(i);
            it[i] = in.item(i);
            l[i] = in.label(i);
            ts[i] = in.timestamp(i);
        }
        List<Safetensors.Tensor> t = new ArrayList<>();
        t.add(Safetensors.Tensor.vector(prefix + ".user", u));
        t.add(Safetensors.Tensor.vector(prefix + ".item", it));
        t.add(Safetensors.Tensor.vector(prefix + ".label", l));
        t.add(Safetensors.Tensor.vector(prefix + ".timestamp", ts));
        if (targets != null) t.add(Safetensors.Tensor.vector(prefix + ".target", targets));
        if (rows != null) t.addAll(DatasetFiles.tensors(prefix + ".rows", rows));
        Safetensors.write(file, t, Map.of("format", FORMAT));
    }

    // ------------------------------------------------------------------ reading

    /**
     * Whether {@code dir} looks like a bundle (has {@value #MANIFEST}); nothing is verified.
     *
     * @param dir a directory
     * @return true when the manifest file exists
     */
    public static boolean isBundle(Path dir) {
        return Files.isRegularFile(dir.resolve(MANIFEST));
    }

    /**
     * Loads and verifies a bundle. Leftovers of a killed write beside {@code dir} are resolved first.
     * Every file the manifest lists must exist with its recorded SHA-256, and no other file may be present;
     * the model's fields must equal the encoder's.
     *
     * @param dir the bundle directory
     * @return the bundle
     * @throws ModelFileException naming the file (and the tensor, for weights), if anything is missing, altered,
     *                            extra or inconsistent
     * @throws IOException        if a file cannot be read
     */
    public static ModelBundle load(Path dir) throws IOException {
        AtomicFiles.recoverDirectory(dir);
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new ModelFileException(dir, "is a file, not a bundle directory");
        }
        if (!Files.isDirectory(dir)) throw new NoSuchFileException(dir.toString(), null, "no such bundle directory");
        Path mf = dir.resolve(MANIFEST);
        if (!Files.isRegularFile(mf)) {
            throw new ModelFileException(mf, "no such file: " + dir + " is not a model bundle"
                    + (Files.isRegularFile(dir.resolve(ModelFiles.MANIFEST)) ? " (it holds a bare model; retrain to make a bundle)" : ""));
        }
        Manifest m;
        try {
            m = JSON.readValue(mf.toFile(), Manifest.class);
        } catch (IOException e) {
            throw new ModelFileException(mf, "not a valid bundle manifest: " + e.getMessage(), e);
        }
        if (m == null || !FORMAT.equals(m.format())) throw new ModelFileException(mf, "not an autoint-java bundle manifest");
        if (m.formatVersion() != FORMAT_VERSION) {
            throw new ModelFileException(mf, "format version " + m.formatVersion() + " is not supported (this library reads " + FORMAT_VERSION + ")");
        }
        if (m.files() == null || m.files().isEmpty()) throw new ModelFileException(mf, "lists no files");
        verify(dir, m);
        ModelFiles.Loaded loaded = ModelFiles.load(dir);
        FeatureEncoder encoder = FeatureEncoder.load(dir);
        if (!encoder.fieldSpecs().equals(loaded.model().fields())) {
            throw new ModelFileException(dir.resolve(FeatureEncoder.FILE), "the encoder's fields " + encoder.fieldSpecs()
                    + " differ from the model's " + loaded.model().fields());
        }
        Interactions train = null;
        float[] targets = null;
        if (m.files().containsKey(INTERACTIONS)) {
            Path f = dir.resolve(INTERACTIONS);
            Safetensors.Contents c = Safetensors.read(f);
            train = interactions(f, c, "train");
            Safetensors.Tensor t = c.get("train.target");
            targets = t == null ? null : t.values();
        }
        HeldOut held = null;
        if (m.files().containsKey(HELD_OUT)) {
            Path f = dir.resolve(HELD_OUT);
            Safetensors.Contents c = Safetensors.read(f);
            held = new HeldOut(DatasetFiles.dataset(f, c, "heldout.rows", loaded.model().fields()), interactions(f, c, "heldout"));
        }
        return new ModelBundle(dir, m, loaded.model(), loaded.manifest(), encoder, train, targets, held);
    }

    private static void verify(Path dir, Manifest m) throws IOException {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, String> e : m.files().entrySet()) {
            Path f = dir.resolve(e.getKey()).normalize();
            if (!f.startsWith(dir.normalize())) {
                problems.add(e.getKey() + ": outside the bundle");
            } else if (!Files.isRegularFile(f)) {
                problems.add(e.getKey() + ": missing");
            } else {
                String actual = Digests.sha256(f);
                if (!actual.equals(e.getValue())) {
                    problems.add(e.getKey() + ": SHA-256 " + actual + " differs from the manifest's " + e.getValue()
                            + " (the file was changed or replaced after the bundle was written)");
                }
            }
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path f : (Iterable<Path>) s.filter(Files::isRegularFile)::iterator) {
                String rel = dir.relativize(f).toString().replace('\\', '/');
                if (!rel.equals(MANIFEST) && !m.files().containsKey(rel)) problems.add(rel + ": not listed in the manifest");
            }
        }
        if (!problems.isEmpty()) {
            throw new ModelFileException(dir.resolve(MANIFEST), "bundle verification failed: " + String.join("; ", problems));
        }
    }

    private static Interactions interactions(Path file, Safetensors.Contents c, String prefix) throws ModelFileException {
        try {
            int[] u = need(file, c, prefix + ".user").ints();
            int[] it = need(file, c, prefix + ".item").ints();
            float[] l = need(file, c, prefix + ".label").values();
            long[] ts = need(file, c, prefix + ".timestamp").longs();
            return Interactions.of(u, it, l, ts);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new ModelFileException(file, prefix + " interactions: " + e.getMessage(), e);
        }
    }

    private static Safetensors.Tensor need(Path file, Safetensors.Contents c, String name) throws ModelFileException {
        Safetensors.Tensor t = c.get(name);
        if (t == null) throw new ModelFileException(file, "missing column '" + name + "'");
        return t;
    }

    /**
     * Files of the bundle (relative path → SHA-256), as the manifest lists them.
     *
     * @return an unmodifiable map
     */
    public Map<String, String> files() {
        return Collections.unmodifiableMap(manifest.files());
    }
}
