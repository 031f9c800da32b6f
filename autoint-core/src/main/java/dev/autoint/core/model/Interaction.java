package dev.autoint.core.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;
import java.util.Objects;

/**
 * How a model combines its field embeddings, the part that differs between the models of the family; the
 * embeddings, the first-order term, the DNN, the output layer, the optimizers, the trainer and the
 * predictor are shared. One of:
 * <ul>
 *   <li>{@link #attention()}: AutoInt's interacting layers, sized by {@link AutoIntConfig#layers()},
 *       {@code heads}, {@code headSize}, {@code residual} and {@code scaledAttention} (the default);</li>
 *   <li>{@link #fm()}: the factorization machine's second-order term (Rendle 2010; FM, and DeepFM with a DNN);</li>
 *   <li>{@link #cross(int, boolean)}: DCN-v2's cross network (Wang et al. 2021), stacked or parallel with
 *       the DNN;</li>
 *   <li>{@link #cin(List, boolean)}: xDeepFM's compressed interaction network (Lian et al. 2018).</li>
 * </ul>
 * The equations and their mapping to the papers, DeepCTR and FuxiCTR are in {@code docs/MODEL.md}.
 * Model files store the choice in the configuration as {@code "interaction": {"type": ...}}; a file without
 * it is an AutoInt model.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = Interaction.Attention.class, name = "attention"),
        @JsonSubTypes.Type(value = Interaction.FactorizationMachine.class, name = "fm"),
        @JsonSubTypes.Type(value = Interaction.CrossNetwork.class, name = "cross"),
        @JsonSubTypes.Type(value = Interaction.Cin.class, name = "cin")})
public sealed interface Interaction
        permits Interaction.Attention, Interaction.FactorizationMachine, Interaction.CrossNetwork, Interaction.Cin {

    /**
     * AutoInt's interacting layers, configured by the attention components of {@link AutoIntConfig}.
     *
     * @return the attention interaction
     */
    static Interaction attention() {
        return new Attention();
    }

    /**
     * The factorization machine's pairwise term {@code Σ_{i<j} ⟨e_i, e_j⟩}, added to the logit.
     *
     * @return the FM interaction
     */
    static Interaction fm() {
        return new FactorizationMachine();
    }

    /**
     * DCN-v2's full-rank cross network on {@code x_0 = flatten(e)}.
     *
     * @param layers  cross layers, > 0
     * @param stacked true: the DNN reads the cross network's output (needs DNN units); false: the DNN reads
     *                the embeddings and the output layer reads both (parallel)
     * @return the cross interaction
     * @throws IllegalArgumentException if {@code layers} is not positive
     */
    static CrossNetwork cross(int layers, boolean stacked) {
        return new CrossNetwork(layers, stacked);
    }

    /**
     * xDeepFM's compressed interaction network.
     *
     * @param layerSizes feature maps H_k of each CIN layer, each > 0
     * @param splitHalf  true: all but the last layer send half of their maps to the output and half to the
     *                   next layer (DeepCTR's default; those sizes must be even); false: every map does both
     * @return the CIN interaction
     * @throws IllegalArgumentException if {@code layerSizes} is empty or a size is out of range
     */
    static Cin cin(List<Integer> layerSizes, boolean splitHalf) {
        return new Cin(layerSizes, splitHalf);
    }

    /** AutoInt's interacting layers; see {@link #attention()}. */
    record Attention() implements Interaction {
    }

    /** The factorization machine's second-order term; see {@link #fm()}. */
    record FactorizationMachine() implements Interaction {
    }

    /**
     * DCN-v2's cross network; see {@link #cross(int, boolean)}.
     *
     * @param layers  cross layers, > 0
     * @param stacked whether the DNN reads the cross output (stacked) instead of running beside it (parallel)
     */
    record CrossNetwork(int layers, boolean stacked) implements Interaction {

        /**
         * Validates the sizes.
         *
         * @param layers  cross layers, > 0
         * @param stacked whether the structure is stacked
         * @throws IllegalArgumentException if {@code layers} is not positive
         */
        public CrossNetwork {
            if (layers <= 0) throw new IllegalArgumentException("interaction.layers (cross layers) must be > 0, got " + layers);
        }
    }

    /**
     * xDeepFM's compressed interaction network; see {@link #cin(List, boolean)}.
     *
     * @param layerSizes feature maps of each layer
     * @param splitHalf  whether all but the last layer split their maps between the output and the next layer
     */
    record Cin(List<Integer> layerSizes, boolean splitHalf) implements Interaction {

        /**
         * Validates and copies the sizes.
         *
         * @param layerSizes feature maps of each layer, each > 0 (even, except the last, with {@code splitHalf})
         * @param splitHalf  whether to split the maps
         * @throws NullPointerException     if {@code layerSizes} is null
         * @throws IllegalArgumentException if {@code layerSizes} is empty or a size is out of range
         */
        public Cin {
            Objects.requireNonNull(layerSizes, "interaction.layerSizes");
            layerSizes = List.copyOf(layerSizes);
            if (layerSizes.isEmpty()) throw new IllegalArgumentException("interaction.layerSizes must not be empty");
            for (int k = 0; k < layerSizes.size(); k++) {
                Integer h = layerSizes.get(k);
                if (h == null || h <= 0) {
                    throw new IllegalArgumentException("interaction.layerSizes[" + k + "] must be > 0, got " + h);
                }
                if (splitHalf && k < layerSizes.size() - 1 && h % 2 != 0) {
                    throw new IllegalArgumentException("interaction.layerSizes[" + k
                            + "] must be even with splitHalf (half goes to the output, half to the next layer), got " + h);
                }
            }
        }

        /**
         * Maps of layer k that go to the output: all of the last layer's; half of the others' with
         * {@code splitHalf}, else all.
         *
         * @param k the layer
         * @return the number of maps layer k sends to the output
         */
        public int directMaps(int k) {
            return splitHalf && k < layerSizes.size() - 1 ? layerSizes.get(k) / 2 : layerSizes.get(k);
        }

        /**
         * Maps of layer k that the next layer reads (the first half with {@code splitHalf}).
         *
         * @param k the layer, below the last
         * @return the number of maps layer k passes on
         */
        public int nextMaps(int k) {
            return splitHalf ? layerSizes.get(k) / 2 : layerSizes.get(k);
        }

        /**
         * Width of the pooled output p: the sum of {@link #directMaps(int)} over the layers.
         *
         * @return the pooled width
         */
        @JsonIgnore
        public int outputWidth() {
            int w = 0;
            for (int k = 0; k < layerSizes.size(); k++) w += directMaps(k);
            return w;
        }
    }
}
