package dev.synedge.demo;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** The demo origin's answers: pre-encoded head pieces and bodies, and the one large body it shares. */
final class Responses {

    static final int MEGABYTE = 1 << 20;

    static final byte[] OK = ascii("HTTP/1.1 200 OK\r\n");
    static final byte[] NOT_FOUND = ascii("HTTP/1.1 404 Not Found\r\n");
    static final byte[] METHOD_NOT_ALLOWED = ascii("HTTP/1.1 405 Method Not Allowed\r\n");
    static final byte[] CONTINUE = ascii("HTTP/1.1 100 Continue\r\n\r\n");

    static final byte[] TEXT = ascii("text/plain");
    static final byte[] OCTET_STREAM = ascii("application/octet-stream");

    static final byte[] HELLO_BODY = ascii("hello");
    static final byte[] NOT_FOUND_BODY = ascii("not found\n");
    static final byte[] METHOD_NOT_ALLOWED_BODY = ascii("method not allowed\n");
    static final byte[] NO_FIELDS = new byte[0];
    static final byte[] ALLOW_GET_HEAD = ascii("Allow: GET, HEAD\r\n");

    /**
     * The Connection field of a response: none where HTTP/1.1 persistence is implied,
     * keep-alive for an HTTP/1.0 client that asked for it, close when the connection ends.
     */
    enum Persistence {
        DEFAULT(new byte[0]),
        KEEP_ALIVE(ascii("Connection: keep-alive\r\n")),
        CLOSE(ascii("Connection: close\r\n"));

        final byte[] line;

        Persistence(byte[] line) {
            this.line = line;
        }
    }

    private static final byte[] DATE = ascii("Date: ");
    private static final byte[] CONTENT_TYPE = ascii("Content-Type: ");
    private static final byte[] CONTENT_LENGTH = ascii("Content-Length: ");
    private static final byte[] CRLF = ascii("\r\n");
    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private record DateValue(long second, byte[] bytes) {}

    /** Formatted once a second; threads that race on a new second only format it twice. */
    private static volatile DateValue date = new DateValue(-1, new byte[0]);

    private Responses() {}

    /**
     * Writes a head: the status line, Date (an origin with a clock sends it, RFC 9110 §6.6.1),
     * Content-Type, Content-Length, {@code extra} field lines, the Connection field and the
     * empty line.
     */
    static void head(ByteBuf out, byte[] statusLine, byte[] contentType, long length, byte[] extra,
                     Persistence persistence) {
        out.writeBytes(statusLine)
                .writeBytes(DATE).writeBytes(date()).writeBytes(CRLF)
                .writeBytes(CONTENT_TYPE).writeBytes(contentType).writeBytes(CRLF)
                .writeBytes(CONTENT_LENGTH);
        out.writeCharSequence(Long.toString(length), StandardCharsets.US_ASCII);
        out.writeBytes(CRLF).writeBytes(extra).writeBytes(persistence.line).writeBytes(CRLF);
    }

    /**
     * The body of {@code /1m}: lines of 63 letters and a newline, so that a terminal shows it
     * sensibly. Direct, so that each response sends a duplicate of it without a copy.
     */
    static ByteBuf megabyte() {
        byte[] text = new byte[MEGABYTE];
        for (int i = 0; i < MEGABYTE; i++) {
            text[i] = (byte) (i % 64 == 63 ? '\n' : 'a' + (i / 64 + i % 64) % 26);
        }
        return Unpooled.directBuffer(MEGABYTE, MEGABYTE).writeBytes(text);
    }

    private static byte[] date() {
        long second = System.currentTimeMillis() / 1000;
        DateValue current = date;
        if (current.second != second) {
            current = new DateValue(second, ascii(IMF_FIXDATE.format(Instant.ofEpochSecond(second))));
            date = current;
        }
        return current.bytes;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
