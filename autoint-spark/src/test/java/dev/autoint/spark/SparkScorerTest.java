package dev.autoint.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autoint.core.internal.kernel.KernelProvider;
import dev.autoint.eval.movielens.MovieLensExperiment;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Scoring on {@code local[2]}: every probability equals the single-node predictor's for the same row. */
class SparkScorerTest {

    static SparkSession spark;
    static Path csv;
    static Path table;
    static Path movies;
    static MovieLensExperiment x;

    @BeforeAll
    static void start() throws Exception {
        Fixtures.Shared f = Fixtures.shared();
        csv = f.csv();
        table = f.table();
        movies = f.movies();
        x = f.x();
        spark = LocalSpark.session();
    }

    @Test
    void csvRowsScoreAsTheFileDoes() throws Exception {
        ScoringChecks.csvEqualsSingleNode(spark, table, csv, 3);
    }

    @Test
    void typedColumnsAndNullsScoreAsEncodeRowsDoes() throws Exception {
        ScoringChecks.typedRowsEqualEncodeRows(spark, table);
    }

    @Test
    void movieLensEventsScoreAsTheEncodedTestRows() throws Exception {
        ScoringChecks.interactionsEqualSingleNode(spark, movies, x, 3);
    }

    @Test
    void reportsTheKernelsOfEachExecutor() throws Exception {
        try (SparkScorer scorer = SparkScorer.load(spark, movies)) {
            scorer.scoreInteractions(spark.createDataFrame(List.of(RowFactory.create(1, 1, 978_300_760L)),
                    new StructType().add("u", DataTypes.IntegerType).add("m", DataTypes.IntegerType).add("t", DataTypes.LongType)),
                    "u", "m", "t", "p").count();
            Map<String, ExecutorKernels> k = scorer.executorKernels();
            assertThat(k).containsOnlyKeys("driver");
            assertThat(k.get("driver").kernels()).isEqualTo(KernelProvider.current().name());
            assertThat(k.get("driver").pid()).isEqualTo(ProcessHandle.current().pid());
        }
        assertThat(ExecutorKernels.probe(spark, 2)).containsOnlyKeys("driver");
    }

    @Test
    void refusesMissingColumnsAndTheWrongKindOfBundle() throws Exception {
        try (SparkScorer scorer = SparkScorer.load(spark, table)) {
            var noPrice = spark.read().option("header", "true").option("escape", "\"").csv(csv.toString()).drop("price");
            assertThatThrownBy(() -> scorer.score(noPrice)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[price]");
            assertThatThrownBy(() -> scorer.scoreInteractions(noPrice, "user", "item", "ts", "p"))
                    .hasMessageContaining("needs a MovieLens bundle");
        }
    }
}
