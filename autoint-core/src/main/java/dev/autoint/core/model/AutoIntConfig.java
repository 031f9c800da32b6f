package dev.autoint.core.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Objects;

/**
 * Hyper-parameters of an AutoInt / AutoInt+ model, or of another model of the family (FM, DeepFM, DCN-v2,
 * xDeepFM: see {@link Interaction}), validated on construction; every default is defined
 * once, in {@link #defaults()}. Change one with the withers: {@code AutoIntConfig.defaults().withLayers(2)}.
 *
 * <p>The equations implemented, and how they map to the paper, DeepCTR and FuxiCTR, are in
 * {@code docs/MODEL.md}. {@link #paper()} and {@link #deepCtr()} give those two forms; {@link #fm()},
 * {@link #deepFm()}, {@link #dcnV2()} and {@link #xDeepFm()} the other models with DeepCTR's defaults.
 *
 * @param embeddingSize   D, the size of every field embedding (default 16)
 * @param layers          number of interacting (multi-head self-attention) layers (default 3)
 * @param heads           H, attention heads per layer (default 2)
 * @param headSize        Dh, width of one head; a layer outputs A = H·Dh per field (default 8)
 * @param residual        add a projected residual {@code e·W_res} before the ReLU (paper eq. 8; default true)
 * @param scaledAttention divide attention logits by √Dh (Transformer style; the paper does not; default false)
 * @param dnnHidden       units of the DNN branch's hidden layers; empty = AutoInt, non-empty = AutoInt+
 *                        (default empty)
 * @param dropout         dropout rate after each DNN hidden layer, in [0, 1) (default 0)
 * @param linearTerm      add a first-order term Σ w_f[id] to the logit (DeepCTR's linear part; default false)
 * @param embeddingInitStd standard deviation of the normal initialisation of embeddings (default 0.01);
 *                        dense weights use Glorot uniform, biases 0
 * @param seed            seed of the initialisation (default 2019)
 * @param interaction     how the embeddings interact (default {@link Interaction#attention()}); any other
 *                        choice needs {@code layers} = 0, the attention components are then unused
 */
