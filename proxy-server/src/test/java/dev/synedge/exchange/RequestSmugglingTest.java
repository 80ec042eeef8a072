package dev.synedge.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synedge.testing.Canned;
import dev.synedge.testing.RawClient;
import dev.synedge.testing.RecordingUpstream;
import dev.synedge.testing.TestProxy;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every request a proxy could read differently from the server behind it
 * (http-codec/HTTP-RULES.md) gets its 4xx and a closed connection, and not one byte of it
 * reaches the upstream; requests before it on the same connection are answered and forwarded
 * whole.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RequestSmugglingTest {

    /** Sees only refused requests: must never get a connection. */
    private RecordingUpstream upstream;
    private TestProxy proxy;
    /** Sees a valid request before each refused one. */
    private RecordingUpstream pipelinedUpstream;
    private TestProxy pipelinedProxy;

    @BeforeAll
    void start() throws Exception {
        upstream = RecordingUpstream.start(RecordingUpstream.OK);
        proxy = startProxy(upstream);
        pipelinedUpstream = RecordingUpstream.start(RecordingUpstream.OK);
        pipelinedProxy = startProxy(pipelinedUpstream);
    }

    private static TestProxy startProxy(RecordingUpstream upstream) throws Exception {
        return TestProxy.start("""
                synedge.event-loops = 1
                synedge.listeners = [ { name = main, address = "127.0.0.1", port = 0 } ]
                synedge.routes = [ { name = all, cluster = up } ]
                synedge.clusters.up.endpoints = [ "127.0.0.1:%d" ]
                """.formatted(upstream.port()));
    }

    @AfterAll
    void stop() throws Exception {
        proxy.close();
        upstream.close();
        pipelinedProxy.close();
        pipelinedUpstream.close();
    }

    static Stream<Arguments> refused() {
        String h = "Host: a.example\r\n";
        return Stream.of(
                // framing
                Arguments.of("CL then TE", "POST / HTTP/1.1\r\n" + h
                        + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
                Arguments.of("TE then CL", "POST / HTTP/1.1\r\n" + h
                        + "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n", 400),
                Arguments.of("CL+TE smuggled prefix", "POST / HTTP/1.1\r\n" + h
                        + "Content-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nG", 400),
                Arguments.of("TE gzip", "POST / HTTP/1.1\r\n" + h + "Transfer-Encoding: gzip\r\n\r\nabc", 400),
                Arguments.of("TE chunked then gzip", "POST / HTTP/1.1\r\n" + h
                        + "Transfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n", 400),
                Arguments.of("TE unknown coding", "POST / HTTP/1.1\r\n" + h + "Transfer-Encoding: foo\r\n\r\n", 400),
                Arguments.of("TE gzip then chunked", "POST / HTTP/1.1\r\n" + h
                        + "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", 501),
                Arguments.of("TE chunked twice in one field", "POST / HTTP/1.1\r\n" + h
                        + "Transfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n", 400),
                Arguments.of("TE chunked in two fields", "POST / HTTP/1.1\r\n" + h
                        + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
                Arguments.of("TE on HTTP/1.0", "POST / HTTP/1.0\r\n" + h
                        + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
                Arguments.of("TE with vertical tab", "POST / HTTP/1.1\r\n" + h
                        + "Transfer-Encoding: \u000bchunked\r\n\r\n0\r\n\r\n", 400),
                Arguments.of("TE empty", "POST / HTTP/1.1\r\n" + h + "Transfer-Encoding: \r\n\r\n", 400),
                Arguments.of("CL plus sign", "POST / HTTP/1.1\r\n" + h + "Content-Length: +3\r\n\r\nabc", 400),
                Arguments.of("CL minus sign", "POST / HTTP/1.1\r\n" + h + "Content-Length: -3\r\n\r\nabc", 400),
                Arguments.of("CL empty", "POST / HTTP/1.1\r\n" + h + "Content-Length: \r\n\r\n", 400),
                Arguments.of("CL hex", "POST / HTTP/1.1\r\n" + h + "Content-Length: 0x3\r\n\r\nabc", 400),
                Arguments.of("CL comma list", "POST / HTTP/1.1\r\n" + h + "Content-Length: 3, 3\r\n\r\nabc", 400),
                Arguments.of("CL two values", "POST / HTTP/1.1\r\n" + h + "Content-Length: 3 3\r\n\r\nabc", 400),
                Arguments.of("CL differing fields", "POST / HTTP/1.1\r\n" + h
                        + "Content-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", 400),
                Arguments.of("CL overflowing", "POST / HTTP/1.1\r\n" + h
                        + "Content-Length: 99999999999999999999999\r\n\r\n", 400),
                // lines and fields
                Arguments.of("bare LF line ends", "GET / HTTP/1.1\nHost: a.example\n\n", 400),
                Arguments.of("bare LF after a field", "GET / HTTP/1.1\r\nHost: a.example\nX-A: b\r\n\r\n", 400),
                Arguments.of("bare LF ending the head", "GET / HTTP/1.1\r\n" + h + "\n", 400),
                Arguments.of("bare CR in a value", "GET / HTTP/1.1\r\n" + h + "X-A: b\rc\r\n\r\n", 400),
                Arguments.of("bare CR as line end", "GET / HTTP/1.1\r" + h + "\r\n", 400),
                Arguments.of("space before colon", "GET / HTTP/1.1\r\nHost : a.example\r\n\r\n", 400),
                Arguments.of("tab before colon", "GET / HTTP/1.1\r\n" + h + "X-A\t: b\r\n\r\n", 400),
                Arguments.of("space before colon on CL", "POST / HTTP/1.1\r\n" + h
                        + "Content-Length : 3\r\n\r\nabc", 400),
                Arguments.of("obs-fold", "GET / HTTP/1.1\r\n" + h + "X-A: b\r\n c\r\n\r\n", 400),
                Arguments.of("obs-fold with tab", "GET / HTTP/1.1\r\n" + h + "X-A: b\r\n\tc\r\n\r\n", 400),
                Arguments.of("obs-fold of TE", "POST / HTTP/1.1\r\n" + h
                        + "Transfer-Encoding:\r\n chunked\r\n\r\n0\r\n\r\n", 400),
                Arguments.of("NUL in a value", "GET / HTTP/1.1\r\n" + h + "X-A: b\u0000c\r\n\r\n", 400),
                Arguments.of("field name not a token", "GET / HTTP/1.1\r\n" + h + "X(A): b\r\n\r\n", 400),
                Arguments.of("field line without colon", "GET / HTTP/1.1\r\n" + h + "X-A b\r\n\r\n", 400),
                // Host
                Arguments.of("Host missing", "GET / HTTP/1.1\r\n\r\n", 400),
                Arguments.of("Host twice", "GET / HTTP/1.1\r\n" + h + "Host: b.example\r\n\r\n", 400),
                Arguments.of("Host twice, same value", "GET / HTTP/1.1\r\n" + h + h + "\r\n", 400),
                Arguments.of("Host twice, different case", "GET / HTTP/1.1\r\n" + h + "host: a.example\r\n\r\n", 400),
                Arguments.of("field name empty", "GET / HTTP/1.1\r\n" + h + ": v\r\n\r\n", 400),
                Arguments.of("Host empty", "GET / HTTP/1.1\r\nHost: \r\n\r\n", 400),
                Arguments.of("Host with a path", "GET / HTTP/1.1\r\nHost: a.example/x\r\n\r\n", 400),
                Arguments.of("Host with userinfo", "GET / HTTP/1.1\r\nHost: u@a.example\r\n\r\n", 400),
                Arguments.of("Host with a bad port", "GET / HTTP/1.1\r\nHost: a.example:99999\r\n\r\n", 400),
                Arguments.of("Host with two names", "GET / HTTP/1.1\r\nHost: a.example b.example\r\n\r\n", 400),
                // request line
                Arguments.of("two spaces in the request line", "GET  / HTTP/1.1\r\n" + h + "\r\n", 400),
                Arguments.of("lower-case version", "GET / http/1.1\r\n" + h + "\r\n", 400),
                Arguments.of("HTTP/2.0", "GET / HTTP/2.0\r\n" + h + "\r\n", 505),
                Arguments.of("CONNECT", "CONNECT a.example:443 HTTP/1.1\r\n" + h + "\r\n", 501),
                Arguments.of("fragment in the target", "GET /a#b HTTP/1.1\r\n" + h + "\r\n", 400),
                Arguments.of("bad escape in the path", "GET /a%zz HTTP/1.1\r\n" + h + "\r\n", 400),
                Arguments.of("userinfo in an absolute target", "GET http://u@a.example/ HTTP/1.1\r\n" + h + "\r\n", 400),
                // limits
                Arguments.of("request line over 8 KiB", "GET /" + "a".repeat(8200) + " HTTP/1.1\r\n" + h + "\r\n", 414),
                Arguments.of("head over 32 KiB", "GET / HTTP/1.1\r\n" + h
                        + ("X-Filler: " + "b".repeat(1000) + "\r\n").repeat(33) + "\r\n", 431),
                Arguments.of("more than 100 fields", "GET / HTTP/1.1\r\n" + h + "X-F: 1\r\n".repeat(100) + "\r\n", 431));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void refusedWithItsStatusAndNothingReachesTheUpstream(String name, String request, int status) throws Exception {
        try (RawClient client = RawClient.connect(proxy.address())) {
            client.send(request);
            RawClient.Response response = client.read();
            assertThat(response.rawText()).isEqualTo(Canned.closing(status));
            assertThat(client.closedByPeer(2000)).as("connection closed after the error").isTrue();
        }
        assertThat(upstream.connectionCount()).as("upstream connections").isZero();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void afterAValidPipelinedRequestOnlyThatOneReachesTheUpstream(String name, String request, int status)
            throws Exception {
        int before = pipelinedUpstream.requests().size();
        try (RawClient client = RawClient.connect(pipelinedProxy.address())) {
            client.send("GET /first HTTP/1.1\r\nHost: a.example\r\n\r\n" + request);
            RawClient.Response first = client.read();
            assertThat(first.status()).isEqualTo(200);
            assertThat(first.bodyText()).isEqualTo("ok");
            assertThat(client.read().rawText()).isEqualTo(Canned.closing(status));
            assertThat(client.closedByPeer(2000)).isTrue();
        }
        var requests = pipelinedUpstream.requests();
        assertThat(requests).hasSize(before + 1);
        assertThat(requests.get(before).head()).startsWith("GET /first HTTP/1.1\r\n");
        // every byte the upstream ever received belongs to a complete, valid request
        assertThat(pipelinedUpstream.receivedText()).isEqualTo(String.join("", pipelinedUpstream.requestTexts()));
    }

    /** Valid but unusual framing: accepted, and forwarded in one plain form. */
    static Stream<Arguments> normalized() {
        String h = "POST /n HTTP/1.1\r\nHost: a.example\r\n";
        String via = "Via: 1.1 synedge\r\n";
        return Stream.of(
                Arguments.of("TE in capitals", h + "Transfer-Encoding: CHUNKED\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
                        h + via + "Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"),
                Arguments.of("CL with leading zeros", h + "Content-Length: 003\r\n\r\nabc",
                        h + via + "Content-Length: 3\r\n\r\nabc"),
                Arguments.of("upper-case hex, extensions with whitespace",
                        h + "Transfer-Encoding: chunked\r\n\r\nA ; a=1 ;b=\"q\"\r\n0123456789\r\n0\r\n\r\n",
                        h + via + "Transfer-Encoding: chunked\r\n\r\na\r\n0123456789\r\n0\r\n\r\n"),
                Arguments.of("framing fields in trailers are dropped",
                        h + "Transfer-Encoding: chunked\r\n\r\n1\r\nx\r\n0\r\nContent-Length: 5\r\nX-T: t\r\n"
                                + "Transfer-Encoding: chunked\r\n\r\n",
                        h + via + "Transfer-Encoding: chunked\r\n\r\n1\r\nx\r\n0\r\nX-T: t\r\n\r\n"),
                Arguments.of("obs-text in a value", h + "X-Name: caf\u00e9\r\nContent-Length: 0\r\n\r\n",
                        h + "X-Name: caf\u00e9\r\n" + via + "Content-Length: 0\r\n\r\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("normalized")
    void unusualValidFramingIsForwardedNormalized(String name, String request, String forwarded) throws Exception {
        try (RecordingUpstream own = RecordingUpstream.start(RecordingUpstream.OK);
             TestProxy p = TestProxy.start("""
                     synedge.event-loops = 1
                     synedge.listeners = [ { name = main, address = "127.0.0.1", port = 0 } ]
                     synedge.routes = [ { name = all, cluster = up, x-forwarded = off } ]
                     synedge.clusters.up.endpoints = [ "127.0.0.1:%d" ]
                     """.formatted(own.port()));
             RawClient client = RawClient.connect(p.address())) {
            client.send(request);
            assertThat(client.read().bodyText()).isEqualTo("ok");
            assertThat(own.nextRequest().text()).isEqualTo(forwarded);
        }
    }

    @Test
    void identicalRepeatedContentLengthIsForwardedOnce() throws Exception {
        try (RecordingUpstream own = RecordingUpstream.start(RecordingUpstream.OK);
             TestProxy p = TestProxy.start("""
                     synedge.event-loops = 1
                     synedge.listeners = [ { name = main, address = "127.0.0.1", port = 0 } ]
                     synedge.routes = [ { name = all, cluster = up, x-forwarded = off } ]
                     synedge.clusters.up.endpoints = [ "127.0.0.1:%d" ]
                     """.formatted(own.port()));
             RawClient client = RawClient.connect(p.address())) {
            client.send("POST /p HTTP/1.1\r\nHost: a.example\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc");
            assertThat(client.read().status()).isEqualTo(200);
            assertThat(own.nextRequest().text()).isEqualTo(
                    "POST /p HTTP/1.1\r\nHost: a.example\r\nVia: 1.1 synedge\r\nContent-Length: 3\r\n\r\nabc");
        }
    }
}
