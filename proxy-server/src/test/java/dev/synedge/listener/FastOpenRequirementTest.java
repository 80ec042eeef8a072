package dev.synedge.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.synedge.accesslog.AccessRecord;
import dev.synedge.accesslog.SynData;
import dev.synedge.net.FastOpen;
import dev.synedge.origin.Origin;
import dev.synedge.origin.OriginOptions;
import dev.synedge.server.ProxyServer;
import dev.synedge.testing.Curl;
import dev.synedge.testing.LogCapture;
import dev.synedge.testing.TestProxy;
import dev.synedge.testkit.Sysctl;
import io.netty.channel.Channel;
import io.netty.channel.unix.UnixChannel;
import org.junit.jupiter.api.Test;

/**
 * A fastopen listener on a kernel without the server bit: one clear warning with the fix (which
 * then works without a restart), or, with {@code fastopen.require = true}, no start at all.
 */
class FastOpenRequirementTest {

    private static final String CONFIG = """
            synedge.listeners = [ { name = front, address = "127.0.0.1", port = 0, fastopen-queue = 16 } ]
            synedge.routes = [ { name = all, cluster = up } ]
            synedge.clusters.up.endpoints = [ "127.0.0.1:9" ]
            """;

    @Test
    @SuppressWarnings("try")
    void withoutTheServerBitTheListenerStartsAndSaysHowToFixIt() throws Exception {
        try (Sysctl.Change ignored = Sysctl.set("net.ipv4.tcp_fastopen", "1");
             LogCapture log = LogCapture.of(ProxyServer.class.getName());
             TestProxy proxy = TestProxy.start(CONFIG)) {
            assertThat(proxy.port()).isPositive();
            assertThat(log.linesWith("listener front asks for Fast Open")).singleElement().asString()
                    .contains("net.ipv4.tcp_fastopen=1 lacks the server bit 0x2")
                    .contains("fix: sysctl -w net.ipv4.tcp_fastopen=3");
        }
    }

    /**
     * The warning's fix works on the listener already running: its queue is on the socket
     * whatever the sysctl said at start, and the kernel checks the server bit on each SYN. The
     * test sets the sysctl both ways itself, so it also runs where the default lacks 0x2.
     */
    @Test
    @SuppressWarnings("try")
    void fixingTheSysctlLetsTheRunningListenerTakeSynData() throws Exception {
        try (Sysctl.Change fixed = Sysctl.set("net.ipv4.tcp_fastopen", "3");
             Sysctl.Change broken = Sysctl.set("net.ipv4.tcp_fastopen", "1");
             Origin origin = Origin.start(OriginOptions.defaults().withFastOpenQueue(0));
             TestProxy proxy = TestProxy.start("""
                     synedge.listeners = [ { name = front, address = "127.0.0.1", port = 0, fastopen-queue = 16 } ]
                     synedge.routes = [ { name = all, cluster = up } ]
                     synedge.clusters.up.endpoints = [ "127.0.0.1:%d" ]
                     """.formatted(origin.port()))) {
            Channel listener = proxy.server().listeners().get(0).channels().get(0);
            assertThat(FastOpen.listenerQueue(((UnixChannel) listener).fd().intValue()))
                    .as("the queue asked for, set while the server bit was off").isEqualTo(16);
            broken.close();
            // the namespace may hold no cookie for this address yet: the first request earns one
            curl(proxy);
            assertThat(curl(proxy).clientSynData()).as("curl's SYN data, with the cookie it just earned")
                    .isEqualTo(SynData.YES);
        }
    }

    private static AccessRecord curl(TestProxy proxy) throws Exception {
        Curl.Result result = Curl.run("--tcp-fastopen", proxy.url("/hello"));
        assertThat(result.body()).as(result.stderr()).isEqualTo("hello");
        return proxy.nextExchange();
    }

    @Test
    @SuppressWarnings("try")
    void withFastOpenRequiredItRefusesToStart() {
        try (Sysctl.Change ignored = Sysctl.set("net.ipv4.tcp_fastopen", "1")) {
            assertThatThrownBy(() -> TestProxy.start(CONFIG + "synedge.fastopen.require = true\n"))
                    .hasMessageContaining("listener front asks for Fast Open")
                    .hasMessageContaining("(fastopen.require = true)");
        }
    }
}
