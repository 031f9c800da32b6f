package dev.autoint.core.kernel;

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
}
