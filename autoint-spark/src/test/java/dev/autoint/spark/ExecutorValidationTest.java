package dev.autoint.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autoint.core.data.EncodedDataset;
import dev.autoint.core.internal.kernel.KernelProvider;
import dev.autoint.core.model.AutoIntConfig;
import dev.autoint.core.model.AutoIntModel;
import dev.autoint.core.train.Trainer;
import dev.autoint.data.table.DelimitedReader;
import dev.autoint.data.table.RawTable;
import dev.autoint.data.table.Schema;
import dev.autoint.data.table.TableEncoder;
import dev.autoint.eval.movielens.MovieLensExperiment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Validation scored on the executors ({@link SparkTrainer#fitValidatingOnExecutors}) gives, epoch by epoch, the
 * AUC and log loss of the driver-side validation of the same rows, so early stopping stops after the same epoch,
 * restores the same one, and the run ends with the same weights: for encoded rows cut into shards (MovieLens)
 * and for a validation DataFrame read by Spark's CSV reader and encoded on the executors (a click log). The
 * runs are set to overfit (a high learning rate, patience 1), so that early stopping does end them. Runs in the
 * vector surefire run only (both sides score with the same kernels).
 */
class ExecutorValidationTest {

    static SparkSession spark;
    static Fixtures.Shared f;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeFalse("scalar".equals(System.getProperty(KernelProvider.PROPERTY)), "runs in the vector run only");
        f = Fixtures.shared();
        spark = LocalSpark.session();
    }

    static SparkTrainer.Builder overfitting(AutoIntModel m, Trainer.Monitor monitor) {
        return SparkTrainer.builder(spark, m).epochs(12).batchSize(128).seed(5).learningRate(1e-2f)
                .earlyStopping(monitor, 1, true);
    }

    @Test
    @Timeout(120)
    void encodedShardsValidateOnTheExecutorsAsOnTheDriver() {
        MovieLensExperiment x = f.x();
        AutoIntConfig config = AutoIntConfig.seedsAutoIntPlus().withSeed(13);
        AutoIntModel a = AutoIntModel.create(config, x.encoder().fieldSpecs());
        AutoIntModel b = AutoIntModel.create(config, x.encoder().fieldSpecs());
        Trainer.History onDriver, onExecutors;
        try (TrainingShards train = TrainingShards.of(spark, x.train(), 2); TrainingShards valid = TrainingShards.of(spark, x.valid(), 3)) {
            onDriver = overfitting(a, Trainer.Monitor.AUC).build().fit(train, x.valid());
            onExecutors = overfitting(b, Trainer.Monitor.AUC).build().fitValidatingOnExecutors(train, valid);
        }
        assertSameRun(onDriver, onExecutors, 12);
        assertThat(b.parameters().toArray()).containsExactly(a.parameters().toArray());
    }

    @Test
    @Timeout(120)
    void aValidationDataFrameEncodedOnTheExecutorsValidatesAsTheFileOnTheDriver() throws Exception {
        Schema schema = Schema.fromJson(Fixtures.SCHEMA);
        TableEncoder enc = TableEncoder.fit(DelimitedReader.read(f.csv(), schema, schema.format()));
        Path validCsv = Files.createTempFile("autoint-valid-", ".csv");
        try {
            Fixtures.clickLog(validCsv, 700, 8);
            RawTable validRaw = DelimitedReader.read(validCsv, schema, schema.format());
            EncodedDataset validOnDriver = enc.encode(validRaw);
            // Spark's CSV reader cuts the file into several partitions, in file order (small file splits).
            Dataset<Row> trainRows = spark.read().option("header", "true").option("escape", "\"").csv(f.csv().toString());
            Dataset<Row> validRows = spark.read().option("header", "true").option("escape", "\"").csv(validCsv.toString());
            AutoIntConfig config = AutoIntConfig.seedsAutoIntPlus().withSeed(17);
            AutoIntModel a = AutoIntModel.create(config, enc.fieldSpecs());
            AutoIntModel b = AutoIntModel.create(config, enc.fieldSpecs());
            Trainer.History onDriver, onExecutors;
            try (TrainingShards train = TrainingShards.encode(spark, trainRows, enc);
                 TrainingShards valid = TrainingShards.encode(spark, validRows, enc)) {
                assertThat(valid.partitions()).as("validation partitions").isGreaterThan(1);
                assertThat(valid.rows()).as("rows the label rule keeps").isEqualTo(validOnDriver.size());
                onDriver = overfitting(a, Trainer.Monitor.LOGLOSS).build().fit(train, validOnDriver);
                onExecutors = overfitting(b, Trainer.Monitor.LOGLOSS).build().fitValidatingOnExecutors(train, valid);
            }
            assertSameRun(onDriver, onExecutors, 12);
            assertThat(b.parameters().toArray()).containsExactly(a.parameters().toArray());
        } finally {
            Files.deleteIfExists(validCsv);
        }
    }

    @Test
    void refusesValidationShardsOfAnotherModel() throws Exception {
        MovieLensExperiment x = f.x();
        Schema schema = Schema.fromJson(Fixtures.SCHEMA);
        RawTable clicks = DelimitedReader.read(f.csv(), schema, schema.format());
        EncodedDataset otherRows = TableEncoder.fit(clicks).encode(clicks);
        AutoIntModel m = AutoIntModel.create(AutoIntConfig.seedsAutoIntPlus(), x.encoder().fieldSpecs());
        float[] before = m.parameters().toArray();
        try (TrainingShards train = TrainingShards.of(spark, x.train(), 1); TrainingShards other = TrainingShards.of(spark, otherRows, 1)) {
            assertThatThrownBy(() -> overfitting(m, Trainer.Monitor.AUC).build().fitValidatingOnExecutors(train, other))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("validation shards' fields");
        }
        assertThat(m.parameters().toArray()).containsExactly(before);
    }

    /** Same epochs, the same metrics within float tolerance, the same best epoch, and early stopping did end the run. */
    static void assertSameRun(Trainer.History onDriver, Trainer.History onExecutors, int maxEpochs) {
        List<Trainer.EpochResult> d = onDriver.epochs(), e = onExecutors.epochs();
        assertThat(onDriver.stoppedEarly()).as("early stopping ended the driver-validated run").isTrue();
        assertThat(d.size()).isLessThan(maxEpochs).isGreaterThan(onDriver.bestEpoch() + 1);
        assertThat(e).hasSameSizeAs(d);
        for (int i = 0; i < d.size(); i++) {
            assertThat(d.get(i).validAuc()).as("epoch %d AUC", i + 1).isBetween(0.0, 1.0);
            assertThat(e.get(i).validAuc()).as("epoch %d AUC", i + 1).isCloseTo(d.get(i).validAuc(), Offset.offset(1e-9));
            assertThat(e.get(i).validLogLoss()).as("epoch %d log loss", i + 1).isCloseTo(d.get(i).validLogLoss(), Offset.offset(1e-9));
            // The shards' losses are summed in the order their tasks finish: equal up to rounding with more than two.
            assertThat(e.get(i).trainLoss()).as("epoch %d training loss", i + 1).isCloseTo(d.get(i).trainLoss(), Offset.offset(1e-12));
        }
        assertThat(onExecutors.bestEpoch()).isEqualTo(onDriver.bestEpoch());
        assertThat(onExecutors.stoppedEarly()).isTrue();
    }
}
