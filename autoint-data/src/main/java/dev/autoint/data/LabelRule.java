package dev.autoint.data;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns a raw rating (or any numeric target) into a binary label, or drops the row.
 *
 * <p>A value {@code >= positiveAtLeast} is positive (1); a value {@code < negativeBelow} is negative (0);
 * a value in between ({@code negativeBelow <= v < positiveAtLeast}) is dropped. NaN is dropped.
 * {@link #passThrough()} instead keeps a value already in [0, 1] as the label.
 *
 * <p>In JSON a rule is complete or rejected: either both thresholds,
 * {@code {"positiveAtLeast": 4, "negativeBelow": 4}}, or {@code {"passThrough": true}} alone. A rule with
 * one threshold (which once silently meant {@code negativeBelow = 0} and dropped every negative row) or
 * with thresholds next to {@code "passThrough": true} is refused with a message naming the key and
 * showing a complete rule.
 *
 * @param positiveAtLeast smallest positive value
 * @param negativeBelow   values strictly below this are negative; must be {@code <= positiveAtLeast}
 * @param passThrough     when true, the value itself is the label (it must lie in [0, 1])
 */
public record LabelRule(double positiveAtLeast, double negativeBelow, boolean passThrough) {

    /** A complete JSON rule, quoted in error messages. */
    static final String EXAMPLE = "{\"positiveAtLeast\": 1, \"negativeBelow\": 1} (1 and above positive, below 1 negative)"
            + " or {\"passThrough\": true} (the column already holds labels in [0, 1])";

    /**
     * Validates the thresholds (ignored when {@code passThrough}).
     *
     * @param positiveAtLeast smallest positive value
     * @param negativeBelow   values strictly below this are negative
     * @param passThrough     when true, the value itself is the label
     * @throws IllegalArgumentException if, without pass-through, a threshold is NaN or
     *                                  {@code negativeBelow > positiveAtLeast}
     */
    public LabelRule {
        if (!passThrough) {
            if (Double.isNaN(positiveAtLeast) || Double.isNaN(negativeBelow) || negativeBelow > positiveAtLeast) {
                throw new IllegalArgumentException("label rule needs negativeBelow <= positiveAtLeast, got negativeBelow="
                        + negativeBelow + ", positiveAtLeast=" + positiveAtLeast);
            }
        }
    }

    /**
     * The rule a JSON object describes; every key is optional to Jackson so that a missing one is reported
     * here, by name, with a complete example.
     */
    @JsonCreator
    static LabelRule fromJson(@JsonProperty("positiveAtLeast") Double positiveAtLeast,
                              @JsonProperty("negativeBelow") Double negativeBelow,
                              @JsonProperty("passThrough") Boolean passThrough) {
        if (Boolean.TRUE.equals(passThrough)) {
            if (positiveAtLeast != null || negativeBelow != null) {
                throw new IllegalArgumentException("label rule: \"passThrough\": true takes no thresholds; remove "
                        + (positiveAtLeast != null ? "\"positiveAtLeast\"" : "\"negativeBelow\"")
                        + " or set \"passThrough\" to false. A complete rule is " + EXAMPLE);
            }
            return identity();
        }
        if (positiveAtLeast == null || negativeBelow == null) {
            String missing = positiveAtLeast == null && negativeBelow == null ? "\"positiveAtLeast\" and \"negativeBelow\""
                    : positiveAtLeast == null ? "\"positiveAtLeast\"" : "\"negativeBelow\"";
            throw new IllegalArgumentException("label rule is missing " + missing + ": give both thresholds"
                    + " (or \"passThrough\": true). A complete rule is " + EXAMPLE);
        }
        return new LabelRule(positiveAtLeast, negativeBelow, false);
    }

    /** The JSON form: both thresholds, or {@code {"passThrough": true}} alone. */
    @JsonValue
    Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (passThrough) {
            m.put("passThrough", true);
        } else {
            m.put("positiveAtLeast", positiveAtLeast);
            m.put("negativeBelow", negativeBelow);
        }
        return m;
    }

    /**
     * Positive when the value is {@code >= threshold}, negative otherwise; nothing is dropped (but NaN).
     *
     * @param threshold smallest positive value
     * @return the rule
     */
    public static LabelRule atLeast(double threshold) {
        return new LabelRule(threshold, threshold, false);
    }

    /**
     * Positive when {@code > 3}, negative when {@code < 3}, a rating of exactly 3 dropped (AutoInt paper, MovieLens-1M).
     *
     * @return the rule
     */
    public static LabelRule paper() {
        return new LabelRule(Math.nextUp(3.0), 3.0, false);
    }

    /**
     * The value is already a label in [0, 1].
     *
     * @return the pass-through rule
     */
    public static LabelRule identity() {
        return new LabelRule(1, 0, true);
    }

    /**
     * The label for a value: 1, 0, or NaN when the row is dropped (or, for pass-through, outside [0, 1]).
     *
     * @param value the raw target
     * @return 1, 0, NaN, or for pass-through the value itself
     */
    public float apply(double value) {
        if (passThrough) {
            return value >= 0 && value <= 1 ? (float) value : Float.NaN;
        }
        if (value >= positiveAtLeast) return 1f;
        if (value < negativeBelow) return 0f;
        return Float.NaN;
    }
}
