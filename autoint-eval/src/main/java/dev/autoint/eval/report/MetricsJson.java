package dev.autoint.eval.report;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Reads and writes {@link MetricsReport}s as {@code metrics.json} (Jackson, pretty-printed, UTF-8).
 *
 * <p>Writes are atomic: the JSON goes to a temporary file in the target's directory, is forced
 * to disk, then moved over the target atomically (core's {@code AtomicFiles}), so a reader
 * sees either the old file or the complete new one. Undefined values ({@code NaN}) are written
 * as the string {@code "NaN"} and read back as {@code NaN}.
 */
public final class MetricsJson {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private MetricsJson() {
    }

    /**
     * The report as indented JSON text.
     *
     * @param report the report
     * @return the JSON text
     * @throws IllegalStateException if the report cannot be serialised
     */
    public static String toJson(MetricsReport report) {
        try {
            return MAPPER.writeValueAsString(report);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise metrics report", e);
        }
    }

    /**
     * Parses a report; unknown keys are ignored, so newer reports still read.
     *
     * @param json the JSON text
     * @return the report
     * @throws IOException if the text is not JSON or not a report
     */
    public static MetricsReport fromJson(String json) throws IOException {
        return MAPPER.readValue(json, MetricsReport.class);
    }

    /**
     * Converts any Jackson-serialisable object (a config record, a map) to a JSON tree for
     * {@link MetricsReport#modelConfig()}.
     *
     * @param value the object, or null
     * @return the tree
     * @throws IllegalArgumentException if the value cannot be serialised
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
        dev.autoint.core.internal.io.AtomicFiles.writeBytes(target, MAPPER.writeValueAsBytes(report));
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
