package dev.autoint.data.movielens;

import com.sun.net.httpserver.HttpServer;
import dev.autoint.data.movielens.MovieLensDownloader.DownloadException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The downloader against a local HTTP server serving zips this test makes. */
class MovieLensDownloaderTest {

    @TempDir
    Path cache;

    private HttpServer server;
    private volatile byte[] body;
    private volatile int status = 200;
    private volatile boolean lieAboutLength;
    private final AtomicInteger requests = new AtomicInteger();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            requests.incrementAndGet();
            byte[] b = body;
            if (status != 200) {
                ex.sendResponseHeaders(status, -1);
            } else if (lieAboutLength) {
                ex.sendResponseHeaders(200, b.length * 2L);
                try (OutputStream o = ex.getResponseBody()) {
                    o.write(b);
                } catch (IOException ignored) {
                    // the client sees a short body
                }
            } else {
                ex.sendResponseHeaders(200, b.length);
                try (OutputStream o = ex.getResponseBody()) {
                    o.write(b);
                }
            }
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/movielens");
    }

    private MovieLensDownloader downloader(String sha100k) {
        return new MovieLensDownloader(cache, base(), "", sha100k, Duration.ofSeconds(10));
    }

    static byte[] zip(String... nameThenContent) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            for (int i = 0; i < nameThenContent.length; i += 2) {
                z.putNextEntry(new ZipEntry(nameThenContent[i]));
                z.write(nameThenContent[i + 1].getBytes(StandardCharsets.UTF_8));
                z.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    static byte[] sampleZip() throws IOException {
        return zip("ml-100k/u.data", "1\t2\t3\t881250949\n".repeat(200), "ml-100k/u.user", "1|24|M|technician|85711\n");
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    /** The cache's entries but the datasets' lock files. */
    private List<String> cacheEntries() throws IOException {
        try (Stream<Path> s = Files.list(cache)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".lock")).sorted().toList();
        }
    }

    private void assertCacheEmpty() throws IOException {
        assertThat(cacheEntries()).isEmpty();
    }

    @Test
    void downloadsVerifiesAndUnpacksOnce() throws Exception {
        body = sampleZip();
        MovieLensDownloader d = downloader(sha256(body));
        Path dir = d.fetch(MovieLensDownloader.Dataset.ML_100K);
        assertThat(dir).isEqualTo(cache.resolve("ml-100k"));
        assertThat(Files.readString(dir.resolve("u.user"))).startsWith("1|24|M");
        assertThat(Files.readString(dir.resolve("SHA256"))).startsWith(sha256(body));
        assertThat(d.fetch(MovieLensDownloader.Dataset.ML_100K)).isEqualTo(dir);
        assertThat(requests.get()).isEqualTo(1);
        assertThat(cacheEntries()).containsExactly("ml-100k");
    }

    @Test
    void wrongChecksum() throws Exception {
        body = sampleZip();
        String wrong = "0".repeat(64);
        assertThatThrownBy(() -> downloader(wrong).fetch(MovieLensDownloader.Dataset.ML_100K))
                .isInstanceOf(DownloadException.class)
                .hasMessageContaining(base() + "/ml-100k.zip").hasMessageContaining("SHA-256 mismatch")
                .hasMessageContaining(sha256(body));
        assertCacheEmpty();
    }

    @Test
    void withoutAnExpectedSha256NothingIsDownloaded() throws Exception {
        body = sampleZip();
        assertThatThrownBy(() -> downloader("").fetch(MovieLensDownloader.Dataset.ML_100K))
                .isInstanceOf(DownloadException.class)
                .hasMessageContaining("no SHA-256 to verify ml-100k.zip against")
                .hasMessageContaining("-Dautoint.movielens.sha256.ml-100k=");
        assertThat(requests.get()).isZero();
        assertCacheEmpty();
        // Nothing pinned in this build (the published archives' SHA-256 could not be computed): no MD5 fallback.
        assertThat(MovieLensDownloader.DEFAULT_SHA256_ML_1M).isEmpty();
        assertThat(MovieLensDownloader.DEFAULT_SHA256_ML_100K).isEmpty();
    }

    @Test
    void theExpectedSha256ComesFromASystemProperty() throws Exception {
        String key = MovieLensDownloader.Dataset.ML_1M.sha256Property();
        assertThat(key).isEqualTo("autoint.movielens.sha256.ml-1m");
        String before = System.getProperty(key);
        try {
            System.clearProperty(key);
            assertThat(MovieLensDownloader.configuredSha256(MovieLensDownloader.Dataset.ML_1M)).isEmpty();
            System.setProperty(key, " " + "AB".repeat(32) + " ");
            assertThat(MovieLensDownloader.configuredSha256(MovieLensDownloader.Dataset.ML_1M)).isEqualTo("ab".repeat(32));
            System.setProperty(key, "d41d8cd98f00b204e9800998ecf8427e"); // an MD5 is not accepted
            assertThatThrownBy(() -> MovieLensDownloader.configuredSha256(MovieLensDownloader.Dataset.ML_1M))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(key).hasMessageContaining("64 hex digits");
        } finally {
            if (before == null) System.clearProperty(key);
            else System.setProperty(key, before);
        }
    }

    @Test
    void leftoversOfKilledRunsAreDeletedBeforeDownloading() throws Exception {
        // What a run killed mid-download or mid-unpack leaves: its .part archive and its unpack directory.
        Files.write(cache.resolve(".ml-100k.8123456789.zip.part"), new byte[1234]);
        Path unpack = Files.createDirectories(cache.resolve(".ml-100k.unpack.42/ml-100k"));
        Files.writeString(unpack.resolve("u.data"), "1\t2\t3\t4\n");
        Path otherDataset = Files.write(cache.resolve(".ml-1m.77.zip.part"), new byte[10]);
        body = sampleZip();
        Path dir = downloader(sha256(body)).fetch(MovieLensDownloader.Dataset.ML_100K);
        assertThat(dir).isEqualTo(cache.resolve("ml-100k"));
        assertThat(cacheEntries()).containsExactly(".ml-1m.77.zip.part", "ml-100k"); // another dataset's is not touched
        Files.delete(otherDataset);

        // and before a download that then fails: the failure leaves nothing either
        Files.write(cache.resolve(".ml-1m.99.zip.part"), new byte[1234]);
        status = 404;
        assertThatThrownBy(() -> new MovieLensDownloader(cache, base(), sha256(body), "", Duration.ofSeconds(10))
                .fetch(MovieLensDownloader.Dataset.ML_1M)).hasMessageContaining("HTTP status 404");
        assertThat(cacheEntries()).containsExactly("ml-100k");
    }

    @Test
    void concurrentFetchesOfOneDatasetDownloadOnce() throws Exception {
        body = sampleZip();
        MovieLensDownloader d = downloader(sha256(body));
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3);
        try {
            List<java.util.concurrent.Future<Path>> fs = new java.util.ArrayList<>();
            for (int i = 0; i < 3; i++) fs.add(pool.submit(() -> d.fetch(MovieLensDownloader.Dataset.ML_100K)));
            for (var f : fs) assertThat(f.get()).isEqualTo(cache.resolve("ml-100k"));
        } finally {
            pool.shutdownNow();
        }
        assertThat(requests.get()).isEqualTo(1);
        assertThat(cacheEntries()).containsExactly("ml-100k");
    }

    @Test
    void truncatedArchive() throws Exception {
        byte[] full = sampleZip();
        body = Arrays.copyOf(full, full.length / 2);
        assertThatThrownBy(() -> downloader(sha256(body)).fetch(MovieLensDownloader.Dataset.ML_100K))
                .isInstanceOf(DownloadException.class).hasMessageContaining(".zip.part")
                .hasMessageContaining("corrupt or truncated archive");
        assertCacheEmpty();
    }

    @Test
    void truncatedTransfer() throws Exception {
        body = sampleZip();
        lieAboutLength = true; // the server declares twice the bytes it sends, then stalls
        MovieLensDownloader d = new MovieLensDownloader(cache, base(), "", sha256(body), Duration.ofSeconds(2));
        assertThatThrownBy(() -> d.fetch(MovieLensDownloader.Dataset.ML_100K))
                .isInstanceOf(DownloadException.class).hasMessageContaining(base() + "/ml-100k.zip");
        assertCacheEmpty();
    }

    @Test
    void archiveWithoutTheDataOrEscapingEntries() throws Exception {
        body = zip("other/file.txt", "x");
        assertThatThrownBy(() -> downloader(sha256(body)).fetch(MovieLensDownloader.Dataset.ML_100K))
                .isInstanceOf(DownloadException.class).hasMessageContaining("archive lacks ml-100k/u.data");
        assertCacheEmpty();
        body = zip("../evil.txt", "x", "ml-100k/u.data", "1\t2\t3\t4\n");
        assertThatThrownBy(() -> downloader(sha256(body)).fetch(MovieLensDownloader.Dataset.ML_100K))
                .isInstanceOf(DownloadException.class).hasMessageContaining("escapes the target directory");
        assertCacheEmpty();
        assertThat(Files.exists(cache.getParent().resolve("evil.txt"))).isFalse();
    }

    @Test
    void notFound() throws Exception {
        body = sampleZip();
        status = 404;
        assertThatThrownBy(() -> new MovieLensDownloader(cache, base(), sha256(body), "", Duration.ofSeconds(10))
                .fetch(MovieLensDownloader.Dataset.ML_1M))
                .isInstanceOf(DownloadException.class)
                .hasMessageContaining(base() + "/ml-1m.zip").hasMessageContaining("HTTP status 404");
        assertCacheEmpty();
    }

    @Test
    void connectionRefused() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        URI dead = URI.create("http://127.0.0.1:" + port + "/x/");
        MovieLensDownloader d = new MovieLensDownloader(cache, dead, "", "0".repeat(64), Duration.ofSeconds(5));
        assertThatThrownBy(() -> d.fetch(MovieLensDownloader.Dataset.ML_100K))
                .isInstanceOf(DownloadException.class).hasMessageContaining(dead + "ml-100k.zip")
                .satisfies(e -> assertThat(((DownloadException) e).location()).isEqualTo(dead + "ml-100k.zip"));
        assertCacheEmpty();
    }

    @Test
    void rejectsMalformedChecksums() {
        assertThatThrownBy(() -> new MovieLensDownloader(cache, base(), "abc", "", Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("64 hex digits");
        assertThat(MovieLensDownloader.defaultCacheDir().toString()).endsWith("autoint");
    }
}
