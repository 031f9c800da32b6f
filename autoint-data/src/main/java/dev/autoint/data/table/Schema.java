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
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What to read from a delimited file and how to encode it: the fields ({@link FieldDef}), the label column
 * and its {@link LabelRule}, optionally a timestamp column and a user column kept for temporal and
 * per-user splits, and optionally the file's layout, so that one schema file fully describes how to read
 * its files ({@link #format()}). Declared in code or in JSON, for example:
 * <pre>{@code
 * {"fields": [
 *    {"name": "user", "kind": "CATEGORICAL", "columns": ["user_id"]},
 *    {"name": "genres", "kind": "MULTI_CATEGORICAL", "columns": ["genres"], "separator": "|"},
 *    {"name": "age", "kind": "NUMERIC", "columns": ["age"], "transform": "MIN_MAX"}],
 *  "labelColumn": "rating", "labelRule": {"positiveAtLeast": 4, "negativeBelow": 4},
 *  "timestampColumn": "ts", "userColumn": "user_id",
 *  "items": {"keyField": "movie", "fields": ["movie", "genres"], "tagsField": "genres"},
 *  "delimiter": "tab", "header": false, "columnNames": ["user_id", "genres", "age", "rating", "ts"],
 *  "missingValues": ["", "NA", "\\N"]}
 * }</pre>
 * The layout keys are optional: {@code delimiter} (one character or tab, comma, semicolon, pipe, as
 * {@link DelimitedFormat#parseDelimiter}; default comma), {@code header} (default true), {@code columnNames}
 * (only with {@code "header": false}, naming every column in order; without it a headerless file's
 * columns are "1", "2", ...), {@code missingValues} (cell texts meaning missing besides the empty cell).
 * The label rule must be complete (see {@link LabelRule}); without one the label column already holds
 * labels in [0, 1]. Invalid schemas throw IllegalArgumentException with a message naming the problem.
 *
 * @param fields          fields in dataset order; names unique
 * @param labelColumn     the column holding the raw target
 * @param labelRule       how the target becomes a label (null means {@link LabelRule#identity()})
 * @param timestampColumn optional column of integer timestamps (null: none)
 * @param userColumn      optional column of user keys (null: none); with {@code items}, what recommendation
 *                        is for
 * @param items           optional: which fields describe the recommended item ({@link ItemSpec}); null: the
 *                        data is scored row by row, not recommended from
 * @param delimiter       optional field delimiter as spelled in JSON (null: comma)
 * @param header          whether the file starts with a header line (null: true)
 * @param columnNames     the columns of a headerless file, in order (null: none given)
 * @param missingValues   cell texts meaning "missing" besides the empty cell (null: none)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Schema(List<FieldDef> fields, String labelColumn, LabelRule labelRule, String timestampColumn,
                     String userColumn, ItemSpec items, String delimiter, Boolean header, List<String> columnNames,
                     List<String> missingValues) {

    /**
     * The recommended item: its identity is the value of {@code keyField} (a categorical field), and the
     * fields in {@code fields} (which include the key field) depend on the item only, so a candidate row is
     * the user's context with these fields replaced by the item's. Optional {@code tagsField} (categorical or
     * multi-valued) gives tags for diversity and explanations, {@code yearField} an integer year for recency.
     *
     * @param keyField  the categorical field whose value identifies an item
     * @param fields    the fields that describe the item; the key field is added first when absent
     * @param tagsField a categorical or multi-valued item field giving tags, or null
     * @param yearField an item field holding an integer year, or null
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ItemSpec(String keyField, List<String> fields, String tagsField, String yearField) {
        /**
         * Validates the key field and adds it to {@code fields} when missing.
         *
         * @param keyField  the categorical field whose value identifies an item, not blank
         * @param fields    the item fields, or null for the key field alone; copied
         * @param tagsField a tags field, or null
         * @param yearField a year field, or null
         * @throws IllegalArgumentException if {@code keyField} is blank
         */
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

    /**
     * Validates the schema and fills in the defaults; see the class description for the rules.
     *
     * @param fields          fields in dataset order, at least one, names unique; copied
     * @param labelColumn     the column holding the raw target, not blank
     * @param labelRule       how the target becomes a label, or null for {@link LabelRule#identity()}
     * @param timestampColumn a column of integer timestamps, or null
     * @param userColumn      a column of user keys, or null
     * @param items           the item fields, or null
     * @param delimiter       the delimiter as spelled for {@link DelimitedFormat#parseDelimiter}, or null for comma
     * @param header          whether the file has a header line, or null for true
     * @param columnNames     the columns of a headerless file, or null; requires {@code header} false
     * @param missingValues   cell texts meaning "missing" besides the empty cell, or null
     * @throws IllegalArgumentException naming the problem, if any rule is broken (a duplicate field, an item
     *                                  field not in {@code fields}, a column not among {@code columnNames}, ...)
     */
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
        if (delimiter != null) {
            try {
                DelimitedFormat.parseDelimiter(delimiter);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'delimiter': " + e.getMessage(), e);
            }
        }
        if (missingValues != null) {
            for (String m : missingValues) {
                if (m == null) throw new IllegalArgumentException("'missingValues' must not contain null");
            }
            missingValues = List.copyOf(missingValues);
        }
        if (columnNames != null) {
            if (!Boolean.FALSE.equals(header)) {
                throw new IllegalArgumentException("'columnNames' name the columns of a file without a header line, but 'header' is "
                        + (header == null ? "not given (default true)" : "true") + ": add \"header\": false, or drop 'columnNames'"
                        + " to take the names from the header line");
            }
            if (columnNames.isEmpty()) throw new IllegalArgumentException("'columnNames' must list every column of the file");
            Set<String> seen = new HashSet<>();
            for (String c : columnNames) {
                if (c == null || c.isBlank()) throw new IllegalArgumentException("'columnNames' must not contain blank names");
                if (!seen.add(c)) throw new IllegalArgumentException("'columnNames' lists '" + c + "' twice");
            }
            columnNames = List.copyOf(columnNames);
        }
        if (Boolean.FALSE.equals(header)) {
            for (String[] use : uses(fields, labelColumn, timestampColumn, userColumn)) {
                String col = use[1];
                if (columnNames != null && !columnNames.contains(col)) {
                    throw new IllegalArgumentException(use[0] + " reads column '" + col + "', which is not among 'columnNames' "
                            + columnNames);
                }
                if (columnNames == null && !col.matches("[1-9][0-9]*")) {
                    throw new IllegalArgumentException(use[0] + " reads column '" + col + "', but a file without header line"
                            + " and without 'columnNames' has columns named 1, 2, 3, ...: list the names in 'columnNames'");
                }
            }
        }
    }

    /**
     * A schema without file layout keys or items: the caller gives the {@link DelimitedFormat}.
     *
     * @param fields          fields in dataset order, names unique
     * @param labelColumn     the column holding the raw target
     * @param labelRule       how the target becomes a label, or null for {@link LabelRule#identity()}
     * @param timestampColumn a column of integer timestamps, or null
     * @param userColumn      a column of user keys, or null
     * @throws IllegalArgumentException if the schema is invalid
     */
    public Schema(List<FieldDef> fields, String labelColumn, LabelRule labelRule, String timestampColumn, String userColumn) {
        this(fields, labelColumn, labelRule, timestampColumn, userColumn, null, null, null, null, null);
    }

    /** (who, column) for every column reference, in schema order, for messages. */
    private static List<String[]> uses(List<FieldDef> fields, String label, String timestamp, String user) {
        List<String[]> out = new ArrayList<>();
        for (FieldDef f : fields) {
            for (String c : f.columns()) out.add(new String[] {"field '" + f.name() + "'", c});
        }
        out.add(new String[] {"the label ('labelColumn')", label});
        if (timestamp != null) out.add(new String[] {"the timestamp ('timestampColumn')", timestamp});
        if (user != null) out.add(new String[] {"the user key ('userColumn')", user});
        return out;
    }

    /**
     * The file layout this schema's keys imply: the delimiter (default comma), header line or column names,
     * missing-value tokens; UTF-8, bad lines failing. Adjust the result with the {@code with...} methods
     * (for instance {@link DelimitedFormat#withSkipBadLines}).
     *
     * @return the format
     */
    public DelimitedFormat format() {
        char d = delimiter == null ? ',' : DelimitedFormat.parseDelimiter(delimiter);
        return new DelimitedFormat(d, header == null || header, columnNames,
                missingValues == null ? Set.of() : Set.copyOf(missingValues), StandardCharsets.UTF_8, false);
    }

    /**
     * A schema without timestamp or user column.
     *
     * @param fields      fields in dataset order, names unique
     * @param labelColumn the column holding the raw target
     * @param labelRule   how the target becomes a label, or null for {@link LabelRule#identity()}
     * @return the schema
     * @throws IllegalArgumentException if the schema is invalid
     */
    public static Schema of(List<FieldDef> fields, String labelColumn, LabelRule labelRule) {
        return new Schema(fields, labelColumn, labelRule, null, null);
    }

    /**
     * The same schema keeping a timestamp column (for temporal splits) and a user column (for per-user splits).
     *
     * @param timestamp a column of integer timestamps, or null
     * @param user      a column of user keys, or null
     * @return the new schema
     * @throws IllegalArgumentException if a column name is blank or not among {@code columnNames}
     */
    public Schema withSplitColumns(String timestamp, String user) {
        return new Schema(fields, labelColumn, labelRule, timestamp, user, items, delimiter, header, columnNames, missingValues);
    }

    /**
     * The same schema declaring which fields describe the recommended item.
     *
     * @param spec the item fields, or null to declare none
     * @return the new schema
     * @throws IllegalArgumentException if {@code spec} names fields the schema lacks, or every field
     */
    public Schema withItems(ItemSpec spec) {
        return new Schema(fields, labelColumn, labelRule, timestampColumn, userColumn, spec, delimiter, header, columnNames,
                missingValues);
    }

    /**
     * Every column this schema reads.
     *
     * @return the columns in schema order: fields' columns, label, timestamp, user
     */
    public Set<String> columns() {
        Set<String> s = new java.util.LinkedHashSet<>();
        for (FieldDef f : fields) s.addAll(f.columns());
        s.add(labelColumn);
        if (timestampColumn != null) s.add(timestampColumn);
        if (userColumn != null) s.add(userColumn);
        return s;
    }

    /**
     * This schema as indented JSON, which {@link #fromJson} reads back; null keys are left out.
     *
     * @return the JSON text
     */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Parses and validates a JSON schema; unknown keys are rejected.
     *
     * @param json the JSON text
     * @return the schema
     * @throws IllegalArgumentException with the reason, if the JSON is malformed or the schema invalid
     */
    public static Schema fromJson(String json) {
        try {
            Schema s = JSON.readValue(json, Schema.class);
            if (s == null) throw new IllegalArgumentException("schema JSON is empty");
            return s;
        } catch (JsonProcessingException e) {
            Throwable cause = e.getCause();
            while (cause != null && !(cause instanceof IllegalArgumentException)) cause = cause.getCause();
            String msg = cause != null ? cause.getMessage() : e.getOriginalMessage(); // the outermost, most specific reason
            throw new IllegalArgumentException("invalid schema: " + msg, e);
        }
    }

    /**
     * Reads a JSON schema file.
     *
     * @param file the file
     * @return the schema
     * @throws NoSuchFileException if the file does not exist
     * @throws DataFormatException naming the file, if the schema is malformed or invalid
     * @throws IOException         if the file cannot be read
     */
    public static Schema load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new NoSuchFileException(file.toString(), null, "schema file not found");
        try {
            return fromJson(Files.readString(file));
        } catch (IllegalArgumentException e) {
            throw new DataFormatException(file.toString(), 0, 0, null, e.getMessage(), e);
        }
    }
}
