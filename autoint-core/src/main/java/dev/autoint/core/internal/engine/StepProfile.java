package dev.autoint.core.internal.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * Wall-clock time per part of a forward pass, a backward pass and a training step, for the roofline in
 * {@code docs/PERFORMANCE.md} ({@code dev.autoint.bench.RooflineMain} prints it).
 *
 * <p>Off unless the JVM starts with {@code -Dautoint.profile=true}: {@link #ON} is a {@code static final}, so C2
 * folds every {@link #start}/{@link #lap} call away and the passes run exactly as without it. When on, each
 * thread adds {@link System#nanoTime()} differences into its own counters (about 20-30 ns a lap, a few dozen
 * laps per chunk of 128 rows), and {@link #snapshot} sums the threads.
 */
public final class StepProfile {

    /** Whether timing is compiled in ({@code -Dautoint.profile=true}). */
    public static final boolean ON = Boolean.getBoolean("autoint.profile");

    /** The parts, in the order a training step runs them. */
    public enum Part {
        /** Gathering the field embeddings into the lane layout. */
        EMBED,
        /** Q, K, V and residual projections of every interacting layer. */
        PROJECTION,
        /** Scores, softmax and weighted sum of every interacting layer. */
        ATTENTION,
        /** Residual add and ReLU of every interacting layer. */
        RESIDUAL_RELU,
        /** The DNN's layers (product, bias, ReLU, dropout). */
        DNN,
        /** Output layer and linear term. */
        OUTPUT,
        /** Loss values and their gradients. */
        LOSS,
        /** Backward of the output layer. */
        OUTPUT_BACKWARD,
        /** Backward of the DNN. */
        DNN_BACKWARD,
        /** ReLU backward of every interacting layer. */
        RELU_BACKWARD,
        /** Backward of attention: dV, dP, softmax backward, dQ, dK. */
        ATTENTION_BACKWARD,
        /** Projection weight gradients (dW = dqkvr · xᵀ). */
        PROJECTION_WEIGHT_GRAD,
        /** Projection input gradients (dx = Wᵀ · dqkvr). */
        PROJECTION_INPUT_GRAD,
        /** Linear term and embedding scatter of the gradients. */
        EMBED_BACKWARD,
        /** Summing the threads' gradients and the embedding L2 term. */
        REDUCE,
        /** The optimizer update. */
        UPDATE
    }

    private static final List<long[]> COUNTERS = new ArrayList<>();
    private static final ThreadLocal<long[]> MINE = ThreadLocal.withInitial(() -> {
        long[] c = new long[Part.values().length];
        synchronized (COUNTERS) {
            COUNTERS.add(c);
        }
        return c;
    });

    private StepProfile() {
    }

    /** The time to start a lap from: {@link System#nanoTime()} when on, else 0. */
    public static long start() {
        return ON ? System.nanoTime() : 0L;
    }

    /** Adds the time since {@code since} to {@code part} on this thread and returns the new start. */
    public static long lap(Part part, long since) {
        if (!ON) return 0L;
        long now = System.nanoTime();
        MINE.get()[part.ordinal()] += now - since;
        return now;
    }

    /** Nanoseconds per part, summed over every thread that ran a pass; indexed by {@link Part#ordinal()}. */
    public static long[] snapshot() {
        long[] sum = new long[Part.values().length];
        synchronized (COUNTERS) {
            for (long[] c : COUNTERS) {
                for (int i = 0; i < sum.length; i++) sum[i] += c[i];
            }
        }
        return sum;
    }

    /** Zeroes every thread's counters (call while no pass runs). */
    public static void reset() {
        synchronized (COUNTERS) {
            for (long[] c : COUNTERS) java.util.Arrays.fill(c, 0L);
        }
    }
}
