package dev.autoint.core.data;

import java.util.Objects;

/**
 * One input field as the model sees it.
 *
 * @param name           the field's name, unique within a dataset (used in model files and explanations)
 * @param kind           how the field is encoded
 * @param vocabularySize number of ids including id 0 (unknown) for categorical kinds; 1 for {@link FieldKind#NUMERIC}
 */
public record FieldSpec(String name, FieldKind kind, int vocabularySize) {

    /**
     * Validates the field.
     *
     * @param name           the field's name, not blank
     * @param kind           how the field is encoded
     * @param vocabularySize number of ids including id 0; 1 for a numeric field
     * @throws NullPointerException     if {@code name} or {@code kind} is null
     * @throws IllegalArgumentException if {@code name} is blank, {@code vocabularySize < 1}, or a
     *                                  {@link FieldKind#NUMERIC} field has a vocabulary size other than 1
     */
    public FieldSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        if (name.isBlank()) {
            throw new IllegalArgumentException("field name must not be blank");
        }
        if (kind == FieldKind.NUMERIC && vocabularySize != 1) {
            throw new IllegalArgumentException("field '" + name + "': a NUMERIC field has vocabularySize 1, got " + vocabularySize);
        }
        if (vocabularySize < 1) {
            throw new IllegalArgumentException("field '" + name + "': vocabularySize must be >= 1 (id 0 is unknown), got " + vocabularySize);
        }
    }

    /**
     * A single-valued categorical field.
     *
     * @param name           the field's name
     * @param vocabularySize number of ids including id 0 (unknown), at least 1
     * @return the field
     */
    public static FieldSpec categorical(String name, int vocabularySize) {
        return new FieldSpec(name, FieldKind.CATEGORICAL, vocabularySize);
    }

    /**
     * A field holding a set of categorical ids per row (such as a movie's genres), pooled by the model.
     *
     * @param name           the field's name
     * @param vocabularySize number of ids including id 0 (unknown), at least 1
     * @return the field
     */
    public static FieldSpec multiCategorical(String name, int vocabularySize) {
        return new FieldSpec(name, FieldKind.MULTI_CATEGORICAL, vocabularySize);
    }

    /**
     * A numeric field: one float value per row, with vocabulary size 1.
     *
     * @param name the field's name
     * @return the field
     */
    public static FieldSpec numeric(String name) {
        return new FieldSpec(name, FieldKind.NUMERIC, 1);
    }
}
