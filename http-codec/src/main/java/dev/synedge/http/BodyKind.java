package dev.synedge.http;

/** How a message body is delimited on the wire (RFC 9112 §6.3). */
public enum BodyKind {
    /** No body: requests without framing fields, and HEAD/1xx/204/304 responses. */
    NONE,
    /** Exactly {@link MessageHead#contentLength()} bytes. */
    CONTENT_LENGTH,
    /** Chunked transfer coding. */
    CHUNKED,
    /** Everything until the sender closes the connection (responses only). */
    CLOSE_DELIMITED
}
