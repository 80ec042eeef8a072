package dev.synedge.origin;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Parses a complete request head in place (the bytes {@link HeadScanner} delimited) and checks
 * it strictly, as an origin a proxy is tested against should: anything RFC 9112 lets a server
 * reject is rejected, so a proxy that forwards a malformed message gets caught.
 *
 * <p>Rejected: malformed request line, versions other than 1.0/1.1 (505), whitespace before
 * a field's colon, obs-fold, CTLs in values, Content-Length that is not 1*DIGIT or differs
 * from another, Transfer-Encoding with Content-Length or on HTTP/1.0, a final coding other than
 * chunked or chunked twice (400), other codings (501), a missing or repeated Host on HTTP/1.1,
 * an expectation other than 100-continue (417).
 */
final class RequestHeadParser {

    private static final int MAX_CONTENT_LENGTH_DIGITS = 18;

    private RequestHeadParser() {}

    /** Fills {@code head} from the bytes [start, end) of {@code buf}; end is just past the final CRLF. */
    static void parse(ByteBuf buf, int start, int end, RequestHead head) throws RequestRejected {
        head.reset();
        int lineEnd = buf.indexOf(start, end, Ascii.LF) - 1;
        parseRequestLine(buf, start, lineEnd, head);
        FieldState fields = new FieldState();
        int pos = lineEnd + 2;
        for (;;) {
            int cr = buf.indexOf(pos, end, Ascii.LF) - 1;
            if (cr == pos) {
                break;
            }
            parseField(buf, pos, cr, head, fields);
            pos = cr + 2;
        }
        validate(head, fields);
    }

    private static void parseRequestLine(ByteBuf buf, int start, int end, RequestHead head)
            throws RequestRejected {
        int i = start;
        while (i < end && Ascii.isTchar(buf.getByte(i))) {
            i++;
        }
        if (i == start || i >= end || buf.getByte(i) != Ascii.SP) {
            throw RequestRejected.badRequest("malformed request line (method)");
        }
        head.method = Method.of(buf, start, i - start);
        int targetStart = i + 1;
        int j = targetStart;
        while (j < end) {
            int b = buf.getUnsignedByte(j);
            if (b <= 0x20 || b >= 0x7f) {
                break;
            }
            j++;
        }
        if (j == targetStart || j >= end || buf.getByte(j) != Ascii.SP) {
            throw RequestRejected.badRequest("malformed request line (target)");
        }
        head.targetStart = targetStart;
        head.targetEnd = j;
        parseVersion(buf, j + 1, end, head);
    }

    private static void parseVersion(ByteBuf buf, int start, int end, RequestHead head)
            throws RequestRejected {
        boolean shaped = end - start == 8
                && buf.getByte(start) == 'H' && buf.getByte(start + 1) == 'T'
                && buf.getByte(start + 2) == 'T' && buf.getByte(start + 3) == 'P'
                && buf.getByte(start + 4) == '/' && isDigit(buf.getByte(start + 5))
                && buf.getByte(start + 6) == '.' && isDigit(buf.getByte(start + 7));
        if (!shaped) {
            throw RequestRejected.badRequest("malformed request line (version)");
        }
        int major = buf.getByte(start + 5) - '0';
        int minor = buf.getByte(start + 7) - '0';
        if (major != 1 || minor > 1) {
            throw new RequestRejected(505, "HTTP/" + major + "." + minor + " not supported");
        }
        head.http11 = minor == 1;
    }

    private static boolean isDigit(int b) {
        return b >= '0' && b <= '9';
    }

    /** Per-head state that only validation needs. */
    private static final class FieldState {
        boolean transferEncoding;
        int chunkedCount;
        boolean lastCodingChunked;
        boolean otherCoding;
        boolean unknownExpectation;
    }

    /**
     * Checks the shape of one field line [start, end) (end at its CR): a token, a colon right
     * after it, a value without CTLs. Returns the colon's index. Used for trailers too.
     */
    static int checkField(ByteBuf buf, int start, int end) throws RequestRejected {
        if (Ascii.isWhitespace(buf.getByte(start))) {
            throw RequestRejected.badRequest("obs-fold (line starting with whitespace) is not accepted");
        }
        int colon = start;
        while (colon < end && Ascii.isTchar(buf.getByte(colon))) {
            colon++;
        }
        if (colon == start || colon >= end || buf.getByte(colon) != ':') {
            throw RequestRejected.badRequest("malformed field line (name must be a token followed by a colon)");
        }
        for (int k = colon + 1; k < end; k++) {
            if (!Ascii.isFieldValueByte(buf.getUnsignedByte(k))) {
                throw RequestRejected.badRequest("invalid character in field value");
            }
        }
        return colon;
    }

