package dev.synedge.http;

import io.netty.buffer.ByteBuf;

/**
 * The responses the proxy makes itself: a status line, {@code Content-Type: text/plain},
 * {@code Content-Length}, the Connection field the connection's fate calls for, and a one-line
 * body naming the status (never internal details). All pre-encoded: writing one copies bytes
 * into the caller's buffer and allocates nothing.
 *
 * <p>Statuses: 200 (an OPTIONS with Max-Forwards: 0, which the proxy answers as the final
 * recipient), 400, 404 (no route), 405 (with Allow, see {@link #writeMethodNotAllowed}), 408,
 * 413, 414, 429 (with {@code Retry-After: 1}: the proxy sends it when a client has too many
 * connections open, a condition that a second may end), 431, 501, 502, 503, 504, 505, 508 (a
 * request that came back through this proxy).
 */
public final class ErrorResponse {

    private static final int[] STATUSES = {200, 400, 404, 405, 408, 413, 414, 429, 431, 501, 502, 503, 504, 505, 508};
    private static final String[] REASONS = {
        "OK", "Bad Request", "Not Found", "Method Not Allowed", "Request Timeout", "Content Too Large",
        "URI Too Long", "Too Many Requests", "Request Header Fields Too Large", "Not Implemented", "Bad Gateway",
        "Service Unavailable", "Gateway Timeout", "HTTP Version Not Supported", "Loop Detected",
    };
    private static final String[] CONNECTION = {
        "Connection: close\r\n", "Connection: keep-alive\r\n", "",
    };
    private static final int CLOSE = 0;
    private static final int KEEP_ALIVE_1_0 = 1;
    private static final int KEEP_ALIVE = 2;

    /** [status index][connection variant][0: with body, 1: head only]. */
    private static final byte[][][][] RESPONSES = new byte[STATUSES.length][CONNECTION.length][2][];
    /** Around the caller's Allow value: [connection variant][0: before Allow value, 1: after it, with body]. */
    private static final byte[][][] METHOD_NOT_ALLOWED = new byte[CONNECTION.length][3][];

    static {
        for (int s = 0; s < STATUSES.length; s++) {
            String body = STATUSES[s] + " " + REASONS[s] + "\n";
            for (int c = 0; c < CONNECTION.length; c++) {
                String head = "HTTP/1.1 " + STATUSES[s] + " " + REASONS[s] + "\r\n"
                        + "Content-Type: text/plain\r\nContent-Length: " + body.length() + "\r\n"
                        + (STATUSES[s] == 429 ? "Retry-After: 1\r\n" : "") + CONNECTION[c];
                RESPONSES[s][c][0] = Ascii.bytes(head + "\r\n" + body);
                RESPONSES[s][c][1] = Ascii.bytes(head + "\r\n");
                if (STATUSES[s] == 405) {
                    METHOD_NOT_ALLOWED[c][0] = Ascii.bytes(head + "Allow: ");
                    METHOD_NOT_ALLOWED[c][1] = Ascii.bytes("\r\n\r\n" + body);
                    METHOD_NOT_ALLOWED[c][2] = Ascii.bytes("\r\n\r\n");
                }
            }
        }
    }

    private ErrorResponse() {
    }

    /**
     * Writes the canned response for {@code status} and returns the bytes written.
     *
     * @param request the request being answered, or null when its head could not be parsed
     *                (the connection then always closes)
     * @param close   the proxy closes the connection after this response; also implied by a
     *                null request or one that did not keep the connection alive
     * @throws IllegalArgumentException for a status without a canned response, or 405
     */
    public static int write(ByteBuf out, int status, RequestHead request, boolean close) {
        if (status == 405) {
            throw new IllegalArgumentException("405 needs an Allow value: use writeMethodNotAllowed");
        }
        byte[] bytes = RESPONSES[index(status)][variant(request, close)][request != null && request.method() == Method.HEAD ? 1 : 0];
        out.writeBytes(bytes);
        return bytes.length;
    }

    /** Writes the answer to a request whose head or body failed: its status, then close. */
    public static int write(ByteBuf out, HttpError error) {
        return write(out, error.status(), null, true);
    }

    /**
     * Writes 405 with {@code Allow: <allow>}; {@code allow} is the route's pre-encoded method
     * list (e.g. {@code GET, HEAD}).
     */
    public static int writeMethodNotAllowed(ByteBuf out, byte[] allow, RequestHead request, boolean close) {
        byte[][] parts = METHOD_NOT_ALLOWED[variant(request, close)];
        byte[] end = parts[request != null && request.method() == Method.HEAD ? 2 : 1];
        out.writeBytes(parts[0]).writeBytes(allow).writeBytes(end);
        return parts[0].length + allow.length + end.length;
    }

    /** True if there is a canned response for {@code status}. */
    public static boolean has(int status) {
        for (int s : STATUSES) {
            if (s == status) {
                return true;
            }
        }
        return false;
    }

    private static int variant(RequestHead request, boolean close) {
        if (close || request == null || !request.keepAlive()) {
            return CLOSE;
        }
        return request.version() == HttpVersion.HTTP_1_0 ? KEEP_ALIVE_1_0 : KEEP_ALIVE;
    }

    private static int index(int status) {
        for (int s = 0; s < STATUSES.length; s++) {
            if (STATUSES[s] == status) {
                return s;
            }
        }
        throw new IllegalArgumentException("no canned response for status " + status);
    }
}
