package dev.synedge.loadtest.http;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.lang.foreign.MemorySegment;
import java.util.zip.CRC32C;

/**
 * Frames HTTP/1.1 responses from the bytes a connection reads, one response at a time, and
 * keeps only what a load test checks: status, body length, persistence and the origin's
 * {@code X-Body-Checksum}. Body bytes are counted where they were read, and run through
 * CRC32C (on the read buffer, no copy) only when the response announced a checksum; the head,
 * a few hundred bytes, is copied once in bulk into a small reused array and framed there.
 *
 * <p>Interim 1xx responses are skipped. Bodies are framed by chunked coding, Content-Length,
 * or the end of the connection, as RFC 9112 §6.3 orders them; responses to HEAD and 204/304
 * have none. One instance per connection, reused: {@link #reset} before each response.
 */
public final class ResponseParser {

    /** Longest head accepted; longer is treated as malformed. */
    public static final int MAX_HEAD = 64 * 1024;
    /** Bytes copied per step while looking for the end of a head. */
    private static final int HEAD_WINDOW = 1024;

    private enum State { HEAD, FIXED_BODY, CHUNK_SIZE, CHUNK_EXTENSION, CHUNK_DATA, CHUNK_DATA_CR, CHUNK_DATA_LF,
        TRAILERS, UNTIL_CLOSE, DONE }

    private final CRC32C crc = new CRC32C();
    private final boolean verifyChecksum;
    private byte[] head = new byte[HEAD_WINDOW];
    private int headLength;

    private State state = State.HEAD;
    private boolean headRequest;
    private boolean started;
    private int lineLength;

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
        headLength = 0;
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

    /**
     * Copies the head in bulk into the per-connection array (a few hundred bytes, one copy)
     * and frames it there: plain array reads beat a bounds-checked access per byte of native
     * memory. Bytes copied past the head's end are not consumed; the body is read in place.
     */
    private int head(MemorySegment s, int from, int to) throws MalformedResponseException {
        int i = from;
        while (i < to) {
            int n = Math.min(to - i, HEAD_WINDOW);
            if (headLength + n > MAX_HEAD) {
                n = MAX_HEAD - headLength;
                if (n <= 0) {
                    throw new MalformedResponseException("response head longer than " + MAX_HEAD + " bytes");
                }
            }
            ensureHeadCapacity(headLength + n);
            MemorySegment.copy(s, JAVA_BYTE, i, head, headLength, n);
            int scanFrom = headLength;
            headLength += n;
            int end = endOfHead(scanFrom);
            if (end >= 0) {
                int consumed = end - scanFrom;
                headLength = end;
                parseHead();
                afterHead();
                return i + consumed;
            }
            i += n;
        }
        return i;
    }

    private void ensureHeadCapacity(int needed) {
        if (needed > head.length) {
            byte[] bigger = new byte[Math.max(head.length * 2, needed)];
            System.arraycopy(head, 0, bigger, 0, headLength);
            head = bigger;
        }
    }

    /** Index just past the empty line that ends the head, scanning from {@code from}; -1 if not yet. */
    private int endOfHead(int from) {
        byte[] h = head;
        for (int i = from; i < headLength; i++) {
            byte b = h[i];
            if (b == '\n') {
                if (lineLength == 0) {
                    return i + 1;
                }
                lineLength = 0;
            } else if (b != '\r') {
                lineLength++;
            }
        }
        return -1;
    }

    private void parseHead() throws MalformedResponseException {
        byte[] h = head;
        int end = headLength;
        // Status line: HTTP/1.x SP 3DIGIT SP reason
        if (end < 14 || h[0] != 'H' || h[1] != 'T' || h[2] != 'T' || h[3] != 'P' || h[4] != '/' || h[5] != '1'
                || h[6] != '.' || h[8] != ' ') {
            throw new MalformedResponseException("malformed status line");
        }
        minorVersion = digit(h[7]);
        status = digit(h[9]) * 100 + digit(h[10]) * 10 + digit(h[11]);
        int line = nextLine(h, 0, end);
        while (line < end) {
            int next = nextLine(h, line, end);
            int lineEnd = next - 1;
            if (lineEnd > line && h[lineEnd - 1] == '\r') {
                lineEnd--;
            }
            if (lineEnd <= line) {
                break;
            }
            field(h, line, lineEnd);
            line = next;
        }
    }

