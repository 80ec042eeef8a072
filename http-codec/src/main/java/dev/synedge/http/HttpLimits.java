package dev.synedge.http;

/**
 * Size limits on what a peer may send before the proxy refuses it. Each has its own answer:
 * a request line over {@code maxRequestLine} gets 414, a header section over
 * {@code maxHeaderBytes} or with more than {@code maxHeaderCount} fields gets 431. The same
 * limits apply to response heads from upstream (any violation there is a 502).
 *
 * @param maxRequestLine    bytes in the request (or status) line, CRLF excluded
 * @param maxHeaderBytes    bytes in the whole head: start line, fields, every CRLF and the empty
 *                          line that ends the head (and empty lines skipped before a request line)
 * @param maxHeaderCount    header fields in one head
 * @param maxChunkLineBytes bytes in one chunk-size line, extensions included, CRLF excluded
 * @param maxTrailerBytes   bytes in a chunked body's trailer fields, their CRLFs included, the
 *                          final empty line excluded
 */
public record HttpLimits(int maxRequestLine, int maxHeaderBytes, int maxHeaderCount,
                         int maxChunkLineBytes, int maxTrailerBytes) {

    public static final HttpLimits DEFAULTS = new HttpLimits(8 * 1024, 32 * 1024, 100, 4 * 1024, 16 * 1024);

    public HttpLimits {
        if (maxRequestLine <= 0 || maxHeaderBytes < maxRequestLine || maxHeaderCount <= 0
                || maxChunkLineBytes <= 0 || maxTrailerBytes < 0) {
            throw new IllegalArgumentException("inconsistent HTTP limits: " + maxRequestLine + ", "
                    + maxHeaderBytes + ", " + maxHeaderCount + ", " + maxChunkLineBytes + ", " + maxTrailerBytes);
        }
    }
}
