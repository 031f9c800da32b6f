package dev.autoint.data.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.autoint.core.data.EncodedDataset;
import dev.autoint.core.data.FieldKind;
import dev.autoint.core.data.FieldSpec;
import dev.autoint.core.internal.io.AtomicFiles;
import dev.autoint.core.internal.io.DatasetFiles;
import dev.autoint.core.internal.io.Safetensors;
import dev.autoint.data.Catalogue;
import dev.autoint.data.DataFormatException;
import dev.autoint.data.FeatureEncoder;
import dev.autoint.data.LabelRule;
import dev.autoint.data.UserDirectory;
import dev.autoint.data.Vocabulary;
import dev.autoint.data.internal.MinMaxScaler;
import dev.autoint.data.table.FieldDef.Transform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Vocabularies and scalers fitted on the train part of a {@link RawTable}, and the encoding of any table
 * read with the same {@link Schema} into an {@link EncodedDataset} (row {@code i} stays row {@code i}).
 * Unseen values map to id 0 and are counted per vocabulary; missing values map to id 0 (numeric: 0)
 * uncounted. Saved and loaded as JSON (written atomically), with the schema.
 */
public final class TableEncoder implements FeatureEncoder {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** The {@code format} of its {@value FeatureEncoder#FILE}. */
    public static final String FORMAT = "autoint-table-encoder";
    /** Items and users with their encoded rows, beside {@value FeatureEncoder#FILE}. */
    public static final String CATALOGUE_FILE = "table-catalogue.json";
    /** The encoded item features and user context rows. */
    public static final String ROWS_FILE = "table-catalogue.safetensors";
    private static final ObjectMapper COMPACT = new ObjectMapper();

    private final Schema schema;
    private final Vocabulary[] vocabularies; // null for NUMERIC
    private final MinMaxScaler[] scalers; // null unless NUMERIC with a min-max transform
    private final List<FieldSpec> specs;
    private Catalogue catalogue = Catalogue.empty();
    private UserDirectory users = UserDirectory.empty();
    private EncodedDataset userRows; // row i = users.all().get(i)'s latest training row; null without users
    private Map<String, Integer> itemKeys = Map.of(); // raw item key -> item id
    private final boolean[] itemFields;

    private TableEncoder(Schema schema, Vocabulary[] vocabularies, MinMaxScaler[] scalers) {
        this.schema = schema;
        this.vocabularies = vocabularies;
        this.scalers = scalers;
        this.itemFields = new boolean[schema.fields().size()];
        if (schema.items() != null) {
            for (int f = 0; f < itemFields.length; f++) itemFields[f] = schema.items().fields().contains(schema.fields().get(f).name());
        }
        List<FieldSpec> s = new ArrayList<>();
        for (int f = 0; f < schema.fields().size(); f++) {
            FieldDef fd = schema.fields().get(f);
            s.add(switch (fd.kind()) {
                case CATEGORICAL -> FieldSpec.categorical(fd.name(), vocabularies[f].size());
                case MULTI_CATEGORICAL -> FieldSpec.multiCategorical(fd.name(), vocabularies[f].size());
                case NUMERIC -> FieldSpec.numeric(fd.name());
            });
        }
        this.specs = List.copyOf(s);
    }

