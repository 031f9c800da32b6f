package dev.autoint.core.train;

/**
 * The learning rate as a function of the optimizer step (0-based) and the epoch. Schedules that react to
 * validation results ({@link ReduceOnPlateau}) also receive each epoch's monitored value.
 *
 * <p>The factories here check their arguments and return schedules that are pure functions of the step, except
 * {@link #reduceOnPlateau}, which has state: give each trainer its own. A trainer calls a schedule from its
 * training thread only; implementations need not be thread-safe.
 */
public interface LearningRateSchedule {

    /**
     * The learning rate of an optimizer step. The trainer counts steps over its whole life, across epochs,
     * {@code fit} calls and resumes, so a schedule continues where it left off.
     *
     * @param step the optimizer step, from 0
     * @return the rate for that step, finite and &gt; 0
     */
    float rate(long step);

    /**
     * Called after each epoch that had a validation score; a no-op unless the schedule reacts to it.
     *
     * @param epoch     the 0-based epoch just finished
     * @param monitored the value of the trainer's monitored validation metric, never NaN
     * @param maximize  true when higher values are better (AUC), false when lower are (log loss)
     */
    default void onEpochEnd(int epoch, double monitored, boolean maximize) {
    }

    /**
     * The mutable state a checkpoint must keep to resume this schedule.
     *
     * @return named values (empty for schedules that are pure functions of the step)
     */
    default java.util.Map<String, Double> state() {
        return java.util.Map.of();
    }

    /**
     * Restores what {@link #state()} returned, when a trainer resumes from a checkpoint.
     *
     * @param state a map {@link #state()} of the same kind of schedule returned; missing keys keep their values
     *              or defaults
     */
    default void loadState(java.util.Map<String, Double> state) {
    }

    /**
     * The same rate at every step.
     *
     * @param lr the rate, finite and &gt; 0
     * @return the schedule
     * @throws IllegalArgumentException if {@code lr} is not finite and positive
     */
    static LearningRateSchedule constant(float lr) {
        positive(lr);
        return new LearningRateSchedule() {
            @Override
            public float rate(long step) {
                return lr;
            }

            @Override
            public String toString() {
                return "constant(" + lr + ")";
            }
        };
    }

    /**
     * Linear warm-up: step s &lt; {@code warmupSteps} gets {@code after.rate(s)·(s + 1)/warmupSteps}, later steps
     * {@code after.rate(s)}. Epoch results and checkpoint state pass through to {@code after}.
     *
     * @param warmupSteps the number of warm-up steps, &gt; 0
     * @param after       the schedule to warm up into
     * @return the schedule
     * @throws IllegalArgumentException if {@code warmupSteps} is not positive
     */
    static LearningRateSchedule warmup(int warmupSteps, LearningRateSchedule after) {
        if (warmupSteps <= 0) throw new IllegalArgumentException("warmupSteps must be > 0, got " + warmupSteps);
        return new LearningRateSchedule() {
            @Override
            public float rate(long step) {
                float r = after.rate(step);
                return step < warmupSteps ? r * (step + 1) / warmupSteps : r;
            }

            @Override
            public void onEpochEnd(int epoch, double monitored, boolean maximize) {
                after.onEpochEnd(epoch, monitored, maximize);
            }

            @Override
            public java.util.Map<String, Double> state() {
                return after.state();
            }

            @Override
            public void loadState(java.util.Map<String, Double> state) {
                after.loadState(state);
            }

            @Override
            public String toString() {
                return "warmup(" + warmupSteps + ", " + after + ")";
            }
        };
    }

    /**
     * Step decay: {@code lr · γ^floor(step / stepSize)} (PyTorch's StepLR counted in optimizer steps).
     *
     * @param lr       the initial rate, finite and &gt; 0
     * @param stepSize the steps between decays, &gt; 0
     * @param gamma    the factor γ applied at each decay, &gt; 0 (below 1 to decay)
     * @return the schedule
     * @throws IllegalArgumentException if an argument is out of range
     */
    static LearningRateSchedule stepDecay(float lr, long stepSize, float gamma) {
        positive(lr);
        if (stepSize <= 0 || !(gamma > 0)) throw new IllegalArgumentException("stepSize and gamma must be > 0");
        return new LearningRateSchedule() {
            @Override
            public float rate(long step) {
                return (float) (lr * Math.pow(gamma, step / stepSize));
            }

            @Override
            public String toString() {
                return "stepDecay(" + lr + ", " + stepSize + ", " + gamma + ")";
            }
        };
    }

