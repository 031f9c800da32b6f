package dev.autoint.spark;

import dev.autoint.core.internal.io.AtomicFiles;
import dev.autoint.core.internal.io.Digests;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;

/**
 * Checkpoint directories on any file system Hadoop reaches (HDFS, S3A, GCS, ABFS, {@code file://}): the
 * files of a checkpoint are made in a local staging folder by the single-node code that writes them, then
 * copied into {@code ROOT/NAME}.
 *
 * <p>A checkpoint is valid only when its digest list {@value #DIGESTS} is present and every file it names is
 * present with that SHA-256 (the format of {@code sha256sum}, so {@code sha256sum -c checkpoint.sha256}
 * checks a copy by hand). Writing makes that true only at the end:
 * <ol>
 *   <li>the files are copied into the hidden sibling {@code ROOT/.NAME.tmp-UUID}, the digest list last;</li>
 *   <li>an older {@code ROOT/NAME} is renamed aside to {@code .NAME.old-UUID}, the new folder renamed to
 *       {@code NAME}, and the old one deleted.</li>
 * </ol>
 * On HDFS and the local file system a rename is atomic, so {@code NAME} is never seen half-written; on object
 * stores a folder rename is a copy, and the digests are what tell a complete copy from a partial one. A writer
 * killed between the two renames loses that one checkpoint (the reader then finds the previous epoch's);
 * leftovers of a killed writer are deleted by the next write of the same name.
 */
final class HadoopCheckpoints {

    /** The digest list, written last: {@code <sha256 hex>  <relative name>} per line. */
    static final String DIGESTS = "checkpoint.sha256";

    private static final Pattern EPOCH = Pattern.compile("epoch-(\\d{3,})");

    private HadoopCheckpoints() {
    }

    /**
     * Writes {@code ROOT/name} as described above: {@code writer} fills a local temporary folder, which is
     * copied and deleted.
     *
     * @return the fully qualified URI of the checkpoint folder
     */
    static String write(Configuration conf, String rootUri, String name, AtomicFiles.DirectoryWriter writer) throws IOException {
        org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(rootUri);
        FileSystem fs = root.getFileSystem(conf);
        if (!fs.mkdirs(root)) throw new IOException("could not create the checkpoint folder " + root);
        FileStatus[] leftovers = fs.globStatus(new org.apache.hadoop.fs.Path(root, "." + name + ".*"));
        if (leftovers != null) {
            for (FileStatus s : leftovers) fs.delete(s.getPath(), true);
        }
        Path local = Files.createTempDirectory("autoint-checkpoint-");
        org.apache.hadoop.fs.Path staged = new org.apache.hadoop.fs.Path(root, "." + name + ".tmp-" + UUID.randomUUID());
        try {
            writer.write(local);
            StringBuilder digests = new StringBuilder();
            for (String file : regularFiles(local)) {
                Path src = local.resolve(file);
                digests.append(Digests.sha256(src)).append("  ").append(file).append('\n');
                try (InputStream in = Files.newInputStream(src);
                     OutputStream out = fs.create(new org.apache.hadoop.fs.Path(staged, file), false)) {
                    in.transferTo(out);
                }
            }
            try (OutputStream out = fs.create(new org.apache.hadoop.fs.Path(staged, DIGESTS), false)) {
                out.write(digests.toString().getBytes(StandardCharsets.UTF_8));
            }
            org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(root, name);
            org.apache.hadoop.fs.Path old = null;
            if (fs.exists(target)) {
                old = new org.apache.hadoop.fs.Path(root, "." + name + ".old-" + UUID.randomUUID());
                rename(fs, target, old);
            }
            rename(fs, staged, target);
            staged = null;
            if (old != null) fs.delete(old, true);
            return fs.makeQualified(target).toString();
        } finally {
            if (staged != null) {
                try {
                    fs.delete(staged, true);
                } catch (IOException ignored) {
                    // the next write of this name deletes it
                }
            }
            AtomicFiles.deleteTree(local);
        }
    }

