package dev.synedge.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synedge.accesslog.AccessRecord;
import dev.synedge.accesslog.SynData;
import dev.synedge.config.ConfigLoader;
import dev.synedge.net.FastOpenMode;
import dev.synedge.net.KernelState;
import dev.synedge.net.TcpExtCounters;
import dev.synedge.origin.Origin;
import dev.synedge.origin.OriginOptions;
import dev.synedge.testing.TestProxy;
import dev.synedge.testkit.KernelRequirement;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * {@code /metrics} against traffic the test sends through a real proxy to a real origin, read
 * by a real HTTP client: each figure is the count the traffic must have caused, and
 * {@code promtool} accepts the whole exposition.
 */
class MetricsTest {

    private static String config(int originPort, int closedPort) {
        return """
                synedge.admin.enabled = true
                synedge.listeners = [ { name = main, address = "127.0.0.1", port = 0 } ]
                synedge.routes = [
                  { name = r, match.path-prefix = "/hello", cluster = up }
                  { name = down, match.path-prefix = "/down", cluster = gone }
                ]
                synedge.clusters.up.endpoints = [ "127.0.0.1:%d" ]
                synedge.clusters.gone.endpoints = [ "127.0.0.1:%d" ]
                """.formatted(originPort, closedPort);
    }

    /** A loopback port nothing listens on: connections to it are refused. */
    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static Samples scrape(TestProxy proxy) throws Exception {
        HttpResponse<String> response = AdminClient.get(proxy.adminUrl("/metrics"));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/plain; version=0.0.4"));
        return new Samples(response.body());
    }

    private static void get(TestProxy proxy, String path, int status) throws Exception {
        assertThat(AdminClient.get(proxy.url(path)).statusCode()).as(path).isEqualTo(status);
    }

    @Test
    void exchangesTerminationsTimesAndConnectionsAreCountedAsTheTrafficWent() throws Exception {
        try (Origin origin = Origin.start(OriginOptions.defaults());
             TestProxy proxy = TestProxy.start(config(origin.port(), closedPort()))) {
            for (int i = 0; i < 3; i++) {
                get(proxy, "/hello", 200);
            }
            get(proxy, "/nowhere", 404);
            get(proxy, "/down", 502);

            Samples m = scrape(proxy);

            assertThat(m.value("synedge_exchanges_total", "listener", "main", "route", "r", "cluster", "up",
                    "status_class", "2xx")).isEqualTo(3);
            assertThat(m.value("synedge_exchanges_total", "route", "r")).as("r, every class").isEqualTo(3);
            assertThat(m.value("synedge_exchanges_total", "route", "", "cluster", "", "status_class", "4xx"))
                    .as("no route: 404").isEqualTo(1);
            assertThat(m.value("synedge_exchanges_total", "route", "down", "cluster", "gone", "status_class", "5xx"))
                    .isEqualTo(1);
            assertThat(m.value("synedge_exchange_terminations_total", "route", "down", "termination",
                    "upstream-refused")).isEqualTo(1);
            assertThat(m.value("synedge_exchange_terminations_total", "route", "down")).isEqualTo(1);
            assertThat(m.value("synedge_exchange_terminations_total", "route", "r")).isZero();
            assertThat(m.value("synedge_exchange_duration_seconds_count", "route", "r", "cluster", "up")).isEqualTo(3);
            assertThat(m.value("synedge_exchange_duration_seconds_bucket", "route", "r", "le", "+Inf")).isEqualTo(3);
            assertThat(m.value("synedge_exchange_duration_seconds_sum", "route", "r")).isPositive();
            assertThat(m.value("synedge_exchange_first_byte_seconds_count", "route", "r")).isEqualTo(3);
            assertThat(m.value("synedge_exchange_first_byte_seconds_count", "route", "down"))
                    .as("no response byte came").isZero();

            String up = "127.0.0.1:" + origin.port();
            assertThat(m.value("synedge_upstream_connections_opened_total", "cluster", "up", "endpoint", up))
                    .isEqualTo(1);
            assertThat(m.value("synedge_upstream_connections_reused_total", "cluster", "up", "endpoint", up))
                    .isEqualTo(2);
            assertThat(m.value("synedge_upstream_connect_seconds_count", "cluster", "up")).isEqualTo(1);
            assertThat(m.value("synedge_upstream_connections_opened_total", "cluster", "gone"))
                    .as("a refused connect and its retry").isEqualTo(2);
            assertThat(m.value("synedge_pool_connections", "cluster", "up", "state", "idle")).isEqualTo(1);
            assertThat(m.value("synedge_pool_connections", "cluster", "up", "state", "active")).isZero();
            assertThat(m.value("synedge_upstream_rtt_seconds", "cluster", "up")).isPositive();
            assertThat(m.value("synedge_response_body_bytes_total", "cluster", "up", "path", "copied"))
                    .as("3 x hello").isEqualTo(15);
            assertThat(m.value("synedge_server_state", "state", "running")).isEqualTo(1);
            assertThat(m.value("synedge_client_connections")).as("the client's keep-alive connection").isEqualTo(1);
            assertThat(m.value("process_open_fds")).isPositive();
            assertThat(m.value("jvm_memory_used_bytes", "area", "heap")).isPositive();
            assertThat(m.has("jvm_gc_collection_seconds_count")).isTrue();

            assertThat(Promtool.checkMetrics(m.toString())).isEmpty();
        }
    }

