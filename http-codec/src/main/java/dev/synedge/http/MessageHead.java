package dev.synedge.http;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * What a head parser learned about one message head, kept as offsets into the buffer it was
 * parsed from. Reused from message to message: a parser resets it when it starts a new head.
 *
 * <p>Two kinds of accessors: the derived facts ({@link #version()}, {@link #bodyKind()},
 * {@link #contentLength()}, {@link #keepAlive()}, the {@code has...} flags) are plain values
 * and stay valid after the buffer moved on; the field and range accessors return indices into
 * {@link #buffer()} and are valid only while the head's bytes stay where they were parsed
 * (the buffer is neither released nor compacted). The head never owns the buffer.
 *
 * <p>Field values are given without the optional whitespace around them. Indices run from
 * {@link #start()} to {@link #start()} + {@link #length()}.
 */
public abstract sealed class MessageHead permits RequestHead, ResponseHead {

    static final int FIELD_INTS = 5;
    private static final int NAME_START = 0;
    private static final int NAME_END = 1;
    private static final int VALUE_START = 2;
    private static final int VALUE_END = 3;
    private static final int LINE_END = 4;

    /** A field named in Connection: dropped when the head is forwarded. */
    static final byte FLAG_CONNECTION_LISTED = 1;
    /** A field whose raw line must not be copied (whitespace before the colon was stripped). */
    static final byte FLAG_REWRITE = 2;
    /** An Upgrade field that offers h2c: forwarded, when at all, without it. */
    static final byte FLAG_H2C = 4;

    private ByteBuf buffer;
    /** Absolute index the parse started at; every stored offset is relative to it. */
    int base;
    int startLineStart;
    int length;
    HttpVersion version;

    int[] fields = new int[16 * FIELD_INTS];
    byte[] kinds = new byte[16];
    byte[] flags = new byte[16];
    int fieldCount;
    final int[] firstOfKind = new int[FieldKind.COUNT];
    final int[] lastOfKind = new int[FieldKind.COUNT];

    /** Connection tokens as relative (start, end) pairs. */
    int[] tokens = new int[8];
    int tokenCount;
    /** A Connection token other than close, keep-alive and upgrade (whose fields are handled by kind). */
    boolean otherToken;
    boolean closeToken;
    boolean keepAliveToken;
    boolean upgradeToken;
    /** Upgrade names a protocol other than h2c. */
    boolean upgradeOther;
    /** Upgrade names h2c. */
    boolean upgradeH2c;

    BodyKind bodyKind;
    long contentLength;
    boolean keepAlive;

    /** Transfer-Encoding as seen so far: judged once the whole head is read. */
    int teChunkedCount;
    boolean teLastIsChunked;
    boolean teOtherCoding;
    boolean teMalformed;

    MessageHead() {
        reset(null, 0);
    }

    void reset(ByteBuf buffer, int base) {
        this.buffer = buffer;
        this.base = base;
        startLineStart = 0;
        length = 0;
        version = null;
        fieldCount = 0;
        Arrays.fill(firstOfKind, -1);
        Arrays.fill(lastOfKind, -1);
        tokenCount = 0;
        otherToken = false;
        closeToken = false;
        keepAliveToken = false;
        upgradeToken = false;
        upgradeOther = false;
        upgradeH2c = false;
        bodyKind = BodyKind.NONE;
        contentLength = -1;
        keepAlive = false;
        teChunkedCount = 0;
        teLastIsChunked = false;
        teOtherCoding = false;
        teMalformed = false;
    }

    /** Called on every parse call: the caller may have compacted the buffer between reads. */
    void rebind(ByteBuf buffer, int base) {
        this.buffer = buffer;
        this.base = base;
    }

    int addField(int nameStart, int nameEnd, int valueStart, int valueEnd, int lineEnd, int kind, byte flag) {
        int i = fieldCount;
        if (i == kinds.length) {
            int grown = i * 2;
            fields = Arrays.copyOf(fields, grown * FIELD_INTS);
            kinds = Arrays.copyOf(kinds, grown);
            flags = Arrays.copyOf(flags, grown);
        }
        int at = i * FIELD_INTS;
        fields[at + NAME_START] = nameStart;
        fields[at + NAME_END] = nameEnd;
        fields[at + VALUE_START] = valueStart;
        fields[at + VALUE_END] = valueEnd;
        fields[at + LINE_END] = lineEnd;
        kinds[i] = (byte) kind;
        flags[i] = flag;
        if (firstOfKind[kind] < 0) {
            firstOfKind[kind] = i;
        }
        lastOfKind[kind] = i;
        fieldCount = i + 1;
        return i;
    }

    void addToken(int start, int end) {
        if (tokenCount * 2 == tokens.length) {
            tokens = Arrays.copyOf(tokens, tokens.length * 2);
        }
        tokens[tokenCount * 2] = start;
        tokens[tokenCount * 2 + 1] = end;
        tokenCount++;
    }

    /**
     * Marks every field named by a Connection token. Runs once per head, after the last field,
     * because Connection may list fields that come after it, and only when there is a token
     * other than close, keep-alive and upgrade: Keep-Alive and Upgrade are hop-by-hop by name,
     * and Close is a reserved field name (S §16.3.1).
     */
    void markConnectionListed() {
        for (int t = 0; t < tokenCount; t++) {
            int ts = tokens[t * 2];
            int len = tokens[t * 2 + 1] - ts;
            for (int i = 0; i < fieldCount; i++) {
                int ns = fields[i * FIELD_INTS + NAME_START];
                if (fields[i * FIELD_INTS + NAME_END] - ns == len
                        && Ascii.equalsIgnoreCase(buffer, base + ns, base + ts, len)) {
                    flags[i] |= FLAG_CONNECTION_LISTED;
                }
            }
        }
    }

    /** The buffer this head was parsed from (not owned by the head). */
    public ByteBuf buffer() {
        return buffer;
    }

    /** Index of the first byte of the start line (after any empty lines skipped before it). */
    public int start() {
        return base + startLineStart;
    }

    /**
     * Bytes the parse consumed, counted from the reader index it started at, through the empty
     * line that ends the head: skip this many bytes to reach the body or the next message.
     */
    public int length() {
        return length;
    }

    /** Index just past the empty line that ends the head. */
    public int end() {
        return base + length;
    }

    public HttpVersion version() {
        return version;
    }

    /** How the body that follows this head is delimited. */
    public BodyKind bodyKind() {
        return bodyKind;
    }

    /** The Content-Length value, or -1 when there is none. Valid also when it does not frame the body. */
    public long contentLength() {
        return contentLength;
    }

    /**
     * Whether the connection this message came on may carry another message after it: HTTP/1.1
     * unless Connection says close, HTTP/1.0 only with Connection: keep-alive, and never after a
     * close-delimited body.
     */
    public boolean keepAlive() {
        return keepAlive;
    }

    public int fieldCount() {
        return fieldCount;
    }

    /** Index of field {@code i}'s first name byte; also the start of its line. */
    public int nameStart(int i) {
        return base + fields[checkField(i) * FIELD_INTS + NAME_START];
    }

    public int nameEnd(int i) {
        return base + fields[checkField(i) * FIELD_INTS + NAME_END];
    }

    public int valueStart(int i) {
        return base + fields[checkField(i) * FIELD_INTS + VALUE_START];
    }

    public int valueEnd(int i) {
        return base + fields[checkField(i) * FIELD_INTS + VALUE_END];
    }

    /** Index just past field {@code i}'s CRLF. */
    public int lineEnd(int i) {
        return base + fields[checkField(i) * FIELD_INTS + LINE_END];
    }

    /** Index of the first field named {@code name} (ASCII case-insensitive), or -1. */
    public int indexOf(CharSequence name) {
        return indexOf(name, 0);
    }

    /** Index of the first field at or after {@code from} named {@code name}, or -1. */
    public int indexOf(CharSequence name, int from) {
        int len = name.length();
        for (int i = Math.max(from, 0); i < fieldCount; i++) {
            int ns = fields[i * FIELD_INTS + NAME_START];
            if (fields[i * FIELD_INTS + NAME_END] - ns == len
                    && Ascii.equalsIgnoreCase(buffer, base + ns, len, name)) {
                return i;
            }
        }
        return -1;
    }

    public boolean contains(CharSequence name) {
        return indexOf(name) >= 0;
    }

    /** True if field {@code i}'s value equals {@code value}, ignoring ASCII case. */
    public boolean valueEqualsIgnoreCase(int i, CharSequence value) {
        int vs = valueStart(i);
        return Ascii.equalsIgnoreCase(buffer, vs, valueEnd(i) - vs, value);
    }

    /** Field {@code i}'s name as a String: allocates, for logs and tests. */
    public String name(int i) {
        return buffer.toString(nameStart(i), nameEnd(i) - nameStart(i), StandardCharsets.ISO_8859_1);
    }

    /** Field {@code i}'s value as a String: allocates, for logs and tests. */
    public String value(int i) {
        return buffer.toString(valueStart(i), valueEnd(i) - valueStart(i), StandardCharsets.ISO_8859_1);
    }

    /** The first value of the field named {@code name}, or null: allocates, for logs and tests. */
    public String value(CharSequence name) {
        int i = indexOf(name);
        return i < 0 ? null : value(i);
    }

    /** True if Connection lists {@code close}. */
    public boolean connectionClose() {
        return closeToken;
    }

    /**
     * True if Connection lists {@code keep-alive}, whatever the version: {@link #keepAlive()}
     * is the verdict, this is what the sender asked for.
     */
    public boolean connectionKeepAlive() {
        return keepAliveToken;
    }

    /**
     * True if field {@code i} is named by a Connection token (other than close, keep-alive and
     * upgrade, whose fields are hop-by-hop by name) and therefore not forwarded.
     */
    /**
     * Field {@code i} concerns this hop only and is never forwarded as received (S §7.6.1):
     * Connection and every field it names, Keep-Alive, Proxy-Connection, TE, and the framing
     * fields Content-Length and Transfer-Encoding, which the proxy re-emits for the framing it
     * chose. Upgrade is decided by the caller (kept for a tunnel).
     */
    boolean hopByHop(int i) {
        if ((flags(i) & FLAG_CONNECTION_LISTED) != 0) {
            return true;
        }
        return switch (kind(i)) {
            case FieldKind.CONTENT_LENGTH, FieldKind.TRANSFER_ENCODING, FieldKind.CONNECTION, FieldKind.KEEP_ALIVE,
                 FieldKind.PROXY_CONNECTION, FieldKind.TE -> true;
            default -> false;
        };
    }

    public boolean isConnectionListed(int i) {
        return (flags[checkField(i)] & FLAG_CONNECTION_LISTED) != 0;
    }

    public boolean hasContentLength() {
        return firstOfKind[FieldKind.CONTENT_LENGTH] >= 0;
    }

    public boolean hasTransferEncoding() {
        return firstOfKind[FieldKind.TRANSFER_ENCODING] >= 0;
    }

    /** True if the TE field (accepted transfer codings, a hop-by-hop request field) is present. */
    public boolean hasTe() {
        return firstOfKind[FieldKind.TE] >= 0;
    }

    /** An Upgrade field names h2c, whatever its version: a request offers it, a 101 switches to it. */
    public boolean upgradeNamesH2c() {
        return upgradeH2c;
    }

    public boolean hasVia() {
        return firstOfKind[FieldKind.VIA] >= 0;
    }

    /**
     * Whether a Via field names {@code pseudonym} (lower-case ASCII) as the received-by of one
     * of its elements, {@code [protocol-name/]protocol-version received-by [comment]} (RFC 9110
     * §7.6.3), compared without case: the request has been through that proxy already.
     */
    public boolean viaReceivedBy(byte[] pseudonym) {
        if (firstOfKind[FieldKind.VIA] < 0) {
            return false;
        }
        for (int i = firstOfKind[FieldKind.VIA]; i <= lastOfKind[FieldKind.VIA]; i++) {
            if (kinds[i] == FieldKind.VIA && viaElementsName(valueStart(i), valueEnd(i), pseudonym)) {
                return true;
            }
        }
        return false;
    }

    private boolean viaElementsName(int from, int to, byte[] pseudonym) {
        int p = from;
        while (p < to) {
            p = skip(p, to, (byte) ' ', (byte) '\t', (byte) ',');
            int protocolEnd = until(p, to);
            int receivedBy = skip(protocolEnd, to, (byte) ' ', (byte) '\t');
            int receivedByEnd = until(receivedBy, to);
            if (Ascii.equalsLower(buffer, receivedBy, receivedByEnd - receivedBy, pseudonym)) {
                return true;
            }
            p = nextElement(receivedByEnd, to);
        }
        return false;
    }

    private int skip(int p, int to, byte... bytes) {
        while (p < to && contains(bytes, buffer.getByte(p))) {
            p++;
        }
        return p;
    }

    /** The end of the token at {@code p}: the next space, tab or comma. */
    private int until(int p, int to) {
        while (p < to) {
            byte b = buffer.getByte(p);
            if (b == ' ' || b == '\t' || b == ',') {
                break;
            }
            p++;
        }
        return p;
    }

    /** Past the comma that ends the element at {@code p}, skipping a comment, which may hold commas. */
    private int nextElement(int p, int to) {
        int depth = 0;
        while (p < to) {
            byte b = buffer.getByte(p++);
            if (b == '(') {
                depth++;
            } else if (b == ')' && depth > 0) {
                depth--;
            } else if (b == '\\' && depth > 0 && p < to) {
                p++;
            } else if (b == ',' && depth == 0) {
                break;
            }
        }
        return p;
    }

    private static boolean contains(byte[] bytes, byte b) {
        for (byte x : bytes) {
            if (x == b) {
                return true;
            }
        }
        return false;
    }

    /**
     * The Max-Forwards value (RFC 9110 §7.6.2): -1 when there is none or it is not a decimal
     * number (then it is forwarded untouched); values past {@link Integer#MAX_VALUE} read as it.
     */
    public int maxForwards() {
        int i = firstOfKind[FieldKind.MAX_FORWARDS];
        if (i < 0) {
            return -1;
        }
        int from = valueStart(i);
        int to = valueEnd(i);
        if (from == to) {
            return -1;
        }
        long value = 0;
        for (int p = from; p < to; p++) {
            byte b = buffer.getByte(p);
            if (b < '0' || b > '9') {
                return -1;
            }
            value = Math.min(Integer.MAX_VALUE, value * 10 + (b - '0'));
        }
        return (int) value;
    }

    public boolean hasXForwardedFor() {
        return firstOfKind[FieldKind.X_FORWARDED_FOR] >= 0;
    }

    public boolean hasXForwardedProto() {
        return firstOfKind[FieldKind.X_FORWARDED_PROTO] >= 0;
    }

    public boolean hasXForwardedHost() {
        return firstOfKind[FieldKind.X_FORWARDED_HOST] >= 0;
    }

    public boolean hasForwarded() {
        return firstOfKind[FieldKind.FORWARDED] >= 0;
    }

    int kind(int i) {
        return kinds[i];
    }

    int flags(int i) {
        return flags[i];
    }

    private int checkField(int i) {
        if (i < 0 || i >= fieldCount) {
            throw new IndexOutOfBoundsException("field " + i + " of " + fieldCount);
        }
        return i;
    }
}
