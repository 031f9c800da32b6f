package dev.autoint.core.internal.kernel;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Locale;
import java.util.Optional;

/**
 * Chooses the {@link Kernels} implementation once per JVM.
 *
 * <p>The Vector API implementation lives in {@code dev.autoint.core.kernel.vector}, the only package that
 * imports {@code jdk.incubator.vector}. It is loaded by name, and only after the module was found in the
 * boot layer and readable from this class's module, so that a JVM started without
 * {@code --add-modules jdk.incubator.vector} never touches an incubator class. One {@link System.Logger}
 * line says which implementation was chosen; the fallback line names the exact flag.
 *
 * <p>System property {@code autoint.kernels}: {@code scalar} forces the scalar kernels; {@code vector}
 * forces the vector kernels and fails with an {@link IllegalStateException} when they cannot be loaded;
 * unset or {@code auto} picks the best available.
 */
public final class KernelProvider {

    /** The property that forces a choice. */
    public static final String PROPERTY = "autoint.kernels";
    /** The JVM flag that makes the Vector API readable. */
    public static final String VECTOR_FLAG = "--add-modules jdk.incubator.vector";
    /**
     * The JIT flag for the vector kernels on JDK 17. C2 stops speculating on types in a whole compilation once the
     * traps of one kind recorded in the methods it inlines add up to {@code PerMethodTrapLimit} (100), and it adds
     * a method's count once per inlining: the attention kernels inline the Vector API's shared helpers (such as
     * {@code VectorOperators.opKind}) dozens of times, so a few class-check traps in one helper during warm-up
     * push the sum past the limit. The kernels' vector stores are then not intrinsified, every vector is boxed
     * on the heap (40-80 KB a row) and inference runs 3-4 times slower for the life of the JVM. Measured on
     * JDK 17.0.15 (AMD Zen 5), fresh JVMs scoring at 128 bits under {@code -XX:+LogCompilation}: every boxed JVM
     * was one whose sum passed the limit (192-352 against 100 without the flag, 2,616-3,488 against the
     * earlier 1,000); with this flag sums of 3,200-3,488 compiled cleanly ({@code docs/ARCHITECTURE.md}, "A JIT
     * hazard in the vector kernels"). JDK 25 showed no such JVM in 24 without it.
     */
    public static final String JIT_FLAGS = "-XX:PerMethodTrapLimit=100000";
    static final String VECTOR_CLASS = "dev.autoint.core.internal.kernel.VectorKernels";
    private static final String VECTOR_MODULE = "jdk.incubator.vector";

    private static final Object CHOICE = chooseOrFailure();

    private KernelProvider() {
    }

    /**
     * Prints the implementation this JVM would use and its register width, for example {@code vector 512}:
     * {@code java --add-modules jdk.incubator.vector -cp autoint-core.jar dev.autoint.core.internal.kernel.KernelProvider}.
     */
    public static void main(String[] args) {
        Kernels k = current();
        System.out.println(k.name() + " " + k.vectorBitSize());
    }

    /**
     * The implementation in use, as {@link Kernels#get()} returns it.
     *
     * @throws IllegalStateException (every time) when {@code -Dautoint.kernels} asked for something unavailable
     */
    public static Kernels current() {
        if (CHOICE instanceof Kernels k) {
            return k;
        }
        RuntimeException failure = (RuntimeException) CHOICE;
        throw new IllegalStateException(failure.getMessage(), failure);
    }

    private static Object chooseOrFailure() {
        try {
            return choose(System.getProperty(PROPERTY, "auto"));
        } catch (RuntimeException e) {
            return e;
        }
    }

    /** Whether the Vector API module is in the boot layer and readable by this library. */
    public static boolean vectorApiReadable() {
        Optional<Module> vm = ModuleLayer.boot().findModule(VECTOR_MODULE);
        return vm.isPresent() && KernelProvider.class.getModule().canRead(vm.get());
    }

