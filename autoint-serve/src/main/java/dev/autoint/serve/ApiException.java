package dev.autoint.serve;

/**
 * A request the service refuses, with the HTTP status, a machine-readable kind, the parameter or field at
 * fault (or null) and a message for people. Answered as
 * {@code {"error": {"status", "kind", "field", "message"}}}.
 */
public final class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String kind;
    private final String field;

    public ApiException(int status, String kind, String field, String message) {
        super(message);
        this.status = status;
        this.kind = kind;
        this.field = field;
    }

    /** 400: a missing, malformed or out-of-range parameter or field. */
    public static ApiException badRequest(String field, String message) {
        return new ApiException(400, "bad_request", field, message);
    }

    /** 404: an unknown user, item, model or path. */
    public static ApiException notFound(String field, String message) {
        return new ApiException(404, "not_found", field, message);
    }

    /** 413: a body or batch over its limit. */
    public static ApiException tooLarge(String field, String message) {
        return new ApiException(413, "too_large", field, message);
    }

    public int status() {
        return status;
    }

    public String kind() {
        return kind;
    }

    public String field() {
        return field;
    }
}
