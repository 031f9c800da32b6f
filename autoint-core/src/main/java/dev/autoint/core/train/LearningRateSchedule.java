package dev.autoint.core.train;

/**
 * The learning rate as a function of the optimizer step (0-based) and the epoch. Schedules that react to
 * validation results ({@link ReduceOnPlateau}) also receive each epoch's monitored value.
 */
public interface LearningRateSchedule {

    float rate(long step);

    /** Called after each epoch with the monitored validation value (higher is better when {@code maximize}). */
    default void onEpochEnd(int epoch, double monitored, boolean maximize) {
    }

    /** Mutable state to keep in a checkpoint (empty for schedules that are pure functions of the step). */
    default java.util.Map<String, Double> state() {
        return java.util.Map.of();
    }

    /** Restores what {@link #state()} returned. */
    default void loadState(java.util.Map<String, Double> state) {
    }

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

    /** Linear warm-up from {@code lr·1/warmupSteps} to the wrapped schedule's rate over {@code warmupSteps}. */
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

    /** Step decay: {@code lr · γ^floor(step / stepSize)} (PyTorch's StepLR counted in optimizer steps). */
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

    /** Reduce-on-plateau around a constant initial rate (see {@link ReduceOnPlateau}). */
    static ReduceOnPlateau reduceOnPlateau(float lr, float factor, int patience, float minLr) {
        return new ReduceOnPlateau(lr, factor, patience, minLr);
    }

    private static void positive(float lr) {
        if (!(lr > 0) || Float.isInfinite(lr)) throw new IllegalArgumentException("learning rate must be finite and > 0, got " + lr);
    }
}
