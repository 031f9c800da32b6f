package dev.autoint.serve;

/**
 * How the service listens and what it accepts.
 *
 * @param host         interface to bind (default 127.0.0.1: only this machine)
 * @param port         port; 0 picks a free one
 * @param maxBodyBytes largest request body
 * @param maxBatch     most rows per score request
 * @param maxN         largest {@code n} of a recommendation
 * @param threads      request threads of the HTTP server
 */
public record ServeConfig(String host, int port, long maxBodyBytes, int maxBatch, int maxN, int threads) {

    public ServeConfig {
        if (host == null || host.isBlank()) throw new IllegalArgumentException("host must not be blank");
        if (port < 0 || port > 65_535) throw new IllegalArgumentException("port must be 0..65535, got " + port);
        if (maxBodyBytes < 1024) throw new IllegalArgumentException("maxBodyBytes must be >= 1024, got " + maxBodyBytes);
        if (maxBatch < 1) throw new IllegalArgumentException("maxBatch must be >= 1, got " + maxBatch);
        if (maxN < 1) throw new IllegalArgumentException("maxN must be >= 1, got " + maxN);
        if (threads < 2) throw new IllegalArgumentException("threads must be >= 2, got " + threads);
    }

    /** 127.0.0.1:8080, 1 MiB bodies, 1,024 rows per score request, n up to 100, 32 request threads. */
    public static ServeConfig defaults() {
        return new ServeConfig("127.0.0.1", 8080, 1 << 20, 1024, 100, 32);
    }

    public ServeConfig withPort(int p) {
        return new ServeConfig(host, p, maxBodyBytes, maxBatch, maxN, threads);
    }

    public ServeConfig withHost(String h) {
        return new ServeConfig(h, port, maxBodyBytes, maxBatch, maxN, threads);
    }

    public ServeConfig withLimits(long body, int batch, int n) {
        return new ServeConfig(host, port, body, batch, n, threads);
    }
}
