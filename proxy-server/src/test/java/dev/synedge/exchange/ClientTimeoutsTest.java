package dev.synedge.exchange;

import dev.synedge.accesslog.Termination;
import static org.assertj.core.api.Assertions.assertThat;

import dev.synedge.testing.Canned;
import dev.synedge.testing.RawClient;
import dev.synedge.testing.RecordingUpstream;
import dev.synedge.testing.TestProxy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The listener's header-read timeout (408) and idle timeout (a silent close). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientTimeoutsTest {

    private RecordingUpstream upstream;
    private TestProxy proxy;

    @BeforeAll
    void start() throws Exception {
        upstream = RecordingUpstream.start(RecordingUpstream.OK);
        proxy = TestProxy.start("""
                synedge.event-loops = 1
                synedge.listeners = [ { name = main, address = "127.0.0.1", port = 0,
                                        header-read-timeout = 300ms, idle-timeout = 600ms } ]
                synedge.routes = [ { name = all, cluster = up } ]
                synedge.clusters.up.endpoints = [ "127.0.0.1:%d" ]
                """.formatted(upstream.port()));
    }

    @AfterAll
    void stop() throws Exception {
        proxy.close();
        upstream.close();
    }

    @Test
    void anUnfinishedHeadGets408AfterTheHeaderReadTimeout() throws Exception {
        try (RawClient client = RawClient.connect(proxy.address())) {
            long start = System.nanoTime();
            client.send("GET /a HTTP/1.1\r\nHost: a.exa");
            assertThat(client.read().rawText()).isEqualTo(Canned.closing(408));
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(millis).isBetween(250L, 1500L);
            assertThat(client.closedByPeer(1000)).isTrue();
        }
        assertThat(upstream.receivedText()).doesNotContain("a.exa\r\n");
    }

    @Test
    void aHeadSentOneByteAtATimeStillTimesOut() throws Exception {
        try (RawClient client = RawClient.connect(proxy.address())) {
            long start = System.nanoTime();
            String head = "GET /slowloris HTTP/1.1\r\nHost: a.example\r\nX-Pad: " + "p".repeat(100);
            int sent = 0;
            while (!client.hasInput() && sent < head.length()) {
                client.send(head.substring(sent, sent + 1));
                sent++;
                Thread.sleep(40);
            }
            assertThat(client.read().rawText()).isEqualTo(Canned.closing(408));
            assertThat((System.nanoTime() - start) / 1_000_000).isBetween(250L, 1500L);
        }
    }

    /**
     * After a refusal the connection reads and drops what the client still sends for two
     * seconds, then closes, however long the idle timeout: a client that keeps the connection
     * open holds its descriptor no longer than that.
     */
    @Test
    void aRefusedConnectionLingersTwoSecondsThenCloses() throws Exception {
        try (TestProxy patient = TestProxy.start("""
                synedge.event-loops = 1
                synedge.listeners = [ { name = main, address = "127.0.0.1", port = 0, idle-timeout = 60s } ]
                synedge.routes = [ { name = all, cluster = up } ]
                synedge.clusters.up.endpoints = [ "127.0.0.1:%d" ]
                """.formatted(upstream.port()));
             RawClient client = RawClient.connect(patient.address())) {
            client.send("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n");
            assertThat(client.read().status()).isEqualTo(400);
            long start = System.nanoTime();
            assertThat(client.closedByPeer(1000)).isTrue();
            while (patient.server().load().connections() > 0) {
                assertThat(System.nanoTime() - start).as("still open after 5 s").isLessThan(5_000_000_000L);
                Thread.sleep(20);
            }
            assertThat((System.nanoTime() - start) / 1_000_000).isBetween(1500L, 3000L);
        }
    }

    @Test
    void aConnectionThatSendsNothingIsClosedSilentlyAfterTheIdleTimeout() throws Exception {
        try (RawClient client = RawClient.connect(proxy.address())) {
            long start = System.nanoTime();
            assertThat(client.closedByPeer(3000)).as("closed without a byte").isTrue();
            assertThat((System.nanoTime() - start) / 1_000_000).isBetween(500L, 2500L);
        }
    }

    @Test
    void anIdleKeepAliveConnectionIsClosedAfterTheIdleTimeout() throws Exception {
        try (RawClient client = RawClient.connect(proxy.address())) {
            client.send("GET /a HTTP/1.1\r\nHost: a.example\r\n\r\n");
            RawClient.Response response = client.read();
            long start = System.nanoTime();
            assertThat(response.bodyText()).isEqualTo("ok");
            assertThat(client.closedByPeer(100)).as("still open just after the response").isFalse();
            assertThat(client.closedByPeer(3000)).isTrue();
            assertThat((System.nanoTime() - start) / 1_000_000).isBetween(400L, 2500L);
        }
    }

    /** A body that stops coming holds neither the exchange nor its upstream connection for ever. */
    @Test
    void aRequestBodyThatStopsComingGets408AndTheUpstreamConnectionIsReset() throws Exception {
        try (RecordingUpstream own = RecordingUpstream.start(RecordingUpstream.OK);
             TestProxy p = TestProxy.start("""
                     synedge.event-loops = 1
                     synedge.listeners = [ { name = main, address = "127.0.0.1", port = 0, idle-timeout = 600ms } ]
                     synedge.routes = [ { name = all, cluster = up } ]
                     synedge.clusters.up.endpoints = [ "127.0.0.1:%d" ]
                     """.formatted(own.port()));
             RawClient client = RawClient.connect(p.address())) {
            long start = System.nanoTime();
            client.send("POST /up HTTP/1.1\r\nHost: a.example\r\nContent-Length: 100\r\n\r\n0123456789");
            RequestBodyErrorsTest.awaitReceived(own, "0123456789");
            assertThat(client.read().rawText()).isEqualTo(Canned.closing(408));
            assertThat((System.nanoTime() - start) / 1_000_000).isBetween(500L, 2500L);
            assertThat(own.awaitPeerClosed(0, 2000)).isTrue();
            assertThat(own.requests()).isEmpty();
            assertThat(p.nextExchange().termination()).isEqualTo(Termination.CLIENT_TIMEOUT);
        }
    }

    /** The upstream not taking the body fast enough is not the client's silence. */
    @Test
    void aSlowUpstreamDoesNotMakeAnUploadTimeOut() throws Exception {
        try (RecordingUpstream slow = RecordingUpstream.startSlowReader(RecordingUpstream.OK, 1000);
             TestProxy p = TestProxy.start("""
                     synedge.event-loops = 1
                     synedge.listeners = [ { name = main, address = "127.0.0.1", port = 0, idle-timeout = 300ms } ]
                     synedge.routes = [ { name = all, cluster = up } ]
                     synedge.clusters.up.endpoints = [ "127.0.0.1:%d" ]
                     """.formatted(slow.port()));
             RawClient client = RawClient.connect(p.address())) {
            byte[] body = new byte[8 << 20];
            client.send("POST /up HTTP/1.1\r\nHost: a.example\r\nContent-Length: " + body.length + "\r\n\r\n");
            client.send(body);
            assertThat(client.read().bodyText()).isEqualTo("ok");
            assertThat(slow.nextRequest().bytes().length).isGreaterThan(body.length);
        }
    }

    @Test
    void requestsKeepAConnectionAliveBeyondTheIdleTimeout() throws Exception {
        try (RawClient client = RawClient.connect(proxy.address())) {
            // 3 x 250 ms: longer than the 600 ms idle timeout in all
            for (int i = 0; i < 3; i++) {
                client.send("GET /a HTTP/1.1\r\nHost: a.example\r\n\r\n");
                assertThat(client.read().bodyText()).isEqualTo("ok");
                Thread.sleep(250);
            }
            client.send("GET /a HTTP/1.1\r\nHost: a.example\r\n\r\n");
            assertThat(client.read().bodyText()).isEqualTo("ok");
        }
    }
}
