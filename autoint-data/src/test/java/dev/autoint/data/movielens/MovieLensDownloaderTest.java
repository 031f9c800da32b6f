package dev.autoint.data.movielens;

import com.sun.net.httpserver.HttpServer;
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

    private void assertCacheEmpty() throws IOException {
        try (Stream<Path> s = Files.list(cache)) {
            assertThat(s.toList()).isEmpty();
        }
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
        try (Stream<Path> s = Files.list(cache)) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly("ml-100k");
        }
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
        // unpinned: the published MD5 is checked instead
        assertThatThrownBy(() -> downloader("").fetch(MovieLensDownloader.Dataset.ML_100K))
                .isInstanceOf(DownloadException.class).hasMessageContaining("MD5 mismatch");
        assertCacheEmpty();
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
        assertThatThrownBy(() -> downloader(sha256(body)).fetch(MovieLensDownloader.Dataset.ML_1M))
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
        MovieLensDownloader d = new MovieLensDownloader(cache, dead, "", "", Duration.ofSeconds(5));
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
