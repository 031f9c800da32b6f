package dev.autoint.spark;

import dev.autoint.core.data.EncodedDataset;
import dev.autoint.data.DataFormatException;
import dev.autoint.data.FeatureEncoder;
import dev.autoint.data.LabelRule;
import dev.autoint.data.movielens.MovieLensData.Ratings;
import dev.autoint.data.movielens.MovieLensEncoder;
import dev.autoint.data.table.DelimitedReader;
import dev.autoint.data.table.RawTable;
import dev.autoint.data.table.Schema;
import dev.autoint.data.table.TableEncoder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;

/**
 * Encodes one partition of raw training rows into one training shard, on the executor that holds the rows,
 * with the fitted encoder the driver broadcast (loaded once per executor JVM, {@link ExecutorCache}). The
 * partition is read in batches of {@value #BATCH} rows, each encoded as the single-node tools encode a file
 * (rows the label rule drops are dropped here too), and the batches are joined in row order.
 */
abstract class ShardEncoder implements Function2<Integer, Iterator<Row>, Iterator<TrainingShards.Shard>>, Serializable {

    private static final long serialVersionUID = 1L;
    static final int BATCH = 32_768;

    private final Broadcast<ShippedDirectory> encoderFiles;

    ShardEncoder(Broadcast<ShippedDirectory> encoderFiles) {
        this.encoderFiles = encoderFiles;
    }

    /** The training rows of one batch of raw rows (fewer when the label rule drops some). */
    abstract EncodedDataset encode(FeatureEncoder encoder, List<Row> batch);

    @Override
    public Iterator<TrainingShards.Shard> call(Integer partition, Iterator<Row> rows) {
        ShippedDirectory files = encoderFiles.value();
        FeatureEncoder encoder = ExecutorCache.get("encoder:" + files.key(), () -> files.load(FeatureEncoder::load));
        List<EncodedDataset> parts = new ArrayList<>();
        List<Row> batch = new ArrayList<>();
        while (rows.hasNext()) {
            batch.clear();
            while (batch.size() < BATCH && rows.hasNext()) batch.add(rows.next());
            EncodedDataset d = encode(encoder, batch);
            if (d.size() > 0) parts.add(d);
        }
        EncodedDataset data = parts.isEmpty() ? EncodedDataset.builder(encoder.fieldSpecs(), 0).build()
                : parts.size() == 1 ? parts.get(0) : EncodedDataset.concat(parts);
        return List.of(new TrainingShards.Shard(partition, data)).iterator();
    }

    /** Rows with a table schema's columns, the label column included, read as a file with the schema is read. */
    static final class Table extends ShardEncoder {
        private static final long serialVersionUID = 1L;
        private final List<String> columns;
        private final int[] index;

        Table(Broadcast<ShippedDirectory> encoderFiles, List<String> columns, int[] index) {
            super(encoderFiles);
            this.columns = List.copyOf(columns);
            this.index = index;
        }

        @Override
        EncodedDataset encode(FeatureEncoder encoder, List<Row> batch) {
            TableEncoder enc = (TableEncoder) encoder;
            Schema plain = SparkTableFit.plain(enc.schema());
            RawTable raw;
            try {
                raw = DelimitedReader.read(new ByteArrayInputStream(CsvRows.write(columns, index, batch)), "DataFrame rows", plain,
                        plain.format());
            } catch (DataFormatException e) {
                throw new IllegalArgumentException("a training row cannot be read with the encoder's schema: " + e.getMessage(), e);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return enc.encode(raw);
        }
    }

    /** (user, movie, rating, time) rows for a MovieLens encoder; the encoder's label rule turns a rating into a label. */
    static final class MovieRatings extends ShardEncoder {
        private static final long serialVersionUID = 1L;
        private final int[] index;

        MovieRatings(Broadcast<ShippedDirectory> encoderFiles, int[] index) {
            super(encoderFiles);
            this.index = index;
        }

        @Override
        EncodedDataset encode(FeatureEncoder encoder, List<Row> batch) {
            MovieLensEncoder enc = (MovieLensEncoder) encoder;
            LabelRule rule = enc.labelRule();
            int n = batch.size(), kept = 0;
            int[] users = new int[n], movies = new int[n];
            float[] ratings = new float[n], labels = new float[n];
            long[] times = new long[n];
            for (Row r : batch) {
                float rating = (float) decimal(r, index[2], "rating");
                float label = rule.apply(rating);
                if (Float.isNaN(label)) continue;
                users[kept] = Math.toIntExact(SparkScorer.number(r, index[0], "user"));
                movies[kept] = Math.toIntExact(SparkScorer.number(r, index[1], "movie"));
                times[kept] = SparkScorer.number(r, index[3], "time");
                ratings[kept] = rating;
                labels[kept++] = label;
            }
            Ratings rs = Ratings.of(Arrays.copyOf(users, kept), Arrays.copyOf(movies, kept), Arrays.copyOf(ratings, kept),
                    Arrays.copyOf(times, kept), Arrays.copyOf(labels, kept));
            return enc.encode(enc.catalog().withRatings(rs));
        }

        private static double decimal(Row r, int i, String what) {
            Object v = r.get(i);
            if (v instanceof Number num) return num.doubleValue();
            if (v == null) throw new IllegalArgumentException("the " + what + " column of a row is null: " + r);
            if (v instanceof String s) return Double.parseDouble(s.trim());
            throw new IllegalArgumentException("the " + what + " column holds " + v.getClass().getSimpleName() + ", not a number: " + r);
        }
    }
}
