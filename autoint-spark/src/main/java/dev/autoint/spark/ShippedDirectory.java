package dev.autoint.spark;

import dev.autoint.core.internal.io.Digests;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The files of a directory (a bundle, or an encoder's files) as bytes, to travel to executors inside one
 * Spark broadcast. Its {@link #key()} is the SHA-256 over every file name and content, so an executor that
 * already loaded the same files (an earlier job, another task) finds them in {@link ExecutorCache} and
 * loads nothing again.
 */
final class ShippedDirectory implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String key;
    private final Map<String, byte[]> files; // relative path with '/' -> content, in name order

    private ShippedDirectory(String key, Map<String, byte[]> files) {
        this.key = key;
        this.files = files;
    }

    /** Every regular file under {@code dir}. */
    static ShippedDirectory of(Path dir) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path f : (Iterable<Path>) s.filter(Files::isRegularFile)::iterator) {
                files.put(dir.relativize(f).toString().replace('\\', '/'), Files.readAllBytes(f));
            }
        }
        if (files.isEmpty()) throw new IOException(dir + " holds no files");
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, byte[]> e : files.entrySet()) sb.append(e.getKey()).append('\0').append(Digests.sha256(e.getValue())).append('\n');
        return new ShippedDirectory(Digests.sha256(sb.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                new LinkedHashMap<>(files));
    }

    /** The files {@code writer} puts into a fresh temporary directory (deleted afterwards). */
    static ShippedDirectory written(dev.autoint.core.internal.io.AtomicFiles.DirectoryWriter writer) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("autoint-shipped-");
            writer.write(dir);
            return of(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("could not stage the files to ship: " + e.getMessage(), e);
        } finally {
            if (dir != null) deleteQuietly(dir);
        }
    }

    /** SHA-256 of the names and contents: equal keys mean equal files. */
    String key() {
        return key;
    }

    /** Total bytes of the files. */
    long bytes() {
        long n = 0;
        for (byte[] b : files.values()) n += b.length;
        return n;
    }

    /** Loads something from these files, written into a fresh temporary directory that is deleted afterwards. */
    <T> T load(Loader<T> loader) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("autoint-shipped-");
            for (Map.Entry<String, byte[]> e : files.entrySet()) {
                Path f = dir.resolve(e.getKey());
                Files.createDirectories(f.getParent());
                Files.write(f, e.getValue());
            }
            return Objects.requireNonNull(loader.load(dir), "loader result");
        } catch (IOException e) {
            throw new UncheckedIOException("could not load the shipped files " + files.keySet() + ": " + e.getMessage(), e);
        } finally {
            if (dir != null) deleteQuietly(dir);
        }
    }

    /** Reads what {@link #load} needs from a directory. */
    @FunctionalInterface
    interface Loader<T> {
        T load(Path dir) throws IOException;
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) Files.deleteIfExists(p);
        } catch (IOException | UncheckedIOException ignored) {
            // A temporary directory left behind is harmless.
        }
    }
}
