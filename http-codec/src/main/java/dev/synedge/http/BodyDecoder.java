package dev.synedge.http;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * Follows the framing of one message body at a time, so that the caller always knows how many
 * body data bytes come next and can move exactly those by any means (copy, zero-copy receive,
 * splice) without ever handing a framing byte to such a path. One instance per direction of a
 * connection, {@link #reset reset} for each message; not thread-safe.
 *
 * <p>Driving it, for any {@link BodyKind}:
 * <pre>{@code
 * decoder.reset(head);
 * while (!decoder.isComplete()) {
 *     long n = decoder.dataRemaining();
 *     if (n > 0) {
 *         // move up to n data bytes (from `in`, or straight from the socket), then:
 *         decoder.dataConsumed(moved);
 *     } else {
 *         ParseResult r = decoder.readFraming(in, framingOut);   // framing bytes only
 *         if (r instanceof HttpError e) -> 400 (request) or 502 (response), close
 *         if (r == NEED_MORE) -> read more into `in` (keep its unread bytes) and go on
 *     }
 * }
 * // on EOF from the sender: decoder.endOfInput() completes a close-delimited body,
 * // and is TRUNCATED_BODY for every other kind that is not complete yet
 * }</pre>
 *
 * <p>Chunked bodies: {@link #readFraming} consumes chunk-size lines, the CRLF after each chunk's
 * data, the last chunk and the trailer section, all strictly (1*HEXDIG size without prefix,
 * sign or whitespace and fitting a signed long; extensions well-formed per M §7.1.1, at most
 * {@code maxChunkLineBytes} per line, and discarded; CRLF only; trailer fields valid field lines
 * totalling at most {@code maxTrailerBytes}). With a {@code framingOut} buffer it writes the
 * normalized equivalent of what it consumed: {@code hex-size CRLF} before each chunk's data,
 * CRLF after it, and at the end {@code 0 CRLF}, the trailer fields, CRLF, written only once the
 * whole trailer section was read and found valid. Forwarding the framing bytes it writes and the
 * data bytes in between, in order, yields a valid chunked stream that carries no extension and
 * no byte the proxy did not check. Without {@code framingOut} (de-chunking for an HTTP/1.0 peer)
 * framing and trailers are dropped. Trailers are therefore forwarded exactly when the caller
 * passes a chunked body on chunked, which it does only to HTTP/1.1 peers; trailer fields that
 * the proxy treats as framing, routing, connection or forwarding fields (Content-Length,
 * Transfer-Encoding, Host, Connection, Keep-Alive, TE, Trailer, Upgrade, Via, Forwarded, ...)
 * are never forwarded.
 */
public final class BodyDecoder {

    private static final int SIZE_LINE = 0;
    private static final int DATA = 1;
    private static final int DATA_END = 2;
    private static final int TRAILERS = 3;
    private static final int COMPLETE = 4;

    private final HttpLimits limits;
    private BodyKind kind = BodyKind.NONE;
    private int state = COMPLETE;
    private long remaining;
    /** Bytes after the reader index already searched for the LF of the current line. */
    private int scanFrom;
    private int trailerBytes;
    private byte[] trailers;
    private int trailerLength;

    public BodyDecoder(HttpLimits limits) {
        this.limits = limits;
    }

    /** Starts the body that follows {@code head}. */
    public void reset(MessageHead head) {
        reset(head.bodyKind(), head.contentLength());
    }

    /** Starts a body of the given kind; {@code contentLength} counts only for CONTENT_LENGTH. */
    public void reset(BodyKind kind, long contentLength) {
        this.kind = kind;
        scanFrom = 0;
        trailerBytes = 0;
        trailerLength = 0;
        switch (kind) {
            case NONE -> state = COMPLETE;
            case CONTENT_LENGTH -> {
                if (contentLength < 0) {
                    throw new IllegalArgumentException("negative Content-Length " + contentLength);
                }
                remaining = contentLength;
                state = contentLength == 0 ? COMPLETE : DATA;
            }
            case CHUNKED -> state = SIZE_LINE;
            case CLOSE_DELIMITED -> {
                remaining = Long.MAX_VALUE;
                state = DATA;
            }
        }
    }

    public BodyKind kind() {
        return kind;
    }

    /**
     * Body data bytes that come next in the stream, before any framing byte: the rest of the
     * Content-Length body, the rest of the current chunk, {@link Long#MAX_VALUE} for a
     * close-delimited body, 0 when framing comes next or the body is complete.
     */
    public long dataRemaining() {
        return state == DATA ? remaining : 0;
    }

    /** Records that the caller moved {@code n} data bytes ({@code 0 <= n <= dataRemaining()}). */
    public void dataConsumed(long n) {
        if (n < 0 || n > dataRemaining()) {
            throw new IllegalArgumentException("consumed " + n + " of " + dataRemaining() + " data bytes");
        }
        if (kind == BodyKind.CLOSE_DELIMITED || n == 0) {
            return;
        }
        remaining -= n;
        if (remaining == 0) {
            state = kind == BodyKind.CHUNKED ? DATA_END : COMPLETE;
        }
    }

    public boolean isComplete() {
        return state == COMPLETE;
    }

    /**
     * The sender closed its side. Completes a close-delimited body; for any other body that is
     * not complete yet the message was truncated.
     */
    public ParseResult endOfInput() {
        if (kind == BodyKind.CLOSE_DELIMITED) {
            state = COMPLETE;
        }
        return state == COMPLETE ? ParseProgress.DONE : HttpError.TRUNCATED_BODY;
    }

    /**
     * Consumes framing bytes from {@code in} (advancing its reader index) until body data comes
     * next, the body is complete, or {@code in} holds no complete framing element; an unfinished
     * element is left unread for the next call. Returns {@link ParseProgress#DONE} in the first
     * two cases (check {@link #dataRemaining()} and {@link #isComplete()}),
     * {@link ParseProgress#NEED_MORE} in the last, or the error. Writes the normalized chunked
     * framing to {@code framingOut} when it is not null (see the class comment). Neither buffer
     * is retained.
     */
    public ParseResult readFraming(ByteBuf in, ByteBuf framingOut) {
        for (;;) {
            switch (state) {
                case DATA, COMPLETE -> {
                    return ParseProgress.DONE;
                }
                case DATA_END -> {
                    int r = in.readableBytes();
                    int ri = in.readerIndex();
                    if (r >= 1 && in.getByte(ri) != Ascii.CR) {
                        return in.getByte(ri) == Ascii.LF ? HttpError.BARE_LF : HttpError.BAD_CHUNK_END;
                    }
                    if (r < 2) {
                        return ParseProgress.NEED_MORE;
                    }
                    if (in.getByte(ri + 1) != Ascii.LF) {
                        return HttpError.BARE_CR;
                    }
                    in.skipBytes(2);
                    if (framingOut != null) {
                        ChunkEncoder.writeDataEnd(framingOut);
                    }
                    state = SIZE_LINE;
                }
                case SIZE_LINE -> {
                    ParseResult r = sizeLine(in, framingOut);
                    if (r != null) {
                        return r;
                    }
                }
                case TRAILERS -> {
                    ParseResult r = trailerLine(in, framingOut);
                    if (r != null) {
                        return r;
                    }
                }
                default -> throw new IllegalStateException("state " + state);
            }
        }
    }

    /** Index of the LF ending the line at the reader index, searched up to {@code bound} bytes. */
    private int findLf(ByteBuf in, int bound) {
        int ri = in.readerIndex();
        int end = Math.min(in.writerIndex(), ri + bound);
        int lf = ri + scanFrom < end ? in.indexOf(ri + scanFrom, end, Ascii.LF) : -1;
        if (lf < 0) {
            scanFrom = Math.max(scanFrom, end - ri);
        }
        return lf;
    }

    private ParseResult sizeLine(ByteBuf in, ByteBuf framingOut) {
        int max = limits.maxChunkLineBytes();
        int lf = findLf(in, max + 2);
        int ri = in.readerIndex();
        if (lf < 0) {
            return in.readableBytes() >= max + 2 ? HttpError.CHUNK_LINE_TOO_LONG : ParseProgress.NEED_MORE;
        }
        boolean crlf = lf > ri && in.getByte(lf - 1) == Ascii.CR;
        int e = crlf ? lf - 1 : lf;
        if (e - ri > max) {
            return HttpError.CHUNK_LINE_TOO_LONG;
        }
        if (!crlf) {
            return HttpError.BARE_LF;
        }
        int i = ri;
        long size = 0;
        while (i < e) {
            int h = Ascii.hexValue(in.getByte(i));
            if (h < 0) {
                break;
            }
            if (size > (Long.MAX_VALUE >>> 4)) {
                return HttpError.CHUNK_SIZE_TOO_LARGE;
            }
            size = (size << 4) | h;
            i++;
        }
        if (i == ri) {
            return bad(in, i, e, HttpError.BAD_CHUNK_SIZE);
        }
        HttpError ext = extensions(in, i, e);
        if (ext != null) {
            return ext;
        }
        in.readerIndex(lf + 1);
        scanFrom = 0;
        if (size > 0) {
            remaining = size;
            state = DATA;
            if (framingOut != null) {
                ChunkEncoder.writeChunkHeader(framingOut, size);
            }
        } else {
            state = TRAILERS;
        }
        return null;
    }

    /** {@code *( BWS ";" BWS name [ BWS "=" BWS ( token / quoted-string ) ] )} up to {@code e}. */
    private static HttpError extensions(ByteBuf in, int i, int e) {
        boolean first = true;
        while (i < e) {
            i = skipBws(in, i, e);
            if (i == e || in.getByte(i) != ';') {
                return bad(in, i, e, first ? HttpError.BAD_CHUNK_SIZE : HttpError.BAD_CHUNK_EXTENSION);
            }
            first = false;
            i = skipBws(in, i + 1, e);
            int ns = i;
            while (i < e && Ascii.isTchar(in.getByte(i))) {
                i++;
            }
            if (i == ns) {
                return bad(in, i, e, HttpError.BAD_CHUNK_EXTENSION);
            }
            int j = skipBws(in, i, e);
            if (j < e && in.getByte(j) == '=') {
                i = skipBws(in, j + 1, e);
                if (i < e && in.getByte(i) == '"') {
                    i = quotedStringEnd(in, i + 1, e);
                    if (i < 0) {
                        return HttpError.BAD_CHUNK_EXTENSION;
                    }
                } else {
                    int vs = i;
                    while (i < e && Ascii.isTchar(in.getByte(i))) {
                        i++;
                    }
                    if (i == vs) {
                        return bad(in, i, e, HttpError.BAD_CHUNK_EXTENSION);
                    }
                }
            }
        }
        return null;
    }

    private static HttpError bad(ByteBuf in, int i, int e, HttpError otherwise) {
        return i < e && in.getByte(i) == Ascii.CR ? HttpError.BARE_CR : otherwise;
    }

    private static int skipBws(ByteBuf in, int i, int e) {
        while (i < e && Ascii.isOws(in.getByte(i))) {
            i++;
        }
        return i;
    }

    /** Index after the closing quote of a quoted-string whose content starts at {@code i}, or -1. */
    private static int quotedStringEnd(ByteBuf in, int i, int e) {
        while (i < e) {
            byte c = in.getByte(i);
            if (c == '"') {
                return i + 1;
            }
            if (c == '\\') {
                if (i + 1 == e || !Ascii.isValueByte(in.getByte(i + 1))) {
                    return -1;
                }
                i += 2;
            } else if (Ascii.isValueByte(c)) {
                i++;
            } else {
                return -1;
            }
        }
        return -1;
    }

    private ParseResult trailerLine(ByteBuf in, ByteBuf framingOut) {
        int budget = limits.maxTrailerBytes() - trailerBytes;
        int lf = findLf(in, budget + 2);
        int ri = in.readerIndex();
        if (lf < 0) {
            return in.readableBytes() >= budget + 2 ? HttpError.TRAILER_TOO_LARGE : ParseProgress.NEED_MORE;
        }
        boolean crlf = lf > ri && in.getByte(lf - 1) == Ascii.CR;
        if (!crlf) {
            return HttpError.BARE_LF;
        }
        int lineLength = lf + 1 - ri;
        in.readerIndex(lf + 1);
        scanFrom = 0;
        if (lineLength == 2) {
            state = COMPLETE;
            if (framingOut != null) {
                ChunkEncoder.writeLastChunk(framingOut, trailers, trailerLength);
            }
            return ParseProgress.DONE;
        }
        if (lineLength > budget) {
            return HttpError.TRAILER_TOO_LARGE;
        }
        trailerBytes += lineLength;
        byte[] a = Bytes.scratch(lineLength);
        Bytes.copy(in, ri, a, 0, lineLength);
        int nameEnd = checkFieldLine(a, lineLength - 2);
        if (nameEnd < 0) {
            return FIELD_ERRORS[-nameEnd - 1];
        }
        if (framingOut != null && FieldKind.of(a, 0, nameEnd) == FieldKind.OTHER) {
            if (trailers == null || trailers.length < trailerLength + lineLength) {
                int size = Math.max(trailerLength + lineLength, trailers == null ? 256 : trailers.length * 2);
                trailers = trailers == null ? new byte[size] : Arrays.copyOf(trailers, size);
            }
            System.arraycopy(a, 0, trailers, trailerLength, lineLength);
            trailerLength += lineLength;
        }
        return null;
    }

    private static final HttpError[] FIELD_ERRORS = {
        HttpError.OBS_FOLD, HttpError.BAD_FIELD_NAME, HttpError.SPACE_BEFORE_COLON,
        HttpError.BARE_CR, HttpError.BAD_FIELD_VALUE,
    };

    /**
     * Checks that {@code a[0, e)} is {@code token ":" OWS value OWS} with value bytes only
     * (no CTL but HTAB). Returns the name's end, or {@code -(index into FIELD_ERRORS) - 1}.
     */
    private static int checkFieldLine(byte[] a, int e) {
        if (Ascii.isOws(a[0])) {
            return -1;
        }
        int i = 0;
        while (i < e && Ascii.isTchar(a[i])) {
            i++;
        }
        int nameEnd = i;
        if (i < e && Ascii.isOws(a[i])) {
            return -3;
        }
        if (i == 0 || i == e || a[i] != ':') {
            return i < e && a[i] == Ascii.CR ? -4 : -2;
        }
        for (i++; i < e; i++) {
            if (!Ascii.isValueByte(a[i])) {
                return a[i] == Ascii.CR ? -4 : -5;
            }
        }
        return nameEnd;
    }
}
