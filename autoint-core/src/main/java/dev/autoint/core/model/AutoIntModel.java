package dev.autoint.core.model;

import dev.autoint.core.data.EncodedDataset;
import dev.autoint.core.data.FieldKind;
import dev.autoint.core.data.FieldSpec;
import dev.autoint.core.internal.engine.Network;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * An AutoInt (or, with DNN units, AutoInt+) model over a fixed list of fields: its configuration and its
 * parameters. Score rows with {@link #predictor()}, train it with {@code dev.autoint.core.train.Trainer}, save
 * and load it with {@code dev.autoint.core.io.ModelFiles}.
 *
 * <pre>
 *   e_f            field embeddings                                 (EmbeddingLayer)
 *   x_{l+1}        = InteractingLayer_l(x_l), x_0 = e                (InteractingLayer)
 *   h              = DNN(flatten(e)) for AutoInt+                    (DenseLayer × len(dnnHidden))
 *   logit          = w_oᵀ [flatten(x_L) ; h] + b + Σ_f w_f[id_f]     (output; linear term optional)
 * </pre>
 * The exact equations and how they map to the paper, DeepCTR and FuxiCTR are in {@code docs/MODEL.md}.
 *
 * <p>The model itself is immutable apart from its parameter values; any number of threads may score with it
 * while nothing updates those values.
 */
public final class AutoIntModel {

    private final AutoIntConfig config;
    private final List<FieldSpec> fields;
    private final Parameters params;
    private final Network network;

    static {
        Network.install(m -> m.network);
    }

    private AutoIntModel(AutoIntConfig config, List<FieldSpec> fields) {
        this.config = Objects.requireNonNull(config, "config");
        this.fields = List.copyOf(Objects.requireNonNull(fields, "fields"));
        if (this.fields.isEmpty()) throw new IllegalArgumentException("a model needs at least one field");
        if (this.fields.stream().map(FieldSpec::name).distinct().count() != this.fields.size()) {
            throw new IllegalArgumentException("field names must be unique: " + this.fields);
        }
        int nf = this.fields.size();
        int d = config.embeddingSize();
        int a = config.attentionSize();
        Parameters.Builder b = new Parameters.Builder();
        for (FieldSpec fs : this.fields) {
            b.add("embedding." + fs.name(), fs.kind() != FieldKind.NUMERIC, fs.vocabularySize(), d);
        }
        if (config.linearTerm()) {
            for (FieldSpec fs : this.fields) {
                b.add("linear." + fs.name(), fs.kind() != FieldKind.NUMERIC, fs.vocabularySize(), 1);
            }
        }
        for (int l = 0; l < config.layers(); l++) {
            int din = l == 0 ? d : a;
            b.add("attention." + l + ".wq", false, a, din);
            b.add("attention." + l + ".wk", false, a, din);
            b.add("attention." + l + ".wv", false, a, din);
            if (config.residual()) b.add("attention." + l + ".wres", false, a, din);
        }
        int in = nf * d;
        for (int i = 0; i < config.dnnHidden().size(); i++) {
            int u = config.dnnHidden().get(i);
            b.add("dnn." + i + ".weight", false, u, in);
            b.add("dnn." + i + ".bias", false, u);
            in = u;
        }
        int last = config.dnnHidden().isEmpty() ? 0 : config.dnnHidden().get(config.dnnHidden().size() - 1);
        b.add("output.weight", false, 1, nf * (config.layers() > 0 ? a : d) + last);
        b.add("output.bias", false, 1);
        this.params = b.build();
        this.network = new Network(this.config, this.fields, params);
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

    /** The configuration this model was built from. */
    public AutoIntConfig config() {
        return config;
    }

    /** The fields the model reads, in input order; an {@code EncodedDataset} to score must have exactly these. */
    public List<FieldSpec> fields() {
        return fields;
    }

    /** The model's parameter values, one flat buffer described by named tensors. */
    public Parameters parameters() {
        return params;
    }

    /** Forward FLOP per row (multiply and add counted separately), for throughput reports. */
    public long forwardFlopsPerRow() {
        return network.forwardFlopsPerRow();
    }

    /** A thread-safe predictor over this model's current parameters. */
    public Predictor predictor() {
        return new Predictor(this);
    }
}
