package dev.synedge.http;

import static dev.synedge.http.RequestHeadParserTest.req;
import static dev.synedge.http.RequestHeadWriterTest.lines;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ResponseHeadWriterTest {

    private static final String GET11 = req("GET / HTTP/1.1", "Host: h");
    private static final String GET11_CLOSE = req("GET / HTTP/1.1", "Host: h", "Connection: close");
    private static final String GET10 = req("GET / HTTP/1.0");
    private static final String GET10_KEEP = req("GET / HTTP/1.0", "Connection: keep-alive");
    private static final String HEAD11 = req("HEAD / HTTP/1.1", "Host: h");

    private static final ResponseHeadWriter VIA = new ResponseHeadWriter("synedge", HeaderEdits.NONE);
    private static final ResponseHeadWriter PLAIN = new ResponseHeadWriter(null, HeaderEdits.NONE);

    /** What the writer sends the client, prefixed with the relay framing chosen. */
    static String relay(ResponseHeadWriter writer, String request, String response, boolean closeClient) {
        ByteBuf reqBuf = Wire.buffer(true).writeBytes(Wire.bytes(request));
        ByteBuf respBuf = Wire.buffer(true).writeBytes(Wire.bytes(response));
        ByteBuf out = Unpooled.buffer();
        try {
            RequestHead req = new RequestHead();
            assertThat(new RequestHeadParser(HttpLimits.DEFAULTS).parse(reqBuf, req)).isEqualTo(ParseProgress.DONE);
            ResponseHead resp = new ResponseHead();
            assertThat(new ResponseHeadParser(HttpLimits.DEFAULTS).parse(respBuf, resp, req.method())).isEqualTo(ParseProgress.DONE);
            if (resp.isInterim()) {
                int n = writer.writeInterim(resp, req, out);
                assertThat(n).isEqualTo(out.readableBytes());
                return "INTERIM " + Wire.string(out);
            }
            RelayFraming framing = RelayFraming.of(resp, req);
            int n = writer.write(resp, req, framing, closeClient, out);
            assertThat(n).isEqualTo(out.readableBytes());
            return framing + " " + Wire.string(out);
        } finally {
            reqBuf.release();
            respBuf.release();
            out.release();
        }
    }

    static Stream<Arguments> responses() {
        return Stream.of(
                arguments("content-length to 1.1", VIA, GET11, req("HTTP/1.1 200 OK", "Server: o", "Content-Length: 5"),
                        "CONTENT_LENGTH " + lines("HTTP/1.1 200 OK", "Server: o", "Via: 1.1 synedge", "Content-Length: 5")),
                arguments("hop-by-hop dropped, chunked re-emitted", PLAIN, GET11, req("HTTP/1.1 200 OK",
                        "Connection: close, X-Internal", "Keep-Alive: timeout=3", "X-Internal: 1", "Proxy-Connection: x",
                        "Upgrade: h2c", "Transfer-Encoding: chunked", "Trailer: X-Sum", "Set-Cookie: a=1", "Set-Cookie: b=2"),
                        "CHUNKED " + lines("HTTP/1.1 200 OK", "Trailer: X-Sum", "Set-Cookie: a=1", "Set-Cookie: b=2",
                                "Transfer-Encoding: chunked")),
                arguments("chunked to 1.0 keep-alive client is de-chunked and closed", PLAIN, GET10_KEEP,
                        req("HTTP/1.1 200 OK", "Transfer-Encoding: chunked", "Trailer: X-Sum", "A: 1"),
                        "DECHUNK " + lines("HTTP/1.1 200 OK", "A: 1", "Connection: close")),
                arguments("close-delimited to 1.1 keep-alive client is chunked", PLAIN, GET11, req("HTTP/1.1 200 OK", "A: 1"),
                        "CHUNK " + lines("HTTP/1.1 200 OK", "A: 1", "Transfer-Encoding: chunked")),
                arguments("close-delimited to a closing 1.1 client", PLAIN, GET11_CLOSE, req("HTTP/1.1 200 OK", "A: 1"),
                        "UNTIL_CLOSE " + lines("HTTP/1.1 200 OK", "A: 1", "Connection: close")),
                arguments("close-delimited to 1.0 client", PLAIN, GET10_KEEP, req("HTTP/1.0 200 OK", "A: 1"),
                        "UNTIL_CLOSE " + lines("HTTP/1.1 200 OK", "A: 1", "Connection: close")),
                arguments("1.0 keep-alive client keeps its connection", PLAIN, GET10_KEEP, req("HTTP/1.1 200 OK", "Content-Length: 2"),
                        "CONTENT_LENGTH " + lines("HTTP/1.1 200 OK", "Content-Length: 2", "Connection: keep-alive")),
                arguments("1.0 client without keep-alive", PLAIN, GET10, req("HTTP/1.1 200 OK", "Content-Length: 2"),
                        "CONTENT_LENGTH " + lines("HTTP/1.1 200 OK", "Content-Length: 2", "Connection: close")),
                arguments("upstream close does not close the client", PLAIN, GET11,
                        req("HTTP/1.0 404 Not Found", "Content-Length: 2", "Connection: close"),
                        "CONTENT_LENGTH " + lines("HTTP/1.1 404 Not Found", "Content-Length: 2")),
                arguments("HEAD response keeps Content-Length", PLAIN, HEAD11, req("HTTP/1.1 200 OK", "Content-Length: 1234"),
                        "NONE " + lines("HTTP/1.1 200 OK", "Content-Length: 1234")),
                arguments("HEAD response keeps chunked for 1.1", PLAIN, HEAD11, req("HTTP/1.1 200 OK", "Transfer-Encoding: chunked"),
                        "NONE " + lines("HTTP/1.1 200 OK", "Transfer-Encoding: chunked")),
                arguments("304 keeps Content-Length", PLAIN, GET11, req("HTTP/1.1 304 Not Modified", "ETag: \"x\"", "Content-Length: 9"),
                        "NONE " + lines("HTTP/1.1 304 Not Modified", "ETag: \"x\"", "Content-Length: 9")),
                arguments("204 has no Content-Length", PLAIN, GET11, req("HTTP/1.1 204 No Content", "Content-Length: 0"),
                        "NONE " + lines("HTTP/1.1 204 No Content")),
                arguments("101 keeps Upgrade", VIA, req("GET /ws HTTP/1.1", "Host: h", "Connection: upgrade", "Upgrade: websocket"),
                        req("HTTP/1.1 101 Switching Protocols", "Connection: Upgrade", "Upgrade: websocket", "Sec-WebSocket-Accept: x"),
                        "NONE " + lines("HTTP/1.1 101 Switching Protocols", "Upgrade: websocket", "Sec-WebSocket-Accept: x",
                                "Via: 1.1 synedge", "Connection: upgrade")),
                arguments("space before colon is stripped", PLAIN, GET11, req("HTTP/1.1 200 OK", "A: 1", "X-Y \t:  z ", "B: 2", "Content-Length : 0"),
                        "CONTENT_LENGTH " + lines("HTTP/1.1 200 OK", "A: 1", "X-Y: z", "B: 2", "Content-Length: 0")),
                arguments("Via appended", VIA, GET11, req("HTTP/1.1 200 OK", "Via: 1.1 origin", "Content-Length: 0"),
                        "CONTENT_LENGTH " + lines("HTTP/1.1 200 OK", "Via: 1.1 origin, 1.1 synedge", "Content-Length: 0")),
                arguments("empty reason", PLAIN, GET11, req("HTTP/1.1 200", "Content-Length: 0"),
                        "CONTENT_LENGTH " + lines("HTTP/1.1 200 ", "Content-Length: 0")),
                arguments("interim to 1.1", VIA, GET11, req("HTTP/1.1 103 Early Hints", "Link: </a.css>", "Connection: x", "X: 1"),
                        "INTERIM " + lines("HTTP/1.1 103 Early Hints", "Link: </a.css>")),
                arguments("interim to 1.0 is dropped", VIA, GET10_KEEP, req("HTTP/1.1 100 Continue"), "INTERIM ")
        );
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("responses")
    void writesTheClientHead(String name, ResponseHeadWriter writer, String request, String response, String expected) {
        assertThat(relay(writer, request, response, false)).isEqualTo(expected);
    }

    @Test
    void switchingProtocolsWithoutAnUpgradeRequestIsRefused() {
        assertThatThrownBy(() -> relay(PLAIN, GET11, req("HTTP/1.1 101 Switching Protocols", "Upgrade: websocket"), false))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void callerCanCloseTheClient() {
        assertThat(relay(PLAIN, GET11, req("HTTP/1.1 200 OK", "Content-Length: 0"), true))
                .isEqualTo("CONTENT_LENGTH " + lines("HTTP/1.1 200 OK", "Content-Length: 0", "Connection: close"));
    }

    @Test
    void routeEdits() {
        ResponseHeadWriter w = new ResponseHeadWriter(null, new HeaderEdits(
                List.of(new HeaderEdits.Field("Strict-Transport-Security", "max-age=60")), List.of("server", "x-powered-by")));
        assertThat(relay(w, GET11, req("HTTP/1.1 200 OK", "Server: o", "X-Powered-By: p", "A: 1", "Content-Length: 0"), false))
                .isEqualTo("CONTENT_LENGTH " + lines("HTTP/1.1 200 OK", "A: 1", "Strict-Transport-Security: max-age=60",
                        "Content-Length: 0"));
    }

    @Test
    void interimAndFinalAreNotMixedUp() {
        ByteBuf reqBuf = Unpooled.wrappedBuffer(Wire.bytes(GET11));
        ByteBuf respBuf = Unpooled.wrappedBuffer(Wire.bytes(req("HTTP/1.1 100 Continue") + req("HTTP/1.1 200 OK", "Content-Length: 0")));
        ByteBuf out = Unpooled.buffer();
        try {
            RequestHead req = new RequestHead();
            new RequestHeadParser(HttpLimits.DEFAULTS).parse(reqBuf, req);
            ResponseHead resp = new ResponseHead();
            ResponseHeadParser parser = new ResponseHeadParser(HttpLimits.DEFAULTS);
            assertThat(parser.parse(respBuf, resp, Method.GET)).isEqualTo(ParseProgress.DONE);
            assertThatThrownBy(() -> PLAIN.write(resp, req, RelayFraming.NONE, false, out)).isInstanceOf(IllegalArgumentException.class);
            respBuf.skipBytes(resp.length());
            assertThat(parser.parse(respBuf, resp, Method.GET)).isEqualTo(ParseProgress.DONE);
            assertThatThrownBy(() -> PLAIN.writeInterim(resp, req, out)).isInstanceOf(IllegalArgumentException.class);
        } finally {
            reqBuf.release();
            respBuf.release();
            out.release();
        }
    }

    @Test
    void relayFramingDecidesTheClientConnection() {
        ByteBuf reqBuf = Unpooled.wrappedBuffer(Wire.bytes(GET10_KEEP + GET11));
        ByteBuf respBuf = Unpooled.wrappedBuffer(Wire.bytes(req("HTTP/1.1 200 OK", "Transfer-Encoding: chunked")));
        try {
            RequestHeadParser parser = new RequestHeadParser(HttpLimits.DEFAULTS);
            RequestHead http10 = new RequestHead();
            parser.parse(reqBuf, http10);
            ResponseHead resp = new ResponseHead();
            new ResponseHeadParser(HttpLimits.DEFAULTS).parse(respBuf, resp, Method.GET);
            assertThat(RelayFraming.of(resp, http10)).isEqualTo(RelayFraming.DECHUNK);
            assertThat(RelayFraming.closesClient(resp, http10)).isTrue();
            reqBuf.skipBytes(http10.length());
            RequestHead http11 = new RequestHead();
            parser.parse(reqBuf, http11);
            assertThat(RelayFraming.of(resp, http11)).isEqualTo(RelayFraming.CHUNKED);
            assertThat(RelayFraming.closesClient(resp, http11)).isFalse();
        } finally {
            reqBuf.release();
            respBuf.release();
        }
    }
}
