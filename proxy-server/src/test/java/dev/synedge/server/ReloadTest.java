package dev.synedge.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.synedge.config.ConfigException;
import dev.synedge.config.ConfigLoader;
import dev.synedge.config.ProxyConfig;
import dev.synedge.testing.RawClient;
import dev.synedge.testing.RecordingUpstream;
import dev.synedge.testing.RecordingUpstream.Action;
import dev.synedge.testing.TestProxy;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * ProxyServer.reload: new exchanges use the new configuration and exchanges in flight finish on
 * theirs; listeners are added, moved, retuned in place and removed without losing a connection
 * that stays; what a running process cannot change is reported, and a reload that cannot be
 * applied changes nothing.
 */
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

    private static ProxyConfig load(String hocon) throws ConfigException {
        return ConfigLoader.load("synedge.access-log.enabled = false\n" + hocon, "reloaded");
    }

    private static String listeners(String... listeners) {
        return "synedge.listeners = [ " + String.join(", ", listeners) + " ]\n";
    }

    private static String routes(int upstreamPort) {
        return """
                synedge.event-loops = 1
                synedge.routes = [ { name = all, cluster = up } ]
                synedge.clusters.up.endpoints = [ "127.0.0.1:%d" ]
                """.formatted(upstreamPort);
    }

    private static String get(InetSocketAddress address) throws IOException {
        try (RawClient client = RawClient.connect(address)) {
            client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            return client.read().bodyText();
        }
    }

    private static boolean refused(InetSocketAddress address) throws IOException {
        try (Socket probe = new Socket(address.getAddress(), address.getPort())) {
            return false;
        } catch (ConnectException e) {
            return true;
        }
    }

    @Test
    void listenersAreAddedMovedAndRemovedAndTheirConnectionsDrain() throws Exception {
        CountDownLatch answer = new CountDownLatch(1);
        try (RecordingUpstream upstream = RecordingUpstream.start(r -> {
                    if (r.head().startsWith("GET /slow")) {
                        awaitUninterruptibly(answer);
                    }
                    return RecordingUpstream.OK.answer(r);
                });
             TestProxy proxy = TestProxy.start(routes(upstream.port()) + listeners(
                     "{ name = a, address = \"127.0.0.1\", port = 0 }",
                     "{ name = b, address = \"127.0.0.1\", port = 0 }"))) {
            InetSocketAddress a = proxy.server().address("a");
            InetSocketAddress oldB = proxy.server().address("b");
            RawClient idleOnB = RawClient.connect(oldB).send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(idleOnB.read().bodyText()).isEqualTo("ok");
            RawClient slowOnB = RawClient.connect(oldB).send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
            upstream.nextRequest();
            upstream.nextRequest();
            RawClient keptOnA = RawClient.connect(a).send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(keptOnA.read().bodyText()).isEqualTo("ok");

            ProxyServer.ReloadReport report = proxy.server().reload(load(routes(upstream.port()) + listeners(
                    "{ name = a, address = \"127.0.0.1\", port = 0 }",
                    "{ name = b, address = \"127.0.0.2\", port = 0 }",
                    "{ name = c, address = \"127.0.0.1\", port = 0 }")));

            InetSocketAddress newB = proxy.server().address("b");
            InetSocketAddress c = proxy.server().address("c");
            assertThat(report.notApplied()).isEmpty();
            assertThat(report.applied()).containsExactly(
                    "listener b moved to 127.0.0.2:" + newB.getPort() + "; its connections on 127.0.0.1:"
                            + oldB.getPort() + " drain",
                    "listener c added on 127.0.0.1:" + c.getPort());
            assertThat(proxy.server().address("a")).isEqualTo(a);
            assertThat(refused(oldB)).as("old address of b").isTrue();
            assertThat(get(newB)).isEqualTo("ok");
            assertThat(get(c)).isEqualTo("ok");
            keptOnA.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(keptOnA.read().bodyText()).as("a connection of an unchanged listener goes on").isEqualTo("ok");
            assertThat(idleOnB.closedByPeer(1000)).as("idle connection of the moved listener").isTrue();
            answer.countDown();
            RawClient.Response slow = slowOnB.read();
            assertThat(slow.bodyText()).isEqualTo("ok");
            assertThat(slow.header("Connection")).isEqualTo("close");
            assertThat(slowOnB.closedByPeer(1000)).isTrue();

            report = proxy.server().reload(load(routes(upstream.port())
                    + listeners("{ name = a, address = \"127.0.0.1\", port = 0 }")));

            assertThat(report.applied()).containsExactly("listener b removed; its connections drain",
                    "listener c removed; its connections drain");
            assertThat(refused(newB)).isTrue();
            assertThat(refused(c)).isTrue();
            assertThat(get(a)).isEqualTo("ok");
            idleOnB.close();
            slowOnB.close();
            keptOnA.close();
        }
    }

    @Test
    void changedSettingsApplyInPlaceToTheSameSocketAndItsConnections() throws Exception {
        try (RecordingUpstream upstream = RecordingUpstream.start(RecordingUpstream.OK);
             TestProxy proxy = TestProxy.start(routes(upstream.port()) + listeners(
                     "{ name = a, address = \"127.0.0.1\", port = 0, backlog = 4096 }"))) {
            InetSocketAddress a = proxy.server().address("a");
            RawClient idle = RawClient.connect(a).send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(idle.read().bodyText()).isEqualTo("ok");

            ProxyServer.ReloadReport report = proxy.server().reload(load(routes(upstream.port()) + listeners(
                    "{ name = a, address = \"127.0.0.1\", port = %d, backlog = 77, idle-timeout = 300ms }"
                            .formatted(a.getPort()))));

            assertThat(report.applied()).containsExactly("listener a settings changed in place");
            assertThat(proxy.server().address("a")).isEqualTo(a);
            assertThat(listenBacklog(a.getPort())).as("the listening socket's backlog, from ss").isEqualTo(77);
            assertThat(idle.closedByPeer(3000)).as("the new idle timeout closes the connection from before").isTrue();
            assertThat(get(a)).isEqualTo("ok");
            idle.close();
        }
    }

    /** Send-Q of the listening socket on {@code port}: its backlog. */
    private static int listenBacklog(int port) throws Exception {
        Process ss = new ProcessBuilder("ss", "-Hltn", "sport = :" + port).redirectErrorStream(true).start();
        String out = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(ss.waitFor()).isZero();
        return Integer.parseInt(out.split("\\s+")[2]);
    }

    @Test
    void aListenerThatCannotBeBoundFailsTheReloadAndChangesNothing() throws Exception {
        try (RecordingUpstream a = RecordingUpstream.start(r -> Action.respond("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\na"));
             RecordingUpstream b = RecordingUpstream.start(r -> Action.respond("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nb"));
             ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
             TestProxy proxy = TestProxy.start(routes(a.port())
                     + listeners("{ name = a, address = \"127.0.0.1\", port = 0 }"))) {
            InetSocketAddress address = proxy.server().address("a");

            assertThatThrownBy(() -> proxy.server().reload(load(routes(b.port()) + listeners(
                    "{ name = a, address = \"127.0.0.1\", port = 0 }",
                    "{ name = z, address = \"127.0.0.1\", port = %d }".formatted(taken.getLocalPort())))))
                    .isInstanceOf(IOException.class).hasMessageContaining("listener z")
                    .hasMessageContaining(String.valueOf(taken.getLocalPort()));

            assertThat(get(address)).as("routes and clusters unchanged").isEqualTo("a");
            assertThat(proxy.server().listeners()).hasSize(1);
        }
    }

    @Test
    void whatARunningProcessCannotChangeIsReportedAndTheRestApplies() throws Exception {
        try (RecordingUpstream a = RecordingUpstream.start(r -> Action.respond("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\na"));
             RecordingUpstream b = RecordingUpstream.start(r -> Action.respond("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nb"));
             TestProxy proxy = TestProxy.start(routes(a.port())
                     + listeners("{ name = a, address = \"127.0.0.1\", port = 0 }"))) {
            ProxyServer.ReloadReport report = proxy.server().reload(load(routes(b.port()).replace(
                    "synedge.event-loops = 1", "synedge.event-loops = 3")
                    + listeners("{ name = a, address = \"127.0.0.1\", port = 0 }")
                    + "synedge.endpoint-state { max-endpoints = 7, expire-after-access = 5m }\n"
                    + "synedge.admin { enabled = true, port = 0 }\nsynedge.lifecycle.takeover-socket = \"/tmp/elsewhere.sock\"\n"));

            assertThat(report.notApplied()).hasSize(3);
            assertThat(report.notApplied().get(0)).startsWith("admin enabled/address/port");
            assertThat(report.notApplied().get(1)).startsWith("lifecycle.takeover-socket null -> /tmp/elsewhere.sock");
            assertThat(report.notApplied().get(2)).startsWith("event-loops 1 -> 3");
            assertThat(report.applied()).containsExactly("endpoint-state: max-endpoints 7, expire-after-access PT5M");
            assertThat(get(proxy.server().address("a"))).isEqualTo("b");
        }
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
