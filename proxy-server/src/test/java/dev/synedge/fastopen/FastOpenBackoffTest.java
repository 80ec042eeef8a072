package dev.synedge.fastopen;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synedge.accesslog.AccessRecord;
import dev.synedge.accesslog.SynData;
import dev.synedge.net.FastOpenMode;
import dev.synedge.net.KernelState;
import dev.synedge.origin.Origin;
import dev.synedge.origin.OriginOptions;
import dev.synedge.testing.Curl;
import dev.synedge.testing.LogCapture;
import dev.synedge.testing.PacketCapture;
import dev.synedge.testing.TestProxy;
import dev.synedge.testkit.KernelRequirement;
import dev.synedge.upstream.EndpointState;
import dev.synedge.upstream.FastOpenOutcome;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The endpoint state cache against a real failure: an upstream that does not take SYN data
 * although synedge holds a cookie for its address (the kernel caches cookies per address, and
 * another port of the same address handed one out). Each such connection's TCP_INFO says the
 * data was not acked; after {@code failures} of them synedge stops trying Fast Open there,
 * probes once when the pause is over, and doubles the pause when the probe fails too. Once the
 * endpoint takes SYN data (a listener with Fast Open on its port), the next probe ends the
 * backoff. Each of these steps is one log line, and only these.
 */
class FastOpenBackoffTest {

    @BeforeEach
    void requireFastOpen() {
        FastOpenMode mode = KernelState.fastOpenMode();
        KernelRequirement.require(mode.clientEnabled() && mode.serverEnabled(), "TCP Fast Open",
                "net.ipv4.tcp_fastopen=" + mode.value() + " lacks 0x1 or 0x2; set it to 3");
    }

    @Test
    void repeatedUnackedSynDataPausesFastOpenThenProbesWithBackoff() throws Exception {
        InetAddress address = freshLoopback();
        Origin without = Origin.start(OriginOptions.defaults().withBindAddress(address).withFastOpenQueue(0));
        int port = without.port();
        String endpoint = "endpoint " + address.getHostAddress() + ":" + port + ": Fast Open ";
        try (LogCapture log = LogCapture.of("dev.synedge.upstream.EndpointState");
             Origin withFastOpen = Origin.start(OriginOptions.defaults().withBindAddress(address).withFastOpenQueue(64));
             TestProxy proxy = TestProxy.start("""
                     synedge.event-loops = 1
                     synedge.listeners = [ { name = main, address = "127.0.0.1", port = 0 } ]
                     synedge.routes = [
                       { name = warm, match.path-prefix = "/warm", rewrite-prefix = "/", cluster = warm },
                       { name = cold, cluster = cold } ]
                     synedge.clusters.warm { endpoints = [ "%1$s:%2$d" ], fastopen = on, pool.max-idle = 0 }
                     synedge.clusters.cold {
                       endpoints = [ "%1$s:%3$d" ]
                       fastopen = on
                       pool.max-idle = 0
                       fastopen-backoff { failures = 2, initial = 1s, max = 4s }
                     }
                     """.formatted(address.getHostAddress(), withFastOpen.port(), port))) {
            get(proxy, "/warm/hello");
            AccessRecord warmed = get(proxy, "/warm/hello");
            assertThat(warmed.upstreamSynData()).as("a cookie for the address is cached").isEqualTo(SynData.YES);

            EndpointState state = proxy.server().endpointStates().peek(new InetSocketAddress(address, port));
            for (int i = 1; i <= 2; i++) {
                AccessRecord failed = get(proxy, "/hello");
                assertThat(failed.status()).as("the request still succeeds").isEqualTo(200);
                assertThat(failed.upstreamSynData()).isEqualTo(SynData.NO);
                state = proxy.server().endpointStates().peek(new InetSocketAddress(address, port));
                assertThat(state.count(FastOpenOutcome.DATA_NOT_ACKED)).isEqualTo(i);
            }
            assertThat(state.fastOpenPaused(System.nanoTime())).isTrue();
            assertThat(state.pauseNanos()).isEqualTo(Duration.ofSeconds(1).toNanos());
            assertThat(log.lines()).containsExactly("WARN " + endpoint + "paused for 1s after 2 failures in a row"
                    + " (last: data-not-acked); plain SYNs until a probe succeeds");

            try (PacketCapture capture = PacketCapture.synsTo(port)) {
                get(proxy, "/hello");
                assertThat(capture.awaitSyns(1)).singleElement()
                        .satisfies(syn -> assertThat(syn.payloadLength()).as("paused: plain SYN").isZero());
            }
            assertThat(state.count(FastOpenOutcome.NOT_TRIED)).isEqualTo(1);

            Thread.sleep(1100);
            try (PacketCapture capture = PacketCapture.synsTo(port)) {
                get(proxy, "/hello");
                assertThat(capture.awaitSyns(1)).singleElement()
                        .satisfies(syn -> assertThat(syn.payloadLength()).as("the probe tries SYN data").isPositive());
            }
            assertThat(state.count(FastOpenOutcome.DATA_NOT_ACKED)).isEqualTo(3);
            assertThat(state.pauseNanos()).as("a failed probe doubles the pause").isEqualTo(Duration.ofSeconds(2).toNanos());
            assertThat(state.fastOpenPaused(System.nanoTime())).isTrue();
            assertThat(log.lines()).hasSize(2).last()
                    .isEqualTo("WARN " + endpoint + "probe failed (data-not-acked); paused again, for 2s");

            // the same port now takes SYN data: the cookie the kernel holds for the address is good there
            without.close();
            without = Origin.start(OriginOptions.defaults().withBindAddress(address).withPort(port).withFastOpenQueue(64));
            Thread.sleep(2100);
            AccessRecord probe = get(proxy, "/hello");
            assertThat(probe.upstreamSynData()).as("the probe's SYN data is acked").isEqualTo(SynData.YES);
            assertThat(state.pauseNanos()).isZero();
            assertThat(log.lines()).hasSize(3).last()
                    .isEqualTo("INFO " + endpoint + "allowed again: SYN data acked after a 2s pause");
            assertThat(get(proxy, "/hello").upstreamSynData()).isEqualTo(SynData.YES);
            assertThat(log.lines()).as("one line per change of the backoff, none while it stays").hasSize(3);
        } finally {
            without.close();
        }
    }

    private static AccessRecord get(TestProxy proxy, String path) throws Exception {
        Curl.Result result = Curl.run("-o", "/dev/null", "-w", "%{http_code}", proxy.url(path));
        assertThat(result.body()).as(result.stderr()).isEqualTo("200");
        return proxy.nextExchange();
    }

    /** An address no earlier test connected to, so the kernel has no cookie for it yet. */
    private static InetAddress freshLoopback() throws Exception {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return InetAddress.getByAddress(new byte[] {127, (byte) random.nextInt(1, 255),
                (byte) random.nextInt(0, 256), (byte) random.nextInt(1, 255)});
    }
}
