package dev.synedge.loadtest.http;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.lang.foreign.MemorySegment;
import java.util.zip.CRC32C;

/**
 * Frames HTTP/1.1 responses from the bytes a connection reads, one response at a time, and
 * keeps only what a load test checks: status, body length, persistence and the origin's
 * {@code X-Body-Checksum}. It parses in place: a head that arrives in one read is read where
 * it lies; only a head split over reads is copied (into a small per-connection array). Body
 * bytes are counted, and run through CRC32C only when the response announced a checksum.
 *
 * <p>Interim 1xx responses are skipped. Bodies are framed by chunked coding, Content-Length,
 * or the end of the connection, as RFC 9112 §6.3 orders them; responses to HEAD and 204/304
 * have none. One instance per connection, reused: {@link #reset} before each response.
 */
public final class ResponseParser {

    /** Longest head accepted; longer is treated as malformed. */
    public static final int MAX_HEAD = 64 * 1024;

    private enum State { HEAD, FIXED_BODY, CHUNK_SIZE, CHUNK_EXTENSION, CHUNK_DATA, CHUNK_DATA_CR, CHUNK_DATA_LF,
        TRAILERS, UNTIL_CLOSE, DONE }

    private final CRC32C crc = new CRC32C();
    private final boolean verifyChecksum;
    private byte[] pending = new byte[512];
    private int pendingLength;

    private State state = State.HEAD;
    private boolean headRequest;
    private boolean started;
    private int lineLength;
    private int headBytes;

    private int status;
    private int minorVersion;
    private long contentLength;
    private boolean chunked;
    private boolean connectionClose;
    private boolean connectionKeepAlive;
    private boolean closeDelimited;
    private boolean checksumPresent;
    private int checksum;
    private long bodyBytes;
    private long remaining;
    private int chunkSizeDigits;

    /** With {@code verifyChecksum} false, announced checksums are ignored (no CRC work). */
    public ResponseParser(boolean verifyChecksum) {
        this.verifyChecksum = verifyChecksum;
        reset(false);
    }

    /** Prepares for the next response; {@code headRequest} when it answers a HEAD request. */
    public void reset(boolean headRequest) {
        this.headRequest = headRequest;
        state = State.HEAD;
        started = false;
        bodyBytes = 0;
        resetHead();
    }

    private void resetHead() {
        lineLength = 0;
        headBytes = 0;
        pendingLength = 0;
        status = 0;
        minorVersion = 1;
        contentLength = -1;
        chunked = false;
        connectionClose = false;
        connectionKeepAlive = false;
        closeDelimited = false;
        checksumPresent = false;
        checksum = 0;
        remaining = 0;
        chunkSizeDigits = 0;
        crc.reset();
    }

    /**
     * Consumes bytes [from, to) of {@code buffer} and returns the index after the last byte it
     * took: {@code to}, or the end of the response when it completed there ({@link #complete()}
     * is then true and the rest belongs to the next response).
     */
    public int feed(ReadBuffer buffer, int from, int to) throws MalformedResponseException {
        int i = from;
        MemorySegment s = buffer.segment();
        if (i < to) {
            started = true;
        }
        while (i < to && state != State.DONE) {
            switch (state) {
                case HEAD -> i = head(s, i, to);
                case FIXED_BODY -> {
                    int n = (int) Math.min(remaining, to - i);
                    body(buffer, i, n);
                    i += n;
                    remaining -= n;
                    if (remaining == 0) {
                        state = State.DONE;
                    }
                }
                case CHUNK_SIZE -> i = chunkSize(s, i, to);
                case CHUNK_EXTENSION -> i = chunkExtension(s, i, to);
                case CHUNK_DATA -> {
                    int n = (int) Math.min(remaining, to - i);
                    body(buffer, i, n);
                    i += n;
                    remaining -= n;
                    if (remaining == 0) {
                        state = State.CHUNK_DATA_CR;
                    }
                }
                case CHUNK_DATA_CR -> {
                    expect(s.get(JAVA_BYTE, i++), '\r', "CR after chunk data");
                    state = State.CHUNK_DATA_LF;
                }
                case CHUNK_DATA_LF -> {
                    expect(s.get(JAVA_BYTE, i++), '\n', "LF after chunk data");
                    state = State.CHUNK_SIZE;
                }
                case TRAILERS -> i = trailers(s, i, to);
                case UNTIL_CLOSE -> {
                    body(buffer, i, to - i);
                    i = to;
                }
                case DONE -> throw new AssertionError();
            }
        }
        return i;
    }

