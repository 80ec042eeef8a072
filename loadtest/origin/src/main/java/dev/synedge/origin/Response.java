package dev.synedge.origin;

import dev.synedge.http.BodyKind;
import java.util.List;

/**
 * Everything {@link ResponseWriter} needs to send one response: status, framing, content and
 * its checksum, extra header lines, connection handling, and the pacing and fault to apply.
 * Built once per request by {@link #plan}; the content is owned by this response until the
 * writer releases it.
 */
final class Response {

    /** What the request said that shapes the response. */
    record RequestFacts(boolean head, boolean http11, boolean keepAliveAsked, boolean closeAsked) {}

    enum ConnectionHeader { NONE, CLOSE, KEEP_ALIVE }

    final int status;
    final boolean http10Line;
    final ContentType contentType;
    final Content content;
    final boolean hasChecksum;
    final int checksum;
    final BodyKind framing;
    final long chunkSize;
    final boolean trailers;
    final boolean sendBody;
    final List<byte[]> extraHeaders;
    final ConnectionHeader connectionHeader;
    final boolean closeAfter;
    final long delayMs;
    final long slowHeadMs;
    final long slowBodyMs;
    final int pieceSize;
    final Fault fault;
    /** False for /stats, which the counters leave out. */
    final boolean counted;

    private Response(int status, boolean http10Line, ContentType contentType, Content content,
            boolean hasChecksum, int checksum, BodyKind framing, long chunkSize, boolean trailers,
            boolean sendBody, List<byte[]> extraHeaders, ConnectionHeader connectionHeader,
            boolean closeAfter, ResponseOptions options, boolean counted) {
        this.status = status;
        this.http10Line = http10Line;
        this.contentType = contentType;
        this.content = content;
        this.hasChecksum = hasChecksum;
        this.checksum = checksum;
        this.framing = framing;
        this.chunkSize = chunkSize;
        this.trailers = trailers;
        this.sendBody = sendBody;
        this.extraHeaders = extraHeaders;
        this.connectionHeader = connectionHeader;
        this.closeAfter = closeAfter;
        this.delayMs = options.delayMs();
        this.slowHeadMs = options.slowHeadMs();
        this.slowBodyMs = options.slowBodyMs();
        this.pieceSize = options.pieceSize();
        this.fault = options.fault();
        this.counted = counted;
    }

    static boolean statusHasBody(int status) {
        return status >= 200 && status != 204 && status != 304;
    }

    long bodyLength() {
        return content == null ? 0 : content.length();
    }

    /**
     * Decides framing and connection handling. {@code extraHeaders} come before the option's
     * {@code header=} lines; {@code forceClose} is for error answers.
     */
    static Response plan(RequestFacts request, ResponseOptions options, int status, ContentType contentType,
            Content content, boolean hasChecksum, int checksum, List<byte[]> extraHeaders,
            boolean forceClose, boolean counted) {
        boolean bodyAllowed = statusHasBody(status);
        BodyKind framing;
        if (!bodyAllowed) {
            framing = BodyKind.NONE;
        } else if (options.closeDelimited()) {
            framing = BodyKind.CLOSE_DELIMITED;
        } else if (options.chunked()) {
            // Never Transfer-Encoding to an HTTP/1.0 peer: the close delimits the body instead.
            framing = request.http11() ? BodyKind.CHUNKED : BodyKind.CLOSE_DELIMITED;
        } else {
            framing = BodyKind.CONTENT_LENGTH;
        }
        boolean keepAsked = options.http10() || !request.http11()
                ? request.keepAliveAsked() && !request.closeAsked()
                : !request.closeAsked();
        boolean keep = keepAsked && !options.keepAliveOff() && !forceClose
                && framing != BodyKind.CLOSE_DELIMITED;
        ConnectionHeader connection = !keep
                ? ConnectionHeader.CLOSE
                : options.http10() || !request.http11() ? ConnectionHeader.KEEP_ALIVE : ConnectionHeader.NONE;
        List<byte[]> headers = extraHeaders;
        if (!options.extraHeaders().isEmpty()) {
            headers = new java.util.ArrayList<>(extraHeaders);
            headers.addAll(options.extraHeaders());
        }
        return new Response(status, options.http10(), contentType, content, hasChecksum, checksum,
                framing, options.chunkSize(), options.trailers() && framing == BodyKind.CHUNKED,
                bodyAllowed && !request.head() && content != null, headers, connection,
                !keep || options.fault() != null, options, counted);
    }
}
