package dev.autoint.core.io;

import java.io.IOException;
import java.nio.file.Path;

/** A model file that cannot be read as what it claims to be; the message names the file and the problem. */
public class ModelFileException extends IOException {

    public ModelFileException(Path file, String message) {
        super(file + ": " + message);
    }

    public ModelFileException(Path file, String message, Throwable cause) {
        super(file + ": " + message, cause);
    }
}