    private static void parseField(ByteBuf buf, int start, int end, RequestHead head, FieldState fields)
            throws RequestRejected {
        int colon = checkField(buf, start, end);
        int vs = colon + 1;
        while (vs < end && Ascii.isWhitespace(buf.getByte(vs))) {
            vs++;
        }
        int ve = end;
        while (ve > vs && Ascii.isWhitespace(buf.getByte(ve - 1))) {
            ve--;
        }
        int nameLength = colon - start;
        switch (nameLength) {
            case 4 -> {
                if (Ascii.equalsIgnoreCase(buf, start, 4, "host")) {
                    head.hostCount++;
                }
            }
            case 6 -> {
                if (Ascii.equalsIgnoreCase(buf, start, 6, "expect")) {
                    if (Ascii.equalsIgnoreCase(buf, vs, ve - vs, "100-continue")) {
                        head.expectContinue = true;
                    } else {
                        fields.unknownExpectation = true;
                    }
                }
            }
            case 7 -> {
                if (Ascii.equalsIgnoreCase(buf, start, 7, "upgrade")) {
                    forEachElement(buf, vs, ve, (s, l) -> {
                        if (Ascii.equalsIgnoreCase(buf, s, l, "websocket")) {
                            head.upgradeWebSocket = true;
                        }
                    });
                }
            }
            case 10 -> {
                if (Ascii.equalsIgnoreCase(buf, start, 10, "connection")) {
                    forEachElement(buf, vs, ve, (s, l) -> {
                        if (Ascii.equalsIgnoreCase(buf, s, l, "close")) {
                            head.connectionClose = true;
                        } else if (Ascii.equalsIgnoreCase(buf, s, l, "keep-alive")) {
                            head.connectionKeepAlive = true;
                        } else if (Ascii.equalsIgnoreCase(buf, s, l, "upgrade")) {
                            head.connectionUpgrade = true;
                        }
                    });
                }
            }
            case 14 -> {
                if (Ascii.equalsIgnoreCase(buf, start, 14, "content-length")) {
                    long value = parseContentLength(buf, vs, ve);
                    if (head.contentLength >= 0 && head.contentLength != value) {
                        throw RequestRejected.badRequest("differing Content-Length values");
                    }
                    head.contentLength = value;
                }
            }
            case 17 -> {
                if (Ascii.equalsIgnoreCase(buf, start, 17, "transfer-encoding")) {
                    fields.transferEncoding = true;
                    forEachElement(buf, vs, ve, (s, l) -> {
                        if (Ascii.equalsIgnoreCase(buf, s, l, "chunked")) {
                            fields.chunkedCount++;
                            fields.lastCodingChunked = true;
                        } else {
                            fields.otherCoding = true;
                            fields.lastCodingChunked = false;
                        }
                    });
                } else if (Ascii.equalsIgnoreCase(buf, start, 17, "sec-websocket-key")) {
                    head.webSocketKey = buf.toString(vs, ve - vs, StandardCharsets.US_ASCII);
                }
            }
            case 21 -> {
                if (Ascii.equalsIgnoreCase(buf, start, 21, "sec-websocket-version")) {
                    head.webSocketVersion = buf.toString(vs, ve - vs, StandardCharsets.US_ASCII);
                }
            }
            default -> {
                // Fields the origin does not act on are only shape-checked.
            }
        }
    }

    private static long parseContentLength(ByteBuf buf, int start, int end) throws RequestRejected {
        int length = end - start;
        if (length == 0 || length > MAX_CONTENT_LENGTH_DIGITS) {
            throw RequestRejected.badRequest("Content-Length must be 1 to 18 digits");
        }
        long value = 0;
        for (int i = start; i < end; i++) {
            int b = buf.getByte(i);
            if (!isDigit(b)) {
                throw RequestRejected.badRequest("Content-Length must be 1*DIGIT");
            }
            value = value * 10 + (b - '0');
        }
        return value;
    }

    @FunctionalInterface
    private interface ElementConsumer {
        void accept(int start, int length);
    }

    /** Calls back for each non-empty element of a comma-separated list, OWS trimmed. */
    private static void forEachElement(ByteBuf buf, int start, int end, ElementConsumer consumer) {
        int i = start;
        while (i < end) {
            int comma = buf.indexOf(i, end, (byte) ',');
            int elementEnd = comma < 0 ? end : comma;
            int s = i;
            while (s < elementEnd && Ascii.isWhitespace(buf.getByte(s))) {
                s++;
            }
            int e = elementEnd;
            while (e > s && Ascii.isWhitespace(buf.getByte(e - 1))) {
                e--;
            }
            if (e > s) {
                consumer.accept(s, e - s);
            }
            i = elementEnd + 1;
        }
    }

    private static void validate(RequestHead head, FieldState fields) throws RequestRejected {
        if (fields.transferEncoding) {
            if (!head.http11) {
                throw RequestRejected.badRequest("Transfer-Encoding in an HTTP/1.0 request");
            }
            if (head.contentLength >= 0) {
                throw RequestRejected.badRequest("both Content-Length and Transfer-Encoding");
            }
            if (fields.chunkedCount > 1) {
                throw RequestRejected.badRequest("chunked applied more than once");
            }
            if (!fields.lastCodingChunked) {
                throw RequestRejected.badRequest("final transfer coding is not chunked");
            }
            if (fields.otherCoding) {
                throw new RequestRejected(501, "transfer codings other than chunked are not implemented");
            }
            head.chunked = true;
        }
        if (head.http11 && head.hostCount != 1) {
            throw RequestRejected.badRequest(head.hostCount == 0 ? "missing Host" : "more than one Host");
        }
        if (fields.unknownExpectation && head.http11) {
            throw new RequestRejected(417, "only 100-continue is a known expectation");
        }
    }
}
