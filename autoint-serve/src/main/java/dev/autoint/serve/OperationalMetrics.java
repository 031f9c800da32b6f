package dev.autoint.serve;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Request counts, latency histograms and errors by kind, written in the Prometheus text exposition format
 * (version 0.0.4). Lock-free on the request path (one {@link LongAdder} per counter and bucket).
 */
final class OperationalMetrics {

    /** Latency bucket upper bounds in seconds. */
    static final double[] BUCKETS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    private static final class Histogram {
        final LongAdder[] counts = new LongAdder[BUCKETS.length + 1];
        final LongAdder count = new LongAdder();
        final java.util.concurrent.atomic.DoubleAdder sum = new java.util.concurrent.atomic.DoubleAdder();

        Histogram() {
            for (int i = 0; i < counts.length; i++) counts[i] = new LongAdder();
        }

        void observe(double seconds) {
            int b = 0;
            while (b < BUCKETS.length && seconds > BUCKETS[b]) b++;
            counts[b].increment();
            count.increment();
            sum.add(seconds);
        }
    }

    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>(); // route|method|status
    private final Map<String, Histogram> latency = new ConcurrentHashMap<>(); // route
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>(); // kind
    private final Supplier<Map<String, String>> modelVersions;

    OperationalMetrics(Supplier<Map<String, String>> modelVersions) {
        this.modelVersions = modelVersions;
    }

    void record(String route, String method, int status, double seconds) {
        requests.computeIfAbsent(route + "|" + method + "|" + status, k -> new LongAdder()).increment();
        latency.computeIfAbsent(route, k -> new Histogram()).observe(seconds);
    }

    void error(String kind) {
        errors.computeIfAbsent(kind, k -> new LongAdder()).increment();
    }

    String render() {
        StringBuilder sb = new StringBuilder(4096);
        sb.append("# HELP autoint_http_requests_total HTTP requests by route, method and status.\n");
        sb.append("# TYPE autoint_http_requests_total counter\n");
        for (Map.Entry<String, LongAdder> e : new TreeMap<>(requests).entrySet()) {
            String[] k = e.getKey().split("\\|", 3);
            sb.append("autoint_http_requests_total{route=\"").append(esc(k[0])).append("\",method=\"").append(k[1])
                    .append("\",status=\"").append(k[2]).append("\"} ").append(e.getValue().sum()).append('\n');
        }
        sb.append("# HELP autoint_http_request_duration_seconds Request latency by route.\n");
        sb.append("# TYPE autoint_http_request_duration_seconds histogram\n");
        for (Map.Entry<String, Histogram> e : new TreeMap<>(latency).entrySet()) {
            Histogram h = e.getValue();
            String r = esc(e.getKey());
            long cum = 0;
            for (int b = 0; b < BUCKETS.length; b++) {
                cum += h.counts[b].sum();
                sb.append("autoint_http_request_duration_seconds_bucket{route=\"").append(r).append("\",le=\"")
                        .append(String.format(Locale.ROOT, "%s", BUCKETS[b])).append("\"} ").append(cum).append('\n');
            }
            cum += h.counts[BUCKETS.length].sum();
            sb.append("autoint_http_request_duration_seconds_bucket{route=\"").append(r).append("\",le=\"+Inf\"} ").append(cum).append('\n');
            sb.append("autoint_http_request_duration_seconds_sum{route=\"").append(r).append("\"} ")
                    .append(String.format(Locale.ROOT, "%.6f", h.sum.sum())).append('\n');
            sb.append("autoint_http_request_duration_seconds_count{route=\"").append(r).append("\"} ").append(h.count.sum()).append('\n');
        }
        sb.append("# HELP autoint_errors_total Refused or failed requests by kind.\n");
        sb.append("# TYPE autoint_errors_total counter\n");
        for (Map.Entry<String, LongAdder> e : new TreeMap<>(errors).entrySet()) {
            sb.append("autoint_errors_total{kind=\"").append(esc(e.getKey())).append("\"} ").append(e.getValue().sum()).append('\n');
        }
        sb.append("# HELP autoint_model_info The loaded models: name and version (SHA-256 prefix of bundle.json).\n");
        sb.append("# TYPE autoint_model_info gauge\n");
        for (Map.Entry<String, String> e : new TreeMap<>(modelVersions.get()).entrySet()) {
            sb.append("autoint_model_info{model=\"").append(esc(e.getKey())).append("\",version=\"").append(esc(e.getValue()))
                    .append("\"} 1\n");
        }
        Runtime rt = Runtime.getRuntime();
        sb.append("# HELP autoint_jvm_heap_used_bytes Heap in use.\n# TYPE autoint_jvm_heap_used_bytes gauge\n");
        sb.append("autoint_jvm_heap_used_bytes ").append(rt.totalMemory() - rt.freeMemory()).append('\n');
        return sb.toString();
    }

    private static String esc(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
