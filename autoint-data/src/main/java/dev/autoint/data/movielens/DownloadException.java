package dev.autoint.data.movielens;

import java.io.IOException;

/**
 * A download or unpacking by {@link MovieLensDownloader} failed: HTTP error, connection failure, checksum
 * mismatch, truncated or corrupt archive. The message names the URL or file; no partial file is left.
 */
public class DownloadException extends IOException {

    private static final long serialVersionUID = 1L;

    /** The URL or file the failure is about. */
    private final String location;

    /**
     * @param location the URL or file the failure is about; starts the message
     * @param problem  what went wrong
     * @param cause    the underlying failure, or null
     */
    public DownloadException(String location, String problem, Throwable cause) {
        super(location + ": " + problem, cause);
        this.location = location;
    }

    /**
     * The URL or file the failure is about.
     *
     * @return the location
     */
    public String location() {
        return location;
    }
}
