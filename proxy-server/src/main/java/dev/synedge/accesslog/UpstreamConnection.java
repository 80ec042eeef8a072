package dev.synedge.accesslog;

/** Which upstream connection an exchange used. */
public enum UpstreamConnection {
    /** No upstream connection was used (no route, or the exchange ended before one). */
    NONE,
    /** A connection opened for this exchange. */
    NEW,
    /** A pooled connection from an earlier exchange. */
    REUSED;

    /** {@code -}, {@code new} or {@code reused}, as logged. */
    String text() {
        return switch (this) {
            case NONE -> "-";
            case NEW -> "new";
            case REUSED -> "reused";
        };
    }
}
