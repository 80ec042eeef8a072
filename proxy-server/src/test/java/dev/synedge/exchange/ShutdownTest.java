package dev.synedge.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synedge.testing.RawClient;
import dev.synedge.testing.RecordingUpstream;
import dev.synedge.testing.TestProxy;
import org.junit.jupiter.api.Test;

/**
 * Closing synedge while clients are connected closes their connections and the upstream
 * connections, and leaves no buffer behind (the class fails on a leak).
 */
class ShutdownTest {

    private static TestProxy proxy(RecordingUpstream upstream) throws Exception {
        return TestProxy.start("""
                synedge.event-loops = 1
                synedge.listeners = [ { name = main, address = "127.0.0.1", port = 0 } ]
                synedge.routes = [ { name = all, cluster = up } ]
                synedge.clusters.up.endpoints = [ "127.0.0.1:%d" ]
                """.formatted(upstream.port()));
    }

    @Test
    void idleKeepAliveClientsAndPooledUpstreamConnectionsAreClosed() throws Exception {
        try (RecordingUpstream upstream = RecordingUpstream.start(RecordingUpstream.OK)) {
            TestProxy proxy = proxy(upstream);
            try (RawClient client = RawClient.connect(proxy.address())) {
                client.send("GET /a HTTP/1.1\r\nHost: a.example\r\n\r\n");
                assertThat(client.read().bodyText()).isEqualTo("ok");
                proxy.close();
                assertThat(client.closedByPeer(2000)).isTrue();
                assertThat(upstream.awaitPeerClosed(0, 2000)).isTrue();
            }
        }
    }

    @Test
    void clientsWithAnExchangeInFlightAreClosed() throws Exception {
        try (RecordingUpstream upstream = RecordingUpstream.start(r -> new RecordingUpstream.Action.Silence())) {
            TestProxy proxy = proxy(upstream);
            try (RawClient client = RawClient.connect(proxy.address())) {
                client.send("GET /a HTTP/1.1\r\nHost: a.example\r\n\r\n");
                upstream.nextRequest();
                proxy.close();
                assertThat(client.closedByPeer(2000)).isTrue();
                assertThat(upstream.awaitPeerClosed(0, 2000)).isTrue();
            }
        }
    }

    @Test
    void aClientWithAPartialRequestHeadIsClosed() throws Exception {
        try (RecordingUpstream upstream = RecordingUpstream.start(RecordingUpstream.OK)) {
            TestProxy proxy = proxy(upstream);
            try (RawClient client = RawClient.connect(proxy.address())) {
                client.send("GET /a HTTP/1.1\r\nHost: a.exa");
                Thread.sleep(50);
                proxy.close();
                assertThat(client.closedByPeer(2000)).isTrue();
            }
            assertThat(upstream.connectionCount()).isZero();
        }
    }
}
