package dev.synedge.http;

/**
 * How a response body travels from upstream to the client: passed through as it is framed, or
 * re-framed because the client cannot take that framing (M §6, S §7.6). Choose it with
 * {@link #of}, give it to {@link ResponseHeadWriter#write}, and move the body as each constant
 * says, with a {@link BodyDecoder} reset for the response head.
 */
public enum RelayFraming {
    /** No body (HEAD, 1xx, 204, 304; 101 is followed by the tunnel). */
    NONE,
    /** Content-Length body passed through: move {@code dataRemaining()} bytes as they come. */
    CONTENT_LENGTH,
    /**
     * Chunked to an HTTP/1.1 client: {@code readFraming(in, framingOut)} re-emits normalized
     * framing (and the trailers) around the data, which passes through untouched.
     */
    CHUNKED,
    /**
     * Chunked to an HTTP/1.0 client: {@code readFraming(in, null)} drops framing and trailers;
     * the body ends when the proxy closes the client connection.
     */
    DECHUNK,
    /**
     * Close-delimited from upstream to an HTTP/1.1 client that stays connected: wrap each piece
     * of data with {@link ChunkEncoder#writeChunkHeader} and {@link ChunkEncoder#writeDataEnd};
     * at upstream EOF write {@link ChunkEncoder#writeLastChunk}.
     */
    CHUNK,
    /** Close-delimited to a client whose connection closes anyway: pass bytes until EOF, then close. */
    UNTIL_CLOSE;

    /** The relay framing for {@code response} to {@code request}. */
    public static RelayFraming of(ResponseHead response, RequestHead request) {
        boolean http11Client = request.version() == HttpVersion.HTTP_1_1;
        return switch (response.bodyKind()) {
            case NONE -> NONE;
            case CONTENT_LENGTH -> CONTENT_LENGTH;
            case CHUNKED -> http11Client ? CHUNKED : DECHUNK;
            case CLOSE_DELIMITED -> http11Client && request.keepAlive() ? CHUNK : UNTIL_CLOSE;
        };
    }

    /** True when the body's end is the end of the client connection. */
    public boolean closesClient() {
        return this == DECHUNK || this == UNTIL_CLOSE;
    }

    /**
     * Whether the proxy closes the client connection after {@code response}: the client did not
     * ask to keep it ({@link MessageHead#keepAlive()}), or the body is delimited by the close.
     * The caller adds its own reasons (an error, shutting down) to the {@code closeClient}
     * argument of {@link ResponseHeadWriter#write}.
     */
    public static boolean closesClient(ResponseHead response, RequestHead request) {
        return !request.keepAlive() || of(response, request).closesClient();
    }
}
