package dev.autoint.eval.report;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.autoint.core.internal.io.AtomicFiles;
import dev.autoint.eval.protocol.EvalConfig;
import dev.autoint.eval.protocol.ProtocolResult;
import dev.autoint.eval.protocol.ProtocolResult.MetricValue;
import dev.autoint.eval.protocol.ProtocolResult.ProtocolSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The content of a {@code metrics.json}: what was evaluated (dataset fingerprint, split,
 * protocol spelled out, model name and configuration) and the metric values with their
 * bootstrap confidence intervals.
 *
 * <p>{@link #write(Path)} and {@link #read(Path)} keep it as {@code metrics.json} (Jackson, pretty-printed,
 * UTF-8). Writes are atomic: the JSON goes to a temporary file in the target's directory, is forced to disk,
 * then moved over the target atomically, so a reader sees either the old file or the complete new one.
 * Undefined values ({@code NaN}) are written as the string {@code "NaN"} and read back as {@code NaN}; unknown
 * keys are ignored when reading, so newer reports still read.
 *
 * @param schemaVersion      format version ({@link #SCHEMA_VERSION})
 * @param datasetFingerprint caller-supplied fingerprint of the data (e.g. a SHA-256 of the files)
 * @param split              the split
 * @param protocol           the protocol
 * @param model              the model's name
 * @param modelConfig        the model's configuration, opaque JSON supplied by the caller
 * @param intervals          how the intervals were computed
 * @param metrics            metric name → value and interval, in report order
 */
public record MetricsReport(int schemaVersion, String datasetFingerprint, SplitDescription split,
                            ProtocolSpec protocol, String model, JsonNode modelConfig,
                            IntervalMethod intervals, Map<String, MetricValue> metrics) {

    /** The current format version. */
    public static final int SCHEMA_VERSION = 1;

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /**
     * How the data was split into train and test, as supplied by the caller.
     *
     * @param method      e.g. {@code per-user random 80/20} or {@code leave-last-out by timestamp}
     * @param seed        the split seed, or {@code null} if deterministic
     * @param trainRows   rows in the train part
     * @param testRows    rows in the test part
     * @param description free text (may be empty)
     */
    public record SplitDescription(String method, Long seed, long trainRows, long testRows, String description) {
    }

    /**
     * How confidence intervals were computed.
     *
     * @param method    e.g. {@code percentile bootstrap over users}
     * @param level     e.g. 0.95
     * @param resamples number of resamples (0 = no intervals)
     * @param seed      the seed
     */
    public record IntervalMethod(String method, double level, int resamples, long seed) {
    }

    /**
     * Copies the metric map, keeping its order; a JSON {@code null} model configuration becomes {@code null}.
     *
     * @param schemaVersion      the format version
     * @param datasetFingerprint the data's fingerprint
     * @param split              the split
     * @param protocol           the protocol, not null
     * @param model              the model's name
     * @param modelConfig        the model's configuration, or null
     * @param intervals          how the intervals were computed
     * @param metrics            metric name → value and interval, or null for none; copied
     * @throws NullPointerException if {@code protocol} is null
     */
    public MetricsReport {
        Objects.requireNonNull(protocol, "protocol");
        if (modelConfig != null && modelConfig.isNull()) {
            modelConfig = null;
        }
        metrics = metrics == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }

    /**
     * Builds a report from a protocol run.
     *
     * @param datasetFingerprint the data's fingerprint
     * @param split              the split
     * @param model              the model's name
     * @param modelConfig        the model's configuration (any JSON; e.g.
     *                           {@code MetricsReport.configTree(config)})
     * @param config             the evaluation settings the result was computed with
     * @param result             the result
     * @return the report
     */
    public static MetricsReport of(String datasetFingerprint, SplitDescription split, String model,
                                   JsonNode modelConfig, EvalConfig config, ProtocolResult result) {
        IntervalMethod im = new IntervalMethod(
                "percentile bootstrap over users (a user's rows resampled together)",
                0.95, config.bootstrapResamples(), config.bootstrapSeed());
        return new MetricsReport(SCHEMA_VERSION, datasetFingerprint, split, result.spec(), model, modelConfig, im,
                result.metrics());
    }

    /**
     * Converts any Jackson-serialisable object (a config record, a map) to a JSON tree for
     * {@link #modelConfig()}.
     *
     * @param value the object, or null
     * @return the tree
     * @throws IllegalArgumentException if the value cannot be serialised
     */
    public static JsonNode configTree(Object value) {
        return MAPPER.valueToTree(value);
    }

    /**
     * This report as indented JSON text.
     *
     * @return the JSON text
     * @throws IllegalStateException if the report cannot be serialised
     */
    public String toJson() {
        try {
            return MAPPER.writeValueAsString(this);
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
     * Writes this report atomically.
     *
     * @param target the file, e.g. {@code runs/autoint/metrics.json}; its directory is created
     * @throws IOException if writing fails (the target is then untouched)
     */
    public void write(Path target) throws IOException {
        AtomicFiles.writeBytes(target, MAPPER.writeValueAsBytes(this));
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
