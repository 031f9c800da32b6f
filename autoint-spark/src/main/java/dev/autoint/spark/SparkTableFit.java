package dev.autoint.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.monotonically_increasing_id;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.autoint.core.data.FieldKind;
import dev.autoint.core.train.Metrics;
import dev.autoint.data.DataFormatException;
import dev.autoint.data.Vocabulary;
import dev.autoint.data.table.DelimitedReader;
import dev.autoint.data.table.FieldDef;
import dev.autoint.data.table.FieldDef.Transform;
import dev.autoint.data.table.RawTable;
import dev.autoint.data.table.Schema;
import dev.autoint.data.table.TableEncoder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * Fits a {@link TableEncoder} on a training DataFrame where its rows are: the same encoder that
 * {@link TableEncoder#fit} makes from the same rows read from a file.
 *
 * <ol>
 *   <li>Each partition reads its rows with the library's own {@link DelimitedReader} (a batch of rows at
 *       a time, written as delimited text with the schema's missing-value tokens), so missing values,
 *       transforms, crosses, multi-value splitting, number parsing and the label rule (rows it drops are
 *       left out and counted) are exactly those of single-node training. It counts the values of every
 *       categorical and multi-valued field, the transformed minimum and maximum of every scaled numeric
 *       field, the read counts and labels, and keeps each item's and each user's latest row.</li>
 *   <li>DataFrame aggregations combine the partitions: value counts summed per (field, value), values below
 *       the field's {@code minCount} dropped there (only their total count reaches the driver), minima and
 *       maxima, counts, and each key's latest row ({@code max} by timestamp, then row order).</li>
 *   <li>The driver builds the vocabularies ({@link Vocabulary#fit(String, Map, long, int, int)}: descending
 *       count, ties by value, {@code maxSize}, id 0 = {@value Vocabulary#UNK}), and the encoder with the numeric
 *       ranges and the catalogue and users from the latest rows ({@link TableEncoder#of}).</li>
 * </ol>
 * "Latest" means the larger timestamp, and between equal timestamps the later row: the row order is the
 * {@code orderColumn} when given, else the DataFrame's own order ({@code monotonically_increasing_id},
 * which follows partition order, i.e. file order for a DataFrame just read from files).
 */
public final class SparkTableFit {

    /**
     * What a fit returns.
     *
     * @param encoder   the fitted encoder
     * @param counts    what became of the rows: kept, dropped by the label rule (in the gap, missing label)
     * @param positives kept rows whose label is at least 0.5
     */
    public record Result(TableEncoder encoder, RawTable.ReadCounts counts, long positives) {
        /** Kept rows whose label is below 0.5. */
        public long negatives() {
            return counts.rowsKept() - positives;
        }
    }

    /** Rows per batch read by the library's reader inside a partition. */
    static final int BATCH = 32_768;
    private static final String ORDER = "__autoint_order";
    private static final String ROW = "__autoint_row";
    private static final StructType PARTIAL = new StructType()
            .add("kind", DataTypes.StringType, false)
            .add("field", DataTypes.IntegerType, false)
            .add("value", DataTypes.StringType, true)
            .add("count", DataTypes.LongType, false)
            .add("lo", DataTypes.DoubleType, false)
            .add("hi", DataTypes.DoubleType, false)
            .add("ts", DataTypes.LongType, false)
            .add("ord", DataTypes.LongType, false)
            .add("line", DataTypes.StringType, true);
    private static final String[] COUNT_NAMES = {"rowsKept", "labelInGap", "labelMissing", "badLabelLines", "otherBadLines"};

    private SparkTableFit() {
    }

    /** {@link #fit(Dataset, Schema, String)} in the DataFrame's own row order. */
    public static Result fit(Dataset<Row> train, Schema schema) {
        return fit(train, schema, null);
    }

    /**
     * Fits on every row of {@code train}, which holds the columns {@code schema} reads (the label column
     * included) as strings or numbers.
     *
     * @param orderColumn an integer column giving the rows' training order (for "latest row" ties), or null
     */
    public static Result fit(Dataset<Row> train, Schema schema, String orderColumn) {
        List<String> needed = new ArrayList<>(new LinkedHashSet<>(schema.columns()));
        Dataset<Row> ordered = orderColumn == null ? train.withColumn(ORDER, monotonically_increasing_id())
                : train.withColumn(ORDER, col(orderColumn).cast(DataTypes.LongType));
        List<String> present = Arrays.asList(ordered.schema().fieldNames());
        int[] index = new int[needed.size()];
        List<String> missing = new ArrayList<>();
        for (int k = 0; k < index.length; k++) {
            index[k] = present.indexOf(needed.get(k));
            if (index[k] < 0) missing.add(needed.get(k));
        }
        if (!missing.isEmpty()) throw new IllegalArgumentException("the DataFrame lacks the column(s) " + missing + "; it has " + present);
        Dataset<Row> partial = ordered.mapPartitions(new PartialFit(schema.toJson(), needed, index, present.indexOf(ORDER)),
                Encoders.row(PARTIAL)).persist(StorageLevel.MEMORY_AND_DISK());
        try {
            return combine(schema, needed, partial);
        } finally {
            partial.unpersist();
        }
    }

    private static Result combine(Schema schema, List<String> needed, Dataset<Row> partial) {
        List<FieldDef> fields = schema.fields();
        // Vocabularies: counts summed per value; values under minCount leave only their total.
        Dataset<Row> counted = partial.filter(col("kind").equalTo("v")).groupBy("field", "value").agg(sum("count").as("n"))
                .persist(StorageLevel.MEMORY_AND_DISK());
        Map<Integer, Map<String, Long>> counters = new HashMap<>();
        long[] cutOff = new long[fields.size()];
        try {
            Column minCount = lit(1L);
            for (int f = fields.size() - 1; f >= 0; f--) minCount = when(col("field").equalTo(f), lit((long) fields.get(f).minCount())).otherwise(minCount);
            for (int f = 0; f < fields.size(); f++) {
                if (fields.get(f).kind() != FieldKind.NUMERIC) counters.put(f, new HashMap<>());
            }
            Iterator<Row> kept = counted.filter(col("n").geq(minCount)).toLocalIterator();
            while (kept.hasNext()) {
                Row r = kept.next();
                if (r.getString(1) != null) counters.get(r.getInt(0)).merge(r.getString(1), r.getLong(2), Long::sum);
            }
            for (Row r : counted.filter(col("n").lt(minCount)).groupBy("field").agg(sum("n")).collectAsList()) {
                cutOff[r.getInt(0)] += r.getLong(1);
            }
        } finally {
            counted.unpersist();
        }
        Map<String, Vocabulary> vocab = new LinkedHashMap<>();
        counters.forEach((f, c) -> vocab.put(fields.get(f).name(),
                Vocabulary.fit(fields.get(f).name(), c, cutOff[f], fields.get(f).minCount(), fields.get(f).maxSize())));

        // Numeric ranges: transformed minimum and maximum; a field without a finite value gets {0, 0}, as TableEncoder.fit.
        Map<String, double[]> ranges = new LinkedHashMap<>();
        for (FieldDef fd : fields) {
            if (fd.kind() == FieldKind.NUMERIC && fd.transform() != Transform.IDENTITY) ranges.put(fd.name(), new double[] {0, 0});
        }
        for (Row r : partial.filter(col("kind").equalTo("s")).groupBy("field").agg(min("lo"), max("hi")).collectAsList()) {
            ranges.put(fields.get(r.getInt(0)).name(), new double[] {r.getDouble(1), r.getDouble(2)});
        }

        // Read counts and positive labels.
        long[] counts = new long[COUNT_NAMES.length];
        long positives = 0;
        for (Row r : partial.filter(col("kind").isin("c", "l")).groupBy("kind", "field").agg(sum("count")).collectAsList()) {
            if (r.getString(0).equals("c")) counts[r.getInt(1)] = r.getLong(2);
            else positives = r.getLong(2);
        }
        RawTable.ReadCounts rc = new RawTable.ReadCounts(counts[0], counts[1], counts[2], counts[3], counts[4]);
        if (rc.rowsKept() == 0) throw new IllegalArgumentException("no training row is left after the label rule: " + rc.summary());

        // Each item's and user's latest row (or any one row, when the schema declares neither), in row order.
        boolean catalogue = schema.items() != null || schema.userColumn() != null;
        Dataset<Row> candidates = catalogue ? partial.filter(col("kind").isin("i", "u")) : partial.filter(col("kind").equalTo("f"));
        List<Row> latest = new ArrayList<>(candidates.groupBy("kind", "value").agg(max(struct("ts", "ord", "line")).as("m"))
                .select("m.ts", "m.ord", "m.line").distinct().collectAsList());
        latest.sort(Comparator.comparingLong((Row r) -> r.getLong(0)).thenComparingLong(r -> r.getLong(1)));
        if (!catalogue) latest = latest.subList(0, 1);
        StringBuilder csv = new StringBuilder();
        CsvRows.header(csv, needed);
        for (Row r : latest) csv.append(r.getString(2));
        Schema plain = plain(schema);
        RawTable latestRows;
        try {
            latestRows = DelimitedReader.read(new ByteArrayInputStream(csv.toString().getBytes(StandardCharsets.UTF_8)), "latest rows",
                    plain, plain.format());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Result(TableEncoder.of(schema, vocab, ranges, latestRows), rc, positives);
    }

    /** The schema's fields and rules with the layout of {@link CsvRows}: commas, a header, quoted cells. */
    static Schema plain(Schema s) {
        return new Schema(s.fields(), s.labelColumn(), s.labelRule(), s.timestampColumn(), s.userColumn(), s.items(),
                null, null, null, s.missingValues());
    }

    /** One partition's counts, extremes and latest rows, as rows of {@link #PARTIAL}. */
    static final class PartialFit implements MapPartitionsFunction<Row, Row>, Serializable {
        private static final long serialVersionUID = 1L;
        private final String schemaJson;
        private final List<String> columns;
        private final int[] index;
        private final int orderIndex;

        PartialFit(String schemaJson, List<String> columns, int[] index, int orderIndex) {
            this.schemaJson = schemaJson;
            this.columns = List.copyOf(columns);
            this.index = index;
            this.orderIndex = orderIndex;
        }

        /** The latest row of one key so far. */
        private static final class Latest {
            long ts;
            long ord;
            Row row;
        }

        @Override
        public Iterator<Row> call(Iterator<Row> input) {
            Schema schema = plain(Schema.fromJson(schemaJson));
            List<FieldDef> fields = schema.fields();
            int nf = fields.size();
            // The reader also reads each row's position in its batch, as an extra unscaled numeric field.
            List<FieldDef> withRow = new ArrayList<>(fields);
            withRow.add(FieldDef.numeric(ROW, ROW, Transform.IDENTITY));
            Schema reading = new Schema(withRow, schema.labelColumn(), schema.labelRule(), schema.timestampColumn(), schema.userColumn(),
                    null, null, null, null, schema.missingValues());
            List<String> header = new ArrayList<>(columns);
            header.add(ROW);
            int itemField = -1;
            if (schema.items() != null) {
                for (int f = 0; f < nf; f++) if (fields.get(f).name().equals(schema.items().keyField())) itemField = f;
            }
            List<Map<String, long[]>> values = new ArrayList<>();
            for (int f = 0; f < nf; f++) values.add(new HashMap<>());
            double[] lo = new double[nf], hi = new double[nf];
            Arrays.fill(lo, Double.POSITIVE_INFINITY);
            Arrays.fill(hi, Double.NEGATIVE_INFINITY);
            long[] counts = new long[COUNT_NAMES.length];
            long positives = 0;
            Map<String, Latest> items = new HashMap<>(), users = new HashMap<>();
            Latest first = null;
            List<Row> batch = new ArrayList<>(BATCH);
            while (input.hasNext()) {
                batch.clear();
                while (batch.size() < BATCH && input.hasNext()) batch.add(input.next());
                StringBuilder sb = new StringBuilder(batch.size() * 64);
                CsvRows.header(sb, header);
                for (int i = 0; i < batch.size(); i++) {
                    CsvRows.line(sb, index, batch.get(i));
                    sb.setLength(sb.length() - 1); // the row's position in the batch joins the line
                    sb.append(",\"").append(i).append("\"\n");
                }
                RawTable raw;
                try {
                    raw = DelimitedReader.read(new ByteArrayInputStream(sb.toString().getBytes(StandardCharsets.UTF_8)), "DataFrame rows",
                            reading, reading.format());
                } catch (DataFormatException e) {
                    throw new IllegalArgumentException("a training row cannot be read with the schema: " + e.getMessage(), e);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                RawTable.ReadCounts rc = raw.readCounts();
                counts[0] += rc.rowsKept();
                counts[1] += rc.labelInGap();
                counts[2] += rc.labelMissing();
                counts[3] += rc.badLabelLines();
                counts[4] += rc.otherBadLines();
                long[] ts = raw.timestamps();
                int[] us = raw.users();
                for (int i = 0; i < raw.size(); i++) {
                    for (int f = 0; f < nf; f++) {
                        FieldDef fd = fields.get(f);
                        switch (fd.kind()) {
                            case CATEGORICAL -> {
                                String v = raw.value(i, f);
                                if (v != null) values.get(f).computeIfAbsent(v, k -> new long[1])[0]++;
                            }
                            case MULTI_CATEGORICAL -> {
                                for (String v : raw.values(i, f)) values.get(f).computeIfAbsent(v, k -> new long[1])[0]++;
                            }
                            case NUMERIC -> {
                                if (fd.transform() != Transform.IDENTITY) {
                                    double t = fd.transform().applyNumeric(raw.number(i, f));
                                    if (Double.isFinite(t)) {
                                        lo[f] = Math.min(lo[f], t);
                                        hi[f] = Math.max(hi[f], t);
                                    }
                                }
                            }
                        }
                    }
                    if (Metrics.isPositive(raw.labels()[i])) positives++;
                    Row src = batch.get((int) raw.number(i, nf));
                    long t = ts == null ? 0 : ts[i];
                    long ord = src.getLong(orderIndex);
                    String itemKey = itemField < 0 ? null : raw.value(i, itemField);
                    if (itemKey != null) keep(items, itemKey, t, ord, src);
                    if (us != null) keep(users, raw.userValue(us[i]), t, ord, src);
                    if (first == null || ord < first.ord) {
                        first = new Latest();
                        first.ts = t;
                        first.ord = ord;
                        first.row = src;
                    }
                }
            }
            List<Row> out = new ArrayList<>();
            for (int f = 0; f < nf; f++) {
                for (Map.Entry<String, long[]> e : values.get(f).entrySet()) out.add(partial("v", f, e.getKey(), e.getValue()[0], 0, 0, 0, 0, null));
                if (lo[f] <= hi[f]) out.add(partial("s", f, null, 0, lo[f], hi[f], 0, 0, null));
            }
            for (int k = 0; k < counts.length; k++) out.add(partial("c", k, null, counts[k], 0, 0, 0, 0, null));
            out.add(partial("l", 0, null, positives, 0, 0, 0, 0, null));
            items.forEach((key, l) -> out.add(partial("i", 0, key, 0, 0, 0, l.ts, l.ord, line(l.row))));
            users.forEach((key, l) -> out.add(partial("u", 0, key, 0, 0, 0, l.ts, l.ord, line(l.row))));
            if (first != null) out.add(partial("f", 0, null, 0, 0, 0, first.ts, first.ord, line(first.row)));
            return out.iterator();
        }

        private void keep(Map<String, Latest> latest, String key, long ts, long ord, Row src) {
            Latest l = latest.get(key);
            if (l != null && (l.ts > ts || (l.ts == ts && l.ord > ord))) return;
            if (l == null) {
                l = new Latest();
                latest.put(key, l);
            }
            l.ts = ts;
            l.ord = ord;
            l.row = src;
        }

        private String line(Row src) {
            StringBuilder sb = new StringBuilder();
            CsvRows.line(sb, index, src);
            return sb.toString();
        }

        private static Row partial(String kind, int field, String value, long count, double lo, double hi, long ts, long ord, String line) {
            return RowFactory.create(kind, field, value, count, lo, hi, ts, ord, line);
        }
    }
}
