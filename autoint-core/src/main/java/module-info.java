/**
 * The AutoInt engine: models, training, scoring and model files.
 *
 * <p>Exported: {@code dev.autoint.core} (version), {@code dev.autoint.core.data} (encoded rows and field
 * specifications), {@code dev.autoint.core.model} (configuration, model, predictor, losses),
 * {@code dev.autoint.core.train} (trainer, optimizers, schedules, metrics) and {@code dev.autoint.core.io}
 * (model files). Everything under {@code dev.autoint.core.internal} (kernels, workspaces, gradients, layers,
 * file helpers, the parallel-for) is not part of the API and may change in any release.
 *
 * <p>The Vector API is optional ({@code requires static}): start the JVM with
 * {@code --add-modules jdk.incubator.vector} to use the SIMD kernels; without it the scalar kernels run.
 */
@SuppressWarnings("module") // the qualified exports name modules built after this one
module dev.autoint.core {
    requires static jdk.incubator.vector;
    requires static jdk.unsupported; // sun.misc.Unsafe, only to read where a workspace buffer starts (LaneAlignment)
    requires transitive com.fasterxml.jackson.databind;

    exports dev.autoint.core;
    exports dev.autoint.core.data;
    exports dev.autoint.core.io;
    exports dev.autoint.core.model;
    exports dev.autoint.core.train;

    exports dev.autoint.core.internal.io to dev.autoint.data, dev.autoint.eval;
    exports dev.autoint.core.internal.exec to dev.autoint.eval;

    opens dev.autoint.core.io to com.fasterxml.jackson.databind;
    opens dev.autoint.core.model to com.fasterxml.jackson.databind;
    opens dev.autoint.core.train to com.fasterxml.jackson.databind;
    opens dev.autoint.core.internal.train to com.fasterxml.jackson.databind;
}
