package dev.autoint.core.model;

import dev.autoint.core.data.EncodedDataset;
import dev.autoint.core.data.FieldKind;
import dev.autoint.core.data.FieldSpec;
import dev.autoint.core.internal.engine.Network;
import dev.autoint.core.internal.engine.ParameterAccess;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * An AutoInt (or, with DNN units, AutoInt+) model over a fixed list of fields, or another model of the family
 * that {@link AutoIntConfig#interaction()} selects (FM, DeepFM, DCN-v2, xDeepFM): its configuration and its
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
            boolean numeric = fs.kind() == FieldKind.NUMERIC;
            b.add("embedding." + fs.name(), numeric ? TensorRole.NUMERIC_EMBEDDING : TensorRole.EMBEDDING, !numeric,
                    fs.vocabularySize(), d);
        }
        if (config.linearTerm()) {
            for (FieldSpec fs : this.fields) {
                b.add("linear." + fs.name(), TensorRole.FIRST_ORDER, fs.kind() != FieldKind.NUMERIC, fs.vocabularySize(), 1);
            }
        }
        for (int l = 0; l < config.layers(); l++) {
            int din = l == 0 ? d : a;
            b.add("attention." + l + ".wq", TensorRole.ATTENTION_WEIGHT, false, a, din);
            b.add("attention." + l + ".wk", TensorRole.ATTENTION_WEIGHT, false, a, din);
            b.add("attention." + l + ".wv", TensorRole.ATTENTION_WEIGHT, false, a, din);
            if (config.residual()) b.add("attention." + l + ".wres", TensorRole.ATTENTION_WEIGHT, false, a, din);
        }
        addInteractionTensors(b, config.interaction(), nf, d);
        int in = nf * d;
        for (int i = 0; i < config.dnnHidden().size(); i++) {
            int u = config.dnnHidden().get(i);
            b.add("dnn." + i + ".weight", TensorRole.DENSE_WEIGHT, false, u, in);
            b.add("dnn." + i + ".bias", TensorRole.DENSE_BIAS, false, u);
            in = u;
        }
        int last = config.dnnHidden().isEmpty() ? 0 : config.dnnHidden().get(config.dnnHidden().size() - 1);
        int outWidth = Network.interactionOutputWidth(config, nf) + last;
        if (outWidth > 0) b.add("output.weight", TensorRole.OUTPUT_WEIGHT, false, 1, outWidth); // none for a plain FM
        b.add("output.bias", TensorRole.OUTPUT_BIAS, false, 1);
        this.params = b.build();
        this.network = new Network(this.config, this.fields, params);
    }

    /** The tensors of the cross network or the CIN (docs/MODEL.md); attention's and FM's are laid out elsewhere or absent. */
    private static void addInteractionTensors(Parameters.Builder b, Interaction interaction, int nf, int d) {
        if (interaction instanceof Interaction.CrossNetwork c) {
            for (int l = 0; l < c.layers(); l++) {
                b.add("cross." + l + ".weight", TensorRole.CROSS_WEIGHT, false, nf * d, nf * d);
                b.add("cross." + l + ".bias", TensorRole.CROSS_BIAS, false, nf * d);
            }
        } else if (interaction instanceof Interaction.Cin c) {
            int prev = nf;
            for (int k = 0; k < c.layerSizes().size(); k++) {
                int h = c.layerSizes().get(k);
                b.add("cin." + k + ".weight", TensorRole.CIN_WEIGHT, false, h, prev * nf);
                b.add("cin." + k + ".bias", TensorRole.CIN_BIAS, false, h);
                prev = c.nextMaps(k);
            }
        }
    }

    /**
     * A new model with freshly initialised parameters: embeddings N(0, embeddingInitStd²), first-order weights
     * and biases zero, weight matrices Glorot uniform; the same config and fields always give the same weights
     * (seeded by {@link AutoIntConfig#seed()}).
     *
     * @param config the architecture and initialisation settings
     * @param fields the input fields, in the order rows will supply them; at least one, with distinct names
     * @return the new model
     * @throws NullPointerException     if {@code config} or {@code fields} is null
     * @throws IllegalArgumentException if {@code fields} is empty or two fields share a name
     */
    public static AutoIntModel create(AutoIntConfig config, List<FieldSpec> fields) {
        AutoIntModel m = new AutoIntModel(config, fields);
        m.initialise();
        return m;
    }

    /**
     * Initialises every tensor by its role (docs/MODEL.md): embeddings N(0, embeddingInitStd²), first-order
     * weights and biases zero, weight matrices Glorot uniform over (out, in), limit √(6 / (in + out)). One
     * random stream in layout order, so a seed gives the same weights on every run.
     */
    private void initialise() {
        SplittableRandom rnd = new SplittableRandom(config.seed());
        float[] w = ParameterAccess.data(params);
        for (TensorInfo t : params.tensors()) {
            switch (t.role()) {
                case EMBEDDING, NUMERIC_EMBEDDING -> {
                    for (int i = 0; i < t.size(); i++) w[t.offset() + i] = (float) (gaussian(rnd) * config.embeddingInitStd());
                }
                case FIRST_ORDER, DENSE_BIAS, CROSS_BIAS, CIN_BIAS, OUTPUT_BIAS -> Arrays.fill(w, t.offset(), t.offset() + t.size(), 0f);
                case ATTENTION_WEIGHT, DENSE_WEIGHT, CROSS_WEIGHT, CIN_WEIGHT, OUTPUT_WEIGHT -> {
                    int[] sh = t.shape();
                    double limit = Math.sqrt(6.0 / (sh[0] + sh[1]));
                    for (int i = 0; i < t.size(); i++) w[t.offset() + i] = (float) ((rnd.nextDouble() * 2 - 1) * limit);
                }
            }
        }
    }

    private static double gaussian(SplittableRandom rnd) {
        // Box-Muller; SplittableRandom has no nextGaussian on Java 17.
        double u1 = 1.0 - rnd.nextDouble();
        double u2 = rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    /**
     * The configuration this model was built from.
     *
     * @return the configuration
     */
    public AutoIntConfig config() {
        return config;
    }

    /**
     * The fields the model reads, in input order.
     *
     * @return an unmodifiable list; an {@code EncodedDataset} to score or train on must have exactly these fields
     */
    public List<FieldSpec> fields() {
        return fields;
    }

    /**
     * The model's parameters, live: changing their values changes the model.
     *
     * @return the parameters, one flat buffer described by named tensors
     */
    public Parameters parameters() {
        return params;
    }

    /**
     * The floating-point operations of a forward pass per row, for throughput reports: the projections and
     * attention of the interacting layers, the DNN and the output layer, with multiply and add counted separately.
     * Embedding look-ups, the first-order term, softmax and activations are not counted.
     *
     * @return forward FLOP per row
     */
    public long forwardFlopsPerRow() {
        return network.forwardFlopsPerRow();
    }

    /**
     * A predictor that scores rows with this model. It reads the parameters live, so it sees later training.
     *
     * @return a new thread-safe predictor
     */
    public Predictor predictor() {
        return new Predictor(this);
    }
}
