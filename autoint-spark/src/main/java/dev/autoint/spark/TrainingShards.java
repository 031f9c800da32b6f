package dev.autoint.spark;

import dev.autoint.core.data.EncodedDataset;
import dev.autoint.core.data.FieldSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * Training rows spread over the executors: one {@link EncodedDataset} per partition, kept in the executors'
 * memory for the whole training run ({@code MEMORY_ONLY}, as objects: an evicted partition is rebuilt from
 * its lineage). Partition {@code p} is shard {@code p}; {@link SparkTrainer} takes a share of every shard
 * into each global batch.
 */
public final class TrainingShards implements AutoCloseable {

    private final JavaRDD<Shard> rdd;
    private final int[] sizes;
    private final List<FieldSpec> fields;
    private final List<Broadcast<EncodedColumns>> parts;

    private TrainingShards(JavaRDD<Shard> rdd, int[] sizes, List<FieldSpec> fields, List<Broadcast<EncodedColumns>> parts) {
        this.rdd = rdd;
        this.sizes = sizes;
        this.fields = fields;
        this.parts = parts;
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
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        List<Broadcast<EncodedColumns>> parts = new ArrayList<>(partitions);
        List<Integer> indices = new ArrayList<>(partitions);
        int[] sizes = new int[partitions];
        for (int p = 0; p < partitions; p++) {
            int from = (int) ((long) data.size() * p / partitions);
            int to = (int) ((long) data.size() * (p + 1) / partitions);
            int[] rows = new int[to - from];
            for (int i = 0; i < rows.length; i++) rows[i] = from + i;
            parts.add(jsc.broadcast(EncodedColumns.of(partitions == 1 ? data : data.select(rows))));
            indices.add(p);
            sizes[p] = rows.length;
        }
        List<Broadcast<EncodedColumns>> handles = List.copyOf(parts);
        JavaRDD<Shard> rdd = jsc.parallelize(indices, partitions)
                .map(p -> new Shard(p, handles.get(p).value().dataset()))
                .persist(StorageLevel.MEMORY_ONLY());
        long count = rdd.count();
        if (count != partitions) throw new IllegalStateException(count + " shards for " + partitions + " partitions");
        return new TrainingShards(rdd, sizes, data.fields(), handles);
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
        for (Broadcast<EncodedColumns> b : parts) b.destroy(false);
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
