package dev.autoint.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.autoint.core.data.EncodedDataset;
import dev.autoint.core.data.FieldSpec;
import dev.autoint.core.io.ModelFiles;
import dev.autoint.core.model.AutoIntModel;
import dev.autoint.core.model.Parameters;
import dev.autoint.core.model.TensorInfo;
import dev.autoint.core.model.TensorRole;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The ONNX Runtime peer: the seed configuration exported from PyTorch ({@code tools/export_onnx.py}) and run by
 * ONNX Runtime Java, with the same weights as a library model, so the two runtimes can be compared on equal terms.
 *
 * <p>A peer directory holds {@value #MODEL} (a library model, {@link ModelFiles}), {@value #ONNX} and
 * {@value #REFERENCE} (rows and PyTorch's probabilities for them), both written by the export script from
 * that model. Usage:
 * <pre>
 * java -cp autoint-bench/target/benchmarks.jar dev.autoint.bench.OnnxPeer save DIR    # DIR/model
 * /usr/bin/python3 tools/export_onnx.py DIR/model DIR                                 # DIR/*.onnx, reference
 * java --add-modules jdk.incubator.vector -cp ... dev.autoint.bench.OnnxPeer check DIR
 * </pre>
 * {@code check} prints the largest probability differences between ONNX Runtime, PyTorch and the library on the
 * reference rows, writes them to {@value #AGREEMENT}, and exits with status 1 when one exceeds
 * {@link #TOLERANCE}. {@code tools/bench_peers.sh} runs all three, then {@link OnnxPeerBenchmark}.
 */
public final class OnnxPeer {

    /** The library model's subdirectory of a peer directory. */
    public static final String MODEL = "model";
    /** The exported model's file name in a peer directory. */
    public static final String ONNX = "autoint_plus.onnx";
    /** The reference rows' file name in a peer directory. */
    public static final String REFERENCE = "reference.json";
    /** Where {@code check} writes its {@link Agreement} as JSON, for tools/peers_table.py. */
    public static final String AGREEMENT = "agreement.json";
    /** What the reference file's {@code format} says (tools/export_onnx.py). */
    static final String REFERENCE_FORMAT = "autoint-java onnx peer reference";
    static final int REFERENCE_VERSION = 1;

    /**
     * Largest difference of probabilities accepted between any two of the three runtimes. All compute in
     * float32 with different summation orders; the measured differences are about 2e-7, fifty times smaller.
     */
    public static final double TOLERANCE = 1e-5;

    /** Seed of the peer model's embedding and linear tables. */
    static final long WEIGHT_SEED = 16;
    /**
     * Standard deviation of the peer model's embedding and linear tables. The seeds' initialisation (0.01) leaves
     * every probability within a hair of the output bias's; at 0.5 the logits spread over several units, so the
     * comparison covers the whole sigmoid and attention that is far from uniform.
     */
    static final double TABLE_STD = 0.5;

    private OnnxPeer() {
    }

    /**
     * The seed configuration ({@link SeedSetup}) with its dense layers as initialised and its embedding and linear
     * tables (roles {@link TensorRole#EMBEDDING} and {@link TensorRole#FIRST_ORDER}) redrawn from
     * N(0, {@value #TABLE_STD}²), seed {@value #WEIGHT_SEED}.
     */
    public static AutoIntModel model() {
        AutoIntModel model = AutoIntModel.create(SeedSetup.config(), SeedSetup.fields());
        Parameters p = model.parameters();
        SplittableRandom rnd = new SplittableRandom(WEIGHT_SEED);
        for (TensorInfo t : p.tensors()) {
            if (t.role() != TensorRole.EMBEDDING && t.role() != TensorRole.FIRST_ORDER) continue;
            float[] v = new float[t.size()];
            for (int i = 0; i < v.length; i++) v[i] = (float) (TABLE_STD * rnd.nextGaussian());
            p.set(t.name(), v);
        }
        return model;
    }

    /** Saves {@link #model()} into {@code dir}/{@value #MODEL}. */
    public static Path save(Path dir) throws IOException {
        Path modelDir = dir.resolve(MODEL);
        ModelFiles.save(model(), modelDir, Map.of("purpose", "ONNX Runtime peer (tools/export_onnx.py)"));
        return modelDir;
    }

    /** ONNX Runtime's session options for the comparison: one thread inside an operator, one across operators. */
    static OrtSession.SessionOptions singleThreadOptions() throws OrtException {
        OrtSession.SessionOptions o = new OrtSession.SessionOptions();
        o.setIntraOpNumThreads(1);
        o.setInterOpNumThreads(1);
        o.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
        o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        return o;
    }

    /**
     * An ONNX Runtime session over the exported model and, per batch, an input tensor and an output tensor made
     * once, so a timed call does what a server that keeps its buffers does: one {@code run}, the probabilities
     * copied into the caller's array.
     */
    public static final class Runner implements AutoCloseable {
        private final OrtEnvironment env = OrtEnvironment.getEnvironment();
        private final OrtSession.SessionOptions options;
        private final OrtSession session;

        public Runner(Path onnx) throws OrtException {
            options = singleThreadOptions();
            session = env.createSession(onnx.toString(), options);
        }

        /** ONNX Runtime's version. */
        public String version() {
            return env.getVersion();
        }

        /** A batch of rows ready to run: the ids as an int64 (rows, fields) tensor, an output tensor bound to it. */
        public Batch batch(long[][] ids) throws OrtException {
            int rows = ids.length;
            int fields = rows == 0 ? 0 : ids[0].length;
            LongBuffer in = ByteBuffer.allocateDirect(Long.BYTES * rows * fields).order(ByteOrder.nativeOrder())
                    .asLongBuffer();
            for (long[] row : ids) in.put(row);
            in.rewind();
            FloatBuffer out = ByteBuffer.allocateDirect(Float.BYTES * rows).order(ByteOrder.nativeOrder())
                    .asFloatBuffer();
            return new Batch(rows, OnnxTensor.createTensor(env, in, new long[] {rows, fields}),
                    OnnxTensor.createTensor(env, out, new long[] {rows}), out);
        }

        /** Runs the model on a batch and copies its probabilities into {@code out[0 .. rows)}. */
        public void predict(Batch b, float[] out) throws OrtException {
            try (OrtSession.Result r = session.run(Map.of("ids", b.input), Map.of("probability", b.output))) {
                b.probabilities.get(0, out, 0, b.rows);
            }
        }

        @Override
        public void close() throws OrtException {
            session.close();
            options.close();
        }
    }

    /** Input and bound output tensors of one batch; {@code probabilities} is the output tensor's memory. */
    public record Batch(int rows, OnnxTensor input, OnnxTensor output, FloatBuffer probabilities)
            implements AutoCloseable {
        @Override
        public void close() {
            input.close();
            output.close();
        }
    }

    /** The ids of every row of a dataset of categorical fields, as ONNX input rows. */
    public static long[][] ids(EncodedDataset data) {
        long[][] ids = new long[data.size()][data.numFields()];
        for (int f = 0; f < data.numFields(); f++) {
            int[] column = data.idColumn(f);
            for (int r = 0; r < ids.length; r++) ids[r][f] = column[r];
        }
        return ids;
    }

    /** Rows of the seed fields from ids, unlabelled (label 0). */
    static EncodedDataset rows(long[][] ids) {
        List<FieldSpec> fields = SeedSetup.fields();
        EncodedDataset.Builder b = EncodedDataset.builder(fields, ids.length);
        for (long[] row : ids) {
            if (row.length != fields.size()) {
                throw new IllegalArgumentException("a row has " + row.length + " ids, the seed fields are " + fields.size());
            }
            for (int f = 0; f < row.length; f++) b.categorical(f, Math.toIntExact(row[f]));
            b.endRow(0f);
        }
        return b.build();
    }

    /** The reference rows and PyTorch's probabilities, as tools/export_onnx.py wrote them. */
    record Reference(String torchVersion, int opset, long[][] ids, float[] probabilities) {

        static Reference read(Path file) throws IOException {
            JsonNode n = new ObjectMapper().readTree(Files.readAllBytes(file));
            if (!REFERENCE_FORMAT.equals(n.path("format").asText()) || n.path("version").asInt() != REFERENCE_VERSION) {
                throw new IOException(file + " is not a version " + REFERENCE_VERSION + " '" + REFERENCE_FORMAT + "' file");
            }
            List<String> names = List.of(SeedSetup.NAMES);
            for (int f = 0; f < names.size(); f++) {
                if (!names.get(f).equals(n.path("fields").path(f).asText()) || n.path("fields").size() != names.size()) {
                    throw new IOException(file + ": fields " + n.path("fields") + " are not the seed fields " + names);
                }
            }
            JsonNode rows = n.path("ids");
            JsonNode p = n.path("probabilities");
            if (rows.size() != p.size() || rows.size() == 0) {
                throw new IOException(file + ": " + rows.size() + " rows but " + p.size() + " probabilities");
            }
            long[][] ids = new long[rows.size()][names.size()];
            float[] probabilities = new float[p.size()];
            for (int r = 0; r < ids.length; r++) {
                for (int f = 0; f < names.size(); f++) ids[r][f] = rows.path(r).path(f).asLong();
                probabilities[r] = (float) p.path(r).asDouble();
            }
            return new Reference(n.path("torch").asText(), n.path("opset").asInt(), ids, probabilities);
        }
    }

    /**
     * How closely the three runtimes agree on the reference rows.
     *
     * @param rows             reference rows compared
     * @param ortVsLibrary     max |p_ort − p_library|
     * @param ortVsTorch       max |p_ort − p_torch|
     * @param libraryVsTorch   max |p_library − p_torch|
     * @param minProbability   smallest probability PyTorch gave (shows the rows cover the sigmoid's range)
     * @param maxProbability   largest probability PyTorch gave
     * @param ortVersion       ONNX Runtime's version
     * @param torchVersion     the PyTorch that exported the model and computed the reference
     * @param opset            the ONNX opset of the export
     */
    public record Agreement(int rows, double ortVsLibrary, double ortVsTorch, double libraryVsTorch,
                            double minProbability, double maxProbability, String ortVersion, String torchVersion,
                            int opset) {

        /** The largest of the three differences. */
        public double max() {
            return Math.max(ortVsLibrary, Math.max(ortVsTorch, libraryVsTorch));
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%d reference rows (PyTorch probabilities %.4f .. %.4f): "
                            + "max |p_ort - p_library| = %.3g, max |p_ort - p_torch| = %.3g, max |p_library - p_torch| = %.3g "
                            + "(tolerance %.0e; ONNX Runtime %s, PyTorch %s, opset %d)", rows, minProbability, maxProbability,
                    ortVsLibrary, ortVsTorch, libraryVsTorch, TOLERANCE, ortVersion, torchVersion, opset);
        }
    }

    /**
     * Scores the reference rows with ONNX Runtime (the exported model) and the library (the saved model), and
     * measures how far apart they and PyTorch's probabilities are.
     */
    public static Agreement check(Path dir) throws IOException, OrtException {
        Reference ref = Reference.read(dir.resolve(REFERENCE));
        AutoIntModel model = ModelFiles.load(dir.resolve(MODEL)).model();
        int n = ref.ids().length;
        float[] library = new float[n];
        model.predictor().predict(rows(ref.ids()), null, 0, n, library, 0, true);
        float[] ort = new float[n];
        String ortVersion;
        try (Runner runner = new Runner(dir.resolve(ONNX)); Batch b = runner.batch(ref.ids())) {
            runner.predict(b, ort);
            ortVersion = runner.version();
        }
        float[] torch = ref.probabilities();
        double ol = 0, ot = 0, lt = 0, min = 1, max = 0;
        for (int i = 0; i < n; i++) {
            ol = Math.max(ol, Math.abs((double) ort[i] - library[i]));
            ot = Math.max(ot, Math.abs((double) ort[i] - torch[i]));
            lt = Math.max(lt, Math.abs((double) library[i] - torch[i]));
            min = Math.min(min, torch[i]);
            max = Math.max(max, torch[i]);
        }
        return new Agreement(n, ol, ot, lt, min, max, ortVersion, ref.torchVersion(), ref.opset());
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2 || !(args[0].equals("save") || args[0].equals("check"))) {
            System.err.println("usage: OnnxPeer save DIR | OnnxPeer check DIR");
            System.exit(2);
        }
        Path dir = Path.of(args[1]);
        if (args[0].equals("save")) {
            System.out.println("OnnxPeer: saved the peer model to " + save(dir));
            return;
        }
        Agreement a = check(dir);
        new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(dir.resolve(AGREEMENT).toFile(), a);
        System.out.println("OnnxPeer check: " + a);
        if (!(a.max() <= TOLERANCE)) {
            System.out.println("OnnxPeer check: FAILED, a difference exceeds " + TOLERANCE);
            System.exit(1);
        }
        System.out.println("OnnxPeer check: OK");
    }
}
