package dev.synedge.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.synedge.server.ProxyServer;
import dev.synedge.testing.LogCapture;
import dev.synedge.testing.TestProxy;
import dev.synedge.testkit.Sysctl;
import org.junit.jupiter.api.Test;

/**
 * A fastopen listener on a kernel without the server bit: one clear warning with the fix, or,
 * with {@code fastopen.require = true}, no start at all.
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