public record AutoIntConfig(int embeddingSize, int layers, int heads, int headSize, boolean residual,
                            boolean scaledAttention, List<Integer> dnnHidden, float dropout, boolean linearTerm,
                            float embeddingInitStd, long seed, Interaction interaction) {

    /**
     * Validates the configuration and copies {@code dnnHidden}.
     *
     * @param embeddingSize    D, > 0
     * @param layers           interacting layers, >= 0
     * @param heads            H, > 0
     * @param headSize         Dh, > 0
     * @param residual         whether to add the projected residual
     * @param scaledAttention  whether to divide attention logits by √Dh
     * @param dnnHidden        DNN hidden layer sizes, each > 0; copied
     * @param dropout          DNN dropout rate, in [0, 1)
     * @param linearTerm       whether to add the first-order term
     * @param embeddingInitStd embedding initialisation standard deviation, finite and > 0
     * @param seed             initialisation seed
     * @param interaction      how the embeddings interact
     * @throws NullPointerException     if {@code dnnHidden} or {@code interaction} is null
     * @throws IllegalArgumentException if a size is out of range (see each component), a {@code dnnHidden}
     *                                  entry is null or not positive, {@code dropout} is outside [0, 1),
     *                                  {@code embeddingInitStd} is not finite and positive, {@code layers} is
     *                                  not 0 with an interaction other than attention, or a stacked cross
     *                                  network has no DNN units
     */
    public AutoIntConfig {
        positive("embeddingSize", embeddingSize);
        if (layers < 0) throw new IllegalArgumentException("layers must be >= 0, got " + layers);
        positive("heads", heads);
        positive("headSize", headSize);
        Objects.requireNonNull(dnnHidden, "dnnHidden");
        dnnHidden = List.copyOf(dnnHidden);
        for (int i = 0; i < dnnHidden.size(); i++) {
            if (dnnHidden.get(i) == null || dnnHidden.get(i) <= 0) {
                throw new IllegalArgumentException("dnnHidden[" + i + "] must be > 0, got " + dnnHidden.get(i));
            }
        }
        if (!(dropout >= 0f && dropout < 1f)) {
            throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
        }
        if (!(embeddingInitStd > 0f) || Float.isInfinite(embeddingInitStd)) {
            throw new IllegalArgumentException("embeddingInitStd must be finite and > 0, got " + embeddingInitStd);
        }
        Objects.requireNonNull(interaction, "interaction");
        if (!(interaction instanceof Interaction.Attention) && layers != 0) {
            throw new IllegalArgumentException("layers (interacting layers) must be 0 with the " + interactionName(interaction)
                    + " interaction, got " + layers);
        }
        if (interaction instanceof Interaction.CrossNetwork c && c.stacked() && dnnHidden.isEmpty()) {
            throw new IllegalArgumentException("dnnHidden must not be empty with a stacked cross network"
                    + " (the DNN reads the cross output); use stacked = false for a cross network alone");
        }
    }

    /**
     * An AutoInt / AutoInt+ configuration: the same with the {@link Interaction#attention()} interaction.
     *
     * @param embeddingSize    D, > 0
     * @param layers           interacting layers, >= 0
     * @param heads            H, > 0
     * @param headSize         Dh, > 0
     * @param residual         whether to add the projected residual
     * @param scaledAttention  whether to divide attention logits by √Dh
     * @param dnnHidden        DNN hidden layer sizes, each > 0; copied
     * @param dropout          DNN dropout rate, in [0, 1)
     * @param linearTerm       whether to add the first-order term
     * @param embeddingInitStd embedding initialisation standard deviation, finite and > 0
     * @param seed             initialisation seed
     * @throws NullPointerException     if {@code dnnHidden} is null
     * @throws IllegalArgumentException as the canonical constructor
     */
    public AutoIntConfig(int embeddingSize, int layers, int heads, int headSize, boolean residual, boolean scaledAttention,
                         List<Integer> dnnHidden, float dropout, boolean linearTerm, float embeddingInitStd, long seed) {
        this(embeddingSize, layers, heads, headSize, residual, scaledAttention, dnnHidden, dropout, linearTerm,
                embeddingInitStd, seed, Interaction.attention());
    }

    /**
     * Reads a configuration from JSON (model files, golden fixtures): a missing {@code interaction}, as in
     * files written before the model family existed, means {@link Interaction#attention()}.
     */
    @JsonCreator
    static AutoIntConfig fromJson(@JsonProperty("embeddingSize") int embeddingSize, @JsonProperty("layers") int layers,
                                  @JsonProperty("heads") int heads, @JsonProperty("headSize") int headSize,
                                  @JsonProperty("residual") boolean residual,
                                  @JsonProperty("scaledAttention") boolean scaledAttention,
                                  @JsonProperty("dnnHidden") List<Integer> dnnHidden, @JsonProperty("dropout") float dropout,
                                  @JsonProperty("linearTerm") boolean linearTerm,
                                  @JsonProperty("embeddingInitStd") float embeddingInitStd, @JsonProperty("seed") long seed,
                                  @JsonProperty("interaction") Interaction interaction) {
        return new AutoIntConfig(embeddingSize, layers, heads, headSize, residual, scaledAttention, dnnHidden, dropout,
                linearTerm, embeddingInitStd, seed, interaction == null ? Interaction.attention() : interaction);
    }

    private static String interactionName(Interaction i) {
        if (i instanceof Interaction.Attention) return "attention";
        if (i instanceof Interaction.FactorizationMachine) return "fm";
        return i instanceof Interaction.CrossNetwork ? "cross" : "cin";
    }

    private static void positive(String name, int v) {
        if (v <= 0) throw new IllegalArgumentException(name + " must be > 0, got " + v);
    }

    /**
     * The defaults: the paper's AutoInt with the seeds' sizes (D 16, 3 layers, 2 heads × 8, residual).
     *
     * @return the default configuration
     */
    public static AutoIntConfig defaults() {
        return new AutoIntConfig(16, 3, 2, 8, true, false, List.of(), 0f, false, 0.01f, 2019L);
    }

    /**
     * The paper's form (Song et al., CIKM 2019, eqs. 5-9): no √d scaling, projected residual, no linear term.
     *
     * @return the same configuration as {@link #defaults()}
     */
    public static AutoIntConfig paper() {
        return defaults();
    }

    /**
     * DeepCTR's form: as the paper, plus the first-order linear term added to the logit.
     *
     * @return the defaults with {@code linearTerm} set
     */
    public static AutoIntConfig deepCtr() {
        return defaults().withLinearTerm(true);
    }

    /**
     * The seeds' AutoInt+: DeepCTR form, DNN 32-32 with dropout 0.4.
     *
     * @return the AutoInt+ configuration
     */
    public static AutoIntConfig seedsAutoIntPlus() {
        return deepCtr().withDnnHidden(List.of(32, 32)).withDropout(0.4f);
    }

    /**
     * A factorization machine (Rendle 2010): first-order term plus the pairwise term Σ_{i&lt;j} ⟨e_i, e_j⟩, as
     * FuxiCTR's FM; no interacting layers, no DNN.
     *
     * @return the FM configuration
     */
    public static AutoIntConfig fm() {
        return defaults().withLayers(0).withLinearTerm(true).withInteraction(Interaction.fm());
    }

    /**
     * DeepFM (Guo et al. 2017) with DeepCTR's defaults: {@link #fm()} plus a DNN 256-128-64 on the shared
     * embeddings, no dropout.
     *
     * @return the DeepFM configuration
     */
    public static AutoIntConfig deepFm() {
        return fm().withDnnHidden(List.of(256, 128, 64));
    }

    /**
     * DCN-v2 (Wang et al. 2021) with DeepCTR's defaults: two full-rank cross layers in parallel with a DNN
     * 256-128-64, first-order term. {@code .withInteraction(Interaction.cross(2, true))} gives the stacked form.
     *
     * @return the DCN-v2 configuration
     */
    public static AutoIntConfig dcnV2() {
        return defaults().withLayers(0).withLinearTerm(true).withDnnHidden(List.of(256, 128, 64))
                .withInteraction(Interaction.cross(2, false));
    }

    /**
     * xDeepFM (Lian et al. 2018) with DeepCTR's defaults: CIN of 128-128 feature maps with split halves, a DNN
     * 256-128-64, first-order term.
     *
     * @return the xDeepFM configuration
     */
    public static AutoIntConfig xDeepFm() {
        return defaults().withLayers(0).withLinearTerm(true).withDnnHidden(List.of(256, 128, 64))
                .withInteraction(Interaction.cin(List.of(128, 128), true));
    }

    /**
     * A = H·Dh, the per-field width of an interacting layer's output.
     *
     * @return {@code heads * headSize}
     */
    @JsonIgnore
    public int attentionSize() {
        return heads * headSize;
    }

    /**
     * Whether the model has a DNN branch: AutoInt+ with the attention interaction (DeepFM, DCN-v2 or xDeepFM with the others).
     *
     * @return true when {@code dnnHidden} is not empty
     */
    @JsonIgnore
    public boolean isAutoIntPlus() {
        return !dnnHidden.isEmpty();
    }

    /**
     * A copy with another {@code embeddingSize}.
     *
     * @param v D, the embedding size, > 0
     * @return the new configuration
     * @throws IllegalArgumentException if {@code v} is out of range
     */
    public AutoIntConfig withEmbeddingSize(int v) {
        return new AutoIntConfig(v, layers, heads, headSize, residual, scaledAttention, dnnHidden, dropout, linearTerm, embeddingInitStd, seed, interaction);
    }

    /**
     * A copy with another {@code layers}.
     *
     * @param v the number of interacting layers, >= 0
     * @return the new configuration
     * @throws IllegalArgumentException if {@code v} is out of range
     */
    public AutoIntConfig withLayers(int v) {
        return new AutoIntConfig(embeddingSize, v, heads, headSize, residual, scaledAttention, dnnHidden, dropout, linearTerm, embeddingInitStd, seed, interaction);
    }

    /**
     * A copy with another {@code heads}.
     *
     * @param v H, attention heads per layer, > 0
     * @return the new configuration
     * @throws IllegalArgumentException if {@code v} is out of range
     */
    public AutoIntConfig withHeads(int v) {
        return new AutoIntConfig(embeddingSize, layers, v, headSize, residual, scaledAttention, dnnHidden, dropout, linearTerm, embeddingInitStd, seed, interaction);
    }

    /**
     * A copy with another {@code headSize}.
     *
     * @param v Dh, the width of one head, > 0
     * @return the new configuration
     * @throws IllegalArgumentException if {@code v} is out of range
     */
    public AutoIntConfig withHeadSize(int v) {
        return new AutoIntConfig(embeddingSize, layers, heads, v, residual, scaledAttention, dnnHidden, dropout, linearTerm, embeddingInitStd, seed, interaction);
    }

    /**
     * A copy with another {@code residual}.
     *
     * @param v whether to add the projected residual
     * @return the new configuration
     */
    public AutoIntConfig withResidual(boolean v) {
        return new AutoIntConfig(embeddingSize, layers, heads, headSize, v, scaledAttention, dnnHidden, dropout, linearTerm, embeddingInitStd, seed, interaction);
    }

    /**
     * A copy with another {@code scaledAttention}.
     *
     * @param v whether to divide attention logits by √Dh
     * @return the new configuration
     */
    public AutoIntConfig withScaledAttention(boolean v) {
        return new AutoIntConfig(embeddingSize, layers, heads, headSize, residual, v, dnnHidden, dropout, linearTerm, embeddingInitStd, seed, interaction);
    }

    /**
     * A copy with another {@code dnnHidden}.
     *
     * @param v units of the DNN hidden layers, each > 0; empty for plain AutoInt
     * @return the new configuration
     * @throws IllegalArgumentException if {@code v} is out of range
     */
    public AutoIntConfig withDnnHidden(List<Integer> v) {
        return new AutoIntConfig(embeddingSize, layers, heads, headSize, residual, scaledAttention, v, dropout, linearTerm, embeddingInitStd, seed, interaction);
    }

    /**
     * A copy with another {@code dropout}.
     *
     * @param v the DNN dropout rate, in [0, 1)
     * @return the new configuration
     * @throws IllegalArgumentException if {@code v} is out of range
     */
    public AutoIntConfig withDropout(float v) {
        return new AutoIntConfig(embeddingSize, layers, heads, headSize, residual, scaledAttention, dnnHidden, v, linearTerm, embeddingInitStd, seed, interaction);
    }

    /**
     * A copy with another {@code linearTerm}.
     *
     * @param v whether to add the first-order linear term
     * @return the new configuration
     */
    public AutoIntConfig withLinearTerm(boolean v) {
        return new AutoIntConfig(embeddingSize, layers, heads, headSize, residual, scaledAttention, dnnHidden, dropout, v, embeddingInitStd, seed, interaction);
    }

    /**
     * A copy with another {@code embeddingInitStd}.
     *
     * @param v the embedding initialisation standard deviation, finite and > 0
     * @return the new configuration
     * @throws IllegalArgumentException if {@code v} is out of range
     */
    public AutoIntConfig withEmbeddingInitStd(float v) {
        return new AutoIntConfig(embeddingSize, layers, heads, headSize, residual, scaledAttention, dnnHidden, dropout, linearTerm, v, seed, interaction);
    }

    /**
     * A copy with another {@code seed}.
     *
     * @param v the initialisation seed
     * @return the new configuration
     */
    public AutoIntConfig withSeed(long v) {
        return new AutoIntConfig(embeddingSize, layers, heads, headSize, residual, scaledAttention, dnnHidden, dropout, linearTerm, embeddingInitStd, v, interaction);
    }

    /**
     * A copy with another {@code interaction}. Any interaction but attention needs {@code layers} = 0, so set
     * that first: {@code defaults().withLayers(0).withInteraction(Interaction.fm())}.
     *
     * @param v how the embeddings interact
     * @return the new configuration
     * @throws IllegalArgumentException if {@code v} does not fit the other components
     */
    public AutoIntConfig withInteraction(Interaction v) {
        return new AutoIntConfig(embeddingSize, layers, heads, headSize, residual, scaledAttention, dnnHidden, dropout, linearTerm, embeddingInitStd, seed, v);
    }
}
