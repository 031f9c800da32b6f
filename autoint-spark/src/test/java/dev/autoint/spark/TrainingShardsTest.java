package dev.autoint.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autoint.core.data.EncodedDataset;
import dev.autoint.core.internal.kernel.KernelProvider;
import dev.autoint.core.model.AutoIntConfig;
import dev.autoint.core.model.AutoIntModel;
import dev.autoint.data.movielens.MovieLensData.Ratings;
import dev.autoint.data.table.DelimitedReader;
import dev.autoint.data.table.RawTable;
import dev.autoint.data.table.Schema;
import dev.autoint.data.table.TableEncoder;
import dev.autoint.eval.movielens.MovieLensExperiment;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Training rows encoded on the executors, one shard per DataFrame partition, hold exactly what the driver's
 * encoding of the same rows holds: training on them gives the weights that training on driver-encoded shards
 * with the same rows per shard gives, bit for bit (a click log read by Spark's CSV reader with a table
 * encoder, label-rule drops included; MovieLens ratings with the MovieLens encoder). Runs in the vector
 * surefire run only (nothing here depends on the kernels).
 */
class TrainingShardsTest {

    static SparkSession spark;
    static Fixtures.Shared f;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeFalse("scalar".equals(System.getProperty(KernelProvider.PROPERTY)), "runs in the vector run only");
        f = Fixtures.shared();
        spark = LocalSpark.session();
    }

    static float[] train(AutoIntModel m, TrainingShards shards) {
        SparkTrainer.builder(spark, m).epochs(2).batchSize(128).seed(3).l2Embedding(1e-5f).learningRate(3e-3f).build().fit(shards, null);
        return m.parameters().toArray();
    }

    @Test
    void aClickLogEncodedOnTheExecutorsTrainsAsTheDriversEncoding() throws Exception {
        Schema schema = Schema.fromJson(Fixtures.SCHEMA);
        RawTable raw = DelimitedReader.read(f.csv(), schema, schema.format());
        TableEncoder enc = TableEncoder.fit(raw);
        EncodedDataset all = enc.encode(raw);
        // The label rule drops the rows whose label is NA; row i of `all` is the i-th kept line of the file.
        List<String> lines = Files.readAllLines(f.csv());
        int[] kept = new int[lines.size() - 1];
        int n = 0;
        for (int id = 0; id < kept.length; id++) kept[id] = lines.get(id + 1).endsWith(",NA") ? -1 : n++;
        assertThat(n).as("rows kept").isEqualTo(all.size()).isLessThan(kept.length);

        // Spark's CSV reader, several partitions (small file splits): cells are strings, empty cells null.
        Dataset<Row> rows = spark.read().option("header", "true").option("escape", "\"").csv(f.csv().toString());
        List<List<Row>> ids = rows.select("id").javaRDD().glom().collect();
        assertThat(ids).as("partitions").hasSizeGreaterThan(2);
        List<EncodedDataset> expected = new ArrayList<>();
        for (List<Row> part : ids) {
            int[] sel = part.stream().mapToInt(r -> kept[Integer.parseInt(r.getString(0))]).filter(i -> i >= 0).toArray();
            expected.add(all.select(sel));
        }

        float[] onExecutors, onDriver;
        try (TrainingShards shards = TrainingShards.encode(spark, rows, enc)) {
            assertThat(shards.sizes()).containsExactly(expected.stream().mapToInt(EncodedDataset::size).toArray());
            assertThat(shards.fields()).isEqualTo(enc.fieldSpecs());
            onExecutors = train(tableModel(enc), shards);
        }
        try (TrainingShards shards = TrainingShards.of(spark, expected)) {
            onDriver = train(tableModel(enc), shards);
        }
        assertThat(onExecutors).containsExactly(onDriver);
        assertThat(onExecutors).isNotEqualTo(tableModel(enc).parameters().toArray()); // training moved the weights

        Dataset<Row> withoutLabel = rows.drop("clicked");
        assertThatThrownBy(() -> TrainingShards.encode(spark, withoutLabel, enc)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[clicked]");
    }

    @Test
    void ratingsEncodedOnTheExecutorsTrainAsTheDriversEncoding() {
        MovieLensExperiment x = f.x();
        Ratings r = x.trainData().ratings();
        List<Row> list = new ArrayList<>(r.size());
        for (int i = 0; i < r.size(); i++) {
            list.add(RowFactory.create(r.userIds()[i], r.movieIds()[i], (double) r.ratings()[i], r.timestamps()[i]));
        }
        StructType type = new StructType().add("user", DataTypes.IntegerType).add("movie", DataTypes.IntegerType)
                .add("rating", DataTypes.DoubleType).add("ts", DataTypes.LongType);
        // parallelize cuts the list as TrainingShards.of cuts the encoded rows: [n·p/P, n·(p+1)/P).
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Dataset<Row> rows = spark.createDataFrame(jsc.parallelize(list, 2), type);
        AutoIntConfig config = AutoIntConfig.seedsAutoIntPlus().withSeed(11);
        float[] onExecutors, onDriver;
        try (TrainingShards shards = TrainingShards.encodeRatings(spark, rows, x.encoder(), "user", "movie", "rating", "ts")) {
            try (TrainingShards driver = TrainingShards.of(spark, x.train(), 2)) {
                assertThat(shards.sizes()).containsExactly(driver.sizes());
                onDriver = train(AutoIntModel.create(config, x.encoder().fieldSpecs()), driver);
            }
            onExecutors = train(AutoIntModel.create(config, x.encoder().fieldSpecs()), shards);
        }
        assertThat(onExecutors).containsExactly(onDriver);
    }

    static AutoIntModel tableModel(TableEncoder enc) {
        return AutoIntModel.create(AutoIntConfig.seedsAutoIntPlus().withSeed(4), enc.fieldSpecs());
    }
}
