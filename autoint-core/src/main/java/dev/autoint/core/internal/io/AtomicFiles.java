package dev.autoint.core.internal.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Atomic file writes: the content goes to a temporary file in the target's directory, is forced to disk,
 * then renamed over the target. Readers see the old file or the new one, never a half-written one; on
 * failure the temporary file is deleted and the target is untouched. {@link #writeDirectory} does the same
 * for a whole directory.
 */
public final class AtomicFiles {

    /** Writes the stream's content. */
    @FunctionalInterface
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    /** Fills an empty, freshly created directory with files. */
    @FunctionalInterface
    public interface DirectoryWriter {
        void write(Path dir) throws IOException;
    }

    private AtomicFiles() {
    }

    public static void write(Path target, Writer writer) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        // Not Files.createTempFile: its 0600 mode would survive the rename and hide the file from other users.
        Path tmp = dir.resolve("." + target.getFileName() + "." + java.util.UUID.randomUUID() + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW);
                 OutputStream out = new java.io.BufferedOutputStream(java.nio.channels.Channels.newOutputStream(ch), 1 << 16)) {
                writer.write(out);
                out.flush();
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public static void writeBytes(Path target, byte[] bytes) throws IOException {
        write(target, out -> out.write(bytes));
    }

    /**
     * Writes a directory as one unit, so that a process killed at any instant leaves {@code target} either as
     * it was or complete with the new content, never a mix:
     * <ol>
     *   <li>an exclusive lock on the hidden sibling {@code .NAME.lock} keeps writers of the same target apart
     *       and tells {@link #recoverDirectory} that a writer is alive (the OS drops the lock of a killed
     *       process);</li>
     *   <li>leftovers of an earlier killed write are resolved first ({@link #recoverDirectory});</li>
     *   <li>the writer fills {@code .NAME.tmp-UUID}; every file in it is forced to disk;</li>
     *   <li>the staged directory is renamed to {@code .NAME.new-UUID}: from here on it is known complete;</li>
     *   <li>an existing target is renamed to {@code .NAME.old-UUID}, the new directory to {@code NAME}, and the
     *       old one is deleted.</li>
     * </ol>
     * Between the two renames of the last step no {@code target} exists for an instant; a process killed
     * there leaves {@code .NAME.new-UUID} and {@code .NAME.old-UUID}, which {@link #recoverDirectory} (run by
     * every later write, and by loaders) turns into the new target. On failure the staging directory is
     * deleted and an existing target is left as it was.
     */
    public static void writeDirectory(Path target, DirectoryWriter writer) throws IOException {
        Path parent = target.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        String name = target.getFileName().toString();
        try (DirectoryLock lock = DirectoryLock.acquire(parent, name, true)) {
            recoverLocked(parent, name);
            Path staged = parent.resolve("." + name + ".tmp-" + java.util.UUID.randomUUID());
            try {
                Files.createDirectory(staged);
                writer.write(staged);
                forceTree(staged);
                Path complete = parent.resolve("." + name + ".new-" + java.util.UUID.randomUUID());
                Files.move(staged, complete, StandardCopyOption.ATOMIC_MOVE);
                staged = complete;
                Path old = null;
                if (Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    old = parent.resolve("." + name + ".old-" + java.util.UUID.randomUUID());
                    Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
                }
                Files.move(complete, target, StandardCopyOption.ATOMIC_MOVE);
                staged = null;
                forceDirectory(parent);
                if (old != null) deleteTree(old);
            } catch (IOException | RuntimeException e) {
                try {
                    if (staged != null) deleteTree(staged);
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
        }
    }

    /**
     * Resolves what a killed {@link #writeDirectory} left beside {@code target}: its lock file is removed, an unfinished staging
     * directory is deleted; a complete new directory becomes {@code target} when none exists (the kill came
     * between the final renames), and is deleted otherwise; a moved-aside old directory is restored when
     * neither exists, and deleted otherwise. Does nothing while a writer of the same target is alive, and
     * nothing (cheaply) when there are no leftovers. Loaders call it before reading.
     *
     * @return true when leftovers were found and resolved
     */
    public static boolean recoverDirectory(Path target) throws IOException {
        Path parent = target.toAbsolutePath().getParent();
        String name = target.getFileName().toString();
        if (parent == null || !Files.isDirectory(parent)) return false;
        boolean staleLock = Files.exists(parent.resolve("." + name + ".lock"));
        if (!staleLock && leftovers(parent, name).isEmpty()) return false;
        try (DirectoryLock lock = DirectoryLock.acquire(parent, name, false)) {
            if (lock == null) return false; // a writer is alive: its leftovers are its business
            return recoverLocked(parent, name) || staleLock;
        }
    }

    private static boolean recoverLocked(Path parent, String name) throws IOException {
        List<Path> found = leftovers(parent, name);
        if (found.isEmpty()) return false;
        Path target = parent.resolve(name);
        boolean exists = Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS);
        String tmp = "." + name + ".tmp-", fresh = "." + name + ".new-", old = "." + name + ".old-";
        for (Path p : found) {
            if (p.getFileName().toString().startsWith(tmp)) deleteTree(p);
        }
        for (Path p : found) {
            if (!p.getFileName().toString().startsWith(fresh)) continue;
            if (!exists) {
                Files.move(p, target, StandardCopyOption.ATOMIC_MOVE);
                exists = true;
            } else {
                deleteTree(p);
            }
        }
        for (Path p : found) {
            if (!p.getFileName().toString().startsWith(old)) continue;
            if (!exists) {
                Files.move(p, target, StandardCopyOption.ATOMIC_MOVE);
                exists = true;
            } else {
                deleteTree(p);
            }
        }
        forceDirectory(parent);
        return true;
    }

    private static List<Path> leftovers(Path parent, String name) throws IOException {
        String[] prefixes = {"." + name + ".tmp-", "." + name + ".new-", "." + name + ".old-"};
        List<Path> out = new ArrayList<>();
        try (java.nio.file.DirectoryStream<Path> ds = Files.newDirectoryStream(parent, "." + name + ".*")) {
            for (Path p : ds) {
                String f = p.getFileName().toString();
                for (String pre : prefixes) {
                    if (f.startsWith(pre)) {
                        out.add(p);
                        break;
                    }
                }
            }
        }
        out.sort(java.util.Comparator.comparing(Path::toString));
        return out;
    }

    /** Forces every regular file below {@code root}, then every directory, to disk. */
    private static void forceTree(Path root) throws IOException {
        List<Path> dirs = new ArrayList<>();
        try (java.util.stream.Stream<Path> paths = Files.walk(root)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    dirs.add(p);
                } else if (Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
                        ch.force(true);
                    }
                }
            }
        }
        for (Path d : dirs) forceDirectory(d);
    }

    /** Forces a directory's entries to disk where the platform allows opening a directory (Linux, macOS). */
    private static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // Windows cannot open a directory as a channel; its renames are durable without this.
        }
    }

    /** The exclusive lock of writers of one target directory, on the hidden sibling {@code .NAME.lock}. */
    private static final class DirectoryLock implements AutoCloseable {
        private final Path file;
        private final FileChannel channel;
        private final java.nio.channels.FileLock lock;

        private DirectoryLock(Path file, FileChannel channel, java.nio.channels.FileLock lock) {
            this.file = file;
            this.channel = channel;
            this.lock = lock;
        }

        /** Null when {@code wait} is false and another process or thread holds the lock. */
        static DirectoryLock acquire(Path parent, String name, boolean wait) throws IOException {
            Path file = parent.resolve("." + name + ".lock");
            for (int attempt = 0; attempt < 6000; attempt++) {
                FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                java.nio.channels.FileLock l;
                try {
                    l = wait ? ch.lock() : ch.tryLock();
                } catch (java.nio.channels.OverlappingFileLockException e) {
                    l = null; // held by this JVM
                    if (wait) {
                        ch.close();
                        sleep();
                        continue;
                    }
                } catch (IOException | RuntimeException e) {
                    ch.close();
                    throw e;
                }
                if (l == null) {
                    ch.close();
                    return null;
                }
                if (Files.exists(file)) return new DirectoryLock(file, ch, l);
                ch.close(); // the previous holder deleted the file after we opened it: lock the new one
            }
            throw new IOException("could not lock " + file);
        }

        private static void sleep() throws IOException {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while waiting for a directory lock");
            }
        }

        @Override
        public void close() throws IOException {
            try {
                Files.deleteIfExists(file);
            } finally {
                try {
                    lock.release();
                } finally {
                    channel.close();
                }
            }
        }
    }

    /** Deletes a file or a directory with everything below it; nothing when it does not exist. */
    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) return;
        try (java.util.stream.Stream<Path> paths = Files.walk(root)) {
            for (Path p : (Iterable<Path>) paths.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