    /**
     * Fits on every row of {@code train} (the train part of a split): a vocabulary per categorical and
     * multi-valued field with the field's limits, a scaler per scaled numeric field, and, when the schema
     * declares them, the item catalogue and the users from their latest training rows.
     *
     * @param train the training rows
     * @return the encoder
     */
    public static TableEncoder fit(RawTable train) {
        Schema schema = train.schema();
        int nf = schema.fields().size();
        Vocabulary[] vocab = new Vocabulary[nf];
        MinMaxScaler[] scalers = new MinMaxScaler[nf];
        for (int f = 0; f < nf; f++) {
            FieldDef fd = schema.fields().get(f);
            List<String> dict = train.dictionary(f);
            long[] counts = new long[dict.size()];
            switch (fd.kind()) {
                case CATEGORICAL -> {
                    for (int c : train.codes(f)) if (c >= 0) counts[c]++;
                }
                case MULTI_CATEGORICAL -> {
                    int[] codes = train.multiCodes(f);
                    int end = train.multiOffsets(f)[train.size()];
                    for (int p = 0; p < end; p++) counts[codes[p]]++;
                }
                case NUMERIC -> {
                    if (fd.transform() != Transform.IDENTITY) {
                        double[] x = train.numbers(f);
                        double[] t = new double[x.length];
                        for (int i = 0; i < x.length; i++) t[i] = fd.transform().applyNumeric(x[i]);
                        scalers[f] = MinMaxScaler.fit(t);
                    }
                    continue;
                }
            }
            Map<String, Long> byValue = new HashMap<>(counts.length * 2);
            for (int c = 0; c < counts.length; c++) if (dict.get(c) != null) byValue.merge(dict.get(c), counts[c], Long::sum);
            vocab[f] = Vocabulary.fit(fd.name(), byValue, 0, fd.minCount(), fd.maxSize());
        }
        TableEncoder enc = new TableEncoder(schema, vocab, scalers);
        enc.fitCatalogue(train);
        return enc;
    }

    /**
     * An encoder from vocabularies and numeric ranges gathered elsewhere, for a fit that counts values where the
     * training rows are (a cluster) and sends only the counts: the same encoder {@link #fit} makes when the
     * vocabularies come from the same counts ({@link Vocabulary#fit(String, Map, long, int, int)} with the field's
     * {@code minCount} and {@code maxSize}) and each range is the minimum and maximum of the field's transformed
     * values. A field without a finite value has the range {@code {0, 0}}, as in {@link #fit}.
     *
     * @param schema       the schema the training rows were read with
     * @param vocabularies a vocabulary for every categorical and multi-valued field, by field name
     * @param ranges       {@code {min, max}} of the transformed values of every numeric field whose transform is
     *                     not {@code IDENTITY}, by field name; the min-max scaling of that field
     * @param latestRows   rows read with {@code schema} that include each item's and each user's latest training
     *                     row (other training rows may be present), in training order: the item catalogue and
     *                     the users are taken from them as {@link #fit} takes them from all training rows
     * @return the encoder
     * @throws IllegalArgumentException if {@code latestRows} has other fields, a vocabulary or range is missing, a
     *                                  vocabulary is misnamed, or a range is not two finite numbers with
     *                                  {@code min <= max}
     */
    public static TableEncoder of(Schema schema, Map<String, Vocabulary> vocabularies, Map<String, double[]> ranges,
                                  RawTable latestRows) {
        if (!latestRows.schema().fields().equals(schema.fields())) {
            throw new IllegalArgumentException("the latest rows were read with different fields than the schema's");
        }
        int nf = schema.fields().size();
        Vocabulary[] vocab = new Vocabulary[nf];
        MinMaxScaler[] sc = new MinMaxScaler[nf];
        for (int f = 0; f < nf; f++) {
            FieldDef fd = schema.fields().get(f);
            if (fd.kind() == FieldKind.NUMERIC) {
                if (fd.transform() != Transform.IDENTITY) {
                    double[] r = ranges.get(fd.name());
                    if (r == null) throw new IllegalArgumentException("ranges: no range for the numeric field '" + fd.name() + "'");
                    if (r.length != 2) {
                        throw new IllegalArgumentException("ranges: the range of field '" + fd.name() + "' has " + r.length
                                + " numbers, expected {min, max}");
                    }
                    try {
                        sc[f] = new MinMaxScaler(r[0], r[1]);
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("ranges: field '" + fd.name() + "': " + e.getMessage(), e);
                    }
                }
            } else {
                vocab[f] = vocabularies.get(fd.name());
                if (vocab[f] == null) throw new IllegalArgumentException("no vocabulary for the field '" + fd.name() + "'");
                if (!vocab[f].name().equals(fd.name())) {
                    throw new IllegalArgumentException("the vocabulary of field '" + fd.name() + "' is named '" + vocab[f].name() + "'");
                }
            }
        }
        TableEncoder enc = new TableEncoder(schema, vocab, sc);
        enc.fitCatalogue(latestRows);
        return enc;
    }

