package dev.autoint.eval.tune;

import dev.autoint.core.model.AutoIntConfig;
import dev.autoint.core.model.Interaction;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The hyper-parameters a {@link Tuner} searches: one {@link Parameter} per {@link Target} (a model or trainer
 * setting), each drawn log-uniformly, uniformly, as an integer or from a list of choices. Every value is checked
 * here, when the space is built, so a trial never fails on a setting the model refuses.
 *
 * <pre>{@code
 * SearchSpace space = SearchSpace.builder()
 *         .logUniform(SearchSpace.Target.LEARNING_RATE, 1e-4, 1e-2)
 *         .choice(SearchSpace.Target.EMBEDDING_SIZE, 8, 16, 32)
 *         .integer(SearchSpace.Target.LAYERS, 1, 3)
 *         .uniform(SearchSpace.Target.DROPOUT, 0, 0.5)
 *         .build();
 * }</pre>
 */
public final class SearchSpace {

    /** The setting a parameter controls, and the values it accepts. */
    public enum Target {
        /** The learning rate ({@code Trainer.Builder.learningRate}); a positive number. */
        LEARNING_RATE(Kind.REAL),
        /** The L2 penalty on embedding rows ({@code Trainer.Builder.l2Embedding}); a number &ge; 0. */
        L2(Kind.REAL),
        /** The DNN dropout rate ({@link AutoIntConfig#withDropout}); a number in [0, 1). */
        DROPOUT(Kind.REAL),
        /** The embedding size D ({@link AutoIntConfig#withEmbeddingSize}); an integer &gt; 0. */
        EMBEDDING_SIZE(Kind.INT),
        /** Interacting layers ({@link AutoIntConfig#withLayers}); an integer &ge; 1; used with attention only. */
        LAYERS(Kind.INT),
        /** Attention heads ({@link AutoIntConfig#withHeads}); an integer &gt; 0; used with attention only. */
        HEADS(Kind.INT),
        /** DNN hidden units ({@link AutoIntConfig#withDnnHidden}); choices of {@code List<Integer>} (empty: no DNN). */
        DNN(Kind.LIST),
        /**
         * The learning-rate schedule; choices of {@code "constant"}, {@code "plateau"} (halve the rate when two
         * epochs in a row do not improve, down to 1/100: ReduceLROnPlateau with patience 1) or {@code "warmup"}
         * (linear warm-up over the first epoch's steps, then constant).
         */
        SCHEDULE(Kind.SCHEDULE),
        /**
         * The model family ({@link AutoIntConfig#withInteraction}); choices of {@link Interaction}. A choice other
         * than attention sets the layers to 0; attention on a base without layers takes
         * {@link AutoIntConfig#defaults()}'s.
         */
        INTERACTION(Kind.INTERACTION);

        final Kind kind;

        Target(Kind kind) {
            this.kind = kind;
        }

        String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    enum Kind { REAL, INT, LIST, SCHEDULE, INTERACTION }

    /** The schedules {@link Target#SCHEDULE} accepts. */
    static final List<String> SCHEDULES = List.of("constant", "plateau", "warmup");

    /**
     * One searched setting.
     *
     * @param target  the setting it controls
     * @param scale   {@code "log-uniform"}, {@code "uniform"}, {@code "int"} or {@code "choice"}
     * @param low     the smallest value (numeric scales; 0 for choices)
     * @param high    the largest value (numeric scales; the number of choices - 1 for choices)
     * @param choices the values of a choice, in order; empty for numeric scales
     */
    public record Parameter(Target target, String scale, double low, double high, List<Object> choices) {

        /**
         * Copies the choices.
         *
         * @param target  the setting it controls
         * @param scale   the scale
         * @param low     the smallest value
         * @param high    the largest value
         * @param choices the choices; copied
         */
        public Parameter {
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(scale, "scale");
            choices = List.copyOf(choices);
        }

        boolean isChoice() {
            return scale.equals("choice");
        }

        boolean isLog() {
            return scale.equals("log-uniform");
        }

        boolean isInt() {
            return scale.equals("int");
        }

        /** Lower bound in the search coordinate (log for log-uniform, ±0.5 around integers). */
        double lo() {
            return isLog() ? Math.log(low) : isInt() ? low - 0.5 : isChoice() ? 0 : low;
        }

        /** Upper bound in the search coordinate. */
        double hi() {
            return isLog() ? Math.log(high) : isInt() ? high + 0.5 : isChoice() ? choices.size() : high;
        }

        /** A uniform draw in the search coordinate (a choice index for choices). */
        double sample(SplittableRandom r) {
            if (isChoice()) return r.nextInt(choices.size());
            if (isInt()) return r.nextLong((long) low, (long) high + 1);
            return lo() + (hi() - lo()) * r.nextDouble();
        }

