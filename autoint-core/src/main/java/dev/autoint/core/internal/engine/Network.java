package dev.autoint.core.internal.engine;

import dev.autoint.core.data.EncodedDataset;
import dev.autoint.core.data.FieldSpec;
import dev.autoint.core.internal.kernel.Kernels;
import dev.autoint.core.model.AutoIntConfig;
import dev.autoint.core.model.AutoIntModel;
import dev.autoint.core.model.Interaction;
import dev.autoint.core.model.Loss;
import dev.autoint.core.model.PairwiseLoss;
import dev.autoint.core.model.Parameters;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The layers of an {@link AutoIntModel} and its forward and backward passes over chunks of encoded rows.
 *
 * <pre>
 *   e_f            field embeddings                                 (EmbeddingLayer)
 *   x_{l+1}        = InteractingLayer_l(x_l), x_0 = e                (InteractingLayer)
 *   h              = DNN(flatten(e)) for AutoInt+                    (DenseLayer × len(dnnHidden))
 *   logit          = w_oᵀ [flatten(x_L) ; h] + b + Σ_f w_f[id_f]     (output; linear term optional)
 * </pre>
 * The exact equations and how they map to the paper, DeepCTR and FuxiCTR are in {@code docs/MODEL.md}.
 * The other models of the family (FM, DeepFM, DCN-v2, xDeepFM) replace the interacting layers with a
 * {@link FamilyPath} and share everything else.
 *
 * <p>Internal: the public face is {@link AutoIntModel}; the trainer, the predictor and the Spark workers reach
 * the network of a model through {@link #of(AutoIntModel)}. A network holds no mutable state besides the
 * model's parameter values; passes use a caller-owned {@link Workspace} (one per thread) and write gradients
 * into a caller-owned {@link Gradients}, so several threads may run passes at once while nothing updates the
 * parameters.
 *
 * <p>Scoring (an inference workspace) first marks the fields whose input is the same in every row of the chunk,
 * as in one user's candidate rows; the embedding layer, the first interacting layer's projections and the
 * linear term compute those once per chunk, with the per-row path's arithmetic, so scores are bitwise the same.
 */
public final class Network {

    /**
     * Samples per chunk of training (the trainer and the Spark workers), and of scoring when neither
     * {@code -Dautoint.chunk} nor the cache size decides (see {@link #chunkSize()}). Training keeps this fixed
     * value on every machine: a chunk's gradients are summed in chunk order, so another chunk size would change
     * the trained weights in the last bits, and a run must reproduce anywhere from its seed.
     */
    public static final int DEFAULT_CHUNK = Integer.getInteger("autoint.chunk", 128);

    /** {@code -Dautoint.chunk}, or 0 when unset: forces every model's chunk size. */
    private static final int FORCED_CHUNK = Integer.getInteger("autoint.chunk", 0);

    /** The per-core L2 size in bytes from {@code /sys}, or 0 where it cannot be read (not Linux). */
    static final long L2_BYTES = readL2Bytes();

    private static volatile Function<AutoIntModel, Network> access;

    /**
     * Called once by {@link AutoIntModel}'s static initialiser: the only way to a model's network, so that the
     * exported model class need not expose it.
     */
    public static void install(Function<AutoIntModel, Network> accessor) {
        if (access != null) throw new IllegalStateException("the network accessor is already installed");
        access = Objects.requireNonNull(accessor);
    }

    /** The network that computes {@code model}. */
    public static Network of(AutoIntModel model) {
        Objects.requireNonNull(model, "model");
        return access.apply(model); // set: an AutoIntModel instance exists, so its class is initialised
    }

    private final AutoIntConfig config;
    private final List<FieldSpec> fields;
    private final Parameters params;
    private final float[] weights; // params' live values
    private final Kernels kr;
    private final EmbeddingLayer embedding;
    private final LinearTerm linear;
    private final InteractingLayer[] attention;
    private final DenseLayer[] dnn;
    private final FamilyPath family; // null for AutoInt, whose interaction is the attention layers
    private final int outWeight;
    private final int outBias;
    private final int outAttWidth; // F·A (or F·D without interacting layers); the family's interactionOutputWidth
    private final int outFields; // fields the output's interaction part is grouped in (F, or 1 for CIN's p)
    private final int dnnLast; // units of the last DNN layer, 0 for AutoInt
    private final int chunk; // samples per chunk, see chunkSize()

    /**
     * The layers of a model over {@code params}, whose tensors {@link AutoIntModel} laid out; each layer finds
     * its tensors by name.
     */
    public Network(AutoIntConfig config, List<FieldSpec> fields, Parameters params) {
        this.config = config;
        this.fields = fields;
        this.params = params;
        this.weights = ParameterAccess.data(params);
        this.kr = Kernels.get();
        int nf = fields.size();
        int d = config.embeddingSize();
        int a = config.attentionSize();
        int[] embOff = new int[nf];
        int[] embIdx = new int[nf];
        for (int f = 0; f < nf; f++) {
            embIdx[f] = params.tensors().indexOf(params.tensor("embedding." + fields.get(f).name()));
            embOff[f] = params.tensor("embedding." + fields.get(f).name()).offset();
        }
        this.embedding = new EmbeddingLayer(kr, fields, embOff, embIdx, d);
        if (config.linearTerm()) {
            int[] linOff = new int[nf];
            int[] linIdx = new int[nf];
            for (int f = 0; f < nf; f++) {
                linIdx[f] = params.tensors().indexOf(params.tensor("linear." + fields.get(f).name()));
                linOff[f] = params.tensor("linear." + fields.get(f).name()).offset();
            }
            this.linear = new LinearTerm(fields, linOff, linIdx);
        } else {
            this.linear = null;
        }
        this.attention = new InteractingLayer[config.layers()];
        for (int l = 0; l < config.layers(); l++) {
            int din = l == 0 ? d : a;
            attention[l] = new InteractingLayer(kr, l, nf, din, config, params.tensor("attention." + l + ".wq").offset());
        }
        this.dnn = new DenseLayer[config.dnnHidden().size()];
        int in = nf * d;
        for (int i = 0; i < dnn.length; i++) {
            int u = config.dnnHidden().get(i);
            dnn[i] = new DenseLayer(kr, i, in, u, params.tensor("dnn." + i + ".weight").offset(),
                    params.tensor("dnn." + i + ".bias").offset(), config.dropout(), i == 0 ? nf : 0, d);
            in = u;
        }
        this.family = config.interaction() instanceof Interaction.Attention ? null : new FamilyPath(kr, config, nf, params);
        this.outAttWidth = interactionOutputWidth(config, nf);
        this.outFields = family != null ? family.outputFields() : nf;
        this.dnnLast = dnn.length > 0 ? dnn[dnn.length - 1].units() : 0;
        this.outWeight = outAttWidth + dnnLast > 0 ? params.tensor("output.weight").offset() : -1; // FM alone has none
        this.outBias = params.tensor("output.bias").offset();
        this.chunk = FORCED_CHUNK > 0 ? FORCED_CHUNK : chunkFor(4 * inferenceFloatsPerSample(), L2_BYTES);
    }

    /**
     * Samples per chunk for scoring with this model (the predictor): {@code -Dautoint.chunk} when set, else
     * the largest power of two in [32, 256] whose inference workspace fits in the core's L2 cache as
     * {@code /sys} reports it ({@link #DEFAULT_CHUNK} where it cannot be read). A chunk's activations are then
     * produced and consumed in L2; measured on a 2 MiB-L2 Xeon with the seed model (12 KB per sample): 64 →
     * 409k rows/s, 128 → 422k, 256 → 370k, 512 → 328k (docs/PERFORMANCE.md), and the rule picks 128 there and
     * 64 on a 1 MiB-L2 Zen 4. A row's score does not depend on the chunk it is scored in (each lane of every
     * product is the same chain of operations), so this choice never changes a result.
     */
    public int chunkSize() {
        return chunk;
    }

    /** The rule of {@link #chunkSize()}: bytes of inference workspace per sample against the L2 size. */
    static int chunkFor(long bytesPerSample, long l2Bytes) {
        if (l2Bytes <= 0) return DEFAULT_CHUNK;
        int c = 256;
        while (c > 32 && c * bytesPerSample > l2Bytes) c /= 2;
        return c;
    }

    /** Floats per sample of an inference workspace (the buffers a forward pass streams through). */
    private long inferenceFloatsPerSample() {
        long f = fields.size();
        long total = f * config.embeddingSize(); // embeddings
        if (config.layers() > 0) {
            total += f * projectionRows(); // one projection buffer shared by the layers
            total += config.layers() * (config.heads() * f * f + f * config.attentionSize()); // probabilities, outputs
        }
        for (int u : config.dnnHidden()) total += u;
        return total + 3; // linear term, logits
    }

    private static long readL2Bytes() {
        java.nio.file.Path dir = java.nio.file.Path.of("/sys/devices/system/cpu/cpu0/cache");
        try (var entries = java.nio.file.Files.list(dir)) {
            for (java.nio.file.Path index : (Iterable<java.nio.file.Path>) entries::iterator) {
                if (!index.getFileName().toString().startsWith("index")) continue;
                String level = java.nio.file.Files.readString(index.resolve("level")).trim();
                String type = java.nio.file.Files.readString(index.resolve("type")).trim();
                if (!level.equals("2") || type.equals("Instruction")) continue;
                String size = java.nio.file.Files.readString(index.resolve("size")).trim(); // e.g. "2048K"
                long unit = size.endsWith("K") ? 1024 : size.endsWith("M") ? 1024 * 1024 : 1;
                return Long.parseLong(size.replaceAll("[^0-9]", "")) * unit;
            }
        } catch (java.io.IOException | RuntimeException e) {
            return 0; // no /sys (another OS, a sandbox): the default chunk
        }
        return 0;
    }

    /**
     * Width of the output layer's interaction part (before the DNN's {@code U_last} columns): F·A for AutoInt
     * (F·D without interacting layers), 0 for FM and a stacked cross network, F·D for a parallel cross network,
     * the pooled width for CIN.
     */
    public static int interactionOutputWidth(AutoIntConfig config, int fields) {
        Interaction it = config.interaction();
        if (it instanceof Interaction.Attention) return fields * (config.layers() > 0 ? config.attentionSize() : config.embeddingSize());
        if (it instanceof Interaction.CrossNetwork c) return c.stacked() ? 0 : fields * config.embeddingSize();
        if (it instanceof Interaction.Cin c) return c.outputWidth();
        return 0;
    }

    /** The interaction path of a model that is not AutoInt, or null. */
    FamilyPath family() {
        return family;
    }

    /** Width of the output layer's interaction part; see {@link #interactionOutputWidth(AutoIntConfig, int)}. */
    int interactionOutputWidth() {
        return outAttWidth;
    }

    /** The model's configuration. */
    public AutoIntConfig config() {
        return config;
    }

    /** The model's fields, in input order. */
    public List<FieldSpec> fields() {
        return fields;
    }

    /** The parameters the passes read (and, through {@link Gradients}, whose layout the gradients share). */
    public Parameters parameters() {
        return params;
    }

    /** Rows of an interacting layer's stacked projection: 3A, or 4A with the residual. */
    public int projectionRows() {
        return (config.residual() ? 4 : 3) * config.attentionSize();
    }

    /** Forward FLOP per row (multiply and add counted separately), for throughput reports. */
    public long forwardFlopsPerRow() {
        long nf = fields.size();
        long d = config.embeddingSize();
        long a = config.attentionSize();
        long total = 0;
        for (int l = 0; l < config.layers(); l++) {
            long din = l == 0 ? d : a;
            total += 2 * nf * projectionRows() * din; // projections
            total += 2L * 2 * config.heads() * nf * nf * config.headSize(); // scores and P·V
        }
        long in = nf * d;
        for (int u : config.dnnHidden()) {
            total += 2 * in * u;
            in = u;
        }
        total += 2L * (outAttWidth + dnnLast);
        if (family != null) total += family.flopsPerRow();
        return total;
    }

    /** A workspace for forward and backward passes over chunks of up to {@code capacity} samples. */
    public Workspace newWorkspace(int capacity) {
        return new Workspace(this, capacity, false);
    }

    /**
     * A smaller workspace for scoring only: the interacting layers share one projection buffer, so a chunk
     * touches less memory. {@link #backward} refuses it.
     */
    public Workspace newInferenceWorkspace(int capacity) {
        return new Workspace(this, capacity, true);
    }

    /** Throws IllegalArgumentException unless {@code data} has exactly the model's fields. */
    public void checkData(EncodedDataset data) {
        if (!data.fields().equals(fields)) {
            throw new IllegalArgumentException("the dataset's fields " + data.fields()
                    + " do not match the model's fields " + fields);
        }
    }

    /**
     * Forward pass over {@code n} samples: rows {@code rows[from .. from+n)} of {@code data}, or rows
     * {@code from .. from+n} when {@code rows} is null. Logits land in the workspace.
     *
     * @param training     apply dropout
     * @param dropoutKey   mixes into the dropout masks (the trainer passes a function of seed and step)
     * @param positionBase position of the chunk's first sample in its batch (keeps masks thread-independent)
     */
    public void forward(Workspace ws, EncodedDataset data, int[] rows, int from, int n, boolean training,
                        long dropoutKey, int positionBase) {
        if (ws.network != this) throw new IllegalArgumentException("the workspace belongs to another model");
        if (n <= 0 || n > ws.capacity) {
            throw new IllegalArgumentException("chunk of " + n + " samples outside [1, " + ws.capacity + "]");
        }
        checkData(data);
        ws.realign(); // every lane-layout buffer is written afresh below, so each may start where it is aligned now
        ws.n = n;
        ws.nPad = (n + 15) & ~15;
        final float[] w = weights;
        final int nPad = ws.nPad, ld = ws.ld;
        long t = StepProfile.start();
        // Scoring one user's candidates: fields the same in every row are computed once (EmbeddingLayer.markShared).
        ws.sharedCount = ws.inferenceOnly ? embedding.markShared(ws, data, rows, from) : 0;
        embedding.forward(ws, w, data, rows, from);
        t = StepProfile.lap(StepProfile.Part.EMBED, t);
        float[] x = ws.e0;
        for (int l = 0; l < attention.length; l++) {
            attention[l].forward(ws, w, x);
            x = ws.out[l];
        }
        t = StepProfile.start();
        float[] h = ws.e0;
        if (family != null) { // FM, DCN-v2, xDeepFM; profiled with the DNN
            family.forward(ws, w);
            x = family.outputInput(ws);
            h = family.dnnInput(ws);
        }
        for (int i = 0; i < dnn.length; i++) {
            dnn[i].forward(ws, w, h, training, dropoutKey, positionBase);
            h = ws.hidden[i];
        }
        t = StepProfile.lap(StepProfile.Part.DNN, t);
        FeatureMajor.permute(w, outWeight, ws.outW, 1, outFields, outAttWidth / outFields);
        kr.mult(1, nPad, outAttWidth, ws.outW, 0, outAttWidth, x, ws.base(x), ld, ws.logits, 0, ld);
        if (dnnLast > 0) {
            kr.multAdd(1, nPad, dnnLast, w, outWeight + outAttWidth, dnnLast, h, ws.base(h), ld, ws.logits, 0, ld);
        }
        if (family != null) family.addToLogits(ws);
        float bias = w[outBias];
        if (linear != null) {
            linear.forward(ws, w, data, rows, from);
            for (int s = 0; s < nPad; s++) ws.logits[s] += bias + ws.linear[s];
        } else {
            for (int s = 0; s < nPad; s++) ws.logits[s] += bias;
        }
        StepProfile.lap(StepProfile.Part.OUTPUT, t);
    }

    /**
     * Loss and backward pass for the chunk of the last {@link #forward} on this workspace. The gradient of
     * {@code scale · Σ_s weight_s · loss(logit_s, label_s)} is added into {@code grads}.
     *
     * @return {@code Σ_s weight_s · loss(logit_s, label_s)} over the chunk (unscaled)
     */
    public double backward(Workspace ws, EncodedDataset data, int[] rows, int from, Loss loss, float scale,
                           Gradients grads) {
        if (ws.inferenceOnly) {
            throw new IllegalStateException("backward needs a workspace from newWorkspace, not newInferenceWorkspace");
        }
        final int n = ws.n, nPad = ws.nPad;
        final float[] w = weights;
        final float[] g = grads.data();
        final float[] labels = data.labelColumn();
        final float[] weights = data.weightColumn();
        long t = StepProfile.start();
        double total = 0;
        for (int s = 0; s < n; s++) {
            int r = EmbeddingLayer.row(rows, from, s);
            float wt = weights == null ? 1f : weights[r];
            float z = ws.logits[s];
            total += wt * loss.value(z, labels[r]);
            ws.dlogits[s] = (float) (scale * wt * loss.gradient(z, labels[r]));
        }
        Arrays.fill(ws.dlogits, n, nPad, 0f);
        StepProfile.lap(StepProfile.Part.LOSS, t);
        backwardFromLogits(ws, data, rows, from, grads, w, g);
        return total;
    }

    /**
     * Pairwise loss and backward pass for the chunks of the last {@link #forward} on {@code pos} (the positive
     * rows) and on {@code neg} (their sampled negatives, sample s of one paired with sample s of the other). With
     * {@code d_s = logit⁺_s − logit⁻_s}, the gradient of {@code scale · Σ_s weight_s · loss(d_s)} is added into
     * {@code grads}: {@code loss.gradient} goes into the positive's logit gradient and its negation into the
     * negative's, then each workspace runs the ordinary backward pass. {@code weight_s} is the positive row's.
     *
     * @return {@code Σ_s weight_s · loss(d_s)} over the chunk (unscaled)
     */
    public double backwardPairs(Workspace pos, EncodedDataset posData, int[] posRows, int posFrom,
                                Workspace neg, EncodedDataset negData, int[] negRows, int negFrom,
                                PairwiseLoss loss, float scale, Gradients grads) {
        if (pos.inferenceOnly || neg.inferenceOnly) {
            throw new IllegalStateException("backward needs workspaces from newWorkspace, not newInferenceWorkspace");
        }
        if (pos == neg) throw new IllegalArgumentException("the positive and negative chunks need two workspaces");
        if (pos.n != neg.n) {
            throw new IllegalArgumentException("paired chunks differ in size: " + pos.n + " positive, " + neg.n + " negative rows");
        }
        final int n = pos.n;
        final float[] rowWeights = posData.weightColumn();
        long t = StepProfile.start();
        double total = 0;
        for (int s = 0; s < n; s++) {
            int r = EmbeddingLayer.row(posRows, posFrom, s);
            float wt = rowWeights == null ? 1f : rowWeights[r];
            double zp = pos.logits[s], zn = neg.logits[s];
            total += wt * loss.value(zp, zn);
            double g = scale * wt * loss.gradient(zp, zn);
            pos.dlogits[s] = (float) g;
            neg.dlogits[s] = (float) -g;
        }
        Arrays.fill(pos.dlogits, n, pos.nPad, 0f);
        Arrays.fill(neg.dlogits, n, neg.nPad, 0f);
        StepProfile.lap(StepProfile.Part.LOSS, t);
        backwardFromLogits(pos, posData, posRows, posFrom, grads, weights, grads.data());
        backwardFromLogits(neg, negData, negRows, negFrom, grads, weights, grads.data());
        return total;
    }

    /** Backward from {@code ws.dlogits} (already set) into grads. */
    private void backwardFromLogits(Workspace ws, EncodedDataset data, int[] rows, int from, Gradients grads, float[] w,
                            float[] g) {
        final int n = ws.n, nPad = ws.nPad, ld = ws.ld;
        final int nf = fields.size();
        final int d = config.embeddingSize();
        final int a = config.attentionSize();
        long t = StepProfile.start();
        ws.zero(ws.de0, nf * d * ld);
        // Output layer.
        float db = 0f;
        for (int s = 0; s < n; s++) db += ws.dlogits[s];
        g[outBias] += db;
        float[] xLast = attention.length > 0 ? ws.out[attention.length - 1] : ws.e0;
        float[] dxLast = attention.length > 0 ? ws.dyA : ws.de0;
        if (attention.length > 0) ws.zero(dxLast, outAttWidth * ld);
        if (family != null) {
            xLast = family.outputInput(ws);
            dxLast = family.startBackward(ws);
        }
        Arrays.fill(ws.outG, 0f);
        kr.multAddTransB(1, outAttWidth, n, ws.dlogits, 0, ld, xLast, ws.base(xLast), ld, ws.outG, 0, outAttWidth);
        FeatureMajor.addBack(ws.outG, g, outWeight, 1, outFields, outAttWidth / outFields);
        kr.multAddTransA(outAttWidth, nPad, 1, ws.outW, 0, outAttWidth, ws.dlogits, 0, ld, dxLast, ws.base(dxLast), ld);
        t = StepProfile.lap(StepProfile.Part.OUTPUT_BACKWARD, t);
        // DNN branch, last layer first.
        if (dnnLast > 0) {
            float[] hLast = ws.hidden[dnn.length - 1];
            float[] dh = ws.dhA;
            float[] spare = ws.dhB;
            ws.zero(dh, dnnLast * ld);
            kr.multAddTransB(1, dnnLast, n, ws.dlogits, 0, ld, hLast, ws.base(hLast), ld, g, outWeight + outAttWidth, dnnLast);
            kr.multAddTransA(dnnLast, nPad, 1, w, outWeight + outAttWidth, dnnLast, ws.dlogits, 0, ld, dh, ws.base(dh), ld);
            for (int i = dnn.length - 1; i >= 0; i--) {
                float[] in = i == 0 ? (family != null ? family.dnnInput(ws) : ws.e0) : ws.hidden[i - 1];
                float[] dIn;
                if (i == 0) {
                    dIn = family != null ? family.dnnInputGradient(ws) : ws.de0;
                } else {
                    dIn = spare;
                    ws.zero(dIn, dnn[i - 1].units() * ld);
                }
                dnn[i].backward(ws, w, in, dh, dIn, g);
                spare = dh;
                dh = dIn;
            }
        }
        StepProfile.lap(StepProfile.Part.DNN_BACKWARD, t);
        if (family != null) family.backward(ws, w, g);
        // Interacting layers, last first.
        float[] dy = ws.dyA;
        float[] spare = ws.dyB;
        for (int l = attention.length - 1; l >= 0; l--) {
            float[] x = l == 0 ? ws.e0 : ws.out[l - 1];
            float[] dx;
            if (l == 0) {
                dx = ws.de0;
            } else {
                dx = spare;
                ws.zero(dx, nf * a * ld);
            }
            attention[l].backward(ws, w, x, dy, dx, g);
            spare = dy;
            dy = dx;
        }
        t = StepProfile.start();
        if (linear != null) linear.backward(ws, data, rows, from, grads);
        embedding.backward(ws, data, rows, from, grads);
        StepProfile.lap(StepProfile.Part.EMBED_BACKWARD, t);
    }

    /** Attention probabilities of sample s of the last forward pass: [layer][head][i][j]. */
    public float[][][][] attentionOf(Workspace ws, int s) {
        int nf = fields.size();
        int h = config.heads();
        float[][][][] out = new float[attention.length][h][nf][nf];
        for (int l = 0; l < attention.length; l++) {
            final int ab = ws.base(ws.attn[l]);
            for (int hh = 0; hh < h; hh++) {
                for (int i = 0; i < nf; i++) {
                    for (int j = 0; j < nf; j++) {
                        out[l][hh][i][j] = ws.attn[l][ab + ((hh * nf + i) * nf + j) * ws.ld + s];
                    }
                }
            }
        }
        return out;
    }
}