    /**
     * With items declared: each item's features from its latest training row (by timestamp when the schema
     * has one, else by position); with a user column: each user's latest training row as their context.
     * Ids are the keys themselves when every key is a non-negative integer, else 1, 2, ... in key order.
     */
    private void fitCatalogue(RawTable train) {
        int n = train.size();
        long[] ts = train.timestamps();
        if (schema.items() != null) {
            int keyField = fieldIndex(schema.items().keyField());
            Map<String, Integer> latest = new HashMap<>();
            for (int i = 0; i < n; i++) {
                String key = train.value(i, keyField);
                if (key != null) latest.merge(key, i, (prev, row) -> later(ts, prev, row));
            }
            Keyed k = keyed(latest);
            List<Catalogue.Item> items = new ArrayList<>(k.rows.length);
            Map<String, Integer> byKey = new HashMap<>();
            int tags = schema.items().tagsField() == null ? -1 : fieldIndex(schema.items().tagsField());
            int year = schema.items().yearField() == null ? -1 : fieldIndex(schema.items().yearField());
            for (int j = 0; j < k.rows.length; j++) {
                byKey.put(k.keys[j], k.ids[j]);
                items.add(new Catalogue.Item(k.ids[j], k.keys[j], k.keys[j], year < 0 ? 0 : yearOf(train, k.rows[j], year),
                        tags < 0 ? List.of() : rawValues(train, k.rows[j], tags)));
            }
            catalogue = new Catalogue(tags < 0 ? "tag" : schema.items().tagsField(), items, encode(train.select(k.rows)), itemFields);
            itemKeys = Map.copyOf(byKey);
        }
        if (schema.userColumn() != null && train.users() != null) {
            int[] u = train.users();
            Map<String, Integer> latest = new HashMap<>();
            for (int i = 0; i < n; i++) latest.merge(train.userValue(u[i]), i, (prev, row) -> later(ts, prev, row));
            Keyed k = keyed(latest);
            List<UserDirectory.User> us = new ArrayList<>(k.rows.length);
            for (int j = 0; j < k.rows.length; j++) us.add(new UserDirectory.User(k.ids[j], k.keys[j], profile(train, k.rows[j])));
            users = new UserDirectory(us);
            userRows = encode(train.select(k.rows));
        }
    }

    /** Of two rows of one key, the one that counts as its latest: the later timestamp, else the later row. */
    private static int later(long[] ts, int a, int b) {
        return ts == null || ts[b] >= ts[a] ? b : a;
    }

    /** Keys with their ids and latest rows, in ascending id order. */
    private record Keyed(String[] keys, int[] ids, int[] rows) {
    }

    private static Keyed keyed(Map<String, Integer> latestRow) {
        List<String> keys = new ArrayList<>(latestRow.keySet());
        int[] ids = ids(keys);
        Integer[] order = new Integer[keys.size()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Integer.compare(ids[a], ids[b]));
        Keyed k = new Keyed(new String[order.length], new int[order.length], new int[order.length]);
        for (int j = 0; j < order.length; j++) {
            k.keys[j] = keys.get(order[j]);
            k.ids[j] = ids[order[j]];
            k.rows[j] = latestRow.get(k.keys[j]);
        }
        return k;
    }

    /** Ids for raw keys: the keys themselves when all are integers in [0, 2^31), else 1.. in key order. */
    private static int[] ids(List<String> keys) {
        int[] ids = new int[keys.size()];
        boolean numeric = true;
        for (int i = 0; i < ids.length && numeric; i++) {
            String k = keys.get(i);
            if (k.isEmpty() || k.length() > 10 || !k.chars().allMatch(Character::isDigit) || (k.length() > 1 && k.charAt(0) == '0')) {
                numeric = false;
            } else {
                long v = Long.parseLong(k);
                if (v > Integer.MAX_VALUE) numeric = false;
                else ids[i] = (int) v;
            }
        }
        if (numeric) return ids;
        String[] sorted = keys.toArray(new String[0]);
        Arrays.sort(sorted);
        Map<String, Integer> rank = new HashMap<>();
        for (int i = 0; i < sorted.length; i++) rank.put(sorted[i], i + 1);
        for (int i = 0; i < ids.length; i++) ids[i] = rank.get(keys.get(i));
        return ids;
    }

