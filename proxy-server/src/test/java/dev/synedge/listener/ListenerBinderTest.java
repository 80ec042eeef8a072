package dev.synedge.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.synedge.testing.RawClient;
import dev.synedge.testing.RecordingUpstream;
import dev.synedge.testing.TestProxy;
import org.junit.jupiter.api.Test;

/** Listeners with SO_REUSEPORT still refuse a port some other process listens on. */
class ListenerBinderTest {

    private static String config(int port, int upstream, boolean reusePort) {
        return """
                synedge.listeners = [ { name = main, address = "127.0.0.1", port = %d, reuse-port = %b } ]
                synedge.routes = [ { name = all, cluster = up } ]
                synedge.clusters.up.endpoints = [ "127.0.0.1:%d" ]
                """.formatted(port, reusePort, upstream);
    }

    @Test
    void aSecondSynedgeOnTheSamePortIsRefusedAndTheFirstKeepsServing() throws Exception {
        try (RecordingUpstream upstream = RecordingUpstream.start(RecordingUpstream.OK);
             TestProxy first = TestProxy.start(config(0, upstream.port(), true))) {
            for (boolean reusePort : new boolean[] {true, false}) {
                assertThatThrownBy(() -> TestProxy.start(config(first.port(), upstream.port(), reusePort)).close())
                        .as("reuse-port %b", reusePort)
                        .isInstanceOfSatisfying(CannotListen.class, e -> {
                            assertThat(e.addressInUse()).isTrue();
                            assertThat(e.listener()).isEqualTo("main");
                            assertThat(e.address().getPort()).isEqualTo(first.port());
                        })
                        .hasMessage("listener main cannot listen on 127.0.0.1:" + first.port()
                                + ": address already in use (another process listens there)");
            }
            for (int i = 0; i < 4; i++) {
                try (RawClient client = RawClient.connect(first.address())) {
                    client.send("GET / HTTP/1.1\r\nHost: a.example\r\n\r\n");
                    assertThat(client.read().bodyText()).isEqualTo("ok");
                }
            }
        }
    }

    @Test
    void aPortFreedByAnEarlierInstanceCanBeBoundAgain() throws Exception {
        try (RecordingUpstream upstream = RecordingUpstream.start(RecordingUpstream.OK)) {
            int port;
            try (TestProxy first = TestProxy.start(config(0, upstream.port(), true));
                 RawClient client = RawClient.connect(first.address())) {
                port = first.port();
                client.send("GET / HTTP/1.1\r\nHost: a.example\r\nConnection: close\r\n\r\n");
                assertThat(client.read().bodyText()).isEqualTo("ok");
                assertThat(client.closedByPeer(2000)).isTrue();
            }
            // synedge closed first, so its side of that connection is in TIME_WAIT on the port: not a listener
            try (TestProxy again = TestProxy.start(config(port, upstream.port(), true));
                 RawClient client = RawClient.connect(again.address())) {
                client.send("GET / HTTP/1.1\r\nHost: a.example\r\n\r\n");
                assertThat(client.read().bodyText()).isEqualTo("ok");
            }
        }
    }
}