    /**
     * The connection reached EOF. Returns true when that completes the response (a body
     * delimited by the close); false when the response is cut short or never began.
     */
    public boolean endOfInput() {
        if (state == State.UNTIL_CLOSE) {
            state = State.DONE;
            return true;
        }
        return state == State.DONE;
    }

    public boolean complete() {
        return state == State.DONE;
    }

    /** At least one byte of this response arrived. */
    public boolean started() {
        return started;
    }

    /** The final status, 0 until the head is parsed. */
    public int status() {
        return status;
    }

    public long bodyBytes() {
        return bodyBytes;
    }

    /** The Content-Length field, or -1 when the response had none. */
    public long contentLength() {
        return contentLength;
    }

    public boolean chunked() {
        return chunked;
    }

    /** The connection may carry another request after this response. */
    public boolean keepAlive() {
        return !connectionClose && !closeDelimited && (minorVersion >= 1 || connectionKeepAlive);
    }

    /** The response announced an {@code X-Body-Checksum} (and checksums are verified). */
    public boolean checksumPresent() {
        return checksumPresent;
    }

    /** True unless a checksum was announced and the body's CRC32C differs from it. */
    public boolean checksumMatches() {
        return !checksumPresent || (int) crc.getValue() == checksum;
    }

    private void body(ReadBuffer buffer, int from, int length) {
        if (length == 0) {
            return;
        }
        bodyBytes += length;
        if (checksumPresent) {
            crc.update(buffer.window(from, from + length));
        }
    }

    // ---- head

    private int head(MemorySegment s, int from, int to) throws MalformedResponseException {
        int i = from;
        boolean end = false;
        while (i < to) {
            byte b = s.get(JAVA_BYTE, i++);
            if (b == '\n') {
                if (lineLength == 0) {
                    end = true;
                    break;
                }
                lineLength = 0;
            } else if (b != '\r') {
                lineLength++;
            }
        }
        headBytes += i - from;
        if (headBytes > MAX_HEAD) {
            throw new MalformedResponseException("response head longer than " + MAX_HEAD + " bytes");
        }
        if (!end) {
            append(s, from, i);
            return i;
        }
        if (pendingLength == 0) {
            parseHead(s, from, i);
        } else {
            append(s, from, i);
            parseHead(MemorySegment.ofArray(pending), 0, pendingLength);
        }
        afterHead();
        return i;
    }

    private void append(MemorySegment s, int from, int to) {
        int n = to - from;
        if (pendingLength + n > pending.length) {
            byte[] bigger = new byte[Math.max(pending.length * 2, pendingLength + n)];
            System.arraycopy(pending, 0, bigger, 0, pendingLength);
            pending = bigger;
        }
        MemorySegment.copy(s, JAVA_BYTE, from, pending, pendingLength, n);
        pendingLength += n;
    }

    private void parseHead(MemorySegment s, long start, long end) throws MalformedResponseException {
        // Status line: HTTP/1.x SP 3DIGIT SP reason
        if (end - start < 14 || s.get(JAVA_BYTE, start) != 'H' || s.get(JAVA_BYTE, start + 1) != 'T'
                || s.get(JAVA_BYTE, start + 2) != 'T' || s.get(JAVA_BYTE, start + 3) != 'P'
                || s.get(JAVA_BYTE, start + 4) != '/' || s.get(JAVA_BYTE, start + 5) != '1'
                || s.get(JAVA_BYTE, start + 6) != '.' || s.get(JAVA_BYTE, start + 8) != ' ') {
            throw new MalformedResponseException("malformed status line");
        }
        minorVersion = digit(s.get(JAVA_BYTE, start + 7));
        status = digit(s.get(JAVA_BYTE, start + 9)) * 100 + digit(s.get(JAVA_BYTE, start + 10)) * 10
                + digit(s.get(JAVA_BYTE, start + 11));
        long line = nextLine(s, start, end);
        while (line < end) {
            long lineEnd = lineEnd(s, line, end);
            if (lineEnd == line) {
                break;
            }
            field(s, line, lineEnd);
            line = nextLine(s, line, end);
        }
    }