    /**
     * A new instance of the vector implementation, whatever {@code autoint.kernels} says (for tests and
     * benchmarks that compare both). Its register width is the machine's preferred one, or the value of
     * {@code -Dautoint.vectorBits=128|256|512} when set (the species must be a JIT constant, so it is fixed
     * per JVM).
     *
     * @throws IllegalStateException when the Vector API is not readable
     */
    public static Kernels vector() {
        if (!vectorApiReadable()) {
            throw new IllegalStateException("the Vector API is not available: start the JVM with " + VECTOR_FLAG);
        }
        try {
            Class<?> cls = Class.forName(VECTOR_CLASS);
            return (Kernels) MethodHandles.lookup()
                    .findConstructor(cls, MethodType.methodType(void.class))
                    .invoke();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("could not load " + VECTOR_CLASS + ": " + t, t);
        }
    }

    static Kernels choose(String requested) {
        System.Logger log = System.getLogger("dev.autoint.core.kernel");
        String mode = requested.trim().toLowerCase(Locale.ROOT);
        switch (mode) {
            case "scalar" -> {
                log.log(System.Logger.Level.INFO, "autoint kernels: scalar (forced by -D" + PROPERTY + "=scalar)");
                return ScalarKernels.INSTANCE;
            }
            case "vector" -> {
                if (!vectorApiReadable()) {
                    throw new IllegalStateException("-D" + PROPERTY + "=vector was requested but the Vector API "
                            + "module is not readable: start the JVM with " + VECTOR_FLAG);
                }
                Kernels k = loadPreferred();
                log.log(System.Logger.Level.INFO, "autoint kernels: vector, " + k.vectorBitSize()
                        + "-bit (forced by -D" + PROPERTY + "=vector)" + jitHint());
                return k;
            }
            case "auto", "" -> {
                if (vectorApiReadable()) {
                    try {
                        Kernels k = loadPreferred();
                        log.log(System.Logger.Level.INFO, "autoint kernels: vector, " + k.vectorBitSize() + "-bit" + jitHint());
                        return k;
                    } catch (RuntimeException | LinkageError e) {
                        log.log(System.Logger.Level.WARNING, "autoint kernels: scalar; the Vector API is readable"
                                + " but its implementation failed to load: " + e);
                        return ScalarKernels.INSTANCE;
                    }
                }
                log.log(System.Logger.Level.WARNING, "autoint kernels: scalar; the Vector API is not readable. "
                        + "Start the JVM with " + VECTOR_FLAG + " for SIMD kernels (several times faster).");
                return ScalarKernels.INSTANCE;
            }
            default -> throw new IllegalArgumentException("-D" + PROPERTY + "=" + requested
                    + " is not one of scalar, vector, auto");
        }
    }

    /**
     * A sentence for the log line when this JVM is older than 25 and was started without {@link #JIT_FLAGS}
     * (looked for in its command line and in {@code JAVA_TOOL_OPTIONS} and {@code JDK_JAVA_OPTIONS}), else "".
     */
    static String jitHint() {
        if (Runtime.version().feature() >= 25) return "";
        StringBuilder given = new StringBuilder();
        ProcessHandle.current().info().arguments().ifPresent(a -> given.append(String.join(" ", a)));
        for (String env : new String[] {"JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS"}) {
            String v = System.getenv(env);
            if (v != null) given.append(' ').append(v);
        }
        if (given.indexOf(JIT_FLAGS) >= 0) return "";
        return "; on JDK " + Runtime.version().feature() + " also start the JVM with " + JIT_FLAGS
                + ", without which about one JVM in ten runs the attention kernels 3-4 times slower (docs/PERFORMANCE.md)";
    }

    private static Kernels loadPreferred() {
        Kernels k = vector();
        if (k.vectorBitSize() < 128) {
            throw new IllegalStateException("the preferred vector width is only " + k.vectorBitSize()
                    + " bits (is C2 disabled?); the vector kernels need at least 128");
        }
        return k;
    }
}
