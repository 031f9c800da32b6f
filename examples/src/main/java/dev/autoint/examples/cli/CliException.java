package dev.autoint.examples.cli;

/** A user-facing error with the process exit code to use: 2 bad arguments, 3 missing input, 4 incompatible model. */
final class CliException extends RuntimeException {
    final int exitCode;

    CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }
}
