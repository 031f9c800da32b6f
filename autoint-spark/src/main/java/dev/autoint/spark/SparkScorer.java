package dev.autoint.spark;

import dev.autoint.core.data.EncodedDataset;
import dev.autoint.core.model.Predictor;
import dev.autoint.data.DataFormatException;
import dev.autoint.data.FeatureEncoder;
import dev.autoint.data.movielens.MovieLensData.Ratings;
import dev.autoint.data.movielens.MovieLensEncoder;
import dev.autoint.data.table.DelimitedReader;
import dev.autoint.data.table.Schema;
import dev.autoint.data.table.TableEncoder;
import dev.autoint.eval.bundle.ModelBundle;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.CollectionAccumulator;

/**
 * Adds a click-probability column to a DataFrame with a model bundle, on the executors.
 *
 * <p>{@link #load} verifies the bundle on the driver ({@link ModelBundle#load}) and broadcasts its files
 * once. Each executor JVM loads them once, on the first task that needs them ({@link ExecutorCache}), and
 * every later task and job on that executor reuses the loaded bundle and its thread-safe
 * {@link Predictor}. A partition is scored in batches of {@link #batchRows()} rows: the batch is encoded
 * with the bundle's own encoder, exactly as the single-node tools encode, then scored by the predictor, so
 * a row's probability is the float {@code bundle.predictor()} gives for the same row.
 *
 * <ul>
 *   <li>{@link #score(Dataset, String)}: a bundle trained on a schema (a {@link TableEncoder}); the
 *       DataFrame has the schema's columns (the label column is not needed), as strings or numbers, and
 *       each batch is read by the same {@link DelimitedReader} that reads files;</li>
 *   <li>{@link #scoreInteractions}: a MovieLens bundle; each row is a (user, movie, Unix time) rating event,
 *       encoded by the {@link MovieLensEncoder} with the bundle's user and movie catalogue.</li>
 * </ul>
 * Every task records which kernels its executor uses; {@link #executorKernels()} returns them after an
 * action has run.
 */
public final class SparkScorer implements AutoCloseable {

    /** The output column unless told otherwise. */
    public static final String DEFAULT_COLUMN = "probability";
    /** Rows per encoded batch unless told otherwise. */
    public static final int DEFAULT_BATCH = 4096;

    private final ModelBundle bundle;
    private final Broadcast<ShippedDirectory> shipped;
    private final CollectionAccumulator<ExecutorKernels> kernels;
    private final long shippedBytes;
    private int batchRows = DEFAULT_BATCH;

    private SparkScorer(ModelBundle bundle, Broadcast<ShippedDirectory> shipped, CollectionAccumulator<ExecutorKernels> kernels,
                        long shippedBytes) {
        this.bundle = bundle;
        this.shipped = shipped;
        this.kernels = kernels;
        this.shippedBytes = shippedBytes;
    }

    /** Verifies the bundle in {@code bundleDir} on the driver and broadcasts its files to the executors. */
    public static SparkScorer load(SparkSession spark, Path bundleDir) throws IOException {
        ModelBundle bundle = ModelBundle.load(bundleDir);
        ShippedDirectory files = ShippedDirectory.of(bundleDir);
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        CollectionAccumulator<ExecutorKernels> acc = spark.sparkContext().collectionAccumulator("autoint executor kernels");
        return new SparkScorer(bundle, jsc.broadcast(files), acc, files.bytes());
    }

    /** The bundle as loaded on the driver. */
    public ModelBundle bundle() {
        return bundle;
    }

    /** Bytes of the broadcast bundle files (each executor fetches them once). */
    public long broadcastBytes() {
        return shippedBytes;
    }

    public int batchRows() {
        return batchRows;
    }

    /** Rows per encoded and scored batch (at least 1; default {@value #DEFAULT_BATCH}). */
    public SparkScorer batchRows(int rows) {
        if (rows < 1) throw new IllegalArgumentException("batchRows must be >= 1, got " + rows);
        this.batchRows = rows;
        return this;
    }

    /** {@link #score(Dataset, String)} into the column {@value #DEFAULT_COLUMN}. */
    public Dataset<Row> score(Dataset<Row> rows) {
        return score(rows, DEFAULT_COLUMN);
    }

