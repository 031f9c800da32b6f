package dev.autoint.data.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.autoint.core.data.EncodedDataset;
import dev.autoint.core.data.FieldKind;
import dev.autoint.core.data.FieldSpec;
import dev.autoint.core.io.AtomicFiles;
import dev.autoint.data.DataFormatException;
import dev.autoint.data.MinMaxScaler;
import dev.autoint.data.Vocabulary;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Vocabularies and scalers fitted on the train part of a {@link RawTable}, and the encoding of any table
 * read with the same {@link Schema} into an {@link EncodedDataset} (row {@code i} stays row {@code i}).
 * Unseen values map to id 0 and are counted per vocabulary; missing values map to id 0 (numeric: 0)
 * uncounted. Saved and loaded as JSON (written atomically), with the schema.
 */
public final class TableEncoder {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String FORMAT = "autoint-table-encoder";

    private final Schema schema;
    private final Vocabulary[] vocabularies; // null for NUMERIC
    private final MinMaxScaler[] scalers; // null unless NUMERIC with a min-max transform
    private final List<FieldSpec> specs;

    private TableEncoder(Schema schema, Vocabulary[] vocabularies, MinMaxScaler[] scalers) {
        this.schema = schema;
        this.vocabularies = vocabularies;
        this.scalers = scalers;
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

    /** Fits on every row of {@code train} (the train part of a split). */
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
            Vocabulary.Counter counter = Vocabulary.counter(fd.name());
            for (int c = 0; c < counts.length; c++) counter.add(dict.get(c), counts[c]);
            vocab[f] = counter.fit(fd.minCount(), fd.maxSize());
        }
        return new TableEncoder(schema, vocab, scalers);
    }

    public Schema schema() {
        return schema;
    }

    /** The fields of every dataset this encoder makes, with vocabulary sizes. */
    public List<FieldSpec> fieldSpecs() {
        return specs;
    }

    /** The vocabulary of a categorical or multi-valued field. */
    public Vocabulary vocabulary(String field) {
        int f = index(field);
        if (vocabularies[f] == null) throw new IllegalArgumentException("field '" + field + "' is numeric");
        return vocabularies[f];
    }

    /** The scaler of a numeric field, or null when it is unscaled. */
    public MinMaxScaler scaler(String field) {
        return scalers[index(field)];
    }

    private int index(String field) {
        for (int f = 0; f < schema.fields().size(); f++) if (schema.fields().get(f).name().equals(field)) return f;
        throw new IllegalArgumentException("no field '" + field + "'");
    }

    /** Encodes every row of a table read with this encoder's schema. */
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

    /** Writes the schema, vocabularies and scalers as JSON, atomically. */
    public void save(Path file) throws IOException {
        ObjectNode o = JSON.createObjectNode();
        o.put("format", FORMAT);
        o.put("version", 1);
        o.set("schema", JSON.readTree(schema.toJson()));
        ArrayNode fs = o.putArray("fields");
        for (int f = 0; f < specs.size(); f++) {
            ObjectNode fo = fs.addObject();
            if (vocabularies[f] != null) fo.set("vocabulary", vocabularies[f].toJson());
            if (scalers[f] != null) {
                fo.put("min", scalers[f].min());
                fo.put("max", scalers[f].max());
            }
        }
        AtomicFiles.writeBytes(file, JSON.writeValueAsBytes(o));
    }

    public static TableEncoder load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new NoSuchFileException(file.toString(), null, "encoder file not found");
        try {
            JsonNode o = JSON.readTree(file.toFile());
            if (!FORMAT.equals(o.path("format").asText())) throw new IllegalArgumentException("not a " + FORMAT + " file");
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
                        scalers[f] = new MinMaxScaler(fo.path("min").asDouble(), fo.path("max").asDouble());
                    }
                } else {
                    vocab[f] = Vocabulary.fromJson(fo.get("vocabulary"));
                }
            }
            return new TableEncoder(schema, vocab, scalers);
        } catch (IOException | NullPointerException | IllegalArgumentException e) {
            throw new DataFormatException(file.toString(), 0, 0, null, "not a valid table encoder file (" + e.getMessage() + ")", e);
        }
    }
}