    private static List<String> rawValues(RawTable t, int row, int field) {
        FieldDef fd = t.schema().fields().get(field);
        if (fd.kind() == FieldKind.MULTI_CATEGORICAL) return t.values(row, field);
        String v = t.value(row, field);
        return v == null ? List.of() : List.of(v);
    }

    private static int yearOf(RawTable t, int row, int field) {
        FieldDef fd = t.schema().fields().get(field);
        double y;
        if (fd.kind() == FieldKind.NUMERIC) {
            y = t.number(row, field);
        } else {
            List<String> v = rawValues(t, row, field);
            if (v.isEmpty()) return 0;
            try {
                y = Double.parseDouble(v.get(0).replaceAll("s$", ""));
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        return Double.isFinite(y) && y >= 1 && y <= 9999 ? (int) y : 0;
    }

    /** The raw values of the fields that do not describe the item, in schema order. */
    private Map<String, String> profile(RawTable t, int row) {
        Map<String, String> p = new LinkedHashMap<>();
        for (int f = 0; f < schema.fields().size(); f++) {
            if (itemFields[f]) continue;
            FieldDef fd = schema.fields().get(f);
            String v = switch (fd.kind()) {
                case CATEGORICAL -> t.value(row, f);
                case MULTI_CATEGORICAL -> String.join(fd.separator(), t.values(row, f));
                case NUMERIC -> Double.isNaN(t.number(row, f)) ? null : formatNumber(t.number(row, f));
            };
            if (v != null) p.put(fd.name(), v);
        }
        return p;
    }

    private static String formatNumber(double x) {
        return x == Math.rint(x) && Math.abs(x) < 1e15 ? Long.toString((long) x) : Double.toString(x);
    }

    private int fieldIndex(String name) {
        return index(name);
    }

    /**
     * The schema this encoder was fitted with.
     *
     * @return the schema
     */
    public Schema schema() {
        return schema;
    }

    /**
     * The fields of every dataset this encoder makes, with vocabulary sizes.
     *
     * @return the fields, in schema order
     */
    public List<FieldSpec> fieldSpecs() {
        return specs;
    }

    /**
     * The vocabulary of a categorical or multi-valued field.
     *
     * @param field the field's name
     * @return the vocabulary
     * @throws IllegalArgumentException if there is no such field or it is numeric
     */
    public Vocabulary vocabulary(String field) {
        int f = index(field);
        if (vocabularies[f] == null) throw new IllegalArgumentException("field '" + field + "' is numeric");
        return vocabularies[f];
    }

    /**
     * The scaler of a numeric field, or null when it is unscaled.
     *
     * @param field the field's name
     * @return the scaler, or null (also for a categorical field)
     * @throws IllegalArgumentException if there is no such field
     */
    MinMaxScaler scaler(String field) {
        return scalers[index(field)];
    }

    private int index(String field) {
        for (int f = 0; f < schema.fields().size(); f++) if (schema.fields().get(f).name().equals(field)) return f;
        throw new IllegalArgumentException("no field '" + field + "'");
    }

    /**
     * Encodes every row of a table read with this encoder's schema. Thread-safe; unseen values are counted
     * in each vocabulary's out-of-vocabulary counter.
     *
     * @param table rows read with this encoder's schema
     * @return one encoded row per table row, in order, with the table's labels
     * @throws IllegalArgumentException if the table was read with other fields
     */
    public EncodedDataset encode(RawTable table) {
        if (!table.schema().fields().equals(schema.fields())) {
            throw new IllegalArgumentException("the table was read with different fields than this encoder was fitted on");
        }
        int n = table.size();
        int nf = specs.size();
        EncodedDataset.Builder b = EncodedDataset.builder(specs, n);
        int[][] remap = new int[nf][];
        long[] oov = new long[nf];
        for (int f = 0; f < nf; f++) {
            if (vocabularies[f] == null) continue;
            List<String> dict = table.dictionary(f);
            remap[f] = new int[dict.size()];
            for (int c = 0; c < dict.size(); c++) remap[f][c] = vocabularies[f].find(dict.get(c));
        }
        float[] labels = table.labels();
        for (int i = 0; i < n; i++) {
            for (int f = 0; f < nf; f++) {
                FieldKind kind = specs.get(f).kind();
                if (kind == FieldKind.CATEGORICAL) {
                    int c = table.codes(f)[i];
                    int id = c < 0 ? 0 : remap[f][c];
                    if (id < 0) {
                        oov[f]++;
                        id = 0;
                    }
                    b.categorical(f, id);
                } else if (kind == FieldKind.MULTI_CATEGORICAL) {
                    int[] off = table.multiOffsets(f);
                    int[] codes = table.multiCodes(f);
                    for (int p = off[i]; p < off[i + 1]; p++) {
                        int id = remap[f][codes[p]];
                        if (id < 0) {
                            oov[f]++;
                            id = 0;
                        }
                        b.addMulti(f, id);
                    }
                } else {
                    double x = table.numbers(f)[i];
                    float v;
                    if (Double.isNaN(x)) v = 0f;
                    else if (scalers[f] == null) v = (float) x;
                    else v = scalers[f].scale(schema.fields().get(f).transform().applyNumeric(x));
                    b.numeric(f, Float.isFinite(v) ? v : 0f);
                }
            }
            b.endRow(labels[i]);
        }
        for (int f = 0; f < nf; f++) if (vocabularies[f] != null) vocabularies[f].recordOov(oov[f]);
        return b.build();
    }

    /**
     * Encodes rows given as column name → raw value (a string, a number, or null for missing), as a file of
     * this schema would hold them; the label column is not needed (labels are 0). Every column the schema
     * reads (besides the label) must be present and no other key.
     *
     * @param rows one map per row
     * @return one encoded row per map, in order
     * @throws IllegalArgumentException if a column is missing or unknown, or a value is one the file reader would
     *                                  refuse; the message starts with {@code rows[i].column:}
     */
    public EncodedDataset encodeRows(List<Map<String, Object>> rows) {
        List<String> columns = new ArrayList<>(schema.columns());
        columns.remove(schema.labelColumn());
        java.util.Set<String> known = new java.util.HashSet<>(columns);
        StringBuilder csv = new StringBuilder();
        for (int c = 0; c < columns.size(); c++) csv.append(c == 0 ? "" : ",").append(quote(columns.get(c)));
        csv.append('\n');
        for (int i = 0; i < rows.size(); i++) {
            Map<String, Object> row = rows.get(i);
            for (String key : row.keySet()) {
                if (!known.contains(key)) {
                    throw new IllegalArgumentException("rows[" + i + "]." + key + ": not a column of this model's schema; columns are " + columns);
                }
            }
            for (int c = 0; c < columns.size(); c++) {
                String col = columns.get(c);
                if (!row.containsKey(col)) throw new IllegalArgumentException("rows[" + i + "]." + col + ": missing (use null for a missing value)");
                Object v = row.get(col);
                if (v instanceof Double d && !Double.isFinite(d) || v instanceof Float f && !Float.isFinite(f)) {
                    throw new IllegalArgumentException("rows[" + i + "]." + col + ": " + v + " is not a finite number");
                }
                String text = v == null ? "" : v instanceof Number n ? formatCell(n) : v.toString();
                csv.append(c == 0 ? "" : ",").append(quote(text));
            }
            csv.append('\n');
        }
        Schema plain = new Schema(schema.fields(), schema.labelColumn(), schema.labelRule(), schema.timestampColumn(),
                schema.userColumn(), schema.items(), null, null, null, schema.missingValues());
        EncodedDataset[] out = new EncodedDataset[1];
        try {
            DelimitedReader.stream(new java.io.ByteArrayInputStream(csv.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                    "request", plain, plain.format(), Math.max(1, rows.size()), (raw, lines) -> out[0] = encode(raw));
        } catch (DataFormatException e) {
            int row = (int) e.line() - 2;
            String col = e.column() >= 1 && e.column() <= columns.size() ? columns.get(e.column() - 1) : "?";
            throw new IllegalArgumentException("rows[" + row + "]." + col + ": " + e.problem(), e);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        if (out[0] == null) return EncodedDataset.builder(specs, 0).build();
        return out[0];
    }

    private static String formatCell(Number n) {
        double d = n.doubleValue();
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : n.toString();
    }

    private static String quote(String s) {
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }

    // ------------------------------------------------------------------ FeatureEncoder

    @Override
    public LabelRule labelRule() {
        return schema.labelRule();
    }

    @Override
    public Catalogue catalogue() {
        return catalogue;
    }

    @Override
    public UserDirectory users() {
        return users;
    }

    /**
     * The item id of each row's item key (the catalogue's id, or a distinct negative id for a key unseen in
     * training), or null when the schema declares no items.
     *
     * @param table rows read with this encoder's schema
     * @return one id per row, or null
     */
    public int[] itemIds(RawTable table) {
        if (schema.items() == null) return null;
        int f = index(schema.items().keyField());
        Map<String, Integer> unseen = new HashMap<>();
        int[] out = new int[table.size()];
        for (int i = 0; i < out.length; i++) {
            String key = table.value(i, f);
            Integer id = key == null ? null : itemKeys.get(key);
            out[i] = id != null ? id : unseen.computeIfAbsent(key == null ? "" : key, k -> -1 - unseen.size());
        }
        return out;
    }

    /**
     * The user id of each row (a distinct negative id for a user unseen in training), or null without a user column.
     *
     * @param table rows read with this encoder's schema
     * @return one id per row, or null
     */
    public int[] userIds(RawTable table) {
        if (table.users() == null || schema.userColumn() == null) return null;
        int[] codes = table.users();
        Map<String, Integer> unseen = new HashMap<>();
        int[] out = new int[codes.length];
        for (int i = 0; i < out.length; i++) {
            String key = table.userValue(codes[i]);
            int id = users.idOf(key);
            out[i] = id >= 0 ? id : unseen.computeIfAbsent(key, k -> -1 - unseen.size());
        }
        return out;
    }

    /** Every field that does not describe the item, with no default: the user's latest training row supplies it. */
    @Override
    public Map<String, String> defaultContext() {
        Map<String, String> m = new LinkedHashMap<>();
        for (int f = 0; f < itemFields.length; f++) if (!itemFields[f]) m.put(schema.fields().get(f).name(), "");
        return m;
    }

    /**
     * The user's latest training row, with the given fields replaced by raw values (transformed, looked up
     * and scaled as in training; a value unseen in training becomes {@value Vocabulary#UNK} with a warning; a
     * number outside the scaler's fitted range is clipped into it with a warning).
     */
    @Override
    public EncodedDataset contextRow(int user, Map<String, String> context, List<String> warnings) {
        if (userRows == null) throw new IllegalArgumentException("user: this model's data has no user column ('userColumn' in the schema)");
        UserDirectory.User u = users.get(user);
        if (u == null) throw new IllegalArgumentException("user: no user " + user + " in the training data");
        int row = users.all().indexOf(u);
        EncodedDataset.Builder b = EncodedDataset.builder(specs, 1);
        for (int f = 0; f < specs.size(); f++) {
            FieldDef fd = schema.fields().get(f);
            String raw = context.get(fd.name());
            if (raw != null && itemFields[f]) throw new IllegalArgumentException(fd.name() + ": describes the item, not the context");
            switch (fd.kind()) {
                case CATEGORICAL -> b.categorical(f, raw == null ? userRows.id(row, f) : lookup(f, fd, raw, warnings));
                case MULTI_CATEGORICAL -> {
                    if (raw == null) {
                        for (int id : userRows.multiIds(row, f)) b.addMulti(f, id);
                    } else {
                        for (String part : raw.split(java.util.regex.Pattern.quote(fd.separator()), -1)) {
                            if (!part.isEmpty()) b.addMulti(f, lookup(f, fd, part, warnings));
                        }
                    }
                }
                case NUMERIC -> b.numeric(f, raw == null ? userRows.value(row, f) : number(f, fd, raw, warnings));
            }
        }
        for (String key : context.keySet()) {
            if (schema.fields().stream().noneMatch(fd -> fd.name().equals(key))) {
                throw new IllegalArgumentException(key + ": no such field; context fields are " + defaultContext().keySet());
            }
        }
        return b.endRow(0f).build();
    }

    private int lookup(int f, FieldDef fd, String raw, List<String> warnings) {
        String v;
        try {
            v = fd.transform().apply(raw);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(fd.name() + ": '" + raw + "' is " + e.getMessage(), e);
        }
        int id = v == null ? 0 : vocabularies[f].find(v);
        if (id < 0) {
            warnings.add(fd.name() + ": '" + raw + "' was not seen in training; encoded as " + Vocabulary.UNK);
            id = 0;
        }
        return id;
    }

    private float number(int f, FieldDef fd, String raw, List<String> warnings) {
        double x;
        try {
            x = Double.parseDouble(raw.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(fd.name() + ": '" + raw + "' is not a number");
        }
        if (!Double.isFinite(x)) throw new IllegalArgumentException(fd.name() + ": '" + raw + "' is not a finite number");
        if (scalers[f] == null) return (float) x;
        double t = fd.transform().applyNumeric(x);
        float v = scalers[f].scale(t);
        if (v < 0f || v > 1f) {
            warnings.add(String.format(java.util.Locale.ROOT, "%s: %s is outside the training range [%s, %s]; clipped",
                    fd.name(), raw, formatNumber(inverse(fd, scalers[f].min())), formatNumber(inverse(fd, scalers[f].max()))));
            v = Math.max(0f, Math.min(1f, v));
        }
        return v;
    }

    private static double inverse(FieldDef fd, double t) {
        return fd.transform() == Transform.LOG1P_MIN_MAX ? Math.signum(t) * Math.expm1(Math.abs(t)) : t;
    }

    /** What {@value #CATALOGUE_FILE} holds. */
    private record SavedCatalogue(String tagLabel, List<Catalogue.Item> items, List<UserDirectory.User> users) {
    }

    /**
     * Writes {@value FeatureEncoder#FILE} (schema, vocabularies, scaler ranges) and, when the data declares
     * items or users, {@value #CATALOGUE_FILE} and {@value #ROWS_FILE} into {@code dir}.
     */
    @Override
    public void save(Path dir) throws IOException {
        Files.createDirectories(dir);
        ObjectNode o = JSON.createObjectNode();
        o.put("format", FORMAT);
        o.put("version", 2);
        o.set("schema", JSON.readTree(schema.toJson()));
        ArrayNode fs = o.putArray("fields");
        for (int f = 0; f < specs.size(); f++) {
            ObjectNode fo = fs.addObject();
            fo.put("name", specs.get(f).name());
            if (vocabularies[f] != null) fo.set("vocabulary", vocabularies[f].toJson());
            if (scalers[f] != null) {
                fo.put("min", scalers[f].min());
                fo.put("max", scalers[f].max());
            }
        }
        AtomicFiles.writeBytes(dir.resolve(FILE), JSON.writeValueAsBytes(o));
        if (!catalogue.isEmpty() || users.size() > 0) {
            AtomicFiles.writeBytes(dir.resolve(CATALOGUE_FILE),
                    COMPACT.writeValueAsBytes(new SavedCatalogue(catalogue.tagLabel(), catalogue.items(), users.all())));
            List<Safetensors.Tensor> t = new ArrayList<>();
            if (!catalogue.isEmpty()) t.addAll(DatasetFiles.tensors("items", catalogue.features()));
            if (userRows != null) t.addAll(DatasetFiles.tensors("users", userRows));
            Safetensors.write(dir.resolve(ROWS_FILE), t, Map.of("format", FORMAT));
        }
    }

    /**
     * Loads what {@link #save} wrote into {@code dir}.
     *
     * @param dir the directory holding {@value FeatureEncoder#FILE}
     * @return the encoder
     * @throws NoSuchFileException if {@value FeatureEncoder#FILE} is missing
     * @throws DataFormatException if a file is malformed, of another format or version, or inconsistent with its schema
     * @throws IOException         if a file cannot be read
     */
    public static TableEncoder load(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) throw new NoSuchFileException(file.toString(), null, "encoder file not found");
        TableEncoder enc;
        try {
            JsonNode o = JSON.readTree(file.toFile());
            if (!FORMAT.equals(o.path("format").asText())) throw new IllegalArgumentException("not a " + FORMAT + " file");
            if (o.path("version").asInt() != 2) throw new IllegalArgumentException("version " + o.path("version").asInt() + " is not supported (2)");
            Schema schema = Schema.fromJson(o.get("schema").toString());
            int nf = schema.fields().size();
            JsonNode fs = o.path("fields");
            if (fs.size() != nf) throw new IllegalArgumentException("expected " + nf + " field entries, found " + fs.size());
            Vocabulary[] vocab = new Vocabulary[nf];
            MinMaxScaler[] scalers = new MinMaxScaler[nf];
            for (int f = 0; f < nf; f++) {
                FieldDef fd = schema.fields().get(f);
                JsonNode fo = fs.get(f);
                if (fd.kind() == FieldKind.NUMERIC) {
                    if (fd.transform() != Transform.IDENTITY) {
                        if (!fo.path("min").isNumber() || !fo.path("max").isNumber()) {
                            throw new IllegalArgumentException("field '" + fd.name() + "' lacks its scaler's min and max");
                        }
                        scalers[f] = new MinMaxScaler(fo.path("min").asDouble(), fo.path("max").asDouble());
                    }
                } else {
                    if (fo.get("vocabulary") == null) throw new IllegalArgumentException("field '" + fd.name() + "' lacks its vocabulary");
                    vocab[f] = Vocabulary.fromJson(fo.get("vocabulary"));
                }
            }
            enc = new TableEncoder(schema, vocab, scalers);
        } catch (IOException | NullPointerException | IllegalArgumentException e) {
            throw new DataFormatException(file.toString(), 0, 0, null, "not a valid table encoder file (" + e.getMessage() + ")", e);
        }
        Path cat = dir.resolve(CATALOGUE_FILE);
        if (Files.isRegularFile(cat)) {
            SavedCatalogue sc;
            try {
                sc = COMPACT.readValue(cat.toFile(), SavedCatalogue.class);
            } catch (IOException e) {
                throw new DataFormatException(cat.toString(), 0, 0, null, "not a valid catalogue (" + e.getMessage() + ")", e);
            }
            Path rowsFile = dir.resolve(ROWS_FILE);
            Safetensors.Contents rows = Safetensors.read(rowsFile);
            if (!sc.items().isEmpty()) {
                EncodedDataset features = DatasetFiles.dataset(rowsFile, rows, "items", enc.specs);
                enc.catalogue = new Catalogue(sc.tagLabel(), sc.items(), features, enc.itemFields);
                Map<String, Integer> byKey = new HashMap<>();
                for (Catalogue.Item it : sc.items()) byKey.put(it.key(), it.id());
                enc.itemKeys = Map.copyOf(byKey);
            }
            if (!sc.users().isEmpty()) {
                enc.users = new UserDirectory(sc.users());
                enc.userRows = DatasetFiles.dataset(rowsFile, rows, "users", enc.specs);
                if (enc.userRows.size() != sc.users().size()) {
                    throw new DataFormatException(rowsFile.toString(), 0, 0, null, enc.userRows.size() + " user rows for "
                            + sc.users().size() + " users", null);
                }
            }
        }
        return enc;
    }
}
