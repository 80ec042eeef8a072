package dev.synedge.accesslog;

/**
 * Why an exchange ended, as the access log's {@code termination} field and the exchange
 * counters report it. Every value but {@link #COMPLETED} means the exchange did not run its
 * course; which side gave up, and whether the client saw a status code of synedge's own or a
 * cut-off response, is said per value. README.md lists them for operators.
 */
public enum Termination {
    /**
     * The exchange ran its course: the whole response went to the client, be it the upstream's
     * or synedge's own (404 with no route, say), or a tunnel ended with a close.
     */
    COMPLETED("-"),
    /**
     * The client closed or reset its connection before its response was complete. With no
     * response status sent yet, the status logged is {@link AccessRecord#CLIENT_CLOSED_REQUEST}
     * (499); otherwise that of the response cut off.
     */
    CLIENT_CLOSED("client-closed"),
    /**
     * The client stopped for longer than its listener allows: no request head in time (408),
     * no request body bytes (408, or a cut-off response), or it took no response bytes.
     */
    CLIENT_TIMEOUT("client-timeout"),
    /** The request could not be framed (a bad head, body or chunk): 400 or the like, then a close. */
    CLIENT_PROTOCOL_ERROR("client-protocol-error"),
    /** The request body is over {@code http.max-request-body}: 413, or a cut-off response. */
    REQUEST_TOO_LARGE("request-too-large"),
    /** The request's Via named this proxy: it came back through it (a loop); 508, nothing forwarded. */
    LOOP_DETECTED("loop-detected"),
    /**
     * The client had more connections open on the listener than its
     * {@code max-connections-per-client}: its first request on the connection over it was
     * answered 429, then the connection closed.
     */
    TOO_MANY_CONNECTIONS("too-many-connections"),
    /**
     * Every endpoint of the route's cluster was at its {@code max-connections-per-endpoint}, and
     * the exchange could not wait ({@code queue.size} waited already) or waited past
     * {@code queue.timeout}: 503.
     */
    OVERLOADED("overloaded"),
    /** The route's cluster had no endpoint to send the request to: 503. */
    NO_ENDPOINT("no-endpoint"),
    /** The endpoint refused the connection, so nothing reached it: 502. */
    UPSTREAM_REFUSED("upstream-refused"),
    /** The upstream connection failed or was reset: 502 before the response, else a cut-off response. */
    UPSTREAM_RESET("upstream-reset"),
    /** The upstream closed its connection before its response was complete: 502, or a cut-off response. */
    UPSTREAM_CLOSED("upstream-closed"),
    /**
     * The upstream was too slow: it did not connect, take the request body or answer in time
     * (504), or fell silent mid-response (a cut-off response).
     */
    UPSTREAM_TIMEOUT("upstream-timeout"),
    /** The upstream's response could not be framed: 502, or a cut-off response. */
    UPSTREAM_PROTOCOL_ERROR("upstream-protocol-error"),
    /**
     * synedge stopped before the exchange finished: a graceful stop ran out of its drain
     * timeout, or a fast stop (SIGINT, a second SIGTERM) cut it. A cut-off response.
     */
    SHUTDOWN("shutdown");

    private final String word;

    Termination(String word) {
        this.word = word;
    }

    /** The word the access log writes, e.g. {@code upstream-reset}; {@code -} for {@link #COMPLETED}. */
    public String word() {
        return word;
    }
}
