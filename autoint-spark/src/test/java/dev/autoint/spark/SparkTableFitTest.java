package dev.autoint.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autoint.data.FeatureEncoder;
import dev.autoint.data.table.DelimitedReader;
import dev.autoint.data.table.RawTable;
import dev.autoint.data.table.Schema;
import dev.autoint.data.table.TableEncoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fitting a table encoder with DataFrame aggregations on {@code local[2]} gives the encoder the single-node
 * fit gives on the same rows: the saved files (schema, vocabularies with counts, scaler ranges, catalogue,
 * users and their encoded rows) are equal byte for byte, and so are the read counts.
 */
class SparkTableFitTest {

    static SparkSession spark;
    static Path csv;

    @BeforeAll
    static void start() throws Exception {
        csv = Fixtures.shared().csv();
        // Fitting does not touch the kernels: the scalar run would only repeat the vector run.
        Assumptions.assumeFalse("scalar".equals(System.getProperty("autoint.kernels")), "kernel-independent");
        spark = LocalSpark.session();
    }

    static Dataset<Row> rows() {
        return spark.read().option("header", "true").option("escape", "\"").csv(csv.toString());
    }

    @Test
    void theFileOrderAcrossPartitionsGivesTheSingleNodeEncoder(@TempDir Path dir) throws Exception {
        Dataset<Row> rows = rows();
        assertThat(rows.rdd().getNumPartitions()).isGreaterThan(2);
        sameAsSingleNode(Schema.fromJson(Fixtures.SCHEMA), rows, null, dir);
    }

    @Test
    void anOrderColumnGivesTheSingleNodeEncoderWhateverThePartitioning(@TempDir Path dir) throws Exception {
        // A label rule with a gap (1 is dropped) as well.
        Schema gap = Schema.fromJson(Fixtures.SCHEMA.replace("{\"positiveAtLeast\": 1, \"negativeBelow\": 1}",
                "{\"positiveAtLeast\": 2, \"negativeBelow\": 1}"));
        sameAsSingleNode(gap, rows().repartition(4), "id", dir);
    }

    static void sameAsSingleNode(Schema schema, Dataset<Row> rows, String order, Path dir) throws Exception {
        RawTable raw = DelimitedReader.read(csv, schema, schema.format());
        TableEncoder.fit(raw).save(dir.resolve("single"));
        SparkTableFit.Result r = SparkTableFit.fit(rows, schema, order);
        r.encoder().save(dir.resolve("spark"));
        assertThat(r.counts()).isEqualTo(raw.readCounts());
        assertThat(r.positives()).isEqualTo(raw.positives());
        assertThat(r.counts().labelMissing()).isPositive();
        for (String file : List.of(FeatureEncoder.FILE, TableEncoder.CATALOGUE_FILE, TableEncoder.ROWS_FILE)) {
            assertThat(Files.readString(dir.resolve("spark").resolve(file), java.nio.charset.StandardCharsets.ISO_8859_1)).as(file)
                    .isEqualTo(Files.readString(dir.resolve("single").resolve(file), java.nio.charset.StandardCharsets.ISO_8859_1));
        }
        TableEncoder enc = r.encoder();
        assertThat(enc.vocabulary("user").count(0)).as("users cut off by minCount").isPositive();
        assertThat(enc.vocabulary("item").size()).as("items kept by maxSize").isEqualTo(31);
    }
}
