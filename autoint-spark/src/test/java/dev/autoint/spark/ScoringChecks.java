package dev.autoint.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autoint.core.data.EncodedDataset;
import dev.autoint.data.movielens.MovieLensData.Ratings;
import dev.autoint.data.table.DelimitedReader;
import dev.autoint.data.table.TableEncoder;
import dev.autoint.eval.bundle.ModelBundle;
import dev.autoint.eval.movielens.MovieLensExperiment;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The comparisons both scoring tests make (local[2] and the standalone cluster): Spark's probabilities
 * against the single-node {@code Predictor}'s for the same rows, float for float.
 */
final class ScoringChecks {

    private ScoringChecks() {
    }

    /** A click-log file read by Spark's CSV reader (strings) and scored, against the file scored by the library. */
    static void csvEqualsSingleNode(SparkSession spark, Path bundleDir, Path csv, int partitions) throws IOException {
        ModelBundle bundle = ModelBundle.load(bundleDir);
        TableEncoder enc = (TableEncoder) bundle.encoder();
        List<EncodedDataset> parts = new ArrayList<>();
        DelimitedReader.stream(csv, enc.schema(), enc.schema().format(), 1 << 20, (raw, lines) -> parts.add(enc.encode(raw)));
        float[] expected = bundle.predictor().predict(parts.get(0));

        Dataset<Row> rows = spark.read().option("header", "true").option("escape", "\"").csv(csv.toString()).repartition(partitions);
        try (SparkScorer scorer = SparkScorer.load(spark, bundleDir).batchRows(97)) {
            List<Row> scored = scorer.score(rows, "p").select("id", "p").collectAsList();
            assertThat(scored).hasSize(expected.length);
            for (Row r : scored) {
                int id = Integer.parseInt(r.getString(0));
                assertThat(r.getFloat(1)).as("row %d", id).isEqualTo(expected[id]);
            }
        }
    }

    /** Typed columns (numbers, nulls) scored on Spark, against the same cells encoded by {@code encodeRows}. */
    static void typedRowsEqualEncodeRows(SparkSession spark, Path bundleDir) throws IOException {
        ModelBundle bundle = ModelBundle.load(bundleDir);
        TableEncoder enc = (TableEncoder) bundle.encoder();
        StructType type = new StructType().add("id", DataTypes.IntegerType).add("ts", DataTypes.LongType)
                .add("user", DataTypes.StringType).add("item", DataTypes.StringType).add("category", DataTypes.StringType)
                .add("device", DataTypes.StringType).add("hour", DataTypes.IntegerType).add("tags", DataTypes.StringType)
                .add("price", DataTypes.DoubleType).add("rank", DataTypes.IntegerType);
        List<Row> rows = new ArrayList<>();
        List<Map<String, Object>> maps = new ArrayList<>();
        java.util.Random rnd = new java.util.Random(11);
        for (int i = 0; i < 300; i++) {
            Object[] v = {i, 1_700_001_000L + i, "u" + rnd.nextInt(70), "i" + rnd.nextInt(45),
                    rnd.nextInt(8) == 0 ? null : (rnd.nextBoolean() ? "SHOES" : "books"), rnd.nextBoolean() ? "mobile" : null,
                    rnd.nextInt(24), rnd.nextInt(5) == 0 ? null : "sale|" + (rnd.nextBoolean() ? "new" : "unseen-tag"),
                    rnd.nextInt(6) == 0 ? null : rnd.nextDouble() * 300 - 20, rnd.nextInt(7) == 0 ? null : rnd.nextInt(50)};
            rows.add(RowFactory.create(v));
            Map<String, Object> m = new LinkedHashMap<>();
            for (int c = 1; c < v.length; c++) m.put(type.fieldNames()[c], v[c]);
            maps.add(m);
        }
        float[] expected = bundle.predictor().predict(enc.encodeRows(maps));
        try (SparkScorer scorer = SparkScorer.load(spark, bundleDir)) {
            List<Row> scored = scorer.score(spark.createDataFrame(rows, type).repartition(3)).select("id", "probability").collectAsList();
            assertThat(scored).hasSize(rows.size());
            for (Row r : scored) assertThat(r.getFloat(1)).as("row %d", r.getInt(0)).isEqualTo(expected[r.getInt(0)]);
        }
    }

    /** The test ratings of a MovieLens experiment as (user, movie, time) rows, against the encoded test rows. */
    static void interactionsEqualSingleNode(SparkSession spark, Path bundleDir, MovieLensExperiment x, int partitions) throws IOException {
        ModelBundle bundle = ModelBundle.load(bundleDir);
        float[] expected = bundle.predictor().predict(x.test());
        Ratings r = x.testData().ratings();
        StructType type = new StructType().add("row", DataTypes.IntegerType).add("user", DataTypes.IntegerType)
                .add("movie", DataTypes.IntegerType).add("ts", DataTypes.LongType);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < r.size(); i++) rows.add(RowFactory.create(i, r.userIds()[i], r.movieIds()[i], r.timestamps()[i]));
        try (SparkScorer scorer = SparkScorer.load(spark, bundleDir)) {
            List<Row> scored = scorer.scoreInteractions(spark.createDataFrame(rows, type).repartition(partitions), "user", "movie", "ts", "p")
                    .select("row", "p").collectAsList();
            assertThat(scored).hasSize(expected.length);
            for (Row s : scored) assertThat(s.getFloat(1)).as("row %d", s.getInt(0)).isEqualTo(expected[s.getInt(0)]);
        }
    }
}
