package dev.autoint.core.model;

import dev.autoint.core.data.EncodedDataset;
import dev.autoint.core.data.FieldKind;
import dev.autoint.core.data.FieldSpec;
import dev.autoint.core.kernel.Kernels;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * An AutoInt (or, with DNN units, AutoInt+) model over a fixed list of fields: its configuration, its
 * parameters and the layers that run forward and backward over chunks of encoded rows.
 *
 * <pre>
 *   e_f            field embeddings                                 (EmbeddingLayer)
 *   x_{l+1}        = InteractingLayer_l(x_l), x_0 = e                (InteractingLayer)
 *   h              = DNN(flatten(e)) for AutoInt+                    (DenseLayer × len(dnnHidden))
 *   logit          = w_oᵀ [flatten(x_L) ; h] + b + Σ_f w_f[id_f]     (output; linear term optional)
 * </pre>
 * The exact equations and how they map to the paper, DeepCTR and FuxiCTR are in {@code docs/MODEL.md}.
 *
 * <p>The model itself is immutable apart from its parameter values. Forward and backward passes use a
 * caller-owned {@link Workspace} (one per thread) and write gradients into a caller-owned
 * {@link Gradients}; several threads may run passes on one model at once while nothing updates it.
 */
public final class AutoIntModel {

    /** Samples per chunk used by {@link Predictor} and the trainer: small enough for L2, wide enough for SIMD. */
    public static final int DEFAULT_CHUNK = Integer.getInteger("autoint.chunk", 128);

    private final AutoIntConfig config;
    private final List<FieldSpec> fields;
    private final Parameters params;
    private final Kernels kr;
    private final EmbeddingLayer embedding;
    private final LinearTerm linear;
    private final InteractingLayer[] attention;
    private final DenseLayer[] dnn;
    private final int outWeight;
    private final int outBias;
    private final int outAttWidth; // F·A (or F·D without interacting layers)
    private final int dnnLast; // units of the last DNN layer, 0 for AutoInt

    private AutoIntModel(AutoIntConfig config, List<FieldSpec> fields) {
        this.config = Objects.requireNonNull(config, "config");
        this.fields = List.copyOf(Objects.requireNonNull(fields, "fields"));
        if (this.fields.isEmpty()) throw new IllegalArgumentException("a model needs at least one field");
        if (this.fields.stream().map(FieldSpec::name).distinct().count() != this.fields.size()) {
            throw new IllegalArgumentException("field names must be unique: " + this.fields);
        }
        this.kr = Kernels.get();
        int nf = this.fields.size();
        int d = config.embeddingSize();
        int a = config.attentionSize();
        Parameters.Builder b = new Parameters.Builder();
        int[] embOff = new int[nf];
        int[] embIdx = new int[nf];
        for (int f = 0; f < nf; f++) {
            FieldSpec fs = this.fields.get(f);
            embIdx[f] = f;
            embOff[f] = b.add("embedding." + fs.name(), fs.kind() != FieldKind.NUMERIC, fs.vocabularySize(), d).offset();
        }
        this.embedding = new EmbeddingLayer(this.fields, embOff, embIdx, d);
        if (config.linearTerm()) {
            int[] linOff = new int[nf];
            int[] linIdx = new int[nf];
            for (int f = 0; f < nf; f++) {
                FieldSpec fs = this.fields.get(f);
                linIdx[f] = nf + f;
                linOff[f] = b.add("linear." + fs.name(), fs.kind() != FieldKind.NUMERIC, fs.vocabularySize(), 1).offset();
            }
            this.linear = new LinearTerm(this.fields, linOff, linIdx);
        } else {
            this.linear = null;
        }
        this.attention = new InteractingLayer[config.layers()];
        for (int l = 0; l < config.layers(); l++) {
            int din = l == 0 ? d : a;
            int wq = b.add("attention." + l + ".wq", false, a, din).offset();
            b.add("attention." + l + ".wk", false, a, din);
            b.add("attention." + l + ".wv", false, a, din);
            if (config.residual()) b.add("attention." + l + ".wres", false, a, din);
            attention[l] = new InteractingLayer(kr, l, nf, din, config, wq);
        }
        this.dnn = new DenseLayer[config.dnnHidden().size()];
        int in = nf * d;
        for (int i = 0; i < dnn.length; i++) {
            int u = config.dnnHidden().get(i);
            int w = b.add("dnn." + i + ".weight", false, u, in).offset();
            int bias = b.add("dnn." + i + ".bias", false, u).offset();
            dnn[i] = new DenseLayer(kr, i, in, u, w, bias, config.dropout(), i == 0 ? nf : 0, d);
            in = u;
        }
        this.outAttWidth = nf * (config.layers() > 0 ? a : d);
        this.dnnLast = dnn.length > 0 ? dnn[dnn.length - 1].units() : 0;
        this.outWeight = b.add("output.weight", false, 1, outAttWidth + dnnLast).offset();
        this.outBias = b.add("output.bias", false, 1).offset();
        this.params = b.build();
    }