    private static long nextLine(MemorySegment s, long from, long end) {
        for (long i = from; i < end; i++) {
            if (s.get(JAVA_BYTE, i) == '\n') {
                return i + 1;
            }
        }
        return end;
    }

    /** End of the line's content: before its CRLF (or bare LF). */
    private static long lineEnd(MemorySegment s, long from, long end) {
        long i = from;
        while (i < end && s.get(JAVA_BYTE, i) != '\n') {
            i++;
        }
        if (i > from && s.get(JAVA_BYTE, i - 1) == '\r') {
            i--;
        }
        return i;
    }

    private void field(MemorySegment s, long line, long lineEnd) throws MalformedResponseException {
        long colon = line;
        while (colon < lineEnd && s.get(JAVA_BYTE, colon) != ':') {
            colon++;
        }
        if (colon == lineEnd) {
            throw new MalformedResponseException("header line without a colon");
        }
        long v = colon + 1;
        long ve = lineEnd;
        while (v < ve && isSpace(s.get(JAVA_BYTE, v))) {
            v++;
        }
        while (ve > v && isSpace(s.get(JAVA_BYTE, ve - 1))) {
            ve--;
        }
        int nameLength = (int) (colon - line);
        switch (nameLength) {
            case 14 -> {
                if (nameIs(s, line, "content-length")) {
                    long value = decimal(s, v, ve);
                    if (contentLength >= 0 && contentLength != value) {
                        throw new MalformedResponseException("conflicting Content-Length fields");
                    }
                    contentLength = value;
                }
            }
            case 17 -> {
                if (nameIs(s, line, "transfer-encoding")) {
                    chunked = ve - v >= 7 && valueEndsWith(s, ve, "chunked");
                    if (!chunked) {
                        throw new MalformedResponseException("transfer coding other than chunked");
                    }
                }
            }
            case 10 -> {
                if (nameIs(s, line, "connection")) {
                    connectionClose |= containsToken(s, v, ve, "close");
                    connectionKeepAlive |= containsToken(s, v, ve, "keep-alive");
                }
            }
            case 15 -> {
                if (verifyChecksum && nameIs(s, line, "x-body-checksum")) {
                    checksum = hex32(s, v, ve);
                    checksumPresent = true;
                }
            }
            default -> {
                // Other fields do not change how the response is framed or checked.
            }
        }
    }

    private void afterHead() throws MalformedResponseException {
        if (status >= 100 && status < 200 && status != 101) {
            // Interim response: the final one follows on the same stream.
            resetHead();
            return;
        }
        if (chunked && contentLength >= 0) {
            // RFC 9112 §6.3: chunked wins, but a sender doing both is suspect; a load test
            // should hear about it.
            throw new MalformedResponseException("both Transfer-Encoding and Content-Length");
        }
        if (headRequest || status == 204 || status == 304 || status == 101) {
            state = State.DONE;
        } else if (chunked) {
            state = State.CHUNK_SIZE;
        } else if (contentLength >= 0) {
            remaining = contentLength;
            state = contentLength == 0 ? State.DONE : State.FIXED_BODY;
        } else {
            closeDelimited = true;
            state = State.UNTIL_CLOSE;
        }
    }

    // ---- chunked body

    private int chunkSize(MemorySegment s, int from, int to) throws MalformedResponseException {
        int i = from;
        while (i < to) {
            byte b = s.get(JAVA_BYTE, i++);
            int d = hexDigit(b);
            if (d >= 0) {
                if (++chunkSizeDigits > 15) {
                    throw new MalformedResponseException("chunk size too long");
                }
                remaining = (remaining << 4) | d;
            } else if (b == ';' || b == '\r' || b == ' ' || b == '\t') {
                state = State.CHUNK_EXTENSION;
                return chunkExtension(s, i, to);
            } else if (b == '\n') {
                return endOfChunkSize(i);
            } else {
                throw new MalformedResponseException("bad chunk size");
            }
        }
        return i;
    }

