package dev.synedge.origin;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Malformed requests get a 4xx/5xx with a reason and the connection closes, also when the
 * client keeps sending (the response must not be lost to an RST).
 */
class BadRequestTest {

    private static Origin origin;

    @BeforeAll
    static void start() {
        origin = Origin.start(OriginOptions.defaults());
    }

    @AfterAll
    static void stop() {
        origin.close();
    }

    static java.util.stream.Stream<Arguments> malformed() {
        String upload = "POST /upload HTTP/1.1\r\nHost: t\r\n";
        String chunked = upload + "Transfer-Encoding: chunked\r\n\r\n";
        return java.util.stream.Stream.of(
                Arguments.of("bare LF line ends", "GET /hello HTTP/1.1\nHost: t\n\n", 400),
                Arguments.of("bare LF after request line", "GET /hello HTTP/1.1\nHost: t\r\n\r\n", 400),
                Arguments.of("space before colon", "GET /hello HTTP/1.1\r\nHost : t\r\n\r\n", 400),
                Arguments.of("obs-fold", "GET /hello HTTP/1.1\r\nHost: t\r\nX-A: a\r\n folded\r\n\r\n", 400),
                Arguments.of("missing Host", "GET /hello HTTP/1.1\r\n\r\n", 400),
                Arguments.of("two Hosts", "GET /hello HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400),
                Arguments.of("NUL in value", "GET /hello HTTP/1.1\r\nHost: t\r\nX: a\0b\r\n\r\n", 400),
                Arguments.of("bare CR in value", "GET /hello HTTP/1.1\r\nHost: t\r\nX: a\rb\r\n\r\n", 400),
                Arguments.of("control char in target", "GET /hel\u0001lo HTTP/1.1\r\nHost: t\r\n\r\n", 400),
                Arguments.of("two spaces", "GET  /hello HTTP/1.1\r\nHost: t\r\n\r\n", 400),
                Arguments.of("trailing space", "GET /hello HTTP/1.1 \r\nHost: t\r\n\r\n", 400),
                Arguments.of("method not a token", "G(T /hello HTTP/1.1\r\nHost: t\r\n\r\n", 400),
                Arguments.of("lower-case version", "GET /hello http/1.1\r\nHost: t\r\n\r\n", 400),
                Arguments.of("HTTP/2.0", "GET /hello HTTP/2.0\r\nHost: t\r\n\r\n", 505),
                Arguments.of("HTTP/0.9", "GET /hello HTTP/0.9\r\nHost: t\r\n\r\n", 505),
                Arguments.of("dot-segment", "GET /x/../hello HTTP/1.1\r\nHost: t\r\n\r\n", 400),
                Arguments.of("encoded dot-segment", "POST /x/%2e%2E/echo HTTP/1.1\r\nHost: t\r\nContent-Length: 1\r\n\r\nx", 400),
                Arguments.of("backslash in path", "GET /x\\hello HTTP/1.1\r\nHost: t\r\n\r\n", 400),
                Arguments.of("authority-form", "GET example.test:80 HTTP/1.1\r\nHost: t\r\n\r\n", 400),
                Arguments.of("CONNECT", "CONNECT example.test:443 HTTP/1.1\r\nHost: example.test:443\r\n\r\n", 501),
                Arguments.of("CL and TE", upload + "Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
                Arguments.of("CL list", upload + "Content-Length: 3, 3\r\n\r\nabc", 400),
                Arguments.of("CL sign", upload + "Content-Length: +3\r\n\r\nabc", 400),
                Arguments.of("CL empty", upload + "Content-Length: \r\n\r\n", 400),
                Arguments.of("CL differing", upload + "Content-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", 400),
                Arguments.of("TE gzip then chunked", upload + "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", 501),
                Arguments.of("TE chunked not last", upload + "Transfer-Encoding: chunked, gzip\r\n\r\n", 400),
                Arguments.of("TE chunked twice", upload + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", 400),
                Arguments.of("TE unknown", upload + "Transfer-Encoding: identity\r\n\r\n", 400),
                Arguments.of("TE on HTTP/1.0", "POST /upload HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
                Arguments.of("chunk size 0x", chunked + "0x5\r\nhello\r\n0\r\n\r\n", 400),
                Arguments.of("chunk size leading space", chunked + " 5\r\nhello\r\n0\r\n\r\n", 400),
                Arguments.of("chunk size bare LF", chunked + "5\nhello\r\n0\r\n\r\n", 400),
                Arguments.of("chunk data without CRLF", chunked + "5\r\nhelloXX0\r\n\r\n", 400),
                Arguments.of("chunk size overflow", chunked + "fffffffffffffffff\r\n", 400),
                Arguments.of("chunk size trailing space", chunked + "5 \r\nhello\r\n0\r\n\r\n", 400),
                Arguments.of("trailer obs-fold", chunked + "0\r\nX: a\r\n b\r\n\r\n", 400),
                Arguments.of("unknown expectation", "GET /hello HTTP/1.1\r\nHost: t\r\nExpect: wishes\r\n\r\n", 417),
                Arguments.of("request line too long", "GET /" + "a".repeat(9000) + " HTTP/1.1\r\nHost: t\r\n\r\n", 414),
                Arguments.of("head too large", "GET /hello HTTP/1.1\r\nHost: t\r\n"
                        + ("X-Filler: " + "f".repeat(1000) + "\r\n").repeat(70) + "\r\n", 431));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void answeredAndClosed(String name, String request, int status) throws Exception {
        try (RawConnection c = new RawConnection(origin.port())) {
            RawResponse r = c.send(request).read();
            assertThat(r.status()).isEqualTo(status);
            assertThat(r.header("Connection")).isEqualTo("close");
            assertThat(r.bodyText()).isNotBlank();
            assertThat(c.readToEnd()).as("nothing after the error, then EOF").isEmpty();
        }
    }

    @Test
    void higherMinorVersionsAreServedAsHttp11() throws Exception {
        // RFC 9110 §2.5: a 1.x message with a minor version above 1 is handled as 1.1
        try (RawConnection c = new RawConnection(origin.port())) {
            RawResponse r = c.send("GET /hello HTTP/1.2\r\nHost: t\r\n\r\n").read();
            assertThat(r.statusLine()).isEqualTo("HTTP/1.1 200 OK");
            assertThat(r.bodyText()).isEqualTo("hello");
            assertThat(c.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n").read().bodyText()).as("kept alive").isEqualTo("hello");
        }
    }

    @Test
    void errorSurvivesAClientThatKeepsSending() throws Exception {
        try (RawConnection c = new RawConnection(origin.port())) {
            c.send("POST /upload HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n");
            byte[] more = new byte[256 * 1024];
            java.util.Arrays.fill(more, (byte) 'x');
            c.send(more);
            RawResponse r = c.read();
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.bodyText()).contains("chunk size");
            c.send(more);
            assertThat(c.readToEnd()).isEmpty();
        }
    }

    @Test
    void badRequestsAreCounted() throws Exception {
        long before = origin.stats().badRequests();
        try (RawConnection c = new RawConnection(origin.port())) {
            assertThat(c.send("GET /hello HTTP/1.1\r\n\r\n").read().status()).isEqualTo(400);
        }
        assertThat(origin.stats().badRequests()).isEqualTo(before + 1);
    }
}
