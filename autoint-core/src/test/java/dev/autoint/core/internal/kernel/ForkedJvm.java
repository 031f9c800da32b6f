package dev.autoint.core.internal.kernel;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The command line of a fresh JVM that runs a test main class with everything this test JVM can load. */
final class ForkedJvm {

    private ForkedJvm() {
    }

    /**
     * {@code java JVM_ARGS -cp CLASSPATH MAIN ARGS}, with this JVM's {@code java} and, on its class path, this test
     * run's module path (surefire runs the module's tests on it) followed by its class path.
     */
    static List<String> command(List<String> jvmArgs, Class<?> main, String... args) {
        String classPath = System.getProperty("java.class.path");
        String modulePath = System.getProperty("jdk.module.path");
        if (modulePath != null && !modulePath.isEmpty()) classPath = modulePath + File.pathSeparator + classPath;
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of("-cp", classPath, main.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }
}