    /**
     * {@code rows} with a float column {@code outputColumn} appended: the click probability of each row for a
     * bundle trained on a schema. Every column the schema reads (fields, timestamp and user columns) must
     * be present; other columns are carried through untouched. A cell that the schema's reader refuses
     * fails the task with the reader's message.
     */
    public Dataset<Row> score(Dataset<Row> rows, String outputColumn) {
        if (!(bundle.encoder() instanceof TableEncoder enc)) {
            throw new IllegalArgumentException("score(rows) needs a bundle trained with a schema (a table encoder); this bundle's"
                    + " encoder is " + bundle.encoder().getClass().getSimpleName() + ": use scoreInteractions");
        }
        Schema schema = enc.schema();
        List<String> needed = new ArrayList<>(new LinkedHashSet<>(schema.columns()));
        needed.remove(schema.labelColumn());
        int[] index = indices(rows.schema(), needed);
        StructType out = outputSchema(rows.schema(), outputColumn);
        return rows.mapPartitions(new TableRows(shipped, kernels, batchRows, needed, index), Encoders.row(out));
    }

    /**
     * {@code rows} with a float column {@code outputColumn} appended: the click probability of each (user,
     * movie, time) event for a MovieLens bundle. The three columns hold integers (the time in Unix seconds);
     * a null in them fails the task.
     */
    public Dataset<Row> scoreInteractions(Dataset<Row> rows, String userColumn, String itemColumn, String timeColumn,
                                          String outputColumn) {
        if (!(bundle.encoder() instanceof MovieLensEncoder)) {
            throw new IllegalArgumentException("scoreInteractions needs a MovieLens bundle; this bundle's encoder is "
                    + bundle.encoder().getClass().getSimpleName() + ": use score(rows)");
        }
        int[] index = indices(rows.schema(), List.of(userColumn, itemColumn, timeColumn));
        StructType out = outputSchema(rows.schema(), outputColumn);
        return rows.mapPartitions(new InteractionRows(shipped, kernels, batchRows, index), Encoders.row(out));
    }

    /** The kernels each executor used in the tasks run so far, by executor id. */
    public Map<String, ExecutorKernels> executorKernels() {
        Map<String, ExecutorKernels> m = new TreeMap<>();
        for (ExecutorKernels k : kernels.value()) m.put(k.executorId(), k);
        return m;
    }

    /** Removes the broadcast bundle from the executors. */
    @Override
    public void close() {
        shipped.destroy();
    }

    /** The position of each of {@code columns} in {@code schema}; IllegalArgumentException naming every missing one. */
    static int[] indices(StructType schema, List<String> columns) {
        List<String> present = Arrays.asList(schema.fieldNames());
        int[] index = new int[columns.size()];
        List<String> missing = new ArrayList<>();
        for (int k = 0; k < index.length; k++) {
            index[k] = present.indexOf(columns.get(k));
            if (index[k] < 0) missing.add(columns.get(k));
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("the DataFrame lacks the column(s) " + missing + " the bundle reads; it has " + present);
        }
        return index;
    }

    /** Cell {@code i} of {@code r} as an integer (a number, or a string holding one); a null fails, naming {@code what}. */
    static long number(Row r, int i, String what) {
        Object v = r.get(i);
        if (v instanceof Number num) return num.longValue();
        if (v == null) throw new IllegalArgumentException("the " + what + " column of a row is null: " + r);
        if (v instanceof String s) return Long.parseLong(s.trim());
        throw new IllegalArgumentException("the " + what + " column holds " + v.getClass().getSimpleName() + ", not an integer: " + r);
    }

    private static StructType outputSchema(StructType in, String column) {
        Objects.requireNonNull(column, "outputColumn");
        if (Arrays.asList(in.fieldNames()).contains(column)) {
            throw new IllegalArgumentException("the DataFrame already has a column '" + column + "'");
        }
        return in.add(column, DataTypes.FloatType, false);
    }

    /** A loaded bundle with its predictor, as an executor keeps it. */
    record Loaded(ModelBundle bundle, Predictor predictor) {
        static Loaded of(ShippedDirectory files) {
            ModelBundle b = files.load(ModelBundle::load);
            return new Loaded(b, b.predictor());
        }
    }

    /** Scores a partition batch by batch; subclasses encode a batch. */
    abstract static class PartitionScorer implements MapPartitionsFunction<Row, Row>, Serializable {
        private static final long serialVersionUID = 1L;
        private final Broadcast<ShippedDirectory> shipped;
        private final CollectionAccumulator<ExecutorKernels> kernels;
        private final int batchRows;

