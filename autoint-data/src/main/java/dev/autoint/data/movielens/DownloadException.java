package dev.autoint.data.movielens;

import java.io.IOException;

/**
 * A download or unpacking by {@link MovieLensDownloader} failed: HTTP error, connection failure, checksum
 * mismatch, truncated or corrupt archive. The message names the URL or file; no partial file is left.
 */
public class DownloadException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String location;

    public DownloadException(String location, String problem, Throwable cause) {
        super(location + ": " + problem, cause);
        this.location = location;
    }

    /** The URL or file the failure is about. */
    public String location() {
        return location;
    }
}
