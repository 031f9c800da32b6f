package dev.autoint.spark;

import dev.autoint.core.internal.engine.Gradients;
import dev.autoint.core.model.Parameters;

/**
 * The element-wise part of a step between backward and the optimizer, as the single-node trainer does it:
 * the L2 penalty of the touched embedding rows and the clipping factor of the global norm. The driver
 * runs it for synchronous steps, each shard for its local steps.
 */
final class StepMath {

    private StepMath() {
    }

    /** Adds 2λe to the gradient of every touched embedding row; returns the penalty λΣe². */
    static double addL2(Parameters params, Gradients grads, float lambda) {
        if (lambda == 0f) return 0;
        float[] w = params.data();
        float[] g = grads.data();
        float twoLambda = 2 * lambda;
        double[] penalty = {0};
        grads.forEachRegion((t, off, len) -> {
            if (t.sparse() && t.name().startsWith("embedding.")) {
                for (int i = off; i < off + len; i++) {
                    penalty[0] += (double) w[i] * w[i];
                    g[i] += twoLambda * w[i];
                }
            }
        });
        return lambda * penalty[0];
    }

    /** Scales the gradients so that their global norm is at most {@code clipNorm} (0: no clipping). */
    static void clip(Gradients grads, float clipNorm) {
        if (clipNorm <= 0) return;
        double norm = Math.sqrt(grads.squaredNorm());
        if (norm > clipNorm) grads.scale((float) (clipNorm / norm));
    }

    /** The first tensor with a non-finite weight in the gradients' regions, or null. */
    static String firstNonFinite(Parameters params, Gradients grads) {
        float[] w = params.data();
        String[] bad = {null};
        grads.forEachRegion((t, off, len) -> {
            if (bad[0] != null) return;
            for (int i = off; i < off + len; i++) {
                if (!Float.isFinite(w[i])) {
                    bad[0] = t.name();
                    return;
                }
            }
        });
        return bad[0];
    }
}