        PartitionScorer(Broadcast<ShippedDirectory> shipped, CollectionAccumulator<ExecutorKernels> kernels, int batchRows) {
            this.shipped = shipped;
            this.kernels = kernels;
            this.batchRows = batchRows;
        }

        abstract EncodedDataset encode(FeatureEncoder encoder, List<Row> batch);

        @Override
        public Iterator<Row> call(Iterator<Row> input) {
            ShippedDirectory files = shipped.value();
            Loaded loaded = ExecutorCache.get("bundle:" + files.key(), () -> Loaded.of(files));
            kernels.add(ExecutorKernels.here());
            return new Iterator<>() {
                private final List<Row> batch = new ArrayList<>(batchRows);
                private float[] scores = new float[0];
                private int next;

                @Override
                public boolean hasNext() {
                    if (next < batch.size()) return true;
                    batch.clear();
                    next = 0;
                    while (batch.size() < batchRows && input.hasNext()) batch.add(input.next());
                    if (batch.isEmpty()) return false;
                    EncodedDataset data = encode(loaded.bundle().encoder(), batch);
                    if (scores.length < batch.size()) scores = new float[batch.size()];
                    loaded.predictor().predict(data, null, 0, batch.size(), scores, 0, true);
                    return true;
                }

                @Override
                public Row next() {
                    if (!hasNext()) throw new NoSuchElementException();
                    Row in = batch.get(next);
                    Object[] values = new Object[in.length() + 1];
                    for (int i = 0; i < in.length(); i++) values[i] = in.get(i);
                    values[in.length()] = scores[next++];
                    return RowFactory.create(values);
                }
            };
        }
    }

    /** Rows with a table schema's columns. */
    static final class TableRows extends PartitionScorer {
        private static final long serialVersionUID = 1L;
        private final List<String> columns;
        private final int[] index;

        TableRows(Broadcast<ShippedDirectory> shipped, CollectionAccumulator<ExecutorKernels> kernels, int batchRows,
                  List<String> columns, int[] index) {
            super(shipped, kernels, batchRows);
            this.columns = List.copyOf(columns);
            this.index = index;
        }

        @Override
        EncodedDataset encode(FeatureEncoder encoder, List<Row> batch) {
            TableEncoder enc = (TableEncoder) encoder;
            Schema s = enc.schema();
            // The cells are written comma-separated and quoted whatever the training files looked like.
            Schema plain = new Schema(s.fields(), s.labelColumn(), s.labelRule(), s.timestampColumn(), s.userColumn(), s.items(),
                    null, null, null, s.missingValues());
            EncodedDataset[] out = new EncodedDataset[1];
            try {
                DelimitedReader.stream(new ByteArrayInputStream(CsvRows.write(columns, index, batch)), "DataFrame rows", plain,
                        plain.format(), batch.size(), (raw, lines) -> out[0] = enc.encode(raw));
            } catch (DataFormatException e) {
                throw new IllegalArgumentException("a row of the DataFrame cannot be read with the bundle's schema: " + e.getMessage(), e);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (out[0] == null || out[0].size() != batch.size()) {
                throw new IllegalStateException("encoded " + (out[0] == null ? 0 : out[0].size()) + " rows of a batch of " + batch.size());
            }
            return out[0];
        }
    }

    /** (user, movie, time) rows for a MovieLens bundle. */
    static final class InteractionRows extends PartitionScorer {
        private static final long serialVersionUID = 1L;
        private final int[] index;

        InteractionRows(Broadcast<ShippedDirectory> shipped, CollectionAccumulator<ExecutorKernels> kernels, int batchRows, int[] index) {
            super(shipped, kernels, batchRows);
            this.index = index;
        }

        @Override
        EncodedDataset encode(FeatureEncoder encoder, List<Row> batch) {
            MovieLensEncoder enc = (MovieLensEncoder) encoder;
            int n = batch.size();
            int[] users = new int[n], items = new int[n];
            long[] times = new long[n];
            for (int i = 0; i < n; i++) {
                Row r = batch.get(i);
                users[i] = Math.toIntExact(number(r, index[0], "user"));
                items[i] = Math.toIntExact(number(r, index[1], "item"));
                times[i] = number(r, index[2], "time");
            }
            return enc.encode(enc.catalog().withRatings(Ratings.of(users, items, new float[n], times, new float[n])));
        }

    }
}
