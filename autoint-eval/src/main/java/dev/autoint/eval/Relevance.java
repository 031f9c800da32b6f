package dev.autoint.eval;

import dev.autoint.core.train.Metrics;

/**
 * The relevance rule of an evaluation: which labels count as relevant, and which gain NDCG gives
 * to a label.
 *
 * <p>An item is <em>relevant</em> iff {@code label >= threshold}. Binary metrics (precision,
 * recall, hit rate, MAP, MRR, sampled metrics, AUC, logloss) use that 0/1 relevance. NDCG uses
 * the gain:
 * <ul>
 *   <li>{@link Gain#BINARY}: 1 if relevant, else 0;</li>
 *   <li>{@link Gain#LINEAR}: the label itself (graded, as scikit-learn's {@code ndcg_score});</li>
 *   <li>{@link Gain#EXPONENTIAL}: {@code 2^label - 1} (graded, Järvelin–Kekäläinen / Burges).</li>
 * </ul>
 *
 * @param threshold labels at or above it are relevant
 * @param gain      the NDCG gain
 */
public record Relevance(double threshold, Gain gain) {

    /** NDCG gain functions. */
    public enum Gain {
        /** 1 if relevant, else 0. */
        BINARY,
        /** The label itself. */
        LINEAR,
        /** {@code 2^label - 1}. */
        EXPONENTIAL
    }

    /**
     * Binary labels: relevant iff the label is positive as every metric counts it
     * ({@link Metrics#isPositive}: label {@code >= 0.5}); binary gain.
     */
    public static final Relevance BINARY = new Relevance(Metrics.POSITIVE_THRESHOLD, Gain.BINARY);

    /**
     * Checks the arguments.
     *
     * @param threshold labels at or above it are relevant; finite
     * @param gain      the NDCG gain, not null
     * @throws IllegalArgumentException if {@code threshold} is not finite or {@code gain} is null
     */
    public Relevance {
        if (!Double.isFinite(threshold)) {
            throw new IllegalArgumentException("threshold must be finite");
        }
        if (gain == null) {
            throw new IllegalArgumentException("gain");
        }
    }

    /**
     * Whether a label counts as relevant.
     *
     * @param label a label
     * @return true iff {@code label >= threshold}
     */
    public boolean isRelevant(double label) {
        return label >= threshold;
    }

    /**
     * The NDCG gain of a label.
     *
     * @param label a label
     * @return the gain, as {@link #gain()} defines it
     */
    public double gain(double label) {
        return switch (gain) {
            case BINARY -> isRelevant(label) ? 1.0 : 0.0;
            case LINEAR -> label;
            case EXPONENTIAL -> Math.pow(2.0, label) - 1.0;
        };
    }

    /** @return the rule spelled out, as written into metrics.json */
    public String describe() {
        String g = switch (gain) {
            case BINARY -> "NDCG gain 1 for relevant items, 0 otherwise";
            case LINEAR -> "NDCG gain = label (graded, linear)";
            case EXPONENTIAL -> "NDCG gain = 2^label - 1 (graded, exponential)";
        };
        return "relevant iff label >= " + threshold + "; " + g + "; log2(rank + 1) discount";
    }
}