    /** Index after the next LF at or after {@code from} (or {@code end}). */
    private static int nextLine(byte[] h, int from, int end) {
        for (int i = from; i < end; i++) {
            if (h[i] == '\n') {
                return i + 1;
            }
        }
        return end + 1;
    }

    private void field(byte[] h, int line, int lineEnd) throws MalformedResponseException {
        int nameLength = 0;
        while (line + nameLength < lineEnd && h[line + nameLength] != ':') {
            nameLength++;
        }
        if (line + nameLength == lineEnd) {
            throw new MalformedResponseException("header line without a colon");
        }
        if (nameLength != 14 && nameLength != 17 && nameLength != 10 && nameLength != 15) {
            return;
        }
        int v = line + nameLength + 1;
        int ve = lineEnd;
        while (v < ve && isSpace(h[v])) {
            v++;
        }
        while (ve > v && isSpace(h[ve - 1])) {
            ve--;
        }
        switch (nameLength) {
            case 14 -> {
                if (nameIs(h, line, "content-length")) {
                    long value = decimal(h, v, ve);
                    if (contentLength >= 0 && contentLength != value) {
                        throw new MalformedResponseException("conflicting Content-Length fields");
                    }
                    contentLength = value;
                }
            }
            case 17 -> {
                if (nameIs(h, line, "transfer-encoding")) {
                    chunked = ve - v >= 7 && nameIs(h, ve - 7, "chunked");
                    if (!chunked) {
                        throw new MalformedResponseException("transfer coding other than chunked");
                    }
                }
            }
            case 10 -> {
                if (nameIs(h, line, "connection")) {
                    connectionClose |= containsToken(h, v, ve, "close");
                    connectionKeepAlive |= containsToken(h, v, ve, "keep-alive");
                }
            }
            default -> {
                if (verifyChecksum && nameIs(h, line, "x-body-checksum")) {
                    checksum = hex32(h, v, ve);
                    checksumPresent = true;
                }
            }
        }
    }

    private void afterHead() throws MalformedResponseException {
        headLength = 0;
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

    /** Case-insensitive match of {@code lowerName} at {@code at} (letters and '-' only). */
    private static boolean nameIs(byte[] h, int at, String lowerName) {
        for (int k = 0; k < lowerName.length(); k++) {
            if ((h[at + k] | 0x20) != lowerName.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    /** Whether a comma-separated field value holds {@code lowerToken}, ignoring case. */
    private static boolean containsToken(byte[] h, int from, int to, String lowerToken) {
        int start = from;
        while (start < to) {
            int end = start;
            while (end < to && h[end] != ',') {
                end++;
            }
            int a = start;
            int b = end;
            while (a < b && isSpace(h[a])) {
                a++;
            }
            while (b > a && isSpace(h[b - 1])) {
                b--;
            }
            if (b - a == lowerToken.length() && nameIs(h, a, lowerToken)) {
                return true;
            }
            start = end + 1;
        }
        return false;
    }

    private static long decimal(byte[] h, int from, int to) throws MalformedResponseException {
        if (from == to || to - from > 18) {
            throw new MalformedResponseException("bad Content-Length");
        }
        long value = 0;
        for (int i = from; i < to; i++) {
            byte b = h[i];
            if (b < '0' || b > '9') {
                throw new MalformedResponseException("bad Content-Length");
            }
            value = value * 10 + (b - '0');
        }
        return value;
    }

    private static int hex32(byte[] h, int from, int to) throws MalformedResponseException {
        if (to - from != 8) {
            throw new MalformedResponseException("X-Body-Checksum is not 8 hex digits");
        }
        int value = 0;
        for (int i = from; i < to; i++) {
            int d = hexDigit(h[i]);
            if (d < 0) {
                throw new MalformedResponseException("X-Body-Checksum is not 8 hex digits");
            }
            value = (value << 4) | d;
        }
        return value;
    }
}