    /** A new model with freshly initialised parameters (seeded by {@link AutoIntConfig#seed()}). */
    public static AutoIntModel create(AutoIntConfig config, List<FieldSpec> fields) {
        AutoIntModel m = new AutoIntModel(config, fields);
        m.initialise();
        return m;
    }

    private void initialise() {
        SplittableRandom rnd = new SplittableRandom(config.seed());
        float[] w = params.data();
        for (TensorInfo t : params.tensors()) {
            String name = t.name();
            if (name.startsWith("embedding.")) {
                for (int i = 0; i < t.size(); i++) w[t.offset() + i] = (float) (gaussian(rnd) * config.embeddingInitStd());
            } else if (name.startsWith("linear.") || name.endsWith("bias")) {
                Arrays.fill(w, t.offset(), t.offset() + t.size(), 0f);
            } else {
                // Glorot (Xavier) uniform over (out, in): limit √(6 / (in + out)).
                int[] sh = t.shape();
                double limit = Math.sqrt(6.0 / (sh[0] + sh[1]));
                for (int i = 0; i < t.size(); i++) w[t.offset() + i] = (float) ((rnd.nextDouble() * 2 - 1) * limit);
            }
        }
    }

    private static double gaussian(SplittableRandom rnd) {
        // Box-Muller; SplittableRandom has no nextGaussian on Java 17.
        double u1 = 1.0 - rnd.nextDouble();
        double u2 = rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    public AutoIntConfig config() {
        return config;
    }

    public List<FieldSpec> fields() {
        return fields;
    }

    public Parameters parameters() {
        return params;
    }

    /** Rows of an interacting layer's stacked projection: 3A, or 4A with the residual. */
    int projectionRows() {
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

    /** A thread-safe predictor over this model's current parameters. */
    public Predictor predictor() {
        return new Predictor(this);
    }

    void checkData(EncodedDataset data) {
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
        if (ws.model != this) throw new IllegalArgumentException("the workspace belongs to another model");
        if (n <= 0 || n > ws.capacity) {
            throw new IllegalArgumentException("chunk of " + n + " samples outside [1, " + ws.capacity + "]");
        }
        checkData(data);
        ws.n = n;
        ws.nPad = (n + 15) & ~15;
        final float[] w = params.data();
        final int nPad = ws.nPad, ld = ws.ld;
        embedding.forward(ws, w, data, rows, from);
        float[] x = ws.e0;
        for (int l = 0; l < attention.length; l++) {
            attention[l].forward(ws, w, x);
            x = ws.out[l];
        }
        float[] h = ws.e0;
        for (int i = 0; i < dnn.length; i++) {
            dnn[i].forward(ws, w, h, training, dropoutKey, positionBase);
            h = ws.hidden[i];
        }
        FeatureMajor.permute(w, outWeight, ws.outW, 1, fields.size(), outAttWidth / fields.size());
        kr.gemm(1, nPad, outAttWidth, ws.outW, 0, outAttWidth, x, 0, ld, ws.logits, 0, ld, false);
        if (dnnLast > 0) {
            kr.gemm(1, nPad, dnnLast, w, outWeight + outAttWidth, dnnLast, h, 0, ld, ws.logits, 0, ld, true);
        }
        float bias = w[outBias];
        if (linear != null) {
            linear.forward(ws, w, data, rows, from);
            for (int s = 0; s < nPad; s++) ws.logits[s] += bias + ws.linear[s];
        } else {
            for (int s = 0; s < nPad; s++) ws.logits[s] += bias;
        }
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
        final float[] w = params.data();
        final float[] g = grads.data();
        final float[] labels = data.labelColumn();
        final float[] weights = data.weightColumn();
        double total = 0;
        for (int s = 0; s < n; s++) {
            int r = EmbeddingLayer.row(rows, from, s);
            float wt = weights == null ? 1f : weights[r];
            float z = ws.logits[s];
            total += wt * loss.value(z, labels[r]);
            ws.dlogits[s] = (float) (scale * wt * loss.gradient(z, labels[r]));
        }
        Arrays.fill(ws.dlogits, n, nPad, 0f);
        backwardFromLogits(ws, data, rows, from, grads, w, g);
        return total;
    }

    /** Backward from {@code ws.dlogits} (already set) into grads. */
    void backwardFromLogits(Workspace ws, EncodedDataset data, int[] rows, int from, Gradients grads, float[] w,
                            float[] g) {
        final int n = ws.n, nPad = ws.nPad, ld = ws.ld;
        final int nf = fields.size();
        final int d = config.embeddingSize();
        final int a = config.attentionSize();
        Arrays.fill(ws.de0, 0, nf * d * ld, 0f);
        // Output layer.
        float db = 0f;
        for (int s = 0; s < n; s++) db += ws.dlogits[s];
        g[outBias] += db;
        float[] xLast = attention.length > 0 ? ws.out[attention.length - 1] : ws.e0;
        float[] dxLast = attention.length > 0 ? ws.dyA : ws.de0;
        if (attention.length > 0) Arrays.fill(dxLast, 0, outAttWidth * ld, 0f);
        Arrays.fill(ws.outG, 0f);
        kr.gemmNT(1, outAttWidth, n, ws.dlogits, 0, ld, xLast, 0, ld, ws.outG, 0, outAttWidth);
        FeatureMajor.addBack(ws.outG, g, outWeight, 1, nf, outAttWidth / nf);
        kr.gemmTN(outAttWidth, nPad, 1, ws.outW, 0, outAttWidth, ws.dlogits, 0, ld, dxLast, 0, ld);
        // DNN branch, last layer first.
        if (dnnLast > 0) {
            float[] hLast = ws.hidden[dnn.length - 1];
            float[] dh = ws.dhA;
            float[] spare = ws.dhB;
            Arrays.fill(dh, 0, dnnLast * ld, 0f);
            kr.gemmNT(1, dnnLast, n, ws.dlogits, 0, ld, hLast, 0, ld, g, outWeight + outAttWidth, dnnLast);
            kr.gemmTN(dnnLast, nPad, 1, w, outWeight + outAttWidth, dnnLast, ws.dlogits, 0, ld, dh, 0, ld);
            for (int i = dnn.length - 1; i >= 0; i--) {
                float[] in = i == 0 ? ws.e0 : ws.hidden[i - 1];
                float[] dIn;
                if (i == 0) {
                    dIn = ws.de0;
                } else {
                    dIn = spare;
                    Arrays.fill(dIn, 0, dnn[i - 1].units() * ld, 0f);
                }
                dnn[i].backward(ws, w, in, dh, dIn, g);
                spare = dh;
                dh = dIn;
            }
        }
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
                Arrays.fill(dx, 0, nf * a * ld, 0f);
            }
            attention[l].backward(ws, w, x, dy, dx, g);
            spare = dy;
            dy = dx;
        }
        if (linear != null) linear.backward(ws, data, rows, from, grads);
        embedding.backward(ws, data, rows, from, grads);
    }

    /** Attention probabilities of sample s of the last forward pass: [layer][head][i][j]. */
    float[][][][] attentionOf(Workspace ws, int s) {
        int nf = fields.size();
        int h = config.heads();
        float[][][][] out = new float[attention.length][h][nf][nf];
        for (int l = 0; l < attention.length; l++) {
            for (int hh = 0; hh < h; hh++) {
                for (int i = 0; i < nf; i++) {
                    for (int j = 0; j < nf; j++) {
                        out[l][hh][i][j] = ws.attn[l][((hh * nf + i) * nf + j) * ws.ld + s];
                    }
                }
            }
        }
        return out;
    }
}
