package dev.autoint.data;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the shared MovieLens data for tests. The directory comes from the system property
 * {@code autoint.datasets}, else {@code ../shared/datasets} relative to the project root (the nearest
 * ancestor of the working directory holding the parent {@code pom.xml} with an {@code autoint-data}
 * module). Missing data skips the test with a clear message, unless {@code autoint.requireData=true},
 * in which case it fails.
 */
public final class TestDatasets {

    private TestDatasets() {
    }

    /** The datasets root directory (it may not exist). */
    public static Path root() {
        String prop = System.getProperty("autoint.datasets");
        if (prop != null && !prop.isBlank() && !prop.contains("${")) {
            return Path.of(prop).toAbsolutePath().normalize();
        }
        Path dir = Path.of("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("pom.xml")) && Files.isDirectory(p.resolve("autoint-data"))) {
                return p.resolve("../shared/datasets").normalize();
            }
        }
        return dir.resolve("../shared/datasets").normalize();
    }

    /** A dataset directory under the root that holds {@code requiredFile}; skips or fails when absent. */
    public static Path require(String name, String requiredFile) {
        Path d = root().resolve(name);
        if (!Files.isRegularFile(d.resolve(requiredFile))) {
            String msg = "MovieLens data not found: " + d.resolve(requiredFile)
                    + " (set -Dautoint.datasets=<dir holding " + name + "/>)";
            if (Boolean.parseBoolean(System.getProperty("autoint.requireData", "false"))) {
                Assertions.fail(msg + "; failing because autoint.requireData=true");
            }
            Assumptions.abort(msg + "; skipping (set -Dautoint.requireData=true to fail instead)");
        }
        return d;
    }

    public static Path ml1mHalf() {
        return require("ml-1m-half", "ratings.dat");
    }

    public static Path ml100k() {
        return require("ml-100k", "u.data");
    }
}
