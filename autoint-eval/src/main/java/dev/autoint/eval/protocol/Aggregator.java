package dev.autoint.eval.protocol;

import dev.autoint.eval.internal.Bootstrap;
import dev.autoint.eval.protocol.ProtocolResult.MetricValue;
import dev.autoint.eval.protocol.ProtocolResult.ProtocolSpec;
import java.util.LinkedHashMap;
import java.util.Map;

/** Collects per-user metric columns of the evaluated users and aggregates them with CIs. */
final class Aggregator {

    private final String[] names;
    private final double[][] values; // [metric][slot]
    private final boolean[] evaluated;

    Aggregator(String[] names, int slots) {
        this.names = names;
        this.values = new double[names.length][slots];
        this.evaluated = new boolean[slots];
    }

    /** Called by at most one thread per slot. */
    void put(int slot, double... v) {
        for (int m = 0; m < names.length; m++) {
            values[m][slot] = v[m];
        }
        evaluated[slot] = true;
    }

    ProtocolResult build(ProtocolSpec spec, int[] slotUsers, Bootstrap bootstrap,
                         Map<String, MetricValue> extra) {
        int n = 0;
        for (boolean e : evaluated) {
            if (e) {
                n++;
            }
        }
        int[] users = new int[n];
        Map<String, double[]> perUser = new LinkedHashMap<>();
        for (String name : names) {
            perUser.put(name, new double[n]);
        }
        int j = 0;
        for (int s = 0; s < evaluated.length; s++) {
            if (!evaluated[s]) {
                continue;
            }
            users[j] = slotUsers[s];
            for (int m = 0; m < names.length; m++) {
                perUser.get(names[m])[j] = values[m][s];
            }
            j++;
        }
        Map<String, MetricValue> metrics = new LinkedHashMap<>();
        for (String name : names) {
            double[] v = perUser.get(name);
            double mean = mean(v);
            metrics.put(name, MetricValue.of(mean, bootstrap == null ? null : bootstrap.meanInterval(v), n));
        }
        metrics.putAll(extra);
        return new ProtocolResult(spec, users, perUser, metrics);
    }

    static double mean(double[] v) {
        if (v.length == 0) {
            return Double.NaN;
        }
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }
}
