package dev.autoint.core.data;

/** How one input field of a row is encoded and embedded. */
public enum FieldKind {
    /** One id per row, looked up in the field's embedding table. Id 0 means unknown. */
    CATEGORICAL,
    /** A variable number of ids per row (for example a movie's genres); their embeddings are mean-pooled. */
    MULTI_CATEGORICAL,
    /** One float per row; its embedding is the value times a learned per-field vector (AutoInt paper, sec. 4.2). */
    NUMERIC
}
