package dev.autoint.examples.cli;

import dev.autoint.serve.AutoIntServer;
import dev.autoint.serve.ServeConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve bundles over HTTP: a JSON API (docs/SERVING.md), /metrics for Prometheus, and a page at /. "
                + "Binds 127.0.0.1 unless --host says otherwise. Stop with Ctrl-C.")
final class ServeCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "BUNDLE", description = "bundle directories; each is served under its directory name, the first is the default")
    List<Path> bundles;

    @Option(names = "--port", defaultValue = "8080", description = "port; 0 picks a free one (default: ${DEFAULT-VALUE})")
    int port = 8080;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "interface to bind (default: ${DEFAULT-VALUE}, this machine only)")
    String host = "127.0.0.1";

    @Option(names = "--max-body", defaultValue = "1048576", description = "largest request body in bytes (default: ${DEFAULT-VALUE})")
    long maxBody = 1 << 20;

    @Option(names = "--max-batch", defaultValue = "1024", description = "most rows per score request (default: ${DEFAULT-VALUE})")
    int maxBatch = 1024;

    @Option(names = "--max-n", defaultValue = "100", description = "largest n of a recommendation (default: ${DEFAULT-VALUE})")
    int maxN = 100;

    @Override
    public Integer call() throws Exception {
        ServeConfig config;
        try {
            config = ServeConfig.defaults().withHost(host).withPort(port).withLimits(maxBody, maxBatch, maxN);
        } catch (IllegalArgumentException e) {
            throw new CliException(2, e.getMessage());
        }
        Map<String, Path> named = new LinkedHashMap<>();
        for (Path b : bundles) {
            if (!Files.isDirectory(b)) throw new CliException(3, "BUNDLE " + b + ": no such bundle directory");
            String name = b.toAbsolutePath().normalize().getFileName().toString();
            if (named.put(name, b) != null) throw new CliException(2, "two bundles are named '" + name + "': give directories with different names");
        }
        for (Path b : named.values()) Bundles.open(b, "BUNDLE"); // clear errors (exit 3/4) before the server starts
        AutoIntServer server = AutoIntServer.start(config, named);
        System.out.println("serving " + named.keySet() + " on http://" + host + ":" + server.port() + "/  (Ctrl-C stops)");
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stop.countDown();
        }));
        stop.await();
        return 0;
    }
}
