package dev.synedge.origin;

/** How a response body is delimited (RFC 9112 §6.3). */
enum Framing {
    /** Content-Length. */
    LENGTH,
    /** Transfer-Encoding: chunked. */
    CHUNKED,
    /** Neither: the body ends when the connection closes. */
    CLOSE_DELIMITED,
    /** The status has no body (204, 304). */
    NONE
}