    private int chunkExtension(MemorySegment s, int from, int to) throws MalformedResponseException {
        for (int i = from; i < to; i++) {
            if (s.get(JAVA_BYTE, i) == '\n') {
                return endOfChunkSize(i + 1);
            }
        }
        return to;
    }

    private int endOfChunkSize(int next) throws MalformedResponseException {
        if (chunkSizeDigits == 0) {
            throw new MalformedResponseException("empty chunk size");
        }
        chunkSizeDigits = 0;
        if (remaining == 0) {
            lineLength = 0;
            state = State.TRAILERS;
        } else {
            state = State.CHUNK_DATA;
        }
        return next;
    }

    private int trailers(MemorySegment s, int from, int to) {
        for (int i = from; i < to; i++) {
            byte b = s.get(JAVA_BYTE, i);
            if (b == '\n') {
                if (lineLength == 0) {
                    state = State.DONE;
                    return i + 1;
                }
                lineLength = 0;
            } else if (b != '\r') {
                lineLength++;
            }
        }
        return to;
    }

    // ---- small helpers

    private static void expect(byte actual, char wanted, String what) throws MalformedResponseException {
        if (actual != wanted) {
            throw new MalformedResponseException("expected " + what);
        }
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t';
    }

    private static int digit(byte b) throws MalformedResponseException {
        if (b < '0' || b > '9') {
            throw new MalformedResponseException("digit expected in status line");
        }
        return b - '0';
    }

    private static int hexDigit(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        int lower = b | 0x20;
        return lower >= 'a' && lower <= 'f' ? lower - 'a' + 10 : -1;
    }

    /** Case-insensitive match of a field name whose length was already checked. */
    private static boolean nameIs(MemorySegment s, long at, String lowerName) {
        for (int k = 0; k < lowerName.length(); k++) {
            if ((s.get(JAVA_BYTE, at + k) | 0x20) != lowerName.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    private static boolean valueEndsWith(MemorySegment s, long end, String lowerWord) {
        long at = end - lowerWord.length();
        return nameIs(s, at, lowerWord);
    }

    /** Whether a comma-separated field value holds {@code lowerToken}, ignoring case. */
    private static boolean containsToken(MemorySegment s, long from, long to, String lowerToken) {
        long start = from;
        while (start < to) {
            long end = start;
            while (end < to && s.get(JAVA_BYTE, end) != ',') {
                end++;
            }
            long a = start;
            long b = end;
            while (a < b && isSpace(s.get(JAVA_BYTE, a))) {
                a++;
            }
            while (b > a && isSpace(s.get(JAVA_BYTE, b - 1))) {
                b--;
            }
            if (b - a == lowerToken.length() && nameIs(s, a, lowerToken)) {
                return true;
            }
            start = end + 1;
        }
        return false;
    }

    private static long decimal(MemorySegment s, long from, long to) throws MalformedResponseException {
        if (from == to || to - from > 18) {
            throw new MalformedResponseException("bad Content-Length");
        }
        long value = 0;
        for (long i = from; i < to; i++) {
            byte b = s.get(JAVA_BYTE, i);
            if (b < '0' || b > '9') {
                throw new MalformedResponseException("bad Content-Length");
            }
            value = value * 10 + (b - '0');
        }
        return value;
    }

    private static int hex32(MemorySegment s, long from, long to) throws MalformedResponseException {
        if (to - from != 8) {
            throw new MalformedResponseException("X-Body-Checksum is not 8 hex digits");
        }
        int value = 0;
        for (long i = from; i < to; i++) {
            int d = hexDigit(s.get(JAVA_BYTE, i));
            if (d < 0) {
                throw new MalformedResponseException("X-Body-Checksum is not 8 hex digits");
            }
            value = (value << 4) | d;
        }
        return value;
    }
}
