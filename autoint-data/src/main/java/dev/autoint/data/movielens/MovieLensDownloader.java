package dev.autoint.data.movielens;

import dev.autoint.core.internal.io.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
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
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Downloads MovieLens 1M or 100K from GroupLens into a cache directory (default {@code ~/.cache/autoint}),
 * verifies it, and unpacks it atomically.
 *
 * <p>Steps: take the dataset's lock ({@code <cache>/.ml-1m.lock}, so two processes or threads never
 * download the same dataset at once); delete what earlier runs that were killed left ({@code .part}
 * archives and unpack directories of this dataset); GET {@code <baseUri>/ml-1m.zip} (or {@code ml-100k.zip})
 * with {@link HttpClient} into a {@code .part} file in the cache directory; check the status, the length
 * and the SHA-256; unzip into a temporary directory next to it (rejecting entries that escape it); then move
 * the dataset directory to {@code <cache>/ml-1m} (or {@code ml-100k}) with an atomic move. Every failure
 * throws a {@link DownloadException} naming the URL or file and removes every temporary file, so the cache
 * never holds a partial dataset. A directory already in place (with its completion marker) is returned as is.
 *
 * <p><b>Checksums.</b> Archives are verified against a SHA-256 only. The SHA-256 of the published archives
 * could not be computed where this was written (no copy of {@code ml-1m.zip} or {@code ml-100k.zip} and no
 * network), so none is pinned: {@link #DEFAULT_SHA256_ML_1M} and {@link #DEFAULT_SHA256_ML_100K} are empty,
 * and the MD5s GroupLens publishes are not used (they were only quoted, never checked here, and MD5 is no
 * protection). The expected SHA-256 must therefore be supplied: to the constructor, or for the default
 * constructor with the system property {@code autoint.movielens.sha256.ml-1m} (or {@code ...ml-100k}),
 * see {@link Dataset#sha256Property()}. Without one, {@link #fetch} refuses before downloading anything and
 * says how to supply it. The verified SHA-256 is written to {@code <dataset>/SHA256}.
 */
public final class MovieLensDownloader {

    /** A downloadable MovieLens dataset. */
    public enum Dataset {
        /** MovieLens-1M: 1,000,209 ratings of 3,706 movies by 6,040 users, {@code ml-1m.zip}. */
        ML_1M("ml-1m", "ratings.dat", DEFAULT_SHA256_ML_1M),
        /** MovieLens-100K: 100,000 ratings of 1,682 movies by 943 users, {@code ml-100k.zip}. */
        ML_100K("ml-100k", "u.data", DEFAULT_SHA256_ML_100K);

        private final String dirName;
        private final String keyFile;
        private final String pinnedSha256;

        Dataset(String dirName, String keyFile, String pinnedSha256) {
            this.dirName = dirName;
            this.keyFile = keyFile;
            this.pinnedSha256 = pinnedSha256;
        }

        /**
         * The archive's directory name, e.g. "ml-1m".
         *
         * @return the name
         */
        public String dirName() {
            return dirName;
        }

        /**
         * The archive's file name, e.g. "ml-1m.zip".
         *
         * @return the name
         */
        public String zipName() {
            return dirName + ".zip";
        }

        /**
         * The system property the default constructor reads this archive's SHA-256 from, e.g. "autoint.movielens.sha256.ml-1m".
         *
         * @return the property name
         */
        public String sha256Property() {
            return "autoint.movielens.sha256." + dirName;
        }
    }

    /** GroupLens' download directory. */
    public static final URI DEFAULT_BASE_URI = URI.create("https://files.grouplens.org/datasets/movielens/");
    /** Pinned SHA-256 of ml-1m.zip: empty, NOT PINNED (it could not be computed here); see the class doc. */
    public static final String DEFAULT_SHA256_ML_1M = "";
    /** Pinned SHA-256 of ml-100k.zip: empty, NOT PINNED (it could not be computed here); see the class doc. */
    public static final String DEFAULT_SHA256_ML_100K = "";

    private static final String MARKER = ".autoint-complete";
    private static final String PART = ".zip.part";
    private static final ConcurrentHashMap<Path, Object> LOCKS = new ConcurrentHashMap<>();

    private final Path cacheDir;
    private final URI baseUri;
    private final String sha256Ml1m;
    private final String sha256Ml100k;
    private final Duration timeout;
    private final HttpClient client;

    /**
     * Defaults: {@link #defaultCacheDir()}, {@link #DEFAULT_BASE_URI}, the SHA-256s of
     * {@link #configuredSha256}, a 10-minute bound on the download.
     */
    public MovieLensDownloader() {
        this(defaultCacheDir(), DEFAULT_BASE_URI, configuredSha256(Dataset.ML_1M), configuredSha256(Dataset.ML_100K),
                Duration.ofMinutes(10));
    }

    /**
     * @param cacheDir     where datasets are unpacked
     * @param baseUri      directory URL the archives are fetched from (a trailing slash is added if absent)
     * @param sha256Ml1m   expected SHA-256 (64 hex digits) of ml-1m.zip, or empty when none is known (fetching it then fails)
     * @param sha256Ml100k expected SHA-256 (64 hex digits) of ml-100k.zip, or empty likewise
     * @param timeout      bound on connecting and on the whole download
     * @throws NullPointerException     if {@code cacheDir}, {@code baseUri} or {@code timeout} is null
     * @throws IllegalArgumentException if a checksum is neither empty nor 64 hex digits
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

    /**
     * {@code $XDG_CACHE_HOME/autoint} when set, else {@code ~/.cache/autoint}.
     *
     * @return the directory (not created)
     */
    public static Path defaultCacheDir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) return Path.of(xdg, "autoint");
        return Path.of(System.getProperty("user.home"), ".cache", "autoint");
    }

    /**
     * The SHA-256 an archive is expected to have: the system property {@link Dataset#sha256Property()} when
     * set, else the pinned default (empty: none known).
     *
     * @param d the dataset
     * @return 64 lower-case hex digits, or empty when none is known
     * @throws IllegalArgumentException if the property is set but is not 64 hex digits
     */
    public static String configuredSha256(Dataset d) {
        String v = System.getProperty(d.sha256Property());
        if (v == null || v.isBlank()) return d.pinnedSha256;
        try {
            return normalizeHex(v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("-D" + d.sha256Property() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Where a dataset is (or will be) unpacked.
     *
     * @param d the dataset
     * @return {@code cacheDir/dirName}; it may not exist yet
     */
    public Path datasetDir(Dataset d) {
        return cacheDir.resolve(d.dirName());
    }

    /**
     * Returns the unpacked dataset directory, downloading and unpacking it first if needed. Not safe to call
     * concurrently for the same cache directory from several processes.
     *
     * @param d the dataset
     * @return the directory holding the dataset's files
     * @throws DownloadException if no SHA-256 is known for the archive, or the download, checksum or unpacking
     *                           fails; no partial file is left
     * @throws IOException       if the cache directory cannot be written
     */
    public Path fetch(Dataset d) throws IOException {
        Path target = datasetDir(d);
        if (Files.isRegularFile(target.resolve(MARKER))) return target;
        URI uri = baseUri.resolve(d.zipName());
        String want = expectedSha256(d);
        if (want.isEmpty()) {
            throw new DownloadException(uri.toString(), "no SHA-256 to verify " + d.zipName() + " against: none is pinned"
                    + " in this build (the published archive's SHA-256 could not be computed where it was written)."
                    + " Compute it from a copy you trust (sha256sum " + d.zipName() + ") and pass it with -D"
                    + d.sha256Property() + "=<64 hex digits>, or to the MovieLensDownloader constructor; or download and"
                    + " unpack the archive yourself and read the directory", null);
        }
        Files.createDirectories(cacheDir);
        Path lockFile = cacheDir.resolve("." + d.dirName() + ".lock");
        synchronized (LOCKS.computeIfAbsent(lockFile, k -> new Object())) { // FileLock does not exclude this JVM's threads
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock lock = channel.lock()) {
                if (Files.isRegularFile(target.resolve(MARKER))) return target; // done by whoever held the lock before
                deleteLeftovers(d);
                return downloadAndUnpack(d, uri, want, target);
            }
        }
    }

    /**
     * Deletes the {@code .part} archives and unpack directories of this dataset that killed runs left (under
     * the dataset's lock nobody else is writing them).
     */
    private void deleteLeftovers(Dataset d) throws IOException {
        String prefix = "." + d.dirName() + ".";
        List<Path> stale;
        try (Stream<Path> s = Files.list(cacheDir)) {
            stale = s.filter(p -> {
                String n = p.getFileName().toString();
                return n.startsWith(prefix) && (n.endsWith(PART) || n.startsWith(prefix + "unpack."));
            }).toList();
        }
        for (Path p : stale) AtomicFiles.deleteTree(p);
    }

    private Path downloadAndUnpack(Dataset d, URI uri, String want, Path target) throws IOException {
        Path zip = Files.createTempFile(cacheDir, "." + d.dirName() + ".", PART);
        Path unpack = null;
        try {
            String sha256 = download(uri, zip);
            if (!want.equals(sha256)) {
                throw new DownloadException(uri.toString(), "SHA-256 mismatch: expected " + want + ", got " + sha256, null);
            }
            unpack = Files.createTempDirectory(cacheDir, "." + d.dirName() + ".unpack.");
            unzip(zip, unpack, d);
            Path staged = unpack.resolve(d.dirName());
            Files.writeString(staged.resolve("SHA256"), sha256 + "  " + d.zipName() + "\n");
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
     * the whole exchange is bounded and cancelled on expiry); returns its SHA-256 in hex.
     */
    private String download(URI uri, Path file) throws IOException {
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
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int r; (r = in.read(buf)) > 0; ) sha.update(buf, 0, r);
        }
        return HexFormat.of().formatHex(sha.digest());
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

    /**
     * A download or unpacking by {@link MovieLensDownloader} failed: HTTP error, connection failure, checksum
     * mismatch, truncated or corrupt archive. The message names the URL or file; no partial file is left.
     */
    public static class DownloadException extends IOException {

        private static final long serialVersionUID = 1L;

        /** The URL or file the failure is about. */
        private final String location;

        /**
         * @param location the URL or file the failure is about; starts the message
         * @param problem  what went wrong
         * @param cause    the underlying failure, or null
         */
        public DownloadException(String location, String problem, Throwable cause) {
            super(location + ": " + problem, cause);
            this.location = location;
        }

        /**
         * The URL or file the failure is about.
         *
         * @return the location
         */
        public String location() {
            return location;
        }
    }
}
