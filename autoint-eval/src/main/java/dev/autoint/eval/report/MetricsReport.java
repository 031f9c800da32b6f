package dev.autoint.eval.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.autoint.eval.protocol.EvalConfig;
import dev.autoint.eval.protocol.MetricValue;
import dev.autoint.eval.protocol.ProtocolResult;
import dev.autoint.eval.protocol.ProtocolSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The content of a {@code metrics.json}: what was evaluated (dataset fingerprint, split,
 * protocol spelled out, model name and configuration) and the metric values with their
 * bootstrap confidence intervals. Written and read by {@link MetricsJson}.
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
     *                           {@code MetricsJson.toTree(config)})
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
}
