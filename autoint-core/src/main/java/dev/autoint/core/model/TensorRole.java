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

    /** The output layer's weight over {@code [flatten(x_L); h]}, {@code (1, width)}: Glorot uniform. */
    OUTPUT_WEIGHT,

    /** The output layer's bias, {@code (1)}: zero initialised. */
    OUTPUT_BIAS
}
