package dev.synedge.origin;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Encodes response heads from pre-encoded pieces: cached status lines, a Date line rebuilt once
 * a second, and digits written straight into the buffer.
 */
final class HeadEncoder {

    private static final byte[] CRLF = ascii("\r\n");
    private static final byte[] CONTENT_TYPE = ascii("Content-Type: ");
    private static final byte[] CONTENT_LENGTH = ascii("Content-Length: ");
    private static final byte[] CHUNKED = ascii("Transfer-Encoding: chunked\r\n");
    private static final byte[] TRAILER = ascii("Trailer: X-Trailer-Length, X-Trailer-Checksum\r\n");
    private static final byte[] CHECKSUM = ascii("X-Body-Checksum: ");
    private static final byte[] BODY_LENGTH = ascii("X-Body-Length: ");
    private static final byte[] CONNECTION_CLOSE = ascii("Connection: close\r\n");
    private static final byte[] CONNECTION_KEEP_ALIVE = ascii("Connection: keep-alive\r\n");
    private static final byte[] TRAILER_LENGTH = ascii("X-Trailer-Length: ");
    private static final byte[] TRAILER_CHECKSUM = ascii("X-Trailer-Checksum: ");

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

    static ByteBuf encode(ByteBufAllocator alloc, Response r) {
        int extra = 0;
        for (byte[] line : r.extraHeaders) {
            extra += line.length;
        }
        ByteBuf buf = alloc.directBuffer(256 + extra);
        buf.writeBytes(statusLine(r.http10Line, r.status));
        buf.writeBytes(dateLine());
        if (r.framing != Framing.NONE) {
            if (r.contentType != null) {
                buf.writeBytes(CONTENT_TYPE);
                buf.writeCharSequence(r.contentType, StandardCharsets.US_ASCII);
                buf.writeBytes(CRLF);
            }
            switch (r.framing) {
                case LENGTH -> {
                    buf.writeBytes(CONTENT_LENGTH);
                    Ascii.writeDecimal(buf, r.bodyLength());
                    buf.writeBytes(CRLF);
                }
                case CHUNKED -> {
                    buf.writeBytes(CHUNKED);
                    if (r.trailers) {
                        buf.writeBytes(TRAILER);
                    }
                }
                default -> {
                    // Close-delimited: no framing field at all.
                }
            }
            if (r.hasChecksum) {
                buf.writeBytes(CHECKSUM);
                Ascii.writeHex8(buf, r.checksum);
                buf.writeBytes(CRLF);
            }
            if (r.framing != Framing.LENGTH && r.content != null) {
                buf.writeBytes(BODY_LENGTH);
                Ascii.writeDecimal(buf, r.bodyLength());
                buf.writeBytes(CRLF);
            }
        }
        for (byte[] line : r.extraHeaders) {
            buf.writeBytes(line);
        }
        switch (r.connectionHeader) {
            case CLOSE -> buf.writeBytes(CONNECTION_CLOSE);
            case KEEP_ALIVE -> buf.writeBytes(CONNECTION_KEEP_ALIVE);
            case NONE -> {
                // HTTP/1.1 persistence is the default.
            }
        }
        buf.writeBytes(CRLF);
        return buf;
    }

    /**
     * The end of a chunked body: CRLF closing the last data chunk (if any), the zero chunk, the
     * trailers when asked for, and the final CRLF.
     */
    static ByteBuf lastChunk(ByteBufAllocator alloc, Response r, boolean afterData) {
        ByteBuf buf = alloc.directBuffer(96);
        if (afterData) {
            buf.writeBytes(CRLF);
        }
        buf.writeByte('0');
        buf.writeBytes(CRLF);
        if (r.trailers) {
            buf.writeBytes(TRAILER_LENGTH);
            Ascii.writeDecimal(buf, r.bodyLength());
            buf.writeBytes(CRLF);
            if (r.hasChecksum) {
                buf.writeBytes(TRAILER_CHECKSUM);
                Ascii.writeHex8(buf, r.checksum);
                buf.writeBytes(CRLF);
            }
        }
        buf.writeBytes(CRLF);
        return buf;
    }

    /** A chunk-size line, preceded by the CRLF that ends the previous chunk's data. */
    static ByteBuf chunkHeader(ByteBufAllocator alloc, long size, boolean afterData) {
        ByteBuf buf = alloc.directBuffer(24);
        if (afterData) {
            buf.writeBytes(CRLF);
        }
        Ascii.writeHex(buf, size);
        buf.writeBytes(CRLF);
        return buf;
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
