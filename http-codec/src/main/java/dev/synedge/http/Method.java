package dev.synedge.http;

/**
 * Request methods the proxy tells apart. Everything else is {@link #OTHER} and forwarded as
 * written; only the known ones get special treatment (HEAD has no response body, CONNECT is
 * refused, and replay safety decides retries and SYN data).
 */
public enum Method {
    GET, HEAD, POST, PUT, DELETE, CONNECT, OPTIONS, TRACE, PATCH, OTHER;

    /**
     * True for methods whose request may be received twice without harm (RFC 9110 idempotent
     * methods): only these may ride in SYN data or be retried on a new connection. PUT and
     * DELETE qualify only while no body bytes have been consumed; the caller checks that.
     */
    public boolean replaySafe() {
        return switch (this) {
            case GET, HEAD, OPTIONS, TRACE, PUT, DELETE -> true;
            case POST, CONNECT, PATCH, OTHER -> false;
        };
    }
}
