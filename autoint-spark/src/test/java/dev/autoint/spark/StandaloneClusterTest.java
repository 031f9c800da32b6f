package dev.autoint.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autoint.core.internal.kernel.KernelProvider;
import dev.autoint.core.internal.kernel.Kernels;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A real standalone cluster on 127.0.0.1: a master and two workers as JVMs of their own, the driver in this
 * JVM, one executor JVM per worker. Scoring there equals the single-node predictor float for float, every
 * executor reports the driver's kernels, and no process of the cluster outlives the test. Skipped in the
 * scalar surefire run (it would only repeat the vector run at twice the cost).
 */
class StandaloneClusterTest {

    @Test
    void twoWorkersScoreExactlyAsTheSingleNodePredictor() throws Exception {
        Assumptions.assumeFalse("scalar".equals(System.getProperty(KernelProvider.PROPERTY)), "the cluster runs in the vector run only");
        long t0 = System.nanoTime();
        Fixtures.Shared f = Fixtures.shared();
        LocalSpark.stop(); // one SparkContext per JVM: this test's driver talks to the cluster
        long t1 = System.nanoTime();
        Kernels driver = KernelProvider.current();
        List<Long> pids;
        Path work = Path.of("target", "spark-cluster-" + ProcessHandle.current().pid());
        try (LocalCluster cluster = LocalCluster.start(work, 2, 1, "1g", Duration.ofSeconds(300))) {
            long t2 = System.nanoTime();
            SparkConf conf = cluster.driverConf("StandaloneClusterTest", "640m");
            AutoIntSparkConf.withExecutorKernels(AutoIntSparkConf.withVectorApi(conf), driver.name());
            SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
            try {
                Map<String, ExecutorKernels> kernels = ExecutorKernels.probe(spark, 8);
                assertThat(kernels).as("executors").hasSize(2).doesNotContainKey("driver");
                for (ExecutorKernels k : kernels.values()) {
                    assertThat(k.pid()).isNotEqualTo(ProcessHandle.current().pid());
                    assertThat(k.kernels()).isEqualTo(driver.name());
                    assertThat(k.vectorBits()).isEqualTo(driver.vectorBitSize());
                    assertThat(k.vectorApiReadable()).isTrue();
                    assertThat(k.javaVersion()).isEqualTo(System.getProperty("java.version"));
                }
                long t3 = System.nanoTime();
                ScoringChecks.csvEqualsSingleNode(spark, f.table(), f.csv(), 4);
                ScoringChecks.interactionsEqualSingleNode(spark, f.movies(), f.x(), 4);
                System.out.printf(java.util.Locale.ROOT, "fixtures %.1f s, cluster up %.1f s, executors up %.1f s, scoring %.1f s; %s%n",
                        (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9, (System.nanoTime() - t3) / 1e9, kernels.values());
            } finally {
                spark.stop();
                SparkSession.clearActiveSession();
                SparkSession.clearDefaultSession();
            }
            pids = cluster.livePids();
            assertThat(pids).as("master, two workers and the processes around them are running").hasSizeGreaterThanOrEqualTo(3);
        }
        for (long pid : pids) {
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("process %d after close", pid).isFalse();
        }
        Fixtures.deleteTree(work);
    }
}
