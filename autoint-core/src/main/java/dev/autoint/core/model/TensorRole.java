package dev.autoint.core.model;

/**
 * What a parameter tensor is in the model. {@link AutoIntModel} sets each tensor's role when it lays out its
 * parameters, and everything that treats tensors differently asks the role, never the name: initialisation
 * (docs/MODEL.md §1), the trainer's embedding L2 penalty ({@link #EMBEDDING} only). Names are what model
 * files store; roles follow from the configuration, so files carry no roles.
 */
public enum TensorRole {

    /**
     * The embedding table of a categorical or multi-valued field, {@code (vocabulary, D)}: row-sparse, N(0, σ²)
     * initialised, and the only role that {@code Trainer.Builder.l2Embedding} penalises.
     */
    EMBEDDING,

    /** The embedding vector v_f of a numeric field, {@code (1, D)} (e_f = x_f·v_f): dense, N(0, σ²) initialised. */
    NUMERIC_EMBEDDING,

    /** The first-order (linear-term) weights w_f of a field, {@code (vocabulary, 1)}: zero initialised. */
    FIRST_ORDER,

    /** A projection W_Q, W_K, W_V or W_res of an interacting layer, {@code (A, Din)}: Glorot uniform. */
    ATTENTION_WEIGHT,

    /** The weight of a hidden DNN layer, {@code (U_i, in)}: Glorot uniform. */
    DENSE_WEIGHT,

    /** The bias of a hidden DNN layer, {@code (U_i)}: zero initialised. */
    DENSE_BIAS,

    /** The weight W_l of a DCN-v2 cross layer, {@code (F·D, F·D)}, rows and columns field-major: Glorot uniform. */
    CROSS_WEIGHT,

    /** The bias b_l of a DCN-v2 cross layer, {@code (F·D)}, field-major: zero initialised. */
    CROSS_BIAS,

    /** The weight of a CIN layer of xDeepFM, {@code (H_k, H_(k-1)·F)}, column i·F + j: Glorot uniform. */
    CIN_WEIGHT,

    /** The bias of a CIN layer, {@code (H_k)}: zero initialised. */
    CIN_BIAS,

    /** The output layer's weight over the interaction's output and h ({@code [flatten(x_L); h]} for AutoInt+), {@code (1, width)}: Glorot uniform. */
    OUTPUT_WEIGHT,

    /** The output layer's bias, {@code (1)}: zero initialised. */
    OUTPUT_BIAS
}
