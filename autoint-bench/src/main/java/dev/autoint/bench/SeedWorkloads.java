package dev.autoint.bench;

/**
 * The seed-configuration workloads that {@link AlternateMain} times, each as one call: the JMH benchmarks'
 * own state and methods ({@link ModelBenchmark}, {@link RecommendBenchmark}), so a figure means what the JMH
 * figure of the same name means. {@link AlternateMain} defines this class afresh inside each build it loads,
 * where it links against that build's classes: it uses only what builds of 2026-11-30 on already had.
 */
public final class SeedWorkloads {

    private SeedWorkloads() {
    }

    /** The workloads' names, in report order. */
    public static final String[] NAMES = {"infer", "candidates", "userCandidates", "train1", "train2", "recommend"};

    /**
     * Workload {@code name}, set up: {@code {Runnable call, Long units per call, String unit, Boolean wall}}, where
     * {@code wall} means the call runs on other threads too, so it must be timed by the clock, not by the calling
     * thread's CPU time.
     */
    public static Object[] make(String name) {
        switch (name) {
            case "infer", "candidates", "userCandidates" -> {
                ModelBenchmark b = new ModelBenchmark();
                b.setUp();
                Runnable r = name.equals("infer") ? b::inferBatch2048
                        : name.equals("candidates") ? b::scoreCandidates3706 : b::scoreUserCandidates3706;
                long units = name.equals("infer") ? ModelBenchmark.BATCH : ModelBenchmark.CANDIDATES;
                return new Object[] {r, units, "rows", false};
            }
            case "train1", "train2" -> {
                ModelBenchmark.TrainState s = new ModelBenchmark.TrainState();
                s.threads = name.equals("train1") ? 1 : 2;
                s.setUp();
                ModelBenchmark b = new ModelBenchmark();
                Runnable r = () -> b.train10Batches(s);
                return new Object[] {r, (long) ModelBenchmark.BATCH * ModelBenchmark.TRAIN_BATCHES, "samples", s.threads > 1};
            }
            case "recommend" -> {
                RecommendBenchmark b = new RecommendBenchmark();
                b.setUp();
                Runnable r = b::top10WithRerankAndExplanations;
                return new Object[] {r, 1L, "requests", false};
            }
            default -> throw new IllegalArgumentException("unknown workload " + name + "; known: " + String.join(", ", NAMES));
        }
    }
}
