package dev.autoint.eval.report;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Reads and writes {@link MetricsReport}s as {@code metrics.json} (Jackson, pretty-printed, UTF-8).
 *
 * <p>Writes are atomic: the JSON goes to a temporary file in the target's directory, is forced
 * to disk, then moved over the target with {@link StandardCopyOption#ATOMIC_MOVE}, so a reader
 * sees either the old file or the complete new one. Undefined values ({@code NaN}) are written
 * as the string {@code "NaN"} and read back as {@code NaN}.
 */
public final class MetricsJson {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private MetricsJson() {
    }

    /** @return the report as JSON text */
    public static String toJson(MetricsReport report) {
        try {
            return MAPPER.writeValueAsString(report);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise metrics report", e);
        }
    }

    /** @return the report parsed from JSON text */
    public static MetricsReport fromJson(String json) throws IOException {
        return MAPPER.readValue(json, MetricsReport.class);
    }

    /**
     * Converts any Jackson-serialisable object (a config record, a map) to a JSON tree for
     * {@link MetricsReport#modelConfig()}.
     */
    public static JsonNode toTree(Object value) {
        return MAPPER.valueToTree(value);
    }

    /**
     * Writes the report atomically.
     *
     * @param report the report
     * @param target the file, e.g. {@code runs/autoint/metrics.json}; its directory is created
     * @throws IOException if writing fails (the target is then untouched)
     */
    public static void write(MetricsReport report, Path target) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".tmp");
        try {
            byte[] bytes = MAPPER.writeValueAsBytes(report);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
                 OutputStream out = Channels.newOutputStream(ch)) {
                out.write(bytes);
                out.flush();
                ch.force(true);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                // a file system without atomic rename (rare; same directory): best effort
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Reads a report.
     *
     * @param source the file
     * @return the report
     * @throws IOException if reading or parsing fails
     */
    public static MetricsReport read(Path source) throws IOException {
        return MAPPER.readValue(source.toFile(), MetricsReport.class);
    }
}