        /** Rounds a search coordinate to one this parameter can take. */
        double snap(double x) {
            if (isChoice()) return Math.max(0, Math.min(choices.size() - 1, Math.floor(x)));
            if (isInt()) return Math.max(low, Math.min(high, Math.rint(x)));
            return Math.max(lo(), Math.min(hi(), x));
        }

        /** The value a search coordinate stands for. */
        Object value(double x) {
            if (isChoice()) return choices.get((int) x);
            if (isInt()) return (int) x;
            return isLog() ? Math.exp(x) : x;
        }
    }

    private final List<Parameter> parameters;

    private SearchSpace(List<Parameter> parameters) {
        this.parameters = List.copyOf(parameters);
    }

    /**
     * Starts an empty space.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The parameters, in the order added (the order of a trial's values and of the table's columns).
     *
     * @return the parameters
     */
    public List<Parameter> parameters() {
        return parameters;
    }

    /** A trial's values by target, in the space's order, from search coordinates. */
    Map<Target, Object> values(double[] x) {
        Map<Target, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < parameters.size(); i++) m.put(parameters.get(i).target, parameters.get(i).value(x[i]));
        return m;
    }

    /**
     * The configuration a trial trains: {@code base} with the trial's model settings applied (the interaction
     * first, then the others; layers and heads only when the result uses attention).
     */
    static AutoIntConfig configure(AutoIntConfig base, Map<Target, Object> values) {
        AutoIntConfig c = base;
        Object inter = values.get(Target.INTERACTION);
        if (inter instanceof Interaction i) {
            if (i instanceof Interaction.Attention) {
                c = c.withInteraction(i);
                if (c.layers() == 0) c = c.withLayers(AutoIntConfig.defaults().layers());
            } else {
                c = c.withLayers(0).withInteraction(i);
            }
        }
        boolean attention = c.interaction() instanceof Interaction.Attention;
        for (Map.Entry<Target, Object> e : values.entrySet()) {
            Object v = e.getValue();
            switch (e.getKey()) {
                case DROPOUT -> c = c.withDropout((float) (double) (Double) v);
                case EMBEDDING_SIZE -> c = c.withEmbeddingSize((Integer) v);
                case LAYERS -> c = attention ? c.withLayers((Integer) v) : c;
                case HEADS -> c = attention ? c.withHeads((Integer) v) : c;
                case DNN -> c = c.withDnnHidden(castList(v));
                default -> {
                }
            }
        }
        return c;
    }

    @SuppressWarnings("unchecked")
    private static List<Integer> castList(Object v) {
        return (List<Integer>) v;
    }

    /** Builds a {@link SearchSpace}; each target at most once. */
    public static final class Builder {
        private final List<Parameter> parameters = new ArrayList<>();

        private Builder() {
        }

        /**
         * A real parameter drawn log-uniformly from [{@code low}, {@code high}].
         *
         * @param target a real target ({@link Target#LEARNING_RATE}, {@link Target#L2}, {@link Target#DROPOUT})
         * @param low    the smallest value, &gt; 0
         * @param high   the largest value, &gt; {@code low}
         * @return this builder
         * @throws IllegalArgumentException if the target is not real, already added, or the range is invalid
         */
        public Builder logUniform(Target target, double low, double high) {
            if (!(low > 0)) throw new IllegalArgumentException(target.label() + ": a log-uniform range needs low > 0, got " + low);
            return real(target, "log-uniform", low, high);
        }

        /**
         * A real parameter drawn uniformly from [{@code low}, {@code high}].
         *
         * @param target a real target ({@link Target#LEARNING_RATE}, {@link Target#L2}, {@link Target#DROPOUT})
         * @param low    the smallest value
         * @param high   the largest value, &gt; {@code low}
         * @return this builder
         * @throws IllegalArgumentException if the target is not real, already added, or the range is invalid
         */
        public Builder uniform(Target target, double low, double high) {
            return real(target, "uniform", low, high);
        }

        private Builder real(Target target, String scale, double low, double high) {
            Objects.requireNonNull(target, "target");
            if (target.kind != Kind.REAL) {
                throw new IllegalArgumentException(target.label() + " takes " + kindText(target) + ", not a " + scale + " range");
            }
            if (!Double.isFinite(low) || !Double.isFinite(high) || !(high > low)) {
                throw new IllegalArgumentException(target.label() + ": the range needs finite low < high, got [" + low + ", " + high + "]");
            }
            checkReal(target, low);
            checkReal(target, high);
            return add(new Parameter(target, scale, low, high, List.of()));
        }

