package dev.autoint.spark;

import dev.autoint.core.data.EncodedDataset;
import dev.autoint.core.data.FieldSpec;
import dev.autoint.data.FeatureEncoder;
import dev.autoint.data.movielens.MovieLensEncoder;
import dev.autoint.data.table.TableEncoder;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * Training rows spread over the executors: one {@link EncodedDataset} per partition, kept in the executors'
 * memory for the whole training run ({@code MEMORY_ONLY}, as objects: a partition evicted or lost with its
 * executor is rebuilt from its lineage). Partition {@code p} is shard {@code p}; {@link SparkTrainer} takes a
 * share of every shard into each global batch.
 *
 * <p>Two ways to make them: {@link #of} cuts rows already encoded on the driver into shards; {@link #encode}
 * and {@link #encodeRatings} encode raw rows where they are, each partition of a DataFrame on its executor with
 * the fitted encoder, so the training rows never pass through the driver.
 */
public final class TrainingShards implements AutoCloseable {

    private final JavaRDD<Shard> rdd;
    private final int[] sizes;
    private final List<FieldSpec> fields;
    private final List<? extends Broadcast<?>> broadcasts;

    /** Shards over {@code rdd} (one shard per partition, {@code sizes[p]} rows in partition p); {@link #close} destroys {@code broadcasts}. */
    TrainingShards(JavaRDD<Shard> rdd, int[] sizes, List<FieldSpec> fields, List<? extends Broadcast<?>> broadcasts) {
        this.rdd = rdd;
        this.sizes = sizes;
        this.fields = fields;
        this.broadcasts = broadcasts;
    }

    /**
     * {@code data} cut into {@code partitions} contiguous parts of (nearly) equal size, sent to the executors
     * once and cached there. Each part travels as a broadcast of its own, fetched by the executor that builds
     * the shard (and again only if the shard must be rebuilt): the shards' lineage holds only the broadcast
     * handles, so a training step's tasks stay a few kilobytes (with {@code parallelize} of the rows, every
     * task of every step would carry its partition's rows).
     */
    public static TrainingShards of(SparkSession spark, EncodedDataset data, int partitions) {
        if (partitions < 1) throw new IllegalArgumentException("partitions must be >= 1, got " + partitions);
        if (data.size() < partitions) throw new IllegalArgumentException(data.size() + " rows cannot fill " + partitions + " shards");
        if (partitions == 1) return of(spark, List.of(data));
        List<EncodedDataset> parts = new ArrayList<>(partitions);
        for (int p = 0; p < partitions; p++) {
            int from = (int) ((long) data.size() * p / partitions);
            int to = (int) ((long) data.size() * (p + 1) / partitions);
            int[] rows = new int[to - from];
            for (int i = 0; i < rows.length; i++) rows[i] = from + i;
            parts.add(data.select(rows));
        }
        return of(spark, parts);
    }

    /** One shard per dataset of {@code parts}, in order, each sent as a broadcast of its own (as {@link #of(SparkSession, EncodedDataset, int)}). */
    static TrainingShards of(SparkSession spark, List<EncodedDataset> parts) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        List<Broadcast<EncodedColumns>> handles = new ArrayList<>(parts.size());
        List<Integer> indices = new ArrayList<>(parts.size());
        int[] sizes = new int[parts.size()];
        for (int p = 0; p < parts.size(); p++) {
            if (!parts.get(p).fields().equals(parts.get(0).fields())) throw new IllegalArgumentException("the parts have different fields");
            handles.add(jsc.broadcast(EncodedColumns.of(parts.get(p))));
            indices.add(p);
            sizes[p] = parts.get(p).size();
        }
        List<Broadcast<EncodedColumns>> shipped = List.copyOf(handles);
        JavaRDD<Shard> rdd = jsc.parallelize(indices, parts.size())
                .map(p -> new Shard(p, shipped.get(p).value().dataset()))
                .persist(StorageLevel.MEMORY_ONLY());
        long count = rdd.count();
        if (count != parts.size()) throw new IllegalStateException(count + " shards for " + parts.size() + " partitions");
        return new TrainingShards(rdd, sizes, parts.get(0).fields(), shipped);
    }

    /**
     * The rows of a DataFrame encoded on the executors by a {@link TableEncoder} fitted before (with
     * {@link TableEncoder#fit} or {@link SparkTableFit}): one shard per partition of {@code rows}, in partition
     * order. {@code rows} must have every column the encoder's schema reads, the label column included, as
     * strings or numbers; each partition is read as the schema reads a file (missing-value tokens, transforms,
     * crosses; a row the label rule drops is dropped), so the shards hold exactly the rows and encoding that
     * {@code encoder.encode(DelimitedReader.read(file, schema, format))} gives for the same cells.
     *
     * <p>The encoder travels once, as a broadcast; the shards are built and cached by a job run here. For
     * runs that repeat exactly, a partition must give the same rows in the same order whenever it is computed
     * (files read again do; a partition rebuilt after its executor was lost is computed again). This is for rows
     * Spark reads where they are: every training step's task carries its partition's description, so a DataFrame
     * made from rows on the driver ({@code createDataFrame} of a list) would carry those rows in every task of
     * every step; use {@link #of(SparkSession, EncodedDataset, int)} for rows that are on the driver already.
     *
     * @throws IllegalArgumentException when a column is missing, or a partition holds a row the schema cannot
     *                                  read (the failing task's message names it)
     */
    public static TrainingShards encode(SparkSession spark, Dataset<Row> rows, TableEncoder encoder) {
        List<String> needed = new ArrayList<>(new LinkedHashSet<>(encoder.schema().columns()));
        int[] index = SparkScorer.indices(rows.schema(), needed);
        Broadcast<ShippedDirectory> files = shipEncoder(spark, encoder);
        return encoded(rows, encoder, new ShardEncoder.Table(files, needed, index), files);
    }

    /**
     * MovieLens-style ratings of a DataFrame encoded on the executors by a fitted {@link MovieLensEncoder}: one
     * shard per partition of {@code rows}, in partition order. The columns hold the user id, the movie id, the
     * rating and the Unix time (seconds); the encoder's label rule turns each rating into a label and drops the
     * rows it drops; users and movies are encoded from the encoder's catalogue, as
     * {@code encoder.encode(encoder.catalog().withRatings(ratings))} encodes the same ratings. As for
     * {@link #encode}, a partition must give the same rows whenever it is computed for runs to repeat exactly.
     */
    public static TrainingShards encodeRatings(SparkSession spark, Dataset<Row> rows, MovieLensEncoder encoder, String userColumn,
                                               String movieColumn, String ratingColumn, String timeColumn) {
        int[] index = SparkScorer.indices(rows.schema(), List.of(userColumn, movieColumn, ratingColumn, timeColumn));
        Broadcast<ShippedDirectory> files = shipEncoder(spark, encoder);
        return encoded(rows, encoder, new ShardEncoder.MovieRatings(files, index), files);
    }

    private static Broadcast<ShippedDirectory> shipEncoder(SparkSession spark, FeatureEncoder encoder) {
        return JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(ShippedDirectory.written(encoder::save));
    }

    private static TrainingShards encoded(Dataset<Row> rows, FeatureEncoder encoder, ShardEncoder encode, Broadcast<ShippedDirectory> files) {
        JavaRDD<Shard> rdd = rows.javaRDD().mapPartitionsWithIndex(encode, true).persist(StorageLevel.MEMORY_ONLY());
        try {
            List<Integer> counts = rdd.map(s -> s.data.size()).collect();
            int[] sizes = new int[counts.size()];
            long total = 0;
            for (int p = 0; p < sizes.length; p++) total += sizes[p] = counts.get(p);
            if (total == 0) throw new IllegalArgumentException("the DataFrame holds no training rows (" + sizes.length + " partitions)");
            return new TrainingShards(rdd, sizes, encoder.fieldSpecs(), List.of(files));
        } catch (RuntimeException | Error e) {
            rdd.unpersist(false);
            files.destroy(false);
            throw e;
        }
    }

    JavaRDD<Shard> rdd() {
        return rdd;
    }

    /** Rows per shard. */
    public int[] sizes() {
        return sizes.clone();
    }

    public int partitions() {
        return sizes.length;
    }

    public long rows() {
        long n = 0;
        for (int s : sizes) n += s;
        return n;
    }

    public List<FieldSpec> fields() {
        return fields;
    }

    /** Drops the cached shards from the executors. */
    @Override
    public void close() {
        rdd.unpersist(false);
        for (Broadcast<?> b : broadcasts) b.destroy(false);
    }

    /**
     * One partition's rows and its row order for the current epoch: a Fisher-Yates shuffle seeded by (seed,
     * epoch, shard). Shard 0 uses the single-node trainer's seed, so one shard visits its rows in the order
     * the {@code Trainer} visits the same rows.
     */
    static final class Shard {
        final int index;
        final EncodedDataset data;
        private int orderEpoch = -1;
        private long orderSeed;
        private int[] order;

        Shard(int index, EncodedDataset data) {
            this.index = index;
            this.data = data;
        }

        synchronized int[] order(long seed, int epoch) {
            if (order == null || orderEpoch != epoch || orderSeed != seed) {
                int[] o = new int[data.size()];
                for (int i = 0; i < o.length; i++) o[i] = i;
                SplittableRandom rnd = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (epoch + 1)) ^ (0xBF58476D1CE4E5B9L * index));
                for (int i = o.length - 1; i > 0; i--) {
                    int j = rnd.nextInt(i + 1);
                    int t = o[i];
                    o[i] = o[j];
                    o[j] = t;
                }
                order = o;
                orderEpoch = epoch;
                orderSeed = seed;
            }
            return order;
        }
    }
}
