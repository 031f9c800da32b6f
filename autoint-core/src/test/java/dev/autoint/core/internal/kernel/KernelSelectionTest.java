package dev.autoint.core.internal.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * The guard: surefire's first run passes {@code -Dautoint.kernels=vector} with the Vector API flag, the
 * second {@code -Dautoint.kernels=scalar} without it. If the vector run silently fell back, this fails.
 */
class KernelSelectionTest {

    @Test
    void theRequestedImplementationIsTheOneLoaded() {
        String requested = System.getProperty(KernelProvider.PROPERTY, "auto");
        Kernels k = Kernels.get();
        switch (requested) {
            case "vector" -> {
                assertThat(k.name()).isEqualTo("vector");
                assertThat(k.getClass().getName()).isEqualTo(KernelProvider.VECTOR_CLASS);
                assertThat(k.vectorBitSize()).isGreaterThanOrEqualTo(128);
                assertThat(KernelProvider.vectorApiReadable()).isTrue();
            }
            case "scalar" -> {
                assertThat(k.name()).isEqualTo("scalar");
                assertThat(k).isSameAs(Kernels.scalar());
            }
            default -> assertThat(k.name()).isEqualTo(KernelProvider.vectorApiReadable() ? "vector" : "scalar");
        }
    }

    @Test
    void forcingVectorWithoutTheModuleFailsClearly() {
        if (KernelProvider.vectorApiReadable()) {
            assertThat(KernelProvider.choose("vector").name()).isEqualTo("vector");
        } else {
            assertThatThrownBy(() -> KernelProvider.choose("vector"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("--add-modules jdk.incubator.vector");
        }
        assertThatThrownBy(() -> KernelProvider.choose("gpu"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("autoint.kernels=gpu");
        assertThat(KernelProvider.choose("scalar")).isSameAs(Kernels.scalar());
    }

    /**
     * The vector kernels must not pass vectors to their own methods: C2 does not always inline such a helper,
     * and when it does not, every vector is boxed on the heap (the kernels ran up to 2.7× slower in the model
     * than alone; docs/ARCHITECTURE.md). Checked in the vector run (the scalar run has no Vector API to load).
     */
    @Test
    void vectorKernelsPassNoVectorsToTheirOwnMethods() throws ClassNotFoundException {
        if (!KernelProvider.vectorApiReadable()) return; // surefire's vector run checks this; the guard above ensures it runs
        Class<?> vector = Class.forName("jdk.incubator.vector.Vector");
        java.util.List<String> offenders = new java.util.ArrayList<>();
        for (java.lang.reflect.Method m : Class.forName(KernelProvider.VECTOR_CLASS).getDeclaredMethods()) {
            boolean takesOrReturns = vector.isAssignableFrom(m.getReturnType());
            for (Class<?> p : m.getParameterTypes()) takesOrReturns |= vector.isAssignableFrom(p);
            if (takesOrReturns) offenders.add(m.toString());
        }
        assertThat(offenders).as("methods of VectorKernels that take or return a vector").isEmpty();
    }
}
