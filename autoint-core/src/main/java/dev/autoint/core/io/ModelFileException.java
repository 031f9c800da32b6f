package dev.autoint.core.io;

import java.io.IOException;
import java.nio.file.Path;

/** A model file that cannot be read as what it claims to be; the message names the file and the problem. */
public class ModelFileException extends IOException {

    /**
     * @param file    the file that failed to read; its path starts the message
     * @param message what is wrong with it
     */
    public ModelFileException(Path file, String message) {
        super(file + ": " + message);
    }

    /**
     * @param file    the file that failed to read; its path starts the message
     * @param message what is wrong with it
     * @param cause   the underlying failure, such as a JSON parse error
     */
    public ModelFileException(Path file, String message, Throwable cause) {
        super(file + ": " + message, cause);
    }
}
