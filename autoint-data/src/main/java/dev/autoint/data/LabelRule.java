package dev.autoint.data;

/**
 * Turns a raw rating (or any numeric target) into a binary label, or drops the row.
 *
 * <p>A value {@code >= positiveAtLeast} is positive (1); a value {@code < negativeBelow} is negative (0);
 * a value in between ({@code negativeBelow <= v < positiveAtLeast}) is dropped. NaN is dropped.
 * {@link #passThrough()} instead keeps a value already in [0, 1] as the label.
 *
 * @param positiveAtLeast smallest positive value
 * @param negativeBelow   values strictly below this are negative; must be {@code <= positiveAtLeast}
 * @param passThrough     when true, the value itself is the label (it must lie in [0, 1])
 */
public record LabelRule(double positiveAtLeast, double negativeBelow, boolean passThrough) {

    public LabelRule {
        if (!passThrough) {
            if (Double.isNaN(positiveAtLeast) || Double.isNaN(negativeBelow) || negativeBelow > positiveAtLeast) {
                throw new IllegalArgumentException("label rule needs negativeBelow <= positiveAtLeast, got negativeBelow="
                        + negativeBelow + ", positiveAtLeast=" + positiveAtLeast);
            }
        }
    }

    /** Positive when the value is {@code >= threshold}, negative otherwise; nothing is dropped. */
    public static LabelRule atLeast(double threshold) {
        return new LabelRule(threshold, threshold, false);
    }

    /** Positive when {@code > 3}, negative when {@code < 3}, a rating of exactly 3 dropped (AutoInt paper, MovieLens-1M). */
    public static LabelRule paper() {
        return new LabelRule(Math.nextUp(3.0), 3.0, false);
    }

    /** The value is already a label in [0, 1]. */
    public static LabelRule identity() {
        return new LabelRule(1, 0, true);
    }

    /** The label for a value: 1, 0, or NaN when the row is dropped (or, for pass-through, outside [0, 1]). */
    public float apply(double value) {
        if (passThrough) {
            return value >= 0 && value <= 1 ? (float) value : Float.NaN;
        }
        if (value >= positiveAtLeast) return 1f;
        if (value < negativeBelow) return 0f;
        return Float.NaN;
    }
}
