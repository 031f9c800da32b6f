package dev.autoint.spark;

import dev.autoint.core.internal.kernel.KernelProvider;
import dev.autoint.core.internal.kernel.Kernels;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * Which {@link Kernels} one executor JVM chose: the executor id ("driver" in local mode), its process id,
 * the implementation and register width, the Java version, and whether the Vector API module was readable
 * (it is when the executor was started with {@code --add-modules jdk.incubator.vector}).
 *
 * @param executorId       Spark's executor id
 * @param pid              the executor's process id
 * @param kernels          {@link Kernels#name()} of the implementation in use
 * @param vectorBits       its register width in bits (the scalar kernels report theirs)
 * @param vectorApiReadable whether {@code jdk.incubator.vector} was readable in that JVM
 * @param javaVersion      {@code java.version} of that JVM
 */
public record ExecutorKernels(String executorId, long pid, String kernels, int vectorBits, boolean vectorApiReadable,
                              String javaVersion) implements Serializable {

    /** This JVM's choice (call it inside a task to learn the executor's). */
    public static ExecutorKernels here() {
        SparkEnv env = SparkEnv.get();
        Kernels k = KernelProvider.current();
        return new ExecutorKernels(env == null ? "none" : env.executorId(), ProcessHandle.current().pid(), k.name(),
                k.vectorBitSize(), KernelProvider.vectorApiReadable(), System.getProperty("java.version"));
    }

    /** One line, e.g. {@code executor 1 (pid 4242, Java 17.0.15): vector, 512-bit}. */
    @Override
    public String toString() {
        return "executor " + executorId + " (pid " + pid + ", Java " + javaVersion + "): " + kernels + ", " + vectorBits
                + "-bit" + (vectorApiReadable ? "" : " (Vector API not readable)");
    }

    /**
     * Runs a small job of {@code tasks} tasks (at least one per executor core is a good choice) and returns
     * each executor's choice, by executor id. An executor that got no task is missing from the result.
     */
    public static Map<String, ExecutorKernels> probe(SparkSession spark, int tasks) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        List<Integer> seeds = new ArrayList<>();
        for (int i = 0; i < tasks; i++) seeds.add(i);
        List<ExecutorKernels> found = jsc.parallelize(seeds, tasks).mapPartitions(it -> {
            // A little work so that one fast executor does not take every task before the others start.
            Thread.sleep(50);
            return List.of(here()).iterator();
        }).collect();
        Map<String, ExecutorKernels> byExecutor = new TreeMap<>();
        for (ExecutorKernels k : found) byExecutor.put(k.executorId(), k);
        return byExecutor;
    }
}
