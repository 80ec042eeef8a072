package dev.synedge.origin;

import io.netty.buffer.ByteBuf;

/**
 * Finds where a request head ends in a buffer that grows as bytes arrive, without rescanning
 * what it has seen. Enforces the line rules that can be checked before the head is complete
 * (no bare LF) and the size limits: request line 8 KiB (414), head 64 KiB (431). Skips empty
 * lines before the request line (RFC 9112 §2.2).
 *
 * <p>Positions are kept relative to the buffer's reader index, so the buffer may discard read
 * bytes between calls.
 */
final class HeadScanner {

    static final int MAX_REQUEST_LINE = 8 * 1024;
    static final int MAX_HEAD = 64 * 1024;
    private static final int MAX_LEADING_EMPTY_LINES = 16;

    private int scanned;
    private int lineStart;
    private boolean requestLineSeen;
    private int leadingEmptyLines;

    void reset() {
        scanned = 0;
        lineStart = 0;
        requestLineSeen = false;
        leadingEmptyLines = 0;
    }

    /**
     * Returns the absolute index just past the head's final CRLF, or -1 when more bytes are
     * needed. Leading empty lines are consumed (the reader index moves past them).
     */
    int findEnd(ByteBuf buf) throws RequestRejected {
        for (;;) {
            int start = buf.readerIndex();
            int limit = buf.writerIndex();
            int lf = buf.indexOf(start + scanned, limit, Ascii.LF);
            if (lf < 0) {
                scanned = limit - start;
                checkLimits();
                return -1;
            }
            if (lf == start || buf.getByte(lf - 1) != Ascii.CR) {
                throw RequestRejected.badRequest("line ends with a bare LF");
            }
            int lineLength = lf - 1 - (start + lineStart);
            scanned = lf + 1 - start;
            if (lineLength == 0) {
                if (requestLineSeen) {
                    return lf + 1;
                }
                if (++leadingEmptyLines > MAX_LEADING_EMPTY_LINES) {
                    throw RequestRejected.badRequest("too many empty lines before the request line");
                }
                buf.readerIndex(lf + 1);
                scanned = 0;
                lineStart = 0;
                continue;
            }
            if (!requestLineSeen && lineLength > MAX_REQUEST_LINE) {
                throw new RequestRejected(414, "request line longer than " + MAX_REQUEST_LINE + " bytes");
            }
            requestLineSeen = true;
            lineStart = scanned;
            checkLimits();
        }
    }

    private void checkLimits() throws RequestRejected {
        if (!requestLineSeen && scanned > MAX_REQUEST_LINE) {
            throw new RequestRejected(414, "request line longer than " + MAX_REQUEST_LINE + " bytes");
        }
        if (scanned > MAX_HEAD) {
            throw new RequestRejected(431, "request head larger than " + MAX_HEAD + " bytes");
        }
    }
}
