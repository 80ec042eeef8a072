package dev.synedge.exchange;

import dev.synedge.accesslog.Termination;
import static org.assertj.core.api.Assertions.assertThat;

import dev.synedge.accesslog.AccessRecord;
import dev.synedge.accesslog.UpstreamConnection;
import dev.synedge.origin.BodyPattern;
import dev.synedge.origin.Origin;
import dev.synedge.origin.OriginOptions;
import dev.synedge.testing.RawClient;
import dev.synedge.testing.RecordingUpstream;
import dev.synedge.testing.RecordingUpstream.Action;
import dev.synedge.testing.TestProxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Messages relayed between raw clients and the test origin: connection reuse, pipelining,
 * every body framing in both directions, HTTP/1.0 clients, 100-continue.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RelayTest {

    private Origin origin;
    private TestProxy proxy;

    @BeforeAll
    void start() throws Exception {
        origin = Origin.start(OriginOptions.defaults());
        proxy = TestProxy.start("""
                synedge.event-loops = 1
                synedge.listeners = [ { name = main, address = "127.0.0.1", port = 0 } ]
                synedge.routes = [ { name = all, cluster = up, x-forwarded = off } ]
                synedge.clusters.up.endpoints = [ "127.0.0.1:%d" ]
                """.formatted(origin.port()));
    }

    @AfterAll
    void stop() {
        proxy.close();
        origin.close();
    }

    @BeforeEach
    void forgetEarlierExchanges() throws Exception {
        proxy.drainExchanges(java.time.Duration.ZERO);
    }

    private RawClient client() throws Exception {
        return RawClient.connect(proxy.address());
    }

    private static void assertPatternBody(RawClient.Response response, int length) {
        assertThat(response.body()).hasSize(length);
        for (int i = 0; i < length; i++) {
            if (response.body()[i] != BodyPattern.byteAt(i)) {
                throw new AssertionError("body byte " + i + " differs");
            }
        }
        assertThat(response.header("X-Body-Checksum")).isEqualTo("%08x".formatted(BodyPattern.crc32c(length)));
    }

    @Test
    void keepAliveReusesOneUpstreamConnectionAcrossRequestsAndClients() throws Exception {
        long accepted = origin.stats().connectionsAccepted();
        try (RawClient client = client()) {
            for (int i = 0; i < 5; i++) {
                client.send("GET /1k HTTP/1.1\r\nHost: a.example\r\n\r\n");
                assertPatternBody(client.read(), 1024);
            }
        }
        try (RawClient other = client()) {
            other.send("GET /hello HTTP/1.1\r\nHost: a.example\r\n\r\n");
            assertThat(other.read().bodyText()).isEqualTo("hello");
        }
        List<UpstreamConnection> connections = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            connections.add(proxy.nextExchange().upstreamConnection());
        }
        assertThat(connections.subList(1, 6)).containsOnly(UpstreamConnection.REUSED);
        assertThat(origin.stats().connectionsAccepted() - accepted).isLessThanOrEqualTo(1);
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrderWhateverTheirSpeed() throws Exception {
        try (RawClient client = client()) {
            client.send("GET /hello?delay=300 HTTP/1.1\r\nHost: a.example\r\n\r\n"
                    + "GET /64k HTTP/1.1\r\nHost: a.example\r\n\r\n"
                    + "POST /echo HTTP/1.1\r\nHost: a.example\r\nContent-Length: 5\r\n\r\nhello"
                    + "HEAD /1k HTTP/1.1\r\nHost: a.example\r\n\r\n"
                    + "GET /1 HTTP/1.1\r\nHost: a.example\r\n\r\n"
                    + "GET /100k?chunked=7k HTTP/1.1\r\nHost: a.example\r\n\r\n"
                    + "GET /hello HTTP/1.1\r\nHost: a.example\r\nConnection: close\r\n\r\n");
            assertThat(client.read().bodyText()).isEqualTo("hello");
            assertPatternBody(client.read(), 65536);
            assertThat(client.read().bodyText()).isEqualTo("POST /echo HTTP/1.1\r\nHost: a.example\r\n"
                    + "Via: 1.1 synedge\r\nContent-Length: 5\r\n\r\nhello");
            RawClient.Response head = client.read(true);
            assertThat(head.header("Content-Length")).isEqualTo("1024");
            assertThat(head.body()).isEmpty();
            assertPatternBody(client.read(), 1);
            assertPatternBody(client.read(), 100 * 1024);
            RawClient.Response last = client.read();
            assertThat(last.bodyText()).isEqualTo("hello");
            assertThat(last.header("Connection")).isEqualTo("close");
            assertThat(client.closedByPeer(2000)).isTrue();
        }
    }

    /**
     * Idle connections give their parse state back to the loop and the next request anywhere
     * takes it: three clients take turns, each request echoed whole with its own headers and
     * body, one client's heads big enough to grow the field arrays, another's bodies chunked.
     */
    @Test
    void parseStateHandedBetweenIdleConnectionsKeepsEveryRequestItsOwn() throws Exception {
        RawClient[] clients = {client(), client(), client()};
        try {
            for (int round = 0; round < 12; round++) {
                for (int turn = 0; turn < clients.length; turn++) {
                    int c = (round + turn) % clients.length;
                    StringBuilder head = new StringBuilder("POST /echo HTTP/1.1\r\nHost: a.example\r\n");
                    head.append("X-Client: ").append(c).append("\r\nX-Round: ").append(round).append("\r\n");
                    if (c == 0) {
                        for (int i = 0; i < 40; i++) {
                            head.append("X-Pad-").append(i).append(": ").append("p".repeat(i)).append("\r\n");
                        }
                    }
                    String body = "client " + c + " round " + round;
                    if (c == 1) {
                        clients[c].send(head + "Transfer-Encoding: chunked\r\n\r\n"
                                + Integer.toHexString(body.length()) + "\r\n" + body + "\r\n0\r\n\r\n");
                    } else {
                        clients[c].send(head + "Content-Length: " + body.length() + "\r\n\r\n" + body);
                    }
                    String echo = clients[c].read().bodyText();
                    assertThat(echo).startsWith(head.toString()).contains("Via: 1.1 synedge\r\n");
                    assertThat(echo).endsWith(c == 1 ? body + "\r\n0\r\n\r\n" : body);
                    assertThat(echo.split("X-Client: ", -1)).hasSize(2);
                    assertThat(echo.contains("X-Pad-")).isEqualTo(c == 0);
                }
            }
        } finally {
            for (RawClient client : clients) {
                client.close();
            }
        }
    }

    /** Byte-exact: what the client reads is exactly the upstream's responses, in request order. */
    @Test
    void pipelinedResponsesAreByteExact() throws Exception {
        String[] answers = {
            "HTTP/1.1 200 OK\r\nX-N: 0\r\nContent-Length: 4\r\n\r\nslow",
            "HTTP/1.1 200 OK\r\nX-N: 1\r\nContent-Length: 40000\r\n\r\n" + "x".repeat(40000),
            "HTTP/1.1 404 Not Found\r\nX-N: 2\r\nContent-Length: 0\r\n\r\n",
            "HTTP/1.1 200 OK\r\nX-N: 3\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
        };
        try (RecordingUpstream upstream = RecordingUpstream.start(r -> r.index() == 0
                    ? new Action.Respond(answers[0].getBytes(StandardCharsets.ISO_8859_1), false, 200)
                    : Action.respond(answers[r.index()]));
             TestProxy p = TestProxy.start("""
                     synedge.event-loops = 1
                     synedge.listeners = [ { name = main, address = "127.0.0.1", port = 0 } ]
                     synedge.routes = [ { name = all, cluster = up } ]
                     synedge.clusters.up.endpoints = [ "127.0.0.1:%d" ]
                     """.formatted(upstream.port()));
             RawClient client = RawClient.connect(p.address())) {
            StringBuilder requests = new StringBuilder();
            for (int i = 0; i < answers.length; i++) {
                requests.append("GET /").append(i).append(" HTTP/1.1\r\nHost: a.example\r\n\r\n");
            }
            client.send(requests.toString());
            StringBuilder got = new StringBuilder();
            for (int i = 0; i < answers.length; i++) {
                got.append(client.read().rawText());
            }
            assertThat(got.toString()).isEqualTo(String.join("", answers));
            assertThat(upstream.requests()).extracting(r -> r.head().substring(0, 7))
                    .containsExactly("GET /0 ", "GET /1 ", "GET /2 ", "GET /3 ");
        }
    }

    @Test
    void chunkedRequestBodyIsForwardedWithNormalizedFramingAndItsTrailers() throws Exception {
        try (RawClient client = client()) {
            client.send("POST /echo HTTP/1.1\r\nHost: a.example\r\nTransfer-Encoding: chunked\r\nTrailer: X-T\r\n\r\n"
                    + "5;name=\"v\"\r\nhello\r\n00A\r\n, world!!!\r\n0\r\nX-T: t\r\n\r\n");
            RawClient.Response echo = client.read();
            assertThat(echo.bodyText()).isEqualTo("POST /echo HTTP/1.1\r\nHost: a.example\r\nTrailer: X-T\r\n"
                    + "Via: 1.1 synedge\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5\r\nhello\r\na\r\n, world!!!\r\n0\r\nX-T: t\r\n\r\n");
        }
    }

    @Test
    void chunkedUploadArrivesWhole() throws Exception {
        byte[] body = new byte[1 << 20];
        new java.util.Random(7).nextBytes(body);
        CRC32C crc = new CRC32C();
        crc.update(body);
        StringBuilder chunked = new StringBuilder();
        int[] sizes = {1, 4095, 65536, 7, 300_000};
        int at = 0;
        for (int i = 0; at < body.length; i++) {
            int n = Math.min(sizes[i % sizes.length], body.length - at);
            chunked.append(Integer.toHexString(n)).append("\r\n")
                    .append(new String(body, at, n, StandardCharsets.ISO_8859_1)).append("\r\n");
            at += n;
        }
        chunked.append("0\r\n\r\n");
        try (RawClient client = client()) {
            client.send("PUT /upload HTTP/1.1\r\nHost: a.example\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked);
            RawClient.Response answer = client.read();
            assertThat(answer.header("X-Upload-Length")).isEqualTo(String.valueOf(body.length));
            assertThat(answer.header("X-Upload-Checksum")).isEqualTo("%08x".formatted(crc.getValue()));
        }
    }

    @Test
    void chunkedResponseIsPassedToAnHttp11ClientWithItsTrailers() throws Exception {
        try (RawClient client = client()) {
            client.send("GET /100k?chunked=16k&trailers=1 HTTP/1.1\r\nHost: a.example\r\n\r\n");
            RawClient.Response response = client.read();
            assertThat(response.header("Transfer-Encoding")).isEqualTo("chunked");
            assertThat(response.header("Content-Length")).isNull();
            assertThat(response.body()).hasSize(100 * 1024);
            assertThat(response.trailers()).containsExactly("X-Trailer-Length: 102400",
                    "X-Trailer-Checksum: %08x".formatted(BodyPattern.crc32c(100 * 1024)));
            assertThat(response.rawText()).contains("\r\n4000\r\n");
            client.send("GET /hello HTTP/1.1\r\nHost: a.example\r\n\r\n");
            assertThat(client.read().bodyText()).isEqualTo("hello");
        }
    }

    @Test
    void chunkedResponseIsDechunkedAndCloseDelimitedForAnHttp10Client() throws Exception {
        try (RawClient client = client()) {
            client.send("GET /100k?chunked=16k&trailers=1 HTTP/1.0\r\nHost: a.example\r\nConnection: keep-alive\r\n\r\n");
            RawClient.Response response = client.read();
            assertThat(response.header("Transfer-Encoding")).isNull();
            assertThat(response.header("Content-Length")).isNull();
            assertThat(response.header("Connection")).isEqualTo("close");
            assertPatternBody(response, 100 * 1024);
        }
    }

    @Test
    void closeDelimitedResponseIsRechunkedForAKeepAliveHttp11Client() throws Exception {
        try (RawClient client = client()) {
            client.send("GET /100k?close-delimited=1 HTTP/1.1\r\nHost: a.example\r\n\r\n");
            RawClient.Response response = client.read();
            assertThat(response.header("Transfer-Encoding")).isEqualTo("chunked");
            assertThat(response.header("Connection")).isNull();
            assertPatternBody(response, 100 * 1024);
            client.send("GET /hello HTTP/1.1\r\nHost: a.example\r\n\r\n");
            assertThat(client.read().bodyText()).isEqualTo("hello");
        }
        AccessRecord first = proxy.nextExchange();
        assertThat(first.termination()).isEqualTo(Termination.COMPLETED);
        assertThat(proxy.nextExchange().upstreamConnection()).as("the close-delimited one is gone")
                .isEqualTo(UpstreamConnection.NEW);
    }

    @Test
    void closeDelimitedResponseToAnHttp11ClientThatCloses() throws Exception {
        try (RawClient client = client()) {
            client.send("GET /10k?close-delimited=1 HTTP/1.1\r\nHost: a.example\r\nConnection: close\r\n\r\n");
            RawClient.Response response = client.read();
            assertThat(response.header("Transfer-Encoding")).isNull();
            assertThat(response.header("Connection")).isEqualTo("close");
            assertPatternBody(response, 10 * 1024);
        }
    }

    @Test
    void http10ClientWithoutKeepAliveGetsOneResponseAndAClose() throws Exception {
        try (RawClient client = client()) {
            client.send("GET /1k HTTP/1.0\r\nHost: a.example\r\n\r\n");
            RawClient.Response response = client.read();
            assertThat(response.head()).startsWith("HTTP/1.1 200 OK\r\n");
            assertThat(response.header("Connection")).isEqualTo("close");
            assertPatternBody(response, 1024);
            assertThat(client.closedByPeer(2000)).isTrue();
        }
    }

    @Test
    void http10ClientWithKeepAliveKeepsItsConnection() throws Exception {
        try (RawClient client = client()) {
            for (int i = 0; i < 3; i++) {
                client.send("GET /1k HTTP/1.0\r\nHost: a.example\r\nConnection: keep-alive\r\n\r\n");
                RawClient.Response response = client.read();
                assertThat(response.header("Connection")).isEqualTo("keep-alive");
                assertPatternBody(response, 1024);
            }
            assertThat(client.closedByPeer(100)).isFalse();
        }
    }

    @Test
    void expectContinueIsRelayedFromTheUpstreamToAnHttp11Client() throws Exception {
        try (RawClient client = client()) {
            client.send("POST /upload HTTP/1.1\r\nHost: a.example\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
            assertThat(client.read().rawText()).isEqualTo("HTTP/1.1 100 Continue\r\n\r\n");
            client.send("hello");
            RawClient.Response response = client.read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("X-Upload-Length")).isEqualTo("5");
        }
    }

    @Test
    void noContinueIsInventedWhenTheUpstreamSendsNone() throws Exception {
        try (RawClient client = client()) {
            client.send("POST /upload?expect=ignore HTTP/1.1\r\nHost: a.example\r\nExpect: 100-continue\r\n"
                    + "Content-Length: 5\r\n\r\n");
            Thread.sleep(300);
            assertThat(client.hasInput()).isFalse();
            client.send("hello");
            RawClient.Response response = client.read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("X-Upload-Length")).isEqualTo("5");
        }
    }

    @Test
    void expectFromAnHttp10ClientIsNotForwardedAndNoContinueComes() throws Exception {
        try (RawClient client = client()) {
            client.send("POST /echo HTTP/1.0\r\nHost: a.example\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\nhello");
            RawClient.Response response = client.read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo("POST /echo HTTP/1.1\r\nHost: a.example\r\n"
                    + "Via: 1.1 synedge\r\nContent-Length: 5\r\n\r\nhello");
        }
    }

    @Test
    void anUpstream417ClosesTheClientConnectionWhoseBodyWasNotSent() throws Exception {
        try (RawClient client = client()) {
            client.send("POST /upload?expect=417 HTTP/1.1\r\nHost: a.example\r\nExpect: 100-continue\r\n"
                    + "Content-Length: 5\r\n\r\n");
            RawClient.Response response = client.read();
            assertThat(response.status()).isEqualTo(417);
            assertThat(response.header("Connection")).isEqualTo("close");
            assertThat(client.closedByPeer(2000)).isTrue();
        }
    }
}
