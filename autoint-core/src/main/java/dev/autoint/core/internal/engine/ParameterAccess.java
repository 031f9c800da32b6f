package dev.autoint.core.internal.engine;

import dev.autoint.core.model.Parameters;
import java.util.Objects;
import java.util.function.Function;

/**
 * The live flat array behind a {@link Parameters}, for the engine's own code (layers, optimizers, the
 * trainers, model files) that reads and writes weights in place. The exported {@link Parameters} hands out
 * only copies, so a user cannot keep a reference into a model's weights by accident.
 */
public final class ParameterAccess {

    private static volatile Function<Parameters, float[]> access;

    private ParameterAccess() {
    }

    /** Called once by {@link Parameters}' static initialiser. */
    public static void install(Function<Parameters, float[]> accessor) {
        if (access != null) throw new IllegalStateException("the parameter accessor is already installed");
        access = Objects.requireNonNull(accessor);
    }

    /** The array holding every value of {@code params} (not a copy: writes change the parameters). */
    public static float[] data(Parameters params) {
        Objects.requireNonNull(params, "params");
        return access.apply(params); // set: a Parameters instance exists, so its class is initialised
    }
}