        /**
         * An integer parameter drawn uniformly from {@code low..high}.
         *
         * @param target an integer target ({@link Target#EMBEDDING_SIZE}, {@link Target#LAYERS}, {@link Target#HEADS})
         * @param low    the smallest value
         * @param high   the largest value, &ge; {@code low}
         * @return this builder
         * @throws IllegalArgumentException if the target is not an integer one, already added, or a value is invalid
         */
        public Builder integer(Target target, int low, int high) {
            Objects.requireNonNull(target, "target");
            if (target.kind != Kind.INT) {
                throw new IllegalArgumentException(target.label() + " takes " + kindText(target) + ", not an integer range");
            }
            if (high < low) throw new IllegalArgumentException(target.label() + ": the range needs low <= high, got [" + low + ", " + high + "]");
            checkInt(target, low);
            return add(new Parameter(target, "int", low, high, List.of()));
        }

        /**
         * A parameter drawn from a list of values, each with the same prior probability.
         *
         * @param target  the target
         * @param choices the values, at least one, no duplicates, each of the kind the target takes (see
         *                {@link Target}); numbers for a real target, integers for an integer one
         * @return this builder
         * @throws IllegalArgumentException if a value is of the wrong kind or invalid, or the target is already added
         */
        public Builder choice(Target target, Object... choices) {
            Objects.requireNonNull(target, "target");
            if (choices.length == 0) throw new IllegalArgumentException(target.label() + ": a choice needs at least one value");
            List<Object> vs = new ArrayList<>();
            for (Object o : choices) {
                Object v = checkChoice(target, o);
                if (vs.contains(v)) throw new IllegalArgumentException(target.label() + ": the choice " + o + " is listed twice");
                vs.add(v);
            }
            return add(new Parameter(target, "choice", 0, vs.size() - 1, vs));
        }

        /**
         * The space.
         *
         * @return the space
         * @throws IllegalStateException if it has no parameter
         */
        public SearchSpace build() {
            if (parameters.isEmpty()) throw new IllegalStateException("a search space needs at least one parameter");
            return new SearchSpace(parameters);
        }

        private Builder add(Parameter p) {
            for (Parameter q : parameters) {
                if (q.target == p.target) throw new IllegalArgumentException(p.target.label() + " is already in the space");
            }
            parameters.add(p);
            return this;
        }

        private static String kindText(Target t) {
            return switch (t.kind) {
                case REAL -> "a real number";
                case INT -> "an integer";
                case LIST -> "choices of lists of DNN units";
                case SCHEDULE -> "choices of " + SCHEDULES;
                case INTERACTION -> "choices of Interaction";
            };
        }

        private static void checkReal(Target t, double v) {
            boolean ok = switch (t) {
                case LEARNING_RATE -> v > 0;
                case L2 -> v >= 0;
                default -> v >= 0 && v < 1; // DROPOUT
            };
            if (!ok || !Double.isFinite(v)) {
                throw new IllegalArgumentException(t.label() + ": " + v + " is out of range ("
                        + (t == Target.LEARNING_RATE ? "> 0" : t == Target.L2 ? ">= 0" : "[0, 1)") + ")");
            }
        }

        private static void checkInt(Target t, int v) {
            if (v < 1) throw new IllegalArgumentException(t.label() + ": " + v + " is out of range (>= 1)");
        }

        private static Object checkChoice(Target t, Object o) {
            Objects.requireNonNull(o, () -> t.label() + ": a choice is null");
            switch (t.kind) {
                case REAL -> {
                    if (!(o instanceof Number n)) throw new IllegalArgumentException(t.label() + ": the choice " + o + " is not a number");
                    checkReal(t, n.doubleValue());
                    return n.doubleValue();
                }
                case INT -> {
                    if (!(o instanceof Integer i)) throw new IllegalArgumentException(t.label() + ": the choice " + o + " is not an integer");
                    checkInt(t, i);
                    return i;
                }
                case LIST -> {
                    if (!(o instanceof List<?> l)) {
                        throw new IllegalArgumentException(t.label() + ": the choice " + o + " is not a list of DNN units");
                    }
                    for (Object u : l) {
                        if (!(u instanceof Integer i) || i <= 0) {
                            throw new IllegalArgumentException(t.label() + ": the choice " + o + " has a unit count that is not a positive integer");
                        }
                    }
                    return List.copyOf(l);
                }
                case SCHEDULE -> {
                    if (!SCHEDULES.contains(o)) {
                        throw new IllegalArgumentException(t.label() + ": the choice " + o + " is not one of " + SCHEDULES);
                    }
                    return o;
                }
                default -> {
                    if (!(o instanceof Interaction)) throw new IllegalArgumentException(t.label() + ": the choice " + o + " is not an Interaction");
                    return o;
                }
            }
        }
    }
}
