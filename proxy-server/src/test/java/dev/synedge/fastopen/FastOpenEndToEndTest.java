package dev.synedge.fastopen;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synedge.accesslog.AccessRecord;
import dev.synedge.accesslog.SynData;
import dev.synedge.accesslog.UpstreamConnection;
import dev.synedge.net.FastOpenMode;
import dev.synedge.net.KernelState;
import dev.synedge.net.TcpExtCounters;
import dev.synedge.origin.Origin;
import dev.synedge.origin.OriginOptions;
import dev.synedge.testing.Curl;
import dev.synedge.testing.Nginx;
import dev.synedge.testing.PacketCapture;
import dev.synedge.testing.TestProxy;
import dev.synedge.testkit.KernelRequirement;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The point of synedge, end to end: with cookies cached, a cold request from curl
 * {@code --tcp-fastopen} rides in the client's SYN to synedge, and synedge's forwarded request
 * rides in its SYN to the upstream (nginx, or our origin). Checked three ways: a packet capture
 * of the SYNs' payload lengths, TCP_INFO as reported in the access record, and the TcpExt
 * counters. Upstream pools are off so every exchange opens a new upstream connection.
 */
class FastOpenEndToEndTest {

    @BeforeEach
    void requireFastOpen() {
        FastOpenMode mode = KernelState.fastOpenMode();
        KernelRequirement.require(mode.clientEnabled() && mode.serverEnabled(), "TCP Fast Open",
                "net.ipv4.tcp_fastopen=" + mode.value() + " lacks 0x1 or 0x2; set it to 3");
    }

    @Test
    void throughSynedgeToNginxBothSynsCarryTheRequest() throws Exception {
        try (Nginx nginx = Nginx.start("127.0.0.1", 64)) {
            assertBothLegsUseSynData(nginx.port(), "nginx-hello");
        }
    }

    @Test
    void throughSynedgeToTheTestOriginBothSynsCarryTheRequest() throws Exception {
        try (Origin origin = Origin.start(OriginOptions.defaults().withFastOpenQueue(64))) {
            assertBothLegsUseSynData(origin.port(), "hello");
            assertThat(origin.stats().connectionsWithSynData()).isPositive();
        }
    }

    private static void assertBothLegsUseSynData(int upstreamPort, String body) throws Exception {
        try (TestProxy proxy = TestProxy.start(config(upstreamPort, 1))) {
            warmUp(proxy);
            TcpExtCounters before = TcpExtCounters.read();
            try (PacketCapture capture = PacketCapture.synsTo(proxy.port(), upstreamPort)) {
                Curl.Result result = Curl.run("--tcp-fastopen", proxy.url("/hello"));
                assertThat(result.body()).as(result.stderr()).isEqualTo(body);
                AccessRecord exchange = proxy.nextExchange();
                assertThat(exchange.clientSynData()).as("client SYN data (TCP_INFO of the accepted socket)")
                        .isEqualTo(SynData.YES);
                assertThat(exchange.upstreamConnection()).isEqualTo(UpstreamConnection.NEW);
                assertThat(exchange.upstreamSynData()).as("upstream SYN data acked (TCP_INFO)").isEqualTo(SynData.YES);

                List<PacketCapture.Syn> syns = capture.awaitSyns(2);
                PacketCapture.Syn toProxy = only(syns, proxy.port());
                PacketCapture.Syn toUpstream = only(syns, upstreamPort);
                assertThat(toProxy.payloadLength()).as("curl's SYN to synedge carries the request").isPositive();
                assertThat(toUpstream.payloadLength()).as("synedge's SYN to the upstream carries the request")
                        .isPositive();
            }
            TcpExtCounters delta = TcpExtCounters.read().minus(before);
            assertThat(delta.get("TCPFastOpenActive")).as("curl's and synedge's SYN data acked").isGreaterThanOrEqualTo(2);
            assertThat(delta.get("TCPFastOpenPassive")).as("synedge and the upstream took SYN data").isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void aRequestThatIsNotReplaySafeNeverRidesInTheUpstreamSyn() throws Exception {
        try (Origin origin = Origin.start(OriginOptions.defaults().withFastOpenQueue(64));
             TestProxy proxy = TestProxy.start(config(origin.port(), 1))) {
            warmUp(proxy);
            try (PacketCapture capture = PacketCapture.synsTo(origin.port())) {
                Curl.Result result = Curl.run("-X", "POST", "--data-binary", "payload", proxy.url("/upload"));
                assertThat(result.body()).as(result.stderr()).contains("7");
                AccessRecord exchange = proxy.nextExchange();
                assertThat(exchange.upstreamConnection()).isEqualTo(UpstreamConnection.NEW);
                assertThat(exchange.upstreamSynData()).isEqualTo(SynData.NO);
                assertThat(capture.awaitSyns(1)).singleElement()
                        .satisfies(syn -> assertThat(syn.payloadLength()).as("plain SYN for a POST").isZero());
            }
        }
    }

    @Test
    void withFastOpenOffForTheClusterTheUpstreamSynIsPlain() throws Exception {
        try (Origin origin = Origin.start(OriginOptions.defaults().withFastOpenQueue(64));
             TestProxy proxy = TestProxy.start(config(origin.port(), 1)
                     + "synedge.clusters.up.fastopen = off\n")) {
            warmUp(proxy);
            try (PacketCapture capture = PacketCapture.synsTo(origin.port())) {
                assertThat(Curl.run(proxy.url("/hello")).body()).isEqualTo("hello");
                assertThat(proxy.nextExchange().upstreamSynData()).isEqualTo(SynData.NO);
                assertThat(capture.awaitSyns(1)).singleElement()
                        .satisfies(syn -> assertThat(syn.payloadLength()).isZero());
            }
        }
    }

    /** A cookie for synedge at curl's side and one for the upstream at synedge's side. */
    private static void warmUp(TestProxy proxy) throws Exception {
        for (int i = 0; i < 2; i++) {
            Curl.Result result = Curl.run("--tcp-fastopen", "-o", "/dev/null", proxy.url("/hello"));
            assertThat(result.exit()).as(result.stderr()).isZero();
            proxy.nextExchange();
        }
    }

    static String config(int upstreamPort, int eventLoops) {
        return """
                synedge.event-loops = %d
                synedge.listeners = [ { name = main, address = "127.0.0.1", port = 0, fastopen-queue = 64 } ]
                synedge.routes = [ { name = all, cluster = up } ]
                synedge.clusters.up {
                  endpoints = [ "127.0.0.1:%d" ]
                  fastopen = on
                  pool.max-idle = 0
                }
                """.formatted(eventLoops, upstreamPort);
    }

    private static PacketCapture.Syn only(List<PacketCapture.Syn> syns, int port) {
        List<PacketCapture.Syn> matching = syns.stream().filter(s -> s.destinationPort() == port).toList();
        assertThat(matching).as("SYNs to port " + port + " in " + syns).hasSize(1);
        return matching.get(0);
    }

    static InetAddress loopback() {
        return InetAddress.getLoopbackAddress();
    }
}
