package dev.synedge.exchange;

import dev.synedge.accesslog.Termination;
import static org.assertj.core.api.Assertions.assertThat;

import dev.synedge.accesslog.AccessRecord;
import dev.synedge.testing.Canned;
import dev.synedge.testing.RawClient;
import dev.synedge.testing.RecordingUpstream;
import dev.synedge.testing.TestProxy;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A chunked request body that breaks the chunk grammar after its head was already forwarded:
 * the client gets 400 and a close, and the upstream connection carrying the partial request is
 * reset, so the upstream never sees a complete message made of the broken one.
 */
class RequestBodyErrorsTest {

    static Stream<Arguments> brokenBodies() {
        return Stream.of(
                Arguments.of("0x prefix", "0x5\r\nhello\r\n0\r\n\r\n"),
                Arguments.of("whitespace before the size", " 5\r\nhello\r\n0\r\n\r\n"),
                Arguments.of("whitespace after the size", "5 \r\nhello\r\n0\r\n\r\n"),
                Arguments.of("bare LF after the size", "5\nhello\r\n0\r\n\r\n"),
                Arguments.of("bare CR after the size", "5\rhello\r\n0\r\n\r\n"),
                Arguments.of("data longer than the size", "5\r\nhelloX\r\n0\r\n\r\n"),
                Arguments.of("bare LF after the data", "5\r\nhello\n0\r\n\r\n"),
                Arguments.of("size over 64 bits", "10000000000000000\r\nhello\r\n0\r\n\r\n"),
                Arguments.of("negative size", "-5\r\nhello\r\n0\r\n\r\n"),
                Arguments.of("empty extension", "5;\r\nhello\r\n0\r\n\r\n"),
                Arguments.of("obs-fold in a trailer", "5\r\nhello\r\n0\r\nX-T: a\r\n b\r\n\r\n"),
                Arguments.of("bare LF ending the trailers", "5\r\nhello\r\n0\r\n\n"),
                Arguments.of("space before colon in a trailer", "5\r\nhello\r\n0\r\nX-T : a\r\n\r\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenBodies")
    void brokenChunkedBodyGets400AndTheUpstreamConnectionIsReset(String name, String body) throws Exception {
        try (RecordingUpstream upstream = RecordingUpstream.start(RecordingUpstream.OK);
             TestProxy proxy = TestProxy.start("""
                     synedge.event-loops = 1
                     synedge.listeners = [ { name = main, address = "127.0.0.1", port = 0 } ]
                     synedge.routes = [ { name = all, cluster = up } ]
                     synedge.clusters.up.endpoints = [ "127.0.0.1:%d" ]
                     """.formatted(upstream.port()));
             RawClient client = RawClient.connect(proxy.address())) {
            String head = "POST /upload HTTP/1.1\r\nHost: a.example\r\nTransfer-Encoding: chunked\r\n\r\n";
            client.send(head);
            awaitReceived(upstream, "\r\n\r\n");
            client.send(body);
            assertThat(client.read().rawText()).isEqualTo(Canned.closing(400));
            assertThat(client.closedByPeer(2000)).isTrue();
            assertThat(upstream.awaitPeerClosed(0, 2000)).as("upstream connection closed").isTrue();
            assertThat(upstream.requests()).as("complete requests at the upstream").isEmpty();
            AccessRecord record = proxy.nextExchange();
            assertThat(record.status()).isEqualTo(400);
            assertThat(record.termination()).isEqualTo(Termination.CLIENT_PROTOCOL_ERROR);
        }
    }

    /**
     * A client that leaves mid-request resets the upstream connection, which is never pooled
     * (http-codec/HTTP-RULES.md, Connections).
     */
    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"Content-Length: 1000", "Transfer-Encoding: chunked"})
    void aClientLeavingMidRequestBodyResetsTheUpstreamConnection(String framing) throws Exception {
        try (RecordingUpstream upstream = RecordingUpstream.start(RecordingUpstream.OK);
             TestProxy proxy = TestProxy.start("""
                     synedge.event-loops = 1
                     synedge.listeners = [ { name = main, address = "127.0.0.1", port = 0 } ]
                     synedge.routes = [ { name = all, cluster = up } ]
                     synedge.clusters.up.endpoints = [ "127.0.0.1:%d" ]
                     """.formatted(upstream.port()))) {
            try (RawClient client = RawClient.connect(proxy.address())) {
                client.send("POST /upload HTTP/1.1\r\nHost: a.example\r\n" + framing + "\r\n\r\n"
                        + (framing.startsWith("Transfer") ? "64\r\n" + "x".repeat(100) + "\r\n" : "x".repeat(100)));
                awaitReceived(upstream, "x".repeat(100));
            }
            assertThat(upstream.awaitPeerClosed(0, 2000)).as("upstream connection closed").isTrue();
            assertThat(upstream.requests()).isEmpty();
            AccessRecord record = proxy.nextExchange();
            assertThat(record.termination()).isEqualTo(Termination.CLIENT_CLOSED);
            assertThat(record.status()).as("nginx's client-closed status").isEqualTo(499);
            try (RawClient client = RawClient.connect(proxy.address())) {
                client.send("GET / HTTP/1.1\r\nHost: a.example\r\n\r\n");
                assertThat(client.read().bodyText()).isEqualTo("ok");
            }
            assertThat(upstream.connectionCount()).isEqualTo(2);
        }
    }

    /** Waits until the upstream's first connection received {@code text}. */
    static void awaitReceived(RecordingUpstream upstream, String text) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() - deadline < 0) {
            if (upstream.connectionCount() > 0
                    && new String(upstream.received(0), StandardCharsets.ISO_8859_1).contains(text)) {
                return;
            }
            Thread.sleep(2);
        }
        throw new AssertionError("upstream did not receive " + text.strip() + " within 5 s");
    }
}
