package dev.autoint.data.table;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.autoint.core.data.FieldKind;

import java.util.List;
import java.util.Objects;

/**
 * One field of a {@link Schema}: its name in the encoded dataset, its kind, the source column(s) it reads
 * and how the raw text is transformed. A categorical field with several columns is their cross: the
 * transformed values joined with {@value #CROSS}. A multi-valued field reads one column and splits it on
 * {@code separator}. Optional vocabulary limits: {@code minCount} (default 1) and {@code maxSize}
 * (0 = unlimited). Invalid definitions throw IllegalArgumentException naming the field.
 *
 * @param name      field name, unique in the schema
 * @param kind      CATEGORICAL, MULTI_CATEGORICAL or NUMERIC
 * @param columns   source column names (one, or several for a categorical cross)
 * @param transform text or numeric transform; null means IDENTITY
 * @param separator multi-value separator (MULTI_CATEGORICAL only; null means "|")
 * @param minCount  minimum training count for a vocabulary entry; 0 means 1
 * @param maxSize   maximum vocabulary entries besides id 0; 0 means unlimited
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FieldDef(String name, FieldKind kind, List<String> columns, Transform transform, String separator,
                       int minCount, int maxSize) {

    /** Joins the values of a cross feature. */
    public static final String CROSS = "\u00d7";

    public FieldDef {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("a field needs a non-blank 'name'");
        String where = "field '" + name + "': ";
        if (kind == null) throw new IllegalArgumentException(where + "'kind' is required (CATEGORICAL, MULTI_CATEGORICAL or NUMERIC)");
        if (columns == null || columns.isEmpty()) throw new IllegalArgumentException(where + "'columns' must name at least one source column");
        for (String c : columns) {
            if (c == null || c.isBlank()) throw new IllegalArgumentException(where + "column names must not be blank");
        }
        columns = List.copyOf(columns);
        if (transform == null) transform = Transform.IDENTITY;
        if (!transform.appliesTo(kind)) throw new IllegalArgumentException(where + "transform " + transform + " does not apply to a " + kind + " field");
        if (kind != FieldKind.CATEGORICAL && columns.size() != 1) {
            throw new IllegalArgumentException(where + "a " + kind + " field reads exactly one column, got " + columns);
        }
        if (kind == FieldKind.MULTI_CATEGORICAL) {
            if (separator == null) separator = "|";
            if (separator.isEmpty()) throw new IllegalArgumentException(where + "'separator' must not be empty");
        } else if (separator != null) {
            throw new IllegalArgumentException(where + "'separator' only applies to MULTI_CATEGORICAL fields");
        }
        if (minCount < 0) throw new IllegalArgumentException(where + "'minCount' must be >= 1, got " + minCount);
        if (minCount == 0) minCount = 1;
        if (maxSize < 0) throw new IllegalArgumentException(where + "'maxSize' must be >= 0 (0 = unlimited), got " + maxSize);
        if (kind == FieldKind.NUMERIC && (minCount != 1 || maxSize != 0)) {
            throw new IllegalArgumentException(where + "'minCount' and 'maxSize' do not apply to NUMERIC fields");
        }
    }

    /** A categorical field over one column, or the cross of several. */
    public static FieldDef categorical(String name, String... columns) {
        return new FieldDef(name, FieldKind.CATEGORICAL, List.of(columns), Transform.IDENTITY, null, 1, 0);
    }

    /** A multi-valued categorical field: one column split on {@code separator}. */
    public static FieldDef multi(String name, String column, String separator) {
        return new FieldDef(name, FieldKind.MULTI_CATEGORICAL, List.of(column), Transform.IDENTITY, separator, 1, 0);
    }

    /** A numeric field with the given transform (IDENTITY, MIN_MAX or LOG1P_MIN_MAX). */
    public static FieldDef numeric(String name, String column, Transform transform) {
        return new FieldDef(name, FieldKind.NUMERIC, List.of(column), transform, null, 1, 0);
    }

    public FieldDef withTransform(Transform t) {
        return new FieldDef(name, kind, columns, t, separator, minCount, maxSize);
    }

    /** Vocabulary limits: values seen fewer than {@code min} times are dropped, at most {@code max} kept (0 = all). */
    public FieldDef withLimits(int min, int max) {
        return new FieldDef(name, kind, columns, transform, separator, min, max);
    }

    @Override
    public List<String> columns() {
        return columns;
    }

    /** Never null. */
    @Override
    public Transform transform() {
        return Objects.requireNonNullElse(transform, Transform.IDENTITY);
    }
}
