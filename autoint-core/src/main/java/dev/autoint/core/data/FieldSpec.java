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

    public static FieldSpec categorical(String name, int vocabularySize) {
        return new FieldSpec(name, FieldKind.CATEGORICAL, vocabularySize);
    }

    public static FieldSpec multiCategorical(String name, int vocabularySize) {
        return new FieldSpec(name, FieldKind.MULTI_CATEGORICAL, vocabularySize);
    }

    public static FieldSpec numeric(String name) {
        return new FieldSpec(name, FieldKind.NUMERIC, 1);
    }
}
