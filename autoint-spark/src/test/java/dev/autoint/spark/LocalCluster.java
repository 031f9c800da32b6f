package dev.autoint.spark;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * A real Spark standalone cluster on 127.0.0.1 for tests and benchmarks: one master and {@code workers}
 * workers, each a JVM of its own started from Spark's own {@code Master} and {@code Worker} classes in the
 * Maven artifacts on this JVM's class path; the workers start the executors as JVMs of their own.
 *
 * <p>A worker builds its executors' class path from {@code $SPARK_HOME/jars/*}, so {@link #start} makes a
 * {@code SPARK_HOME} whose {@code jars} folder links every jar of this JVM's class path (Spark, autoint,
 * Jackson...); the class-path directories (this build's {@code target/classes} folders) reach the
 * executors through {@code spark.executor.extraClassPath} ({@link #driverConf}). Nothing is downloaded.
 *
 * <p>Public (in the test sources) for the benchmarks and the example in {@code examples/spark}.
 *
 * <p>Every process runs under {@code timeout}, so even a killed test JVM leaves no cluster behind longer
 * than {@code lifetime}; {@link #close} (also run by a shutdown hook) stops every process and its children
 * (the executors), forcibly after a few seconds.
 */
public final class LocalCluster implements AutoCloseable {

    private static final String HOST = "127.0.0.1";

    private final Path home;
    private final List<Process> processes = new ArrayList<>();
    private final List<String> directories = new ArrayList<>();
    private final Thread hook = new Thread(this::stopAll, "local-cluster-shutdown");
    private final int workers;
    private String masterUrl;
    private int masterWebUi;

    private LocalCluster(Path home, int workers) {
        this.home = home;
        this.workers = workers;
    }

    /**
     * Starts a master and {@code workers} workers of {@code coresPerWorker} cores and {@code workerMemory}
     * (e.g. "1g") each, and waits until every worker has registered.
     *
     * @param dir      working folder (SPARK_HOME, logs, worker directories), created if needed
     * @param lifetime the longest any of the processes may live
     */
    public static LocalCluster start(Path dir, int workers, int coresPerWorker, String workerMemory, Duration lifetime) throws IOException {
        LocalCluster c = new LocalCluster(dir.toAbsolutePath(), workers);
        Runtime.getRuntime().addShutdownHook(c.hook);
        try {
            c.launch(coresPerWorker, workerMemory, lifetime);
            return c;
        } catch (IOException | RuntimeException | Error e) {
            c.close();
            throw e;
        }
    }

    private void launch(int cores, String memory, Duration lifetime) throws IOException {
        Path jars = home.resolve("spark-home/jars");
        if (Files.exists(jars)) {
            try (var s = Files.list(jars)) {
                for (Path p : (Iterable<Path>) s::iterator) Files.delete(p);
            }
        }
        Files.createDirectories(jars);
        Files.createDirectories(home.resolve("logs"));
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (entry.isEmpty()) continue;
            Path p = Path.of(entry).toAbsolutePath();
            if (Files.isDirectory(p)) {
                directories.add(p.toString());
            } else if (entry.endsWith(".jar") && Files.isRegularFile(p)) {
                Path link = jars.resolve(p.getFileName());
                if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) Files.createSymbolicLink(link, p);
            }
        }
        int port = freePort();
        masterWebUi = freePort();
        masterUrl = "spark://" + HOST + ":" + port;
        Process master = spawn("master", lifetime, "org.apache.spark.deploy.master.Master",
                "--host", HOST, "--port", Integer.toString(port), "--webui-port", Integer.toString(masterWebUi));
        waitFor(() -> canConnect(port), master, "master", Duration.ofSeconds(30));
        List<Process> ws = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            Path work = Files.createDirectories(home.resolve("work-" + w));
            ws.add(spawn("worker-" + w, lifetime, "org.apache.spark.deploy.worker.Worker", masterUrl,
                    "--host", HOST, "--port", Integer.toString(freePort()), "--cores", Integer.toString(cores),
                    "--memory", memory, "--webui-port", Integer.toString(freePort()), "--work-dir", work.toString()));
        }
        for (int w = 0; w < workers; w++) {
            Path log = home.resolve("logs/worker-" + w + ".log");
            int k = w;
            waitFor(() -> read(log).contains("Successfully registered with master"), ws.get(k), "worker-" + w, Duration.ofSeconds(40));
        }
    }

    /** The master's URL, {@code spark://127.0.0.1:PORT}. */
    public String masterUrl() {
        return masterUrl;
    }

    /** The folder holding each process's log (master.log, worker-N.log; executor logs are under work-N/). */
    public Path logs() {
        return home.resolve("logs");
    }

    /**
     * Settings for a driver in this JVM: the master, loopback addresses, {@code executorMemory} and one core
     * per executor, the class-path directories for the executors, no web UI. The first job waits (up to two
     * minutes) until every worker's executor has registered: without that, a job started right after the
     * session could run all its tasks on the one executor that came up first.
     */
    public SparkConf driverConf(String appName, String executorMemory) {
        return new SparkConf()
                .setMaster(masterUrl)
                .setAppName(appName)
                .set("spark.driver.host", HOST)
                .set("spark.driver.bindAddress", HOST)
                .set("spark.executor.memory", executorMemory)
                .set("spark.executor.cores", "1")
                .set("spark.cores.max", Integer.toString(workers))
                .set("spark.scheduler.minRegisteredResourcesRatio", "1.0")
                .set("spark.scheduler.maxRegisteredResourcesWaitingTime", "120s")
                .set("spark.executor.extraClassPath", String.join(File.pathSeparator, directories))
                .set("spark.ui.enabled", "false")
                .set("spark.sql.shuffle.partitions", Integer.toString(2 * workers));
    }

    /**
     * Waits until {@code spark}, a session made from {@link #driverConf}, sees one executor per worker (the
     * scheduler's own wait in {@code driverConf} gives up silently after its limit; this fails with the logs).
     */
    public void awaitExecutors(SparkSession spark, Duration limit) throws IOException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            // getExecutorInfos lists the driver too.
            int executors = spark.sparkContext().statusTracker().getExecutorInfos().length - 1;
            if (executors >= workers) return;
            if (System.nanoTime() > deadline) {
                StringBuilder tails = new StringBuilder();
                for (int w = 0; w < workers; w++) tails.append("\nworker-").append(w).append(":\n").append(tail(logs().resolve("worker-" + w + ".log")));
                throw new IOException(executors + " of " + workers + " executors registered within " + limit.toSeconds() + " s" + tails);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for executors", e);
            }
        }
    }

    @Override
    public void close() {
        stopAll();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException ignored) {
            // Already shutting down: the hook runs (or ran) stopAll itself.
        }
    }

    /** Every process started and every descendant (executors, the JVMs under timeout): TERM, then KILL. */
    private synchronized void stopAll() {
        List<ProcessHandle> all = new ArrayList<>();
        for (Process p : processes) {
            p.toHandle().descendants().forEach(all::add);
            all.add(p.toHandle());
        }
        for (ProcessHandle h : all) h.destroy();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
        for (ProcessHandle h : all) {
            long left = deadline - System.nanoTime();
            try {
                if (left > 0) h.onExit().get(left, TimeUnit.NANOSECONDS);
            } catch (Exception ignored) {
                // Killed below.
            }
        }
        for (ProcessHandle h : all) if (h.isAlive()) h.destroyForcibly();
        for (ProcessHandle h : all) {
            try {
                h.onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // A process that survives SIGKILL for 5 s is beyond our reach.
            }
        }
        processes.clear();
    }

    /** Process ids of every live process of the cluster, descendants included (for tests that check cleanup). */
    synchronized List<Long> livePids() {
        List<Long> pids = new ArrayList<>();
        for (Process p : processes) {
            if (p.isAlive()) pids.add(p.pid());
            p.toHandle().descendants().filter(ProcessHandle::isAlive).forEach(h -> pids.add(h.pid()));
        }
        return pids;
    }

    private synchronized Process spawn(String name, Duration lifetime, String mainClass, String... args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of("timeout", "-k", "5", Long.toString(lifetime.toSeconds()), java,
                "-Xmx512m", "-cp", home.resolve("spark-home/jars") + File.separator + "*",
                "-Dspark.master.rest.enabled=false", mainClass));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Map<String, String> env = pb.environment();
        env.put("SPARK_HOME", home.resolve("spark-home").toString());
        env.put("SPARK_SCALA_VERSION", "2.13");
        env.put("SPARK_LOCAL_IP", HOST);
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.remove("SPARK_TESTING");
        pb.redirectErrorStream(true);
        pb.redirectOutput(home.resolve("logs/" + name + ".log").toFile());
        Process p = pb.start();
        processes.add(p);
        return p;
    }

    private interface Check {
        boolean ok() throws IOException;
    }

    private void waitFor(Check check, Process p, String name, Duration limit) throws IOException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!check.ok()) {
            if (!p.isAlive()) {
                throw new IOException(name + " exited with status " + p.exitValue() + "; its log:\n" + tail(home.resolve("logs/" + name + ".log")));
            }
            if (System.nanoTime() > deadline) {
                throw new IOException(name + " did not come up within " + limit.toSeconds() + " s; its log:\n" + tail(home.resolve("logs/" + name + ".log")));
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for " + name, e);
            }
        }
    }

    private static String read(Path f) throws IOException {
        return Files.exists(f) ? Files.readString(f, StandardCharsets.ISO_8859_1) : "";
    }

    static String tail(Path f) {
        try {
            String s = read(f);
            return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean canConnect(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(HOST, port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName(HOST))) {
            return s.getLocalPort();
        }
    }
}
