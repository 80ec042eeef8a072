package dev.synedge.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synedge.accesslog.AccessRecord;
import dev.synedge.accesslog.Termination;
import dev.synedge.config.ConfigLoader;
import dev.synedge.testing.RawClient;
import dev.synedge.testing.RecordingUpstream;
import dev.synedge.testing.TestProxy;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Requests synedge answers itself to stop them going around: one whose Via already names it (a
 * route that leads back to the proxy makes one hop, not thousands), TRACE unless allowed, and
 * TRACE or OPTIONS whose Max-Forwards ran out here.
 */
class LoopAndHopsTest {

    private static String config(int upstreamPort, String extra) {
        return """
                synedge.access-log.enabled = true
                synedge.listeners = [ { name = main, address = "127.0.0.1", port = 0 } ]
                synedge.routes = [ { name = all, cluster = up } ]
                synedge.clusters.up.endpoints = [ "127.0.0.1:%d" ]
                %s
                """.formatted(upstreamPort, extra);
    }

    private static RawClient.Response send(InetSocketAddress proxy, String request) throws IOException {
        try (RawClient client = RawClient.connect(proxy)) {
            client.send(request);
            return client.read();
        }
    }

    private static long openDescriptors() throws IOException {
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    @Test
    void aRouteBackToTheProxyItselfMakesOneHopAndEnds508() throws Exception {
        try (RecordingUpstream unused = RecordingUpstream.start(RecordingUpstream.OK);
             TestProxy proxy = TestProxy.start(config(unused.port(), ""))) {
            int port = proxy.port();
            proxy.server().reload(ConfigLoader.load(config(port, "").replace("synedge.access-log.enabled = true",
                    "synedge.event-loops = 2\nsynedge.access-log.enabled = false"), "self-loop"));
            long before = openDescriptors();

            RawClient.Response response = send(proxy.address(), "GET /loop HTTP/1.1\r\nHost: a.example\r\n\r\n");

            assertThat(response.status()).isEqualTo(508);
            List<AccessRecord> hops = proxy.drainExchanges(Duration.ofMillis(300));
            assertThat(hops).as("the request, and the one that came back (on either loop, in either order)")
                    .hasSize(2).allMatch(hop -> hop.status() == 508)
                    .extracting(AccessRecord::termination)
                    .containsExactlyInAnyOrder(Termination.LOOP_DETECTED, Termination.COMPLETED);
            assertThat(openDescriptors() - before).as("descriptors left open").isLessThan(10);
            assertThat(unused.connectionCount()).isZero();
        }
    }

    @Test
    void viaNamingTheProxyIsALoopUnlessDetectionIsOff() throws Exception {
        try (RecordingUpstream upstream = RecordingUpstream.start(RecordingUpstream.OK);
             TestProxy proxy = TestProxy.start(config(upstream.port(), "synedge.http.via = edge-eu"));
             TestProxy off = TestProxy.start(config(upstream.port(),
                     "synedge.http { via = edge-eu, loop-detection = false }"))) {
            String looped = "GET / HTTP/1.1\r\nHost: a.example\r\nVia: 1.0 fred, 1.1 Edge-EU (shield)\r\n\r\n";

            assertThat(send(proxy.address(), looped).status()).isEqualTo(508);
            assertThat(send(proxy.address(), "GET / HTTP/1.1\r\nHost: a.example\r\nVia: 1.1 edge-us\r\n\r\n")
                    .status()).isEqualTo(200);
            assertThat(send(off.address(), looped).status()).isEqualTo(200);
            assertThat(upstream.nextRequest().head()).contains("Via: 1.1 edge-us, 1.1 edge-eu");
            assertThat(upstream.nextRequest().head()).contains("Via: 1.0 fred, 1.1 Edge-EU (shield), 1.1 edge-eu");
        }
    }

    @Test
    void traceIsRefusedUnlessAllowedAndThenItsHopCountIsKept() throws Exception {
        try (RecordingUpstream upstream = RecordingUpstream.start(RecordingUpstream.OK);
             TestProxy refusing = TestProxy.start(config(upstream.port(), ""));
             TestProxy forwarding = TestProxy.start(config(upstream.port(), "synedge.http.trace = forward"))) {
            String trace = "TRACE /t HTTP/1.1\r\nHost: a.example\r\nCookie: secret=1\r\nMax-Forwards: %s\r\n\r\n";

            RawClient.Response refused = send(refusing.address(), trace.formatted("5"));
            assertThat(refused.status()).isEqualTo(405);
            assertThat(refused.header("Allow")).contains("GET").doesNotContain("TRACE");

            assertThat(send(forwarding.address(), trace.formatted("5")).status()).isEqualTo(200);
            assertThat(upstream.nextRequest().head()).contains("Max-Forwards: 4\r\n").doesNotContain("Max-Forwards: 5");

            RawClient.Response echo = send(forwarding.address(), trace.formatted("0"));
            assertThat(echo.status()).isEqualTo(200);
            assertThat(echo.header("Content-Type")).isEqualTo("message/http");
            assertThat(echo.bodyText()).startsWith("TRACE /t HTTP/1.1\r\nHost: a.example\r\n")
                    .contains("Max-Forwards: 0").doesNotContain("secret");
            assertThat(upstream.requests().size()).as("the TRACE at 0 was not forwarded").isEqualTo(1);
        }
    }

    @Test
    void optionsWithMaxForwardsZeroIsAnsweredHereAndOthersGoUpOneLess() throws Exception {
        try (RecordingUpstream upstream = RecordingUpstream.start(RecordingUpstream.OK);
             TestProxy proxy = TestProxy.start(config(upstream.port(), ""))) {
            assertThat(send(proxy.address(), "OPTIONS * HTTP/1.1\r\nHost: a.example\r\nMax-Forwards: 0\r\n\r\n")
                    .status()).isEqualTo(200);
            assertThat(upstream.requests().size()).isZero();

            assertThat(send(proxy.address(), "OPTIONS /x HTTP/1.1\r\nHost: a.example\r\nMax-Forwards: 3\r\n\r\n")
                    .status()).isEqualTo(200);
            assertThat(send(proxy.address(), "GET / HTTP/1.1\r\nHost: a.example\r\nMax-Forwards: 0\r\n\r\n")
                    .status()).as("Max-Forwards means nothing to GET").isEqualTo(200);
            assertThat(upstream.nextRequest().head()).contains("Max-Forwards: 2\r\n");
            assertThat(upstream.nextRequest().head()).contains("Max-Forwards: 0\r\n");
        }
    }
}
