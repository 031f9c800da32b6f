package dev.autoint.data.table;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.autoint.data.DataFormatException;
import dev.autoint.data.LabelRule;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What to read from a delimited file and how to encode it: the fields ({@link FieldDef}), the label column
 * and its {@link LabelRule}, and optionally a timestamp column and a user column kept for temporal and
 * per-user splits. Declared in code or in JSON, for example:
 * <pre>{@code
 * {"fields": [
 *    {"name": "user", "kind": "CATEGORICAL", "columns": ["user_id"]},
 *    {"name": "genres", "kind": "MULTI_CATEGORICAL", "columns": ["genres"], "separator": "|"},
 *    {"name": "age", "kind": "NUMERIC", "columns": ["age"], "transform": "MIN_MAX"}],
 *  "labelColumn": "rating", "labelRule": {"positiveAtLeast": 4, "negativeBelow": 4},
 *  "timestampColumn": "ts", "userColumn": "user_id",
 *  "items": {"keyField": "movie", "fields": ["movie", "genres"], "tagsField": "genres"}}
 * }</pre>
 * Invalid schemas throw IllegalArgumentException with a message naming the problem.
 *
 * @param fields          fields in dataset order; names unique
 * @param labelColumn     the column holding the raw target
 * @param labelRule       how the target becomes a label (null means {@link LabelRule#identity()})
 * @param timestampColumn optional column of integer timestamps (null: none)
 * @param userColumn      optional column of user keys (null: none); with {@code items}, what recommendation
 *                        is for
 * @param items           optional: which fields describe the recommended item ({@link ItemSpec}); null: the
 *                        data is scored row by row, not recommended from
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Schema(List<FieldDef> fields, String labelColumn, LabelRule labelRule, String timestampColumn,
                     String userColumn, ItemSpec items) {

    /**
     * The recommended item: its identity is the value of {@code keyField} (a categorical field), and the
     * fields in {@code fields} (which include the key field) depend on the item only, so a candidate row is
     * the user's context with these fields replaced by the item's. Optional {@code tagsField} (categorical or
     * multi-valued) gives tags for diversity and explanations, {@code yearField} an integer year for recency.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ItemSpec(String keyField, List<String> fields, String tagsField, String yearField) {
        public ItemSpec {
            if (keyField == null || keyField.isBlank()) throw new IllegalArgumentException("items: 'keyField' names the field that identifies an item");
            fields = fields == null ? List.of(keyField) : List.copyOf(fields);
            if (!fields.contains(keyField)) {
                java.util.List<String> all = new java.util.ArrayList<>(fields);
                all.add(0, keyField);
                fields = List.copyOf(all);
            }
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public Schema {
        if (fields == null || fields.isEmpty()) throw new IllegalArgumentException("a schema needs at least one field");
        Set<String> names = new HashSet<>();
        for (FieldDef f : fields) {
            if (f == null) throw new IllegalArgumentException("schema fields must not be null");
            if (!names.add(f.name())) throw new IllegalArgumentException("duplicate field name '" + f.name() + "'");
        }
        fields = List.copyOf(fields);
        if (labelColumn == null || labelColumn.isBlank()) throw new IllegalArgumentException("a schema needs a 'labelColumn'");
        if (labelRule == null) labelRule = LabelRule.identity();
        if (timestampColumn != null && timestampColumn.isBlank()) throw new IllegalArgumentException("'timestampColumn' must not be blank");
        if (userColumn != null && userColumn.isBlank()) throw new IllegalArgumentException("'userColumn' must not be blank");
        if (items != null) {
            java.util.Map<String, FieldDef> byName = new java.util.HashMap<>();
            for (FieldDef f : fields) byName.put(f.name(), f);
            for (String f : items.fields()) {
                if (!byName.containsKey(f)) throw new IllegalArgumentException("items: no field '" + f + "' in 'fields'");
            }
            if (byName.get(items.keyField()).kind() != dev.autoint.core.data.FieldKind.CATEGORICAL) {
                throw new IllegalArgumentException("items: the key field '" + items.keyField() + "' must be CATEGORICAL");
            }
            if (items.tagsField() != null && (!items.fields().contains(items.tagsField())
                    || byName.get(items.tagsField()).kind() == dev.autoint.core.data.FieldKind.NUMERIC)) {
                throw new IllegalArgumentException("items: 'tagsField' must name a categorical or multi-valued item field, got '"
                        + items.tagsField() + "'");
            }
            if (items.yearField() != null && !items.fields().contains(items.yearField())) {
                throw new IllegalArgumentException("items: 'yearField' must name one of the item fields, got '" + items.yearField() + "'");
            }
            if (items.fields().size() == fields.size()) {
                throw new IllegalArgumentException("items: every field describes the item; at least one must describe the user or context");
            }
        }
    }

    /** A schema without item declaration. */
    public Schema(List<FieldDef> fields, String labelColumn, LabelRule labelRule, String timestampColumn, String userColumn) {
        this(fields, labelColumn, labelRule, timestampColumn, userColumn, null);
    }

    /** A schema without timestamp or user column. */
    public static Schema of(List<FieldDef> fields, String labelColumn, LabelRule labelRule) {
        return new Schema(fields, labelColumn, labelRule, null, null, null);
    }

    /** The same schema keeping a timestamp column (for temporal splits) and a user column (for per-user splits). */
    public Schema withSplitColumns(String timestamp, String user) {
        return new Schema(fields, labelColumn, labelRule, timestamp, user, items);
    }

    /** The same schema declaring which fields describe the recommended item. */
    public Schema withItems(ItemSpec spec) {
        return new Schema(fields, labelColumn, labelRule, timestampColumn, userColumn, spec);
    }

    /** Every column this schema reads. */
    public Set<String> columns() {
        Set<String> s = new java.util.LinkedHashSet<>();
        for (FieldDef f : fields) s.addAll(f.columns());
        s.add(labelColumn);
        if (timestampColumn != null) s.add(timestampColumn);
        if (userColumn != null) s.add(userColumn);
        return s;
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses and validates a JSON schema; problems give IllegalArgumentException with the reason. */
    public static Schema fromJson(String json) {
        try {
            Schema s = JSON.readValue(json, Schema.class);
            if (s == null) throw new IllegalArgumentException("schema JSON is empty");
            return s;
        } catch (JsonProcessingException e) {
            Throwable root = e;
            while (root.getCause() != null) root = root.getCause();
            String msg = root instanceof IllegalArgumentException ? root.getMessage() : e.getOriginalMessage();
            throw new IllegalArgumentException("invalid schema: " + msg, e);
        }
    }

    /** Reads a JSON schema file; a malformed schema gives {@link DataFormatException} naming the file. */
    public static Schema load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new NoSuchFileException(file.toString(), null, "schema file not found");
        try {
            return fromJson(Files.readString(file));
        } catch (IllegalArgumentException e) {
            throw new DataFormatException(file.toString(), 0, 0, null, e.getMessage(), e);
        }
    }
}
