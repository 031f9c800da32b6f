package dev.autoint.serve;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own errors (a request it refuses before any route sees it: an ambiguous or malformed URI, a header
 * too large, a body over the limit while it is read ahead) in the service's JSON error form instead of an
 * HTML page, without a stack trace; each is reported by kind to {@code onError} (the metrics).
 */
final class JsonErrorHandler extends ErrorHandler {

    private final Consumer<String> onError;

    JsonErrorHandler(Consumer<String> onError) {
        this.onError = onError;
    }

    static String kind(int status) {
        return switch (status) {
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 413 -> "too_large";
            default -> status >= 500 ? "internal" : "bad_request";
        };
    }

    static byte[] body(int status, String message) {
        String m = message == null || message.isBlank() ? "HTTP " + status : message;
        StringBuilder sb = new StringBuilder("{\"error\":{\"status\":").append(status).append(",\"kind\":\"").append(kind(status))
                .append(status == 413 ? "\",\"field\":\"body" : "").append("\",\"message\":\"");
        for (char c : m.toCharArray()) {
            if (c == '"' || c == '\\') sb.append('\\').append(c);
            else if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
            else sb.append(c);
        }
        return sb.append("\"}}").toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        onError.accept(kind(code));
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
        response.write(true, ByteBuffer.wrap(body(code, message)), callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        onError.accept(kind(status));
        fields.put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
        return ByteBuffer.wrap(body(status, reason));
    }
}
