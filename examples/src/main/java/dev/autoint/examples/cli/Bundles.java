package dev.autoint.examples.cli;

import dev.autoint.core.io.ModelFileException;
import dev.autoint.data.DataFormatException;
import dev.autoint.eval.bundle.ModelBundle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Opening a bundle for a command, with the tool's exit codes: 3 when it is missing, 4 when it is damaged. */
final class Bundles {

    private Bundles() {
    }

    static ModelBundle open(Path dir, String option) throws IOException {
        if (Files.isRegularFile(dir)) {
            throw new CliException(2, option + " " + dir + " is a file; give the directory `autoint train --out` wrote");
        }
        try {
            return ModelBundle.load(dir);
        } catch (NoSuchFileException e) {
            throw new CliException(3, option + " " + dir + ": no such bundle directory");
        } catch (ModelFileException | DataFormatException e) {
            throw new CliException(4, "cannot load the bundle: " + e.getMessage());
        }
    }

    /** The bundle's data fingerprint, as its provenance records it. */
    static String fingerprint(ModelBundle b) {
        Object f = b.manifest().provenance().get("dataFingerprint");
        return f == null ? "unknown" : f.toString();
    }

    /** The bundle's split description, as its provenance records it. */
    static String split(ModelBundle b) {
        Object s = b.manifest().provenance().get("split");
        return s == null ? "unknown" : s.toString();
    }
}
