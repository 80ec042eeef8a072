package dev.synedge.origin;

import dev.synedge.http.BodyKind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Encodes response heads (and chunk lines) from pre-encoded pieces: cached status lines, a Date
 * line rebuilt once a second, content types and digits, assembled by {@link HeadWriter}.
 */
final class HeadEncoder {

    private static final byte[] CRLF = ascii("\r\n");
    private static final byte[] CONTENT_LENGTH = ascii("Content-Length: ");
    private static final byte[] CHUNKED = ascii("Transfer-Encoding: chunked\r\n");
    private static final byte[] TRAILER = ascii("Trailer: X-Trailer-Length, X-Trailer-Checksum\r\n");
    private static final byte[] CHECKSUM = ascii("X-Body-Checksum: ");
    private static final byte[] BODY_LENGTH = ascii("X-Body-Length: ");
    private static final byte[] CONNECTION_CLOSE = ascii("Connection: close\r\n");
    private static final byte[] CONNECTION_KEEP_ALIVE = ascii("Connection: keep-alive\r\n");
    private static final byte[] TRAILER_LENGTH = ascii("X-Trailer-Length: ");
    private static final byte[] TRAILER_CHECKSUM = ascii("X-Trailer-Checksum: ");
    private static final byte[] LAST_CHUNK = ascii("0\r\n");

    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH)
                    .withZone(ZoneOffset.UTC);

    private static final byte[][] STATUS_LINES_11 = new byte[600][];
    private static final byte[][] STATUS_LINES_10 = new byte[600][];

    static {
        for (int status = 100; status < 600; status++) {
            String reason = HttpResponseStatus.valueOf(status).reasonPhrase();
            STATUS_LINES_11[status] = ascii("HTTP/1.1 " + status + " " + reason + "\r\n");
            STATUS_LINES_10[status] = ascii("HTTP/1.0 " + status + " " + reason + "\r\n");
        }
    }

    private record DateLine(long second, byte[] bytes) {}

    private static volatile DateLine date = dateLine(System.currentTimeMillis() / 1000);

    private HeadEncoder() {}

    /** Room for everything but the extra header lines: status, date, framing, checksum, connection. */
    private static final int FIXED_ROOM = 512;

    static ByteBuf encode(ByteBufAllocator alloc, Response r) {
        int extra = 0;
        for (byte[] line : r.extraHeaders) {
            extra += line.length;
        }
        HeadWriter w = HeadWriter.forThread(FIXED_ROOM + extra);
        w.put(statusLine(r.http10Line, r.status)).put(dateLine());
        if (r.framing != BodyKind.NONE) {
            if (r.contentType != null) {
                w.put(r.contentType.line);
            }
            switch (r.framing) {
                case CONTENT_LENGTH -> w.put(CONTENT_LENGTH).putDecimal(r.bodyLength()).put(CRLF);
                case CHUNKED -> {
                    w.put(CHUNKED);
                    if (r.trailers) {
                        w.put(TRAILER);
                    }
                }
                default -> {
                    // Close-delimited: no framing field at all.
                }
            }
            if (r.hasChecksum) {
                w.put(CHECKSUM).putHex8(r.checksum).put(CRLF);
            }
            if (r.framing != BodyKind.CONTENT_LENGTH && r.content != null) {
                w.put(BODY_LENGTH).putDecimal(r.bodyLength()).put(CRLF);
            }
        }
        for (byte[] line : r.extraHeaders) {
            w.put(line);
        }
        switch (r.connectionHeader) {
            case CLOSE -> w.put(CONNECTION_CLOSE);
            case KEEP_ALIVE -> w.put(CONNECTION_KEEP_ALIVE);
            case NONE -> {
                // HTTP/1.1 persistence is the default.
            }
        }
        w.put(CRLF);
        return alloc.directBuffer(w.length).writeBytes(w.bytes, 0, w.length);
    }

    /**
     * The end of a chunked body: CRLF closing the last data chunk (if any), the zero chunk, the
     * trailers when asked for, and the final CRLF.
     */
    static ByteBuf lastChunk(ByteBufAllocator alloc, Response r, boolean afterData) {
        HeadWriter w = HeadWriter.forThread(FIXED_ROOM);
        if (afterData) {
            w.put(CRLF);
        }
        w.put(LAST_CHUNK);
        if (r.trailers) {
            w.put(TRAILER_LENGTH).putDecimal(r.bodyLength()).put(CRLF);
            if (r.hasChecksum) {
                w.put(TRAILER_CHECKSUM).putHex8(r.checksum).put(CRLF);
            }
        }
        w.put(CRLF);
        return alloc.directBuffer(w.length).writeBytes(w.bytes, 0, w.length);
    }

    /** A chunk-size line, preceded by the CRLF that ends the previous chunk's data. */
    static ByteBuf chunkHeader(ByteBufAllocator alloc, long size, boolean afterData) {
        HeadWriter w = HeadWriter.forThread(FIXED_ROOM);
        if (afterData) {
            w.put(CRLF);
        }
        w.putHex(size).put(CRLF);
        return alloc.directBuffer(w.length).writeBytes(w.bytes, 0, w.length);
    }

    /** {@code HTTP/1.1 100 Continue} and its empty line. */
    static final byte[] CONTINUE = ascii("HTTP/1.1 100 Continue\r\n\r\n");

    static byte[] statusLine(boolean http10, int status) {
        return (http10 ? STATUS_LINES_10 : STATUS_LINES_11)[status];
    }

    private static byte[] dateLine() {
        long second = System.currentTimeMillis() / 1000;
        DateLine current = date;
        if (current.second != second) {
            current = dateLine(second);
            date = current;
        }
        return current.bytes;
    }

    private static DateLine dateLine(long second) {
        return new DateLine(second, ascii("Date: " + IMF_FIXDATE.format(Instant.ofEpochSecond(second)) + "\r\n"));
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
