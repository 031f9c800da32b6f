package dev.autoint.eval.protocol;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The outcome of one protocol run: per-user values of every per-user metric (aligned with
 * {@link #users()}, ascending user id) and the aggregated values with confidence intervals.
 *
 * <p>Aggregates of per-user metrics are the unweighted mean over the evaluated users; row
 * metrics ({@code auc}, {@code logloss}, {@code gauc}) and set metrics ({@code coverage@K}) are
 * only in {@link #metrics()}. Immutable.
 */
public final class ProtocolResult {

    private final ProtocolSpec spec;
    private final int[] users;
    private final Map<String, double[]> perUser;
    private final Map<String, MetricValue> metrics;

    ProtocolResult(ProtocolSpec spec, int[] users, Map<String, double[]> perUser,
                   Map<String, MetricValue> metrics) {
        this.spec = spec;
        this.users = users;
        this.perUser = Collections.unmodifiableMap(new LinkedHashMap<>(perUser));
        this.metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }

    /**
     * The protocol that produced this result.
     *
     * @return the protocol spelled out
     */
    public ProtocolSpec spec() {
        return spec;
    }

    /**
     * The users the per-user metrics were computed for.
     *
     * @return the evaluated user ids, ascending (a copy)
     */
    public int[] users() {
        return users.clone();
    }

    /**
     * The metrics with a value per user.
     *
     * @return names of the per-user metrics, in report order; unmodifiable
     */
    public Set<String> perUserMetrics() {
        return perUser.keySet();
    }

    /**
     * One per-user metric's values.
     *
     * @param metric e.g. {@code ndcg@10}
     * @return the per-user values aligned with {@link #users()} (a copy)
     * @throws IllegalArgumentException if {@code metric} is not one of {@link #perUserMetrics()}
     */
    public double[] perUser(String metric) {
        double[] v = perUser.get(metric);
        if (v == null) {
            throw new IllegalArgumentException("no per-user metric " + metric + " in " + perUser.keySet());
        }
        return v.clone();
    }

    /**
     * Every aggregated metric, per-user and row metrics alike.
     *
     * @return metric name to value with its interval, in report order; unmodifiable
     */
    public Map<String, MetricValue> metrics() {
        return metrics;
    }

    /**
     * The aggregated value of one metric, without its interval.
     *
     * @param metric a key of {@link #metrics()}, e.g. {@code ndcg@10} or {@code auc}
     * @return the value
     * @throws IllegalArgumentException if there is no such metric
     */
    public double value(String metric) {
        MetricValue v = metrics.get(metric);
        if (v == null) {
            throw new IllegalArgumentException("no metric " + metric + " in " + metrics.keySet());
        }
        return v.value();
    }

    /**
     * A human-readable table: the protocol, K (and N), the user count, then one line per metric with its
     * value and interval to four decimals.
     *
     * @return the table, one line per metric, each ending in a newline
     */
    public String toText() {
        StringBuilder sb = new StringBuilder();
        sb.append(spec.name()).append(" (K=").append(spec.k());
        if (spec.sampledNegatives() != null) {
            sb.append(", N=").append(spec.sampledNegatives());
        }
        sb.append(", ").append(users.length).append(" users)\n");
        for (Map.Entry<String, MetricValue> e : metrics.entrySet()) {
            MetricValue m = e.getValue();
            sb.append(String.format(Locale.ROOT, "  %-14s %.4f", e.getKey(), m.value()));
            if (m.ciLow() != null) {
                sb.append(String.format(Locale.ROOT, "  [%.4f, %.4f]", m.ciLow(), m.ciHigh()));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /**
     * A one-line summary for logs: protocol, user count, metric names and the first three users.
     *
     * @return the summary
     */
    @Override
    public String toString() {
        return "ProtocolResult[" + spec.name() + ", users=" + users.length + ", metrics="
                + metrics.keySet() + ", first users=" + Arrays.toString(Arrays.copyOf(users, Math.min(3, users.length))) + "]";
    }

    /**
     * One metric value with its bootstrap confidence interval.
     *
     * @param value  the value ({@code NaN} if undefined)
     * @param ciLow  lower bound of the interval, or {@code null} if none was computed
     * @param ciHigh upper bound of the interval, or {@code null}
     * @param n      number of units (users, or rows for row metrics) behind the value
     */
    public record MetricValue(double value, Double ciLow, Double ciHigh, int n) {

        static MetricValue of(double value, dev.autoint.eval.stats.ComparisonReport.ConfidenceInterval ci, int n) {
            if (ci == null || Double.isNaN(ci.low())) {
                return new MetricValue(value, null, null, n);
            }
            return new MetricValue(value, ci.low(), ci.high(), n);
        }
    }

    /**
     * An evaluation protocol spelled out, as written into metrics.json.
     *
     * @param name             short name: {@code held-out-reranking}, {@code full-catalog} or
     *                         {@code sampled}
     * @param candidates       which items are ranked for a user
     * @param k                the cut-off K
     * @param sampledNegatives N of the sampled protocol, else {@code null}
     * @param samplingSeed     seed of the sampled negatives, else {@code null}
     * @param relevance        the relevance rule ({@link dev.autoint.eval.Relevance#describe()})
     * @param users            which users are evaluated and how values are averaged
     * @param tieRule          how ties in score are broken
     */
    public record ProtocolSpec(String name, String candidates, int k, Integer sampledNegatives,
                               Long samplingSeed, String relevance, String users, String tieRule) {

        /** The tie rule of every ranking of autoint-eval. */
        public static final String TIE_RULE = "score descending, then item id ascending";
    }
}
