package dev.synedge.http;

/**
 * Why a message was refused. {@link #status()} is the answer to a client whose request (head
 * or body) failed; every error found in a message from upstream is answered 502 instead, and
 * that upstream connection is closed. After any error the byte stream can no longer be
 * framed, so the connection it came from is always closed after the answer.
 */
public enum HttpError implements ParseResult {
    START_LINE_TOO_LONG(414, "request line too long"),
    HEAD_TOO_LARGE(431, "header section too large"),
    TOO_MANY_FIELDS(431, "too many header fields"),

    BARE_LF(400, "bare LF line ending"),
    BARE_CR(400, "bare CR"),
    BAD_REQUEST_LINE(400, "malformed request line"),
    BAD_METHOD(400, "invalid method"),
    BAD_TARGET(400, "invalid request target"),
    DOT_SEGMENT(400, "dot-segment in path"),
    BAD_VERSION(400, "malformed HTTP version"),
    VERSION_NOT_SUPPORTED(505, "HTTP major version not supported"),
    CONNECT_NOT_SUPPORTED(501, "CONNECT not supported"),
    BAD_STATUS_LINE(502, "malformed status line"),

    BAD_FIELD_NAME(400, "invalid field name"),
    SPACE_BEFORE_COLON(400, "whitespace between field name and colon"),
    OBS_FOLD(400, "obsolete line folding"),
    BAD_FIELD_VALUE(400, "invalid character in field value"),
    MISSING_HOST(400, "missing Host"),
    DUPLICATE_HOST(400, "duplicate Host"),
    BAD_HOST(400, "invalid Host"),
    BAD_CONNECTION(400, "invalid Connection"),
    BAD_UPGRADE(400, "invalid Upgrade"),

    BAD_CONTENT_LENGTH(400, "invalid Content-Length"),
    CONFLICTING_CONTENT_LENGTH(400, "conflicting Content-Length"),
    TE_WITH_CONTENT_LENGTH(400, "Transfer-Encoding with Content-Length"),
    TE_IN_HTTP_1_0(400, "Transfer-Encoding in HTTP/1.0"),
    TE_NOT_CHUNKED(400, "final transfer coding is not chunked"),
    TE_CHUNKED_TWICE(400, "chunked applied twice"),
    BAD_TRANSFER_ENCODING(400, "invalid Transfer-Encoding"),
    TE_NOT_IMPLEMENTED(501, "transfer coding not implemented"),

    BAD_CHUNK_SIZE(400, "invalid chunk size"),
    CHUNK_SIZE_TOO_LARGE(400, "chunk size too large"),
    BAD_CHUNK_EXTENSION(400, "invalid chunk extension"),
    CHUNK_LINE_TOO_LONG(400, "chunk line too long"),
    BAD_CHUNK_END(400, "chunk data not followed by CRLF"),
    TRAILER_TOO_LARGE(431, "trailer section too large"),
    TRUNCATED_BODY(400, "connection closed inside the body");

    private final int status;
    private final String reason;

    HttpError(int status, String reason) {
        this.status = status;
        this.reason = reason;
    }

    /** The status to answer a client with when its request failed this way. */
    public int status() {
        return status;
    }

    /** A short reason for the log; the proxy never sends it to a peer. */
    public String reason() {
        return reason;
    }
}
