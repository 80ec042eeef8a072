package dev.synedge.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synedge.config.ConfigLoader;
import dev.synedge.testing.RawClient;
import dev.synedge.testing.RecordingUpstream;
import dev.synedge.testing.RecordingUpstream.Action;
import dev.synedge.testing.TestProxy;
import org.junit.jupiter.api.Test;

/** ProxyServer.reload: new exchanges use the new configuration; exchanges in flight finish on theirs. */
class ReloadTest {

    private static String config(int port) {
        return """
                synedge.event-loops = 1
                synedge.access-log.enabled = false
                synedge.listeners = [ { name = main, address = "127.0.0.1", port = 0 } ]
                synedge.routes = [ { name = all, cluster = up } ]
                synedge.clusters.up.endpoints = [ "127.0.0.1:%d" ]
                """.formatted(port);
    }

    @Test
    void aReloadSwitchesNewExchangesAndClosesTheOldPoolsIdleConnections() throws Exception {
        try (RecordingUpstream a = RecordingUpstream.start(r -> r.head().startsWith("GET /slow")
                    ? new Action.Respond("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\na".getBytes(), false, 500)
                    : Action.respond("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\na"));
             RecordingUpstream b = RecordingUpstream.start(r -> Action.respond("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nb"));
             TestProxy proxy = TestProxy.start(config(a.port()));
             RawClient first = RawClient.connect(proxy.address());
             RawClient slow = RawClient.connect(proxy.address())) {
            slow.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(a.nextRequest().connection()).isZero();
            first.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(first.read().bodyText()).isEqualTo("a");
            assertThat(a.nextRequest().connection()).as("the slow exchange holds connection 0").isEqualTo(1);

            proxy.server().reload(ConfigLoader.load(config(b.port()), "reloaded"));

            first.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(first.read().bodyText()).isEqualTo("b");
            assertThat(slow.read().bodyText()).as("the exchange in flight finishes on the old cluster").isEqualTo("a");
            assertThat(a.awaitPeerClosed(1, 2000)).as("the old pool's idle connection is closed").isTrue();
            assertThat(a.awaitPeerClosed(0, 2000)).as("the old cluster's busy connection closes after its exchange")
                    .isTrue();
            slow.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(slow.read().bodyText()).isEqualTo("b");
            assertThat(a.connectionCount()).isEqualTo(2);
        }
    }
}
