package dev.autoint.spark;

import dev.autoint.core.internal.kernel.KernelProvider;
import org.apache.spark.SparkConf;

/**
 * Spark settings that let executors use the Vector API kernels: {@code --add-modules jdk.incubator.vector}
 * appended to {@code spark.executor.extraJavaOptions} and {@code spark.driver.extraJavaOptions}, with the JIT
 * flag that keeps JDK 17 from compiling the attention kernels without vector stores
 * ({@code KernelProvider.JIT_FLAGS}, harmless on later JDKs) (the
 * driver's only takes effect when Spark launches the driver JVM, as {@code spark-submit} does; a driver
 * that is already running keeps the flags it was started with). Spark 4 already adds the module to
 * executors among its default JVM options; stating it keeps the requirement visible and survives a
 * change of those defaults.
 */
public final class AutoIntSparkConf {

    private AutoIntSparkConf() {
    }

    /** Appends the Vector API flag and the JIT flag to the executor and driver Java options of {@code conf}; returns it. */
    public static SparkConf withVectorApi(SparkConf conf) {
        for (String key : new String[] {"spark.executor.extraJavaOptions", "spark.driver.extraJavaOptions"}) {
            append(conf, key, KernelProvider.VECTOR_FLAG);
            append(conf, key, KernelProvider.JIT_FLAGS);
        }
        return conf;
    }

    /**
     * Forces the executors' kernel choice with {@code -Dautoint.kernels=scalar|vector|auto}; with
     * {@code vector}, a task on an executor that cannot load the Vector API fails instead of silently
     * scoring on the slower scalar kernels.
     */
    public static SparkConf withExecutorKernels(SparkConf conf, String choice) {
        append(conf, "spark.executor.extraJavaOptions", "-D" + KernelProvider.PROPERTY + "=" + choice);
        return conf;
    }

    static void append(SparkConf conf, String key, String option) {
        String current = conf.get(key, "").trim();
        if ((" " + current + " ").contains(" " + option + " ")) return;
        conf.set(key, current.isEmpty() ? option : current + " " + option);
    }
}