    /**
     * Cosine decay with warm restarts, with the parameters and formula of Keras'
     * {@code CosineDecayRestarts(initial_learning_rate, first_decay_steps, t_mul=2.0, m_mul=1.0, alpha=0.0)}:
     * <pre>
     *   p = step / first_decay_steps
     *   t_mul == 1:  i = floor(p);  p = p − i
     *   else:        i = floor(log(1 − p·(1 − t_mul)) / log(t_mul));  p = (p − (1 − t_mul^i)/(1 − t_mul)) / t_mul^i
     *   lr = initial · ((1 − alpha) · 0.5 · m_mul^i · (1 + cos(π·p)) + alpha)
     * </pre>
     *
     * @param initial         the rate at step 0, finite and &gt; 0
     * @param firstDecaySteps the length of the first cycle in steps, &gt; 0
     * @param tMul            the factor by which each cycle is longer than the one before, &gt; 0 (Keras: 2)
     * @param mMul            the factor by which each cycle starts lower than the one before, &ge; 0 (Keras: 1)
     * @param alpha           the floor as a fraction of {@code initial}, in [0, 1] (Keras: 0)
     * @return the schedule
     * @throws IllegalArgumentException if an argument is out of range
     */
    static LearningRateSchedule cosineDecayRestarts(float initial, long firstDecaySteps, double tMul, double mMul,
                                                    double alpha) {
        positive(initial);
        if (firstDecaySteps <= 0 || !(tMul > 0) || !(mMul >= 0) || !(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("cosineDecayRestarts: firstDecaySteps > 0, t_mul > 0, m_mul >= 0, alpha in [0, 1]");
        }
        return new LearningRateSchedule() {
            @Override
            public float rate(long step) {
                double p = (double) step / firstDecaySteps;
                double i;
                if (tMul == 1.0) {
                    i = Math.floor(p);
                    p -= i;
                } else {
                    i = Math.floor(Math.log(1 - p * (1 - tMul)) / Math.log(tMul));
                    double sum = (1 - Math.pow(tMul, i)) / (1 - tMul);
                    p = (p - sum) / Math.pow(tMul, i);
                }
                double cos = 0.5 * Math.pow(mMul, i) * (1 + Math.cos(Math.PI * p));
                return (float) (initial * ((1 - alpha) * cos + alpha));
            }

            @Override
            public String toString() {
                return "cosineDecayRestarts(" + initial + ", " + firstDecaySteps + ", t_mul=" + tMul + ", m_mul=" + mMul
                        + ", alpha=" + alpha + ")";
            }
        };
    }

    /**
     * Reduce-on-plateau around a constant initial rate (see {@link ReduceOnPlateau}). It watches the trainer's
     * monitored metric, so it needs a validation set; it has state, so give each trainer its own.
     *
     * @param lr       the initial rate, &gt; 0
     * @param factor   the factor applied on a plateau, in (0, 1) (PyTorch: 0.1)
     * @param patience the epochs without improvement tolerated before a reduction, &ge; 0 (PyTorch: 10)
     * @param minLr    the lowest rate a reduction goes to, &ge; 0 (PyTorch: 0)
     * @return a new schedule
     * @throws IllegalArgumentException if an argument is out of range
     */
    static ReduceOnPlateau reduceOnPlateau(float lr, float factor, int patience, float minLr) {
        return new ReduceOnPlateau(lr, factor, patience, minLr);
    }

    private static void positive(float lr) {
        if (!(lr > 0) || Float.isInfinite(lr)) throw new IllegalArgumentException("learning rate must be finite and > 0, got " + lr);
    }
}
