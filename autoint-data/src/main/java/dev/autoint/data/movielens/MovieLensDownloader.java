package dev.autoint.data.movielens;

import dev.autoint.core.io.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Downloads MovieLens 1M or 100K from GroupLens into a cache directory (default {@code ~/.cache/autoint}),
 * verifies it, and unpacks it atomically.
 *
 * <p>Steps: GET {@code <baseUri>/ml-1m.zip} (or {@code ml-100k.zip}) with {@link HttpClient} into a temporary
 * file in the cache directory; check the status, the length and the checksum; unzip into a temporary
 * directory next to it (rejecting entries that escape it); then move the dataset directory to
 * {@code <cache>/ml-1m} (or {@code ml-100k}) with an atomic move. Every failure throws a
 * {@link DownloadException} naming the URL or file and removes every temporary file, so the cache never
 * holds a partial dataset. A directory already in place (with its completion marker) is returned as is.
 *
 * <p><b>Checksums.</b> The expected SHA-256 of each archive is a constructor parameter. The defaults
 * {@link #DEFAULT_SHA256_ML_1M} and {@link #DEFAULT_SHA256_ML_100K} are empty, meaning "not pinned":
 * they could not be verified on the machine this was written on (no internet access). With an empty
 * SHA-256 the downloader instead checks the MD5 that GroupLens publishes next to each archive
 * ({@link #PUBLISHED_MD5_ML_1M}, {@link #PUBLISHED_MD5_ML_100K}, as quoted by several public sources, also
 * not verified here), and writes the archive's computed SHA-256 to {@code <dataset>/SHA256} so it can be
 * pinned.
 */
public final class MovieLensDownloader {

    /** A downloadable MovieLens dataset. */
    public enum Dataset {
        ML_1M("ml-1m", "ratings.dat", PUBLISHED_MD5_ML_1M),
        ML_100K("ml-100k", "u.data", PUBLISHED_MD5_ML_100K);

        private final String dirName;
        private final String keyFile;
        private final String md5;

        Dataset(String dirName, String keyFile, String md5) {
            this.dirName = dirName;
            this.keyFile = keyFile;
            this.md5 = md5;
        }

        /** The archive's directory name, e.g. "ml-1m". */
        public String dirName() {
            return dirName;
        }

        /** The archive's file name, e.g. "ml-1m.zip". */
        public String zipName() {
            return dirName + ".zip";
        }
    }

    /** GroupLens' download directory. */
    public static final URI DEFAULT_BASE_URI = URI.create("https://files.grouplens.org/datasets/movielens/");
    /** Expected SHA-256 of ml-1m.zip: empty = NOT PINNED (could not be verified offline); see the class doc. */
    public static final String DEFAULT_SHA256_ML_1M = "";
    /** Expected SHA-256 of ml-100k.zip: empty = NOT PINNED (could not be verified offline); see the class doc. */
    public static final String DEFAULT_SHA256_ML_100K = "";
    /** MD5 of ml-1m.zip as published by GroupLens (ml-1m.zip.md5); quoted from public sources, not verified here. */
    public static final String PUBLISHED_MD5_ML_1M = "c4d9eecfca2ab87c1945afe126590906";
    /** MD5 of ml-100k.zip as published by GroupLens (ml-100k.zip.md5); quoted from public sources, not verified here. */
    public static final String PUBLISHED_MD5_ML_100K = "0e33842e24a9c977be4e0107933c0723";

    private static final String MARKER = ".autoint-complete";

    private final Path cacheDir;
    private final URI baseUri;
    private final String sha256Ml1m;
    private final String sha256Ml100k;
    private final Duration timeout;
    private final HttpClient client;

    /** Defaults: {@link #defaultCacheDir()}, {@link #DEFAULT_BASE_URI}, the default checksums, a 10-minute bound on the download. */
    public MovieLensDownloader() {
        this(defaultCacheDir(), DEFAULT_BASE_URI, DEFAULT_SHA256_ML_1M, DEFAULT_SHA256_ML_100K, Duration.ofMinutes(10));
    }

    /**
     * @param cacheDir     where datasets are unpacked
     * @param baseUri      directory URL the archives are fetched from (a trailing slash is added if absent)
     * @param sha256Ml1m   expected SHA-256 (hex) of ml-1m.zip, or empty to check the published MD5 instead
     * @param sha256Ml100k expected SHA-256 (hex) of ml-100k.zip, or empty to check the published MD5 instead
     * @param timeout      bound on connecting and on the whole download
     */
    public MovieLensDownloader(Path cacheDir, URI baseUri, String sha256Ml1m, String sha256Ml100k, Duration timeout) {
        this.cacheDir = Objects.requireNonNull(cacheDir, "cacheDir").toAbsolutePath();
        String b = Objects.requireNonNull(baseUri, "baseUri").toString();
        this.baseUri = URI.create(b.endsWith("/") ? b : b + "/");
        this.sha256Ml1m = normalizeHex(sha256Ml1m);
        this.sha256Ml100k = normalizeHex(sha256Ml100k);
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    /** {@code $XDG_CACHE_HOME/autoint} when set, else {@code ~/.cache/autoint}. */
    public static Path defaultCacheDir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) return Path.of(xdg, "autoint");
        return Path.of(System.getProperty("user.home"), ".cache", "autoint");
    }

    /** Where a dataset is (or will be) unpacked. */
    public Path datasetDir(Dataset d) {
        return cacheDir.resolve(d.dirName());
    }

    /** Returns the unpacked dataset directory, downloading and unpacking it first if needed. */
    public Path fetch(Dataset d) throws IOException {
        Path target = datasetDir(d);
        if (Files.isRegularFile(target.resolve(MARKER))) return target;
        Files.createDirectories(cacheDir);
        URI uri = baseUri.resolve(d.zipName());
        Path zip = Files.createTempFile(cacheDir, "." + d.dirName() + ".", ".zip.part");
        Path unpack = null;
        try {
            String[] digests = download(uri, zip);
            verify(d, uri, digests);
            unpack = Files.createTempDirectory(cacheDir, "." + d.dirName() + ".unpack.");
            unzip(zip, unpack, d);
            Path staged = unpack.resolve(d.dirName());
            Files.writeString(staged.resolve("SHA256"), digests[0] + "  " + d.zipName() + "\n");
            Files.writeString(staged.resolve(MARKER), uri + "\n");
            if (Files.exists(target)) AtomicFiles.deleteTree(target); // a leftover without marker: never complete
            try {
                Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
                throw new DownloadException(target.toString(), "cannot move the unpacked dataset into place atomically", e);
            }
            return target;
        } finally {
            Files.deleteIfExists(zip);
            if (unpack != null) AtomicFiles.deleteTree(unpack);
        }
    }

    private String expectedSha256(Dataset d) {
        return d == Dataset.ML_1M ? sha256Ml1m : sha256Ml100k;
    }

    /**
     * Downloads the body into {@code file} within the timeout (a stalled transfer cannot hang the caller:
     * the whole exchange is bounded and cancelled on expiry); returns {SHA-256 hex, MD5 hex}.
     */
    private String[] download(URI uri, Path file) throws IOException {
        HttpRequest req = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
        CompletableFuture<HttpResponse<Path>> future = client.sendAsync(req,
                HttpResponse.BodyHandlers.ofFile(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING));
        HttpResponse<Path> resp;
        try {
            resp = future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new DownloadException(uri.toString(), "timed out after " + timeout + " (" + Files.size(file)
                    + " bytes received)", e);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new DownloadException(uri.toString(), "interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof ConnectException || c.getCause() instanceof ConnectException) {
                throw new DownloadException(uri.toString(), "cannot connect (" + c + ")", c);
            }
            if (c instanceof HttpTimeoutException) {
                throw new DownloadException(uri.toString(), "timed out after " + timeout, c);
            }
            throw new DownloadException(uri.toString(), "download failed after " + Files.size(file) + " bytes (" + c + ")", c);
        }
        if (resp.statusCode() != 200) {
            throw new DownloadException(uri.toString(), "HTTP status " + resp.statusCode() + " (expected 200)", null);
        }
        long declared = resp.headers().firstValueAsLong("Content-Length").orElse(-1);
        long total = Files.size(file);
        if (declared >= 0 && total != declared) {
            throw new DownloadException(uri.toString(), "truncated download: " + total + " of " + declared + " bytes", null);
        }
        MessageDigest sha = digest("SHA-256");
        MessageDigest md5 = digest("MD5");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int r; (r = in.read(buf)) > 0; ) {
                sha.update(buf, 0, r);
                md5.update(buf, 0, r);
            }
        }
        HexFormat hex = HexFormat.of();
        return new String[] {hex.formatHex(sha.digest()), hex.formatHex(md5.digest())};
    }

    private void verify(Dataset d, URI uri, String[] digests) throws DownloadException {
        String want = expectedSha256(d);
        if (!want.isEmpty()) {
            if (!want.equals(digests[0])) {
                throw new DownloadException(uri.toString(), "SHA-256 mismatch: expected " + want + ", got " + digests[0], null);
            }
        } else if (!d.md5.equals(digests[1])) {
            throw new DownloadException(uri.toString(), "MD5 mismatch with the published checksum: expected " + d.md5
                    + ", got " + digests[1] + " (SHA-256 " + digests[0] + ")", null);
        }
    }

    private static void unzip(Path zip, Path into, Dataset d) throws IOException {
        Path root = into.toAbsolutePath().normalize();
        try (ZipFile zf = new ZipFile(zip.toFile())) {
            Enumeration<? extends ZipEntry> entries = zf.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                Path out = root.resolve(e.getName()).normalize();
                if (!out.startsWith(root) || out.equals(root)) {
                    throw new DownloadException(zip.toString(), "archive entry escapes the target directory: " + e.getName(), null);
                }
                if (e.isDirectory()) {
                    Files.createDirectories(out);
                } else {
                    Files.createDirectories(out.getParent());
                    try (InputStream in = zf.getInputStream(e)) {
                        Files.copy(in, out);
                    }
                }
            }
        } catch (DownloadException e) {
            throw e;
        } catch (ZipException | java.io.EOFException e) {
            throw new DownloadException(zip.toString(), "corrupt or truncated archive (" + e.getMessage() + ")", e);
        }
        if (!Files.isRegularFile(root.resolve(d.dirName()).resolve(d.keyFile))) {
            throw new DownloadException(zip.toString(), "archive lacks " + d.dirName() + "/" + d.keyFile, null);
        }
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " unavailable", e);
        }
    }

    private static String normalizeHex(String s) {
        String h = Objects.requireNonNull(s, "checksum").trim().toLowerCase(Locale.ROOT);
        if (!h.isEmpty() && !h.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("a SHA-256 checksum is 64 hex digits, got \"" + s + "\"");
        }
        return h;
    }
}
