package dev.autoint.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * One {@code local[2]} session shared by the test classes of a JVM (starting Spark costs seconds), made on
 * first use and stopped at exit, or earlier by a test that needs a session of its own ({@link #stop}).
 */
final class LocalSpark {

    private static SparkSession session;

    private LocalSpark() {
    }

    static synchronized SparkSession session() {
        if (session == null) {
            session = SparkSession.builder().config(AutoIntSparkConf.withVectorApi(new SparkConf()
                    .setMaster("local[2]").setAppName("autoint-spark tests").set("spark.ui.enabled", "false")
                    .set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1")
                    .set("spark.sql.shuffle.partitions", "3")
                    // Small file splits, so that even a test's small file spreads over several partitions.
                    .set("spark.sql.files.maxPartitionBytes", "20000").set("spark.sql.files.openCostInBytes", "0"))).getOrCreate();
            Runtime.getRuntime().addShutdownHook(new Thread(LocalSpark::stop));
        }
        return session;
    }

    /** Stops the shared session (a later {@link #session()} starts a new one). */
    static synchronized void stop() {
        if (session != null) session.stop();
        session = null;
        SparkSession.clearActiveSession();
        SparkSession.clearDefaultSession();
    }
}