    /**
     * Copies the checkpoint at {@code uri} into a local temporary folder, checks every file against the digest
     * list and gives the folder to {@code reader} (deleted afterwards). Messages of the reader's
     * IllegalArgumentException and IllegalStateException name {@code uri} instead of the temporary folder.
     *
     * @throws IOException when the checkpoint is incomplete or damaged, naming what is wrong
     */
    static <T> T read(Configuration conf, String uri, ShippedDirectory.Loader<T> reader) throws IOException {
        org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(uri);
        FileSystem fs = dir.getFileSystem(conf);
        Path local = Files.createTempDirectory("autoint-checkpoint-");
        try {
            for (Map.Entry<String, String> e : digests(fs, dir).entrySet()) {
                org.apache.hadoop.fs.Path src = new org.apache.hadoop.fs.Path(dir, e.getKey());
                Path dst = local.resolve(e.getKey());
                Files.createDirectories(dst.getParent());
                try (InputStream in = fs.open(src)) {
                    Files.copy(in, dst);
                } catch (java.io.FileNotFoundException missing) {
                    throw new IOException("checkpoint " + uri + " is incomplete: " + e.getKey() + " is missing", missing);
                }
                String actual = Digests.sha256(dst);
                if (!actual.equals(e.getValue())) {
                    throw new IOException("checkpoint " + uri + " is damaged: " + e.getKey() + " has SHA-256 " + actual + ", its digest list says "
                            + e.getValue());
                }
            }
            try {
                return reader.load(local);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(e.getMessage().replace(local.toString(), uri), e);
            } catch (IllegalStateException e) {
                throw new IllegalStateException(e.getMessage().replace(local.toString(), uri), e);
            }
        } finally {
            AtomicFiles.deleteTree(local);
        }
    }

    /** The newest {@code epoch-NNN} under {@code rootUri} that is complete and intact ({@link #read} would accept it). */
    static Optional<String> latest(Configuration conf, String rootUri) throws IOException {
        org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(rootUri);
        FileSystem fs = root.getFileSystem(conf);
        if (!fs.exists(root)) return Optional.empty();
        List<FileStatus> epochs = new ArrayList<>();
        for (FileStatus s : fs.listStatus(root)) {
            if (s.isDirectory() && EPOCH.matcher(s.getPath().getName()).matches()) epochs.add(s);
        }
        epochs.sort(Comparator.comparingLong((FileStatus s) -> epochNumber(s.getPath().getName())).reversed());
        for (FileStatus s : epochs) {
            String uri = fs.makeQualified(s.getPath()).toString();
            try {
                read(conf, uri, dir -> Boolean.TRUE);
                return Optional.of(uri);
            } catch (IOException incompleteOrDamaged) {
                // an older one may be whole
            }
        }
        return Optional.empty();
    }

    /** The URI of {@code name} beside the checkpoint at {@code uri} (another epoch of the same run). */
    static String sibling(String uri, String name) {
        return new org.apache.hadoop.fs.Path(new org.apache.hadoop.fs.Path(uri).getParent(), name).toString();
    }

    private static long epochNumber(String name) {
        Matcher m = EPOCH.matcher(name);
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    /** The digest list of the checkpoint at {@code dir}: relative name -> SHA-256. */
    private static Map<String, String> digests(FileSystem fs, org.apache.hadoop.fs.Path dir) throws IOException {
        byte[] bytes;
        try (InputStream in = fs.open(new org.apache.hadoop.fs.Path(dir, DIGESTS))) {
            bytes = in.readAllBytes();
        } catch (java.io.FileNotFoundException e) {
            throw new IOException("checkpoint " + dir + " is incomplete: it has no " + DIGESTS + " (the writer did not finish)", e);
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
            if (line.isEmpty()) continue;
            int gap = line.indexOf("  ");
            String name = gap < 0 ? "" : line.substring(gap + 2);
            if (gap != 64 || name.isEmpty() || name.startsWith("/") || name.contains("..") || name.contains("\\")) {
                throw new IOException("checkpoint " + dir + " is damaged: a line of " + DIGESTS + " is not '<sha256>  <file>': " + line);
            }
            out.put(name, line.substring(0, gap));
        }
        if (out.isEmpty()) throw new IOException("checkpoint " + dir + " is damaged: " + DIGESTS + " lists no file");
        return out;
    }

    /** Every regular file below {@code dir}, as relative names with '/', in name order. */
    private static List<String> regularFiles(Path dir) throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s.filter(Files::isRegularFile)::iterator) {
                out.add(dir.relativize(p).toString().replace('\\', '/'));
            }
        }
        out.sort(null);
        return out;
    }

    private static void rename(FileSystem fs, org.apache.hadoop.fs.Path from, org.apache.hadoop.fs.Path to) throws IOException {
        if (!fs.rename(from, to)) throw new IOException("could not rename " + from + " to " + to);
    }
}