    @Test
    void countersOutliveAReloadThatRebuildsRoutesAndClusters() throws Exception {
        try (Origin origin = Origin.start(OriginOptions.defaults());
             TestProxy proxy = TestProxy.start(config(origin.port(), closedPort()))) {
            get(proxy, "/hello", 200);
            get(proxy, "/hello", 200);
            proxy.server().reload(ConfigLoader.load("synedge.admin.port = 0\n" + config(origin.port(), closedPort())
                    + "synedge.http.via = reloaded\n", "reloaded config"));
            for (int i = 0; i < 3; i++) {
                get(proxy, "/hello", 200);
            }

            Samples m = scrape(proxy);

            assertThat(m.value("synedge_exchanges_total", "route", "r", "status_class", "2xx")).isEqualTo(5);
            assertThat(m.value("synedge_exchange_duration_seconds_count", "route", "r")).isEqualTo(5);
            assertThat(m.value("synedge_upstream_connections_opened_total", "cluster", "up"))
                    .as("the reload retired the pooled connection: one new after it").isEqualTo(2);
            assertThat(m.value("synedge_upstream_connections_reused_total", "cluster", "up")).isEqualTo(3);
            assertThat(m.value("synedge_upstream_retransmits_total", "cluster", "up"))
                    .as("read from the retired connection as it closed").isZero();
            assertThat(m.value("synedge_pool_connections", "cluster", "up", "state", "idle")).isEqualTo(1);
        }
    }

    @Test
    void upstreamFastOpenOutcomesAreCountedAsTcpInfoReportedThem() throws Exception {
        FastOpenMode mode = KernelState.fastOpenMode();
        KernelRequirement.require(mode.clientEnabled() && mode.serverEnabled(), "TCP Fast Open",
                "net.ipv4.tcp_fastopen=" + mode.value() + " lacks 0x1 or 0x2; set it to 3");
        try (Origin origin = Origin.start(OriginOptions.defaults().withFastOpenQueue(64));
             TestProxy proxy = TestProxy.start(config(origin.port(), closedPort()) + """
                     synedge.clusters.up { fastopen = on, pool.max-idle = 0 }
                     """)) {
            TcpExtCounters before = TcpExtCounters.read();
            Samples first = scrape(proxy);
            int requests = 4;
            int synData = 0;
            for (int i = 0; i < requests; i++) {
                get(proxy, "/hello", 200);
                AccessRecord exchange = proxy.nextExchange();
                if (exchange.upstreamSynData() == SynData.YES) {
                    synData++;
                }
            }
            // the first connection fetches a cookie at the latest; the others use it
            assertThat(synData).as("requests that rode in the upstream SYN (TCP_INFO)").isGreaterThanOrEqualTo(3);

            Samples m = scrape(proxy);

            String up = "127.0.0.1:" + origin.port();
            assertThat(m.value("synedge_upstream_fastopen_total", "cluster", "up", "endpoint", up, "outcome",
                    "syn-data-acked")).isEqualTo(synData);
            assertThat(m.value("synedge_upstream_fastopen_total", "cluster", "up", "outcome", "cookie-requested"))
                    .isEqualTo(requests - synData);
            assertThat(m.value("synedge_upstream_fastopen_total", "cluster", "up")).isEqualTo(requests);
            assertThat(m.value("synedge_upstream_connections_opened_total", "cluster", "up")).isEqualTo(requests);
            assertThat(m.value("synedge_upstream_fastopen_backoff", "cluster", "up", "stage", "clear")).isEqualTo(1);
            long kernelActive = TcpExtCounters.read().minus(before).get("TCPFastOpenActive");
            assertThat(m.value("synedge_kernel_tcp_fastopen_active_total")
                    - first.value("synedge_kernel_tcp_fastopen_active_total"))
                    .as("the kernel's count moved with synedge's SYN data")
                    .isGreaterThanOrEqualTo(synData).isLessThanOrEqualTo(kernelActive);
        }
    }
}
