package dev.synedge.http;

import static dev.synedge.http.RequestHeadParserTest.req;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RequestHeadWriterTest {

    private static final ClientHop CLIENT = hop("192.0.2.1", false, false);
    private static final ClientHop TRUSTED = hop("192.0.2.1", false, true);

    static ClientHop hop(String ip, boolean tls, boolean trusted) {
        try {
            return ClientHop.of(InetAddress.getByName(ip), tls, trusted);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    static String lines(String... lines) {
        return String.join("\r\n", lines) + "\r\n\r\n";
    }

    /** Parses {@code request} from a direct buffer and returns what {@code writer} forwards. */
    static String forward(RequestHeadWriter writer, String request, ClientHop client, boolean tunnel) {
        ByteBuf in = Wire.buffer(true).writeBytes(Wire.bytes(request));
        ByteBuf out = Unpooled.buffer();
        try {
            RequestHead head = new RequestHead();
            assertThat(new RequestHeadParser(HttpLimits.DEFAULTS).parse(in, head)).isEqualTo(ParseProgress.DONE);
            int n = writer.write(head, client, tunnel, out);
            assertThat(n).isEqualTo(out.readableBytes());
            return Wire.string(out);
        } finally {
            in.release();
            out.release();
        }
    }

    static RequestHeadWriter writer(ForwardedMode xf, ForwardedMode fwd) {
        return new RequestHeadWriter("synedge", xf, fwd, HeaderEdits.NONE);
    }

    @Test
    void typicalRequest() {
        String out = forward(writer(ForwardedMode.REPLACE, ForwardedMode.REPLACE),
                req("GET /a?b HTTP/1.1", "Host: example.com", "User-Agent: t", "Accept: */*"), CLIENT, false);
        assertThat(out).isEqualTo(lines(
                "GET /a?b HTTP/1.1",
                "Host: example.com",
                "User-Agent: t",
                "Accept: */*",
                "Via: 1.1 synedge",
                "X-Forwarded-For: 192.0.2.1",
                "X-Forwarded-Proto: http",
                "X-Forwarded-Host: example.com",
                "Forwarded: for=192.0.2.1;host=example.com;proto=http"));
    }

    @Test
    void hopByHopFieldsAreDroppedAndFramingReEmitted() {
        String out = forward(writer(ForwardedMode.OFF, ForwardedMode.OFF), req("POST /up HTTP/1.1",
                "Connection: keep-alive, X-Secret",
                "Host: example.com",
                "Keep-Alive: timeout=5",
                "Proxy-Connection: keep-alive",
                "TE: trailers",
                "X-Secret: s",
                "Content-Length: 3",
                "Upgrade: websocket",
                "Trailer: X-Sum",
                "x-secret: t",
                "Accept:  text/html ",
                "Cookie: a=1",
                "Cookie: b=2"), CLIENT, false);
        assertThat(out).isEqualTo(lines(
                "POST /up HTTP/1.1",
                "Host: example.com",
                "Accept:  text/html ",
                "Cookie: a=1",
                "Cookie: b=2",
                "Via: 1.1 synedge",
                "Content-Length: 3"));
    }

    @Test
    void chunkedRequestKeepsChunkedAndItsTrailerField() {
        String out = forward(writer(ForwardedMode.OFF, ForwardedMode.OFF),
                req("POST / HTTP/1.1", "Host: a", "Transfer-Encoding: chunked", "Trailer: X-Sum"), CLIENT, false);
        assertThat(out).isEqualTo(lines("POST / HTTP/1.1", "Host: a", "Trailer: X-Sum", "Via: 1.1 synedge",
                "Transfer-Encoding: chunked"));
    }

    @Test
    void absoluteFormBecomesOriginFormAndItsAuthorityTheHost() {
        RequestHeadWriter w = writer(ForwardedMode.OFF, ForwardedMode.OFF);
        assertThat(forward(w, req("GET http://b.example:8080/x?y HTTP/1.1", "Host: a.example"), CLIENT, false))
                .isEqualTo(lines("GET /x?y HTTP/1.1", "Host: b.example:8080", "Via: 1.1 synedge"));
        assertThat(forward(w, req("GET http://b HTTP/1.1"), CLIENT, false))
                .isEqualTo(lines("GET / HTTP/1.1", "Host: b", "Via: 1.1 synedge"));
        assertThat(forward(w, req("GET http://b?q=1 HTTP/1.1"), CLIENT, false))
                .isEqualTo(lines("GET /?q=1 HTTP/1.1", "Host: b", "Via: 1.1 synedge"));
        assertThat(forward(w, req("OPTIONS http://b HTTP/1.1"), CLIENT, false))
                .isEqualTo(lines("OPTIONS * HTTP/1.1", "Host: b", "Via: 1.1 synedge"));
        assertThat(forward(w, req("OPTIONS * HTTP/1.1", "Host: b"), CLIENT, false))
                .isEqualTo(lines("OPTIONS * HTTP/1.1", "Host: b", "Via: 1.1 synedge"));
    }

    @Test
    void http10RequestIsForwardedAsHttp11() {
        RequestHeadWriter w = writer(ForwardedMode.OFF, ForwardedMode.OFF);
        assertThat(forward(w, req("GET /x HTTP/1.0", "Connection: keep-alive", "Expect: 100-continue"), CLIENT, false))
                .isEqualTo(lines("GET /x HTTP/1.1", "Host: ", "Via: 1.1 synedge"));
        assertThat(forward(w, req("PUT /x HTTP/1.1", "Host: h", "Expect: 100-continue", "Content-Length: 0"), CLIENT, false))
                .isEqualTo(lines("PUT /x HTTP/1.1", "Host: h", "Expect: 100-continue", "Via: 1.1 synedge", "Content-Length: 0"));
    }

    @Test
    void viaIsAppendedToTheLastViaLine() {
        RequestHeadWriter w = writer(ForwardedMode.OFF, ForwardedMode.OFF);
        assertThat(forward(w, req("GET / HTTP/1.1", "Via: 1.0 fred", "Host: h", "via: 1.1 p (x)", "A: 1"), CLIENT, false))
                .isEqualTo(lines("GET / HTTP/1.1", "Host: h", "Via: 1.0 fred", "via: 1.1 p (x), 1.1 synedge", "A: 1"));
        assertThat(forward(w, req("GET / HTTP/1.1", "Host: h", "Via:"), CLIENT, false))
                .isEqualTo(lines("GET / HTTP/1.1", "Host: h", "Via: 1.1 synedge"));
    }

    private static final String WITH_RECEIVED = req("GET / HTTP/1.1", "Host: example.com",
            "X-Forwarded-For: 10.0.0.1", "X-Forwarded-Proto: https", "X-Forwarded-Host: orig", "Forwarded: for=10.0.0.1", "A: 1");

    static Stream<Arguments> forwardingModes() {
        List<String> ours = List.of("X-Forwarded-For: 192.0.2.1", "X-Forwarded-Proto: http", "X-Forwarded-Host: example.com");
        String fwd = "Forwarded: for=192.0.2.1;host=example.com;proto=http";
        String replaced = lines("GET / HTTP/1.1", "Host: example.com", "A: 1", "Via: 1.1 synedge",
                ours.get(0), ours.get(1), ours.get(2), fwd);
        return Stream.of(
                arguments(ForwardedMode.APPEND, ForwardedMode.APPEND, true, lines("GET / HTTP/1.1", "Host: example.com",
                        "X-Forwarded-For: 10.0.0.1, 192.0.2.1", "X-Forwarded-Proto: https", "X-Forwarded-Host: orig",
                        "Forwarded: for=10.0.0.1, for=192.0.2.1;host=example.com;proto=http", "A: 1", "Via: 1.1 synedge")),
                arguments(ForwardedMode.APPEND, ForwardedMode.APPEND, false, replaced),
                arguments(ForwardedMode.REPLACE, ForwardedMode.REPLACE, true, replaced),
                arguments(ForwardedMode.REPLACE, ForwardedMode.REPLACE, false, replaced),
                arguments(ForwardedMode.OFF, ForwardedMode.OFF, true, lines("GET / HTTP/1.1", "Host: example.com", "A: 1",
                        "Via: 1.1 synedge")),
                arguments(ForwardedMode.OFF, ForwardedMode.OFF, false, lines("GET / HTTP/1.1", "Host: example.com", "A: 1",
                        "Via: 1.1 synedge")),
                arguments(ForwardedMode.APPEND, ForwardedMode.OFF, true, lines("GET / HTTP/1.1", "Host: example.com",
                        "X-Forwarded-For: 10.0.0.1, 192.0.2.1", "X-Forwarded-Proto: https", "X-Forwarded-Host: orig",
                        "A: 1", "Via: 1.1 synedge")),
                arguments(ForwardedMode.OFF, ForwardedMode.APPEND, true, lines("GET / HTTP/1.1", "Host: example.com",
                        "Forwarded: for=10.0.0.1, for=192.0.2.1;host=example.com;proto=http", "A: 1", "Via: 1.1 synedge")),
                arguments(ForwardedMode.OFF, ForwardedMode.REPLACE, false, lines("GET / HTTP/1.1", "Host: example.com",
                        "A: 1", "Via: 1.1 synedge", fwd))
        );
    }

    @ParameterizedTest(name = "X-Forwarded {0}, Forwarded {1}, trusted {2}")
    @MethodSource("forwardingModes")
    void forwardingFieldsPerModeAndTrust(ForwardedMode xf, ForwardedMode fwd, boolean trusted, String expected) {
        assertThat(forward(writer(xf, fwd), WITH_RECEIVED, trusted ? TRUSTED : CLIENT, false)).isEqualTo(expected);
    }

    @Test
    void appendWithoutReceivedValuesAddsNewLines() {
        assertThat(forward(writer(ForwardedMode.APPEND, ForwardedMode.APPEND), req("GET / HTTP/1.1", "Host: h"), TRUSTED, false))
                .isEqualTo(lines("GET / HTTP/1.1", "Host: h", "Via: 1.1 synedge", "X-Forwarded-For: 192.0.2.1",
                        "X-Forwarded-Proto: http", "X-Forwarded-Host: h", "Forwarded: for=192.0.2.1;host=h;proto=http"));
    }

    @Test
    void ipv6ClientsAndPortsAreQuotedInForwarded() {
        String out = forward(writer(ForwardedMode.REPLACE, ForwardedMode.REPLACE), req("GET / HTTP/1.1", "Host: example.com:8443"),
                hop("2001:DB8:0:0:0:0:0:1", true, false), false);
        assertThat(out).isEqualTo(lines("GET / HTTP/1.1", "Host: example.com:8443", "Via: 1.1 synedge",
                "X-Forwarded-For: 2001:db8::1", "X-Forwarded-Proto: https", "X-Forwarded-Host: example.com:8443",
                "Forwarded: for=\"[2001:db8::1]\";host=\"example.com:8443\";proto=https"));
        assertThat(forward(writer(ForwardedMode.OFF, ForwardedMode.REPLACE), req("GET / HTTP/1.0"), ClientHop.unknown(false, false), false))
                .isEqualTo(lines("GET / HTTP/1.1", "Host: ", "Via: 1.1 synedge", "Forwarded: for=unknown;proto=http"));
    }

    @Test
    void routeEditsRemoveFirstAndAddLast() {
        RequestHeadWriter w = new RequestHeadWriter("edge-1", ForwardedMode.OFF, ForwardedMode.OFF,
                new HeaderEdits(List.of(new HeaderEdits.Field("X-Route", "blue"), new HeaderEdits.Field("X-Remove-Me", "again")),
                        List.of("X-Remove-Me", "cookie")));
        assertThat(forward(w, req("GET / HTTP/1.1", "Host: h", "x-remove-me: 1", "Cookie: c", "A: 1"), CLIENT, false))
                .isEqualTo(lines("GET / HTTP/1.1", "Host: h", "A: 1", "Via: 1.1 edge-1", "X-Route: blue", "X-Remove-Me: again"));
    }

    @Test
    void tunnellingKeepsUpgrade() {
        String request = req("GET /ws HTTP/1.1", "Host: h", "Connection: Upgrade", "Upgrade: websocket",
                "Sec-WebSocket-Key: k", "Sec-WebSocket-Version: 13");
        RequestHeadWriter w = writer(ForwardedMode.OFF, ForwardedMode.OFF);
        assertThat(forward(w, request, CLIENT, true)).isEqualTo(lines("GET /ws HTTP/1.1", "Host: h", "Upgrade: websocket",
                "Sec-WebSocket-Key: k", "Sec-WebSocket-Version: 13", "Via: 1.1 synedge", "Connection: upgrade"));
        assertThat(forward(w, request, CLIENT, false)).isEqualTo(lines("GET /ws HTTP/1.1", "Host: h",
                "Sec-WebSocket-Key: k", "Sec-WebSocket-Version: 13", "Via: 1.1 synedge"));
        assertThatThrownBy(() -> forward(w, req("GET / HTTP/1.1", "Host: h", "Upgrade: websocket"), CLIENT, true))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * An h2c offer never goes up (synedge speaks no HTTP/2; a tunnel would carry requests past
     * its routing): alone, the request is forwarded as plain HTTP/1.1; beside another protocol,
     * that one is tunnelled without it. HTTP2-Settings goes even where Connection omits it.
     */
    @Test
    void h2cOffersAreNeverForwarded() {
        RequestHeadWriter w = writer(ForwardedMode.OFF, ForwardedMode.OFF);
        assertThat(forward(w, req("GET / HTTP/1.1", "Host: h", "Connection: Upgrade, HTTP2-Settings", "Upgrade: h2c",
                "HTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA", "Accept: */*"), CLIENT, false))
                .isEqualTo(lines("GET / HTTP/1.1", "Host: h", "Accept: */*", "Via: 1.1 synedge"));
        assertThat(forward(w, req("GET / HTTP/1.1", "Host: h", "Connection: Upgrade", "Upgrade: h2c",
                "HTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA"), CLIENT, false))
                .isEqualTo(lines("GET / HTTP/1.1", "Host: h", "Via: 1.1 synedge"));
        assertThat(forward(w, req("GET /ws HTTP/1.1", "Host: h", "Connection: Upgrade, HTTP2-Settings",
                "Upgrade: h2c,websocket , H2C/1,foo/2", "HTTP2-Settings: AAMA", "Sec-WebSocket-Key: k"), CLIENT, true))
                .isEqualTo(lines("GET /ws HTTP/1.1", "Host: h", "Upgrade: websocket, foo/2", "Sec-WebSocket-Key: k",
                        "Via: 1.1 synedge", "Connection: upgrade"));
        assertThat(forward(w, req("GET /ws HTTP/1.1", "Host: h", "Connection: Upgrade", "Upgrade: h2c",
                "Upgrade: websocket", "Sec-WebSocket-Key: k"), CLIENT, true))
                .isEqualTo(lines("GET /ws HTTP/1.1", "Host: h", "Upgrade: websocket", "Sec-WebSocket-Key: k",
                        "Via: 1.1 synedge", "Connection: upgrade"));
        assertThatThrownBy(() -> forward(w, req("GET / HTTP/1.1", "Host: h", "Connection: Upgrade", "Upgrade: h2c"),
                CLIENT, true)).isInstanceOf(IllegalArgumentException.class);
    }

    static Stream<Arguments> prefixRewrites() {
        return Stream.of(
                arguments("/api", "/v1", "GET /api/x?q HTTP/1.1", "GET /v1/x?q HTTP/1.1"),
                arguments("/api", "/v1", "GET /other HTTP/1.1", "GET /other HTTP/1.1"),
                arguments("/api", "/v1", "GET /ap HTTP/1.1", "GET /ap HTTP/1.1"),
                arguments("/api", "", "GET /api HTTP/1.1", "GET / HTTP/1.1"),
                arguments("/api", "", "GET /api?q HTTP/1.1", "GET /?q HTTP/1.1"),
                arguments("/api", "", "GET /api/x HTTP/1.1", "GET /x HTTP/1.1"),
                arguments("/api/", "/", "GET /api/x HTTP/1.1", "GET /x HTTP/1.1"),
                arguments("/", "/app/", "GET http://h?q HTTP/1.1", "GET /app/?q HTTP/1.1"),
                arguments("/", "/app/", "GET /x HTTP/1.1", "GET /app/x HTTP/1.1"),
                arguments("/api", "/v1", "GET http://h/api/x HTTP/1.1", "GET /v1/x HTTP/1.1"),
                arguments("/api", "/v1", "OPTIONS * HTTP/1.1", "OPTIONS * HTTP/1.1")
        );
    }

    @ParameterizedTest
    @MethodSource("prefixRewrites")
    void pathPrefixRewrite(String from, String to, String requestLine, String forwardedLine) {
        RequestHeadWriter w = new RequestHeadWriter("s", ForwardedMode.OFF, ForwardedMode.OFF, HeaderEdits.NONE,
                Wire.bytes(from), Wire.bytes(to));
        assertThat(forward(w, req(requestLine, "Host: h"), CLIENT, false)).startsWith(forwardedLine + "\r\nHost: h\r\n");
    }

    @Test
    void refusesEditsOfManagedFieldsAndBadNames() {
        for (String managed : List.of("Content-Length", "transfer-encoding", "Host", "Connection", "Via", "Upgrade", "TE")) {
            assertThatThrownBy(() -> new RequestHeadWriter("s", ForwardedMode.OFF, ForwardedMode.OFF,
                    new HeaderEdits(List.of(new HeaderEdits.Field(managed, "1")), List.of()))).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new ResponseHeadWriter("s",
                    new HeaderEdits(List.of(), List.of(managed)))).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> new RequestHeadWriter("s", ForwardedMode.OFF, ForwardedMode.OFF,
                new HeaderEdits(List.of(new HeaderEdits.Field("X-A", "a\r\nInjected: 1")), List.of()))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RequestHeadWriter("s", ForwardedMode.OFF, ForwardedMode.OFF,
                new HeaderEdits(List.of(new HeaderEdits.Field("X A", "a")), List.of()))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RequestHeadWriter("bad name", ForwardedMode.OFF, ForwardedMode.OFF, HeaderEdits.NONE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RequestHeadWriter("s", ForwardedMode.OFF, ForwardedMode.OFF, HeaderEdits.NONE,
                Wire.bytes("api"), Wire.bytes("/v1"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RequestHeadWriter("s", ForwardedMode.OFF, ForwardedMode.OFF, HeaderEdits.NONE,
                Wire.bytes("/api"), Wire.bytes("/v 1"))).isInstanceOf(IllegalArgumentException.class);
    }

    /** A direct buffer of the class Netty hands out without Unsafe; not leak-tracked. */
    private static ByteBuf plainDirect(int capacity) {
        return new io.netty.buffer.UnpooledDirectByteBuf(io.netty.buffer.UnpooledByteBufAllocator.DEFAULT, capacity, capacity);
    }

    /**
     * Heap buffers, and direct buffers of the kind whose getBytes/setBytes duplicate a
     * ByteBuffer per call (Netty without Unsafe, its default on JDK 25).
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void parsingAndWritingAllocateNothingPerRequest(boolean direct) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        RequestHeadWriter w = new RequestHeadWriter("synedge", ForwardedMode.APPEND, ForwardedMode.APPEND,
                new HeaderEdits(List.of(new HeaderEdits.Field("X-Route", "blue")), List.of("cookie")), Wire.bytes("/a"), Wire.bytes("/b"));
        byte[] request = Wire.bytes(req("POST /a/x HTTP/1.1", "Host: example.com", "Connection: keep-alive, X-A", "X-A: 1",
                "X-Forwarded-For: 10.0.0.1", "Via: 1.0 x", "Cookie: c", "Content-Length: 5", "Accept: */*"));
        ByteBuf in = direct ? plainDirect(request.length).writeBytes(request) : Unpooled.wrappedBuffer(request);
        ByteBuf out = direct ? plainDirect(4096) : Unpooled.buffer(4096);
        assertThat(in.hasArray()).isEqualTo(!direct);
        RequestHeadParser parser = new RequestHeadParser(HttpLimits.DEFAULTS);
        RequestHead head = new RequestHead();
        ResponseHeadParser responseParser = new ResponseHeadParser(HttpLimits.DEFAULTS);
        ResponseHead response = new ResponseHead();
        ResponseHeadWriter responseWriter = new ResponseHeadWriter("synedge", HeaderEdits.NONE);
        byte[] responseBytes = Wire.bytes(req("HTTP/1.1 200 OK", "Server: o", "Connection: close", "Content-Length: 5"));
        ByteBuf upstream = Unpooled.wrappedBuffer(responseBytes);
        try {
            long before = 0;
            for (int round = 0; round < 2; round++) {
                before = threads.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < 20_000; i++) {
                    out.clear();
                    if (parser.parse(in, head) != ParseProgress.DONE
                            || responseParser.parse(upstream, response, head.method()) != ParseProgress.DONE) {
                        throw new AssertionError("parse failed");
                    }
                    w.write(head, TRUSTED, false, out);
                    out.clear();
                    responseWriter.write(response, head, RelayFraming.of(response, head), false, out);
                }
            }
            long perRequest = (threads.getCurrentThreadAllocatedBytes() - before) / 20_000;
            assertThat(perRequest).as("bytes allocated per request and response").isZero();
        } finally {
            in.release();
            out.release();
            upstream.release();
        }
    }
}
