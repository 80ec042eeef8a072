package dev.synedge.loadtest.http;

import dev.synedge.origin.BodyPattern;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/**
 * A request encoded once into native memory, written as is every time it is sent: head
 * (request line, Host, the connection's framing fields, extra headers) and body (the origin's
 * body pattern). The memory belongs to the arena it was encoded in.
 */
public final class RequestTemplate {

    private final RequestSpec spec;
    private final MemorySegment bytes;
    private final boolean head;

    private RequestTemplate(RequestSpec spec, MemorySegment bytes) {
        this.spec = spec;
        this.bytes = bytes;
        this.head = spec.method().equals("HEAD");
    }

    /**
     * Encodes {@code spec} for {@code hostHeader} (e.g. {@code 127.0.0.1:9000}); with
     * {@code connectionClose} the request asks the server to close after answering.
     */
    public static RequestTemplate encode(Arena arena, RequestSpec spec, String hostHeader, boolean connectionClose) {
        StringBuilder text = new StringBuilder(128);
        text.append(spec.method()).append(' ').append(spec.path()).append(" HTTP/1.1\r\n");
        text.append("Host: ").append(hostHeader).append("\r\n");
        if (connectionClose) {
            text.append("Connection: close\r\n");
        }
        if (spec.bodyBytes() > 0 || spec.method().equals("POST") || spec.method().equals("PUT")) {
            text.append("Content-Length: ").append(spec.bodyBytes()).append("\r\n");
        }
        for (String header : spec.headers()) {
            text.append(header).append("\r\n");
        }
        text.append("\r\n");
        byte[] headBytes = text.toString().getBytes(StandardCharsets.ISO_8859_1);
        long total = headBytes.length + spec.bodyBytes();
        MemorySegment bytes = arena.allocate(total, 64);
        MemorySegment.copy(MemorySegment.ofArray(headBytes), 0, bytes, 0, headBytes.length);
        byte[] period = new byte[BodyPattern.PERIOD];
        for (int i = 0; i < period.length; i++) {
            period[i] = BodyPattern.byteAt(i);
        }
        for (long offset = 0; offset < spec.bodyBytes(); offset += period.length) {
            int n = (int) Math.min(period.length, spec.bodyBytes() - offset);
            MemorySegment.copy(MemorySegment.ofArray(period), 0, bytes, headBytes.length + offset, n);
        }
        return new RequestTemplate(spec, bytes);
    }

    public RequestSpec spec() {
        return spec;
    }

    /** The encoded request, ready to write. */
    public MemorySegment bytes() {
        return bytes;
    }

    /** A HEAD request: its response has no body. */
    public boolean head() {
        return head;
    }
}
