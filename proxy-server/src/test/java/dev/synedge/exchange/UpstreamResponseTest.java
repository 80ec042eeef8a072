package dev.synedge.exchange;

import dev.synedge.accesslog.Termination;
import static org.assertj.core.api.Assertions.assertThat;

import dev.synedge.accesslog.AccessRecord;
import dev.synedge.accesslog.UpstreamConnection;
import dev.synedge.testing.Canned;
import dev.synedge.testing.RawClient;
import dev.synedge.testing.RecordingUpstream;
import dev.synedge.testing.RecordingUpstream.Action;
import dev.synedge.testing.TestProxy;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Responses as upstreams send them, valid and not: an invalid one is answered 502 and its
 * connection is never used again; bodies that cannot exist (HEAD, 204, 304) are not waited for.
 */
class UpstreamResponseTest {

    private static TestProxy proxy(RecordingUpstream upstream) throws Exception {
        return TestProxy.start("""
                synedge.event-loops = 1
                synedge.listeners = [ { name = main, address = "127.0.0.1", port = 0 } ]
                synedge.routes = [ { name = all, cluster = up } ]
                synedge.clusters.up.endpoints = [ "127.0.0.1:%d" ]
                """.formatted(upstream.port()));
    }

    /** The first request on each upstream connection gets {@code invalid}, later ones a valid 200. */
    private static RecordingUpstream.Script firstInvalid(String invalid) {
        return r -> Action.respond(r.connection() == 0 && r.index() == 0 ? invalid
                : "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    }

    static Stream<Arguments> invalidResponses() {
        String ok = "HTTP/1.1 200 OK\r\n";
        return Stream.of(
                Arguments.of("status not three digits", "HTTP/1.1 2OO OK\r\nContent-Length: 2\r\n\r\nok"),
                Arguments.of("status out of range", "HTTP/1.1 999 Odd\r\nContent-Length: 2\r\n\r\nok"),
                Arguments.of("not HTTP", "ICY 200 OK\r\nContent-Length: 2\r\n\r\nok"),
                Arguments.of("HTTP/2.0", "HTTP/2.0 200 OK\r\nContent-Length: 2\r\n\r\nok"),
                Arguments.of("lower-case version", "http/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"),
                Arguments.of("empty line before the status", "\r\n" + ok + "Content-Length: 2\r\n\r\nok"),
                Arguments.of("CL not a number", ok + "Content-Length: abc\r\n\r\nok"),
                Arguments.of("CL negative", ok + "Content-Length: -2\r\n\r\nok"),
                Arguments.of("CL comma list", ok + "Content-Length: 2, 2\r\n\r\nok"),
                Arguments.of("CL differing fields", ok + "Content-Length: 2\r\nContent-Length: 3\r\n\r\nok"),
                Arguments.of("CL and TE", ok + "Content-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n"),
                Arguments.of("TE not chunked", ok + "Transfer-Encoding: gzip\r\n\r\nok"),
                Arguments.of("TE chunked twice", ok + "Transfer-Encoding: chunked, chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n"),
                Arguments.of("TE on HTTP/1.0", "HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n"),
                Arguments.of("obs-fold", ok + "X-A: a\r\n b\r\nContent-Length: 2\r\n\r\nok"),
                Arguments.of("bare LF line ends", "HTTP/1.1 200 OK\nContent-Length: 2\n\nok"),
                Arguments.of("bare LF ending the head", ok + "Content-Length: 2\r\n\nok"),
                Arguments.of("bare CR in a value", ok + "X-A: a\rb\r\nContent-Length: 2\r\n\r\nok"),
                Arguments.of("NUL in a value", ok + "X-A: a\u0000b\r\nContent-Length: 2\r\n\r\nok"),
                Arguments.of("field name not a token", ok + "X(A): a\r\nContent-Length: 2\r\n\r\nok"),
                Arguments.of("101 without an upgrade asked", "HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\n"
                        + "Connection: upgrade\r\n\r\n"),
                Arguments.of("chunk size with 0x", ok + "Transfer-Encoding: chunked\r\n\r\n0x2\r\nok\r\n0\r\n\r\n"),
                Arguments.of("chunk size not hex", ok + "Transfer-Encoding: chunked\r\n\r\nzz\r\nok\r\n0\r\n\r\n"),
                Arguments.of("chunk size line with bare LF", ok + "Transfer-Encoding: chunked\r\n\r\n2\nok\r\n0\r\n\r\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidResponses")
    void invalidResponseGets502AndItsConnectionIsNotReused(String name, String invalid) throws Exception {
        try (RecordingUpstream upstream = RecordingUpstream.start(firstInvalid(invalid));
             TestProxy proxy = proxy(upstream)) {
            try (RawClient client = RawClient.connect(proxy.address())) {
                client.send("GET /bad HTTP/1.1\r\nHost: a.example\r\n\r\n");
                assertThat(client.read().rawText()).isEqualTo(Canned.keepAlive(502));
                AccessRecord record = proxy.nextExchange();
                assertThat(record.status()).isEqualTo(502);
                assertThat(record.termination()).isEqualTo(Termination.UPSTREAM_PROTOCOL_ERROR);
                assertThat(upstream.awaitPeerClosed(0, 2000)).as("the upstream connection is closed").isTrue();

                client.send("GET /next HTTP/1.1\r\nHost: a.example\r\n\r\n");
                RawClient.Response next = client.read();
                assertThat(next.status()).isEqualTo(200);
                assertThat(next.bodyText()).isEqualTo("ok");
            }
            assertThat(upstream.connectionCount()).as("a new upstream connection for the next request").isEqualTo(2);
            assertThat(proxy.nextExchange().upstreamConnection()).isEqualTo(UpstreamConnection.NEW);
        }
    }

    /** Once body bytes went to the client, broken framing can only cut the response off. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            bad size line in a later read   | 2\\r\\nok\\r\\n | zz\\r\\nok\\r\\n | 2\\r\\nok\\r\\n
            data not followed by CRLF       | 2\\r\\nokX    |               | 2\\r\\nok
            """)
    void badChunkFramingAfterBodyBytesWereRelayedClosesTheClientConnection(String name, String first, String later,
                                                                          String relayedBody) throws Exception {
        String head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
        try (RecordingUpstream upstream = RecordingUpstream.start(r -> later == null
                    ? Action.respond(head + crlf(first)) : Action.pieces(100, head + crlf(first), crlf(later)));
             TestProxy proxy = proxy(upstream);
             RawClient client = RawClient.connect(proxy.address())) {
            client.send("GET /stream HTTP/1.1\r\nHost: a.example\r\n\r\n");
            assertThat(new String(client.readToEnd())).as("a truncated response, then the close")
                    .isEqualTo(head + crlf(relayedBody));
            AccessRecord record = proxy.nextExchange();
            assertThat(record.status()).isEqualTo(200);
            assertThat(record.termination()).isEqualTo(Termination.UPSTREAM_PROTOCOL_ERROR);
            assertThat(upstream.awaitPeerClosed(0, 2000)).isTrue();
        }
    }

    private static String crlf(String csv) {
        return csv.replace("\\r\\n", "\r\n");
    }

    /**
     * The upstream closes right after a head that announced a body. When the close comes in the
     * same read as the head, the head was not relayed yet and the client gets 502; when it comes
     * later, the client has the head and sees the connection close. Never anything else.
     */
    @Test
    void upstreamClosingRightAfterTheHeadGets502OrACutOffResponse() throws Exception {
        String head = "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n";
        try (RecordingUpstream upstream = RecordingUpstream.start(r -> Action.respondAndClose(head));
             TestProxy proxy = proxy(upstream);
             RawClient client = RawClient.connect(proxy.address())) {
            client.send("GET /x HTTP/1.1\r\nHost: a.example\r\n\r\n");
            RawClient.Response response;
            try {
                response = client.read();
            } catch (java.io.EOFException cut) {
                response = null;
            }
            if (response != null) {
                assertThat(response.rawText()).isEqualTo(Canned.keepAlive(502));
            }
            assertThat(proxy.nextExchange().termination()).isEqualTo(Termination.UPSTREAM_CLOSED);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bodylessResponses")
    void bodylessResponsesAreNotWaitedForAndTheConnectionIsReused(String name, String request, String answer,
                                                                 String expected) throws Exception {
        try (RecordingUpstream upstream = RecordingUpstream.start(r -> Action.respond(
                r.index() == 0 ? answer : "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
             TestProxy proxy = proxy(upstream);
             RawClient client = RawClient.connect(proxy.address())) {
            client.send(request);
            RawClient.Response response = client.read(request.startsWith("HEAD"));
            assertThat(response.rawText()).isEqualTo(expected);
            client.send("GET /next HTTP/1.1\r\nHost: a.example\r\n\r\n");
            assertThat(client.read().bodyText()).isEqualTo("ok");
            assertThat(upstream.connectionCount()).isEqualTo(1);
            assertThat(proxy.nextExchange().upstreamConnection()).isEqualTo(UpstreamConnection.NEW);
            assertThat(proxy.nextExchange().upstreamConnection()).isEqualTo(UpstreamConnection.REUSED);
        }
    }

    static Stream<Arguments> bodylessResponses() {
        String get = "GET /x HTTP/1.1\r\nHost: a.example\r\n\r\n";
        return Stream.of(
                Arguments.of("HEAD with Content-Length", "HEAD /x HTTP/1.1\r\nHost: a.example\r\n\r\n",
                        "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n",
                        "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n"),
                Arguments.of("HEAD with chunked", "HEAD /x HTTP/1.1\r\nHost: a.example\r\n\r\n",
                        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
                        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"),
                Arguments.of("204 with Content-Length", get,
                        "HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n",
                        "HTTP/1.1 204 No Content\r\n\r\n"),
                Arguments.of("304 with Content-Length", get,
                        "HTTP/1.1 304 Not Modified\r\nETag: \"e\"\r\nContent-Length: 5\r\n\r\n",
                        "HTTP/1.1 304 Not Modified\r\nETag: \"e\"\r\nContent-Length: 5\r\n\r\n"),
                // RFC 9112 6.1: TE on a 304 or a HEAD response is metadata, sent to HTTP/1.1 clients only
                Arguments.of("304 with chunked", get,
                        "HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\n",
                        "HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\n"),
                Arguments.of("HEAD with chunked to HTTP/1.0", "HEAD /x HTTP/1.0\r\nHost: a.example\r\n"
                                + "Connection: keep-alive\r\n\r\n",
                        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
                        "HTTP/1.1 200 OK\r\nConnection: keep-alive\r\n\r\n"));
    }

    @Test
    void bodyBytesAfterA204AreNeverRelayedAndThatConnectionIsDropped() throws Exception {
        try (RecordingUpstream upstream = RecordingUpstream.start(r -> Action.respond(r.connection() == 0
                ? "HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\nhello"
                : "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
             TestProxy proxy = proxy(upstream);
             RawClient client = RawClient.connect(proxy.address())) {
            client.send("GET /x HTTP/1.1\r\nHost: a.example\r\n\r\n");
            assertThat(client.read().rawText()).isEqualTo("HTTP/1.1 204 No Content\r\n\r\n");
            client.send("GET /y HTTP/1.1\r\nHost: a.example\r\n\r\n");
            RawClient.Response next = client.read();
            assertThat(next.rawText()).isEqualTo("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            assertThat(upstream.connectionCount()).isEqualTo(2);
            assertThat(upstream.awaitPeerClosed(0, 2000)).isTrue();
        }
    }

    /** Responses after which the upstream connection must not carry another request. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            Connection: close                | HTTP/1.1 200 OK\\r\\nConnection: close\\r\\nContent-Length: 2\\r\\n\\r\\nok
            HTTP/1.0 without keep-alive      | HTTP/1.0 200 OK\\r\\nContent-Length: 2\\r\\n\\r\\nok
            bytes after the response         | HTTP/1.1 200 OK\\r\\nContent-Length: 2\\r\\n\\r\\nokHTTP/1.1 200 OK\\r\\n
            """)
    void theUpstreamConnectionIsNotReusedButTheClientsIs(String name, String answer) throws Exception {
        String first = crlf(answer);
        try (RecordingUpstream upstream = RecordingUpstream.start(r -> Action.respond(r.connection() == 0 && r.index() == 0
                    ? first : "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nnext"));
             TestProxy proxy = proxy(upstream);
             RawClient client = RawClient.connect(proxy.address())) {
            client.send("GET /1 HTTP/1.1\r\nHost: a.example\r\n\r\n");
            RawClient.Response response = client.read();
            assertThat(response.rawText()).isEqualTo("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            client.send("GET /2 HTTP/1.1\r\nHost: a.example\r\n\r\n");
            assertThat(client.read().bodyText()).isEqualTo("next");
            assertThat(upstream.connectionCount()).isEqualTo(2);
            assertThat(upstream.awaitPeerClosed(0, 2000)).isTrue();
        }
    }

    @Test
    void anHttp10UpstreamWithKeepAliveIsReused() throws Exception {
        try (RecordingUpstream upstream = RecordingUpstream.start(r -> Action.respond(
                    "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nok"));
             TestProxy proxy = proxy(upstream);
             RawClient client = RawClient.connect(proxy.address())) {
            for (int i = 0; i < 3; i++) {
                client.send("GET / HTTP/1.1\r\nHost: a.example\r\n\r\n");
                assertThat(client.read().rawText()).isEqualTo("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            }
            assertThat(upstream.connectionCount()).isEqualTo(1);
        }
    }

    @Test
    void interimResponsesAreRelayedToHttp11ClientsOnly() throws Exception {
        String answer = "HTTP/1.1 103 Early Hints\r\nLink: </s.css>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
        try (RecordingUpstream upstream = RecordingUpstream.start(r -> Action.respond(answer));
             TestProxy proxy = proxy(upstream)) {
            try (RawClient client = RawClient.connect(proxy.address())) {
                client.send("GET /x HTTP/1.1\r\nHost: a.example\r\n\r\n");
                RawClient.Response interim = client.read();
                assertThat(interim.rawText()).isEqualTo("HTTP/1.1 103 Early Hints\r\nLink: </s.css>\r\n\r\n");
                assertThat(client.read().rawText()).isEqualTo("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            }
            try (RawClient client = RawClient.connect(proxy.address())) {
                client.send("GET /x HTTP/1.0\r\nHost: a.example\r\n\r\n");
                assertThat(new String(client.readToEnd()))
                        .isEqualTo("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
            }
        }
    }
}
