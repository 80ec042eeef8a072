package dev.synedge.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synedge.net.KernelState;
import dev.synedge.origin.Origin;
import dev.synedge.origin.OriginOptions;
import dev.synedge.testing.TestProxy;
import dev.synedge.testkit.KernelRequirement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * MPTCP metrics on both legs, with real MPTCP between two proxies: A's MPTCP cluster connects
 * to B's MPTCP listener, B forwards to the origin. A counts an upstream MPTCP connection with
 * its subflow, B an MPTCP client; A's own client, the JDK's plain TCP client, counts as plain
 * TCP on A's MPTCP listener.
 */
class MptcpMetricsTest {

    @BeforeEach
    void requireMptcp() {
        KernelRequirement.require(KernelState.mptcpEnabled(), "MPTCP", "net.mptcp.enabled is not 1");
    }

    @Test
    void subflowsOfMptcpClientsAndUpstreamsAreCountedWhenEstablished() throws Exception {
        try (Origin origin = Origin.start(OriginOptions.defaults());
             TestProxy b = TestProxy.start("""
                     synedge.admin.enabled = true
                     synedge.http.via = inner-tier
                     synedge.listeners = [ { name = inner, address = "127.0.0.1", port = 0, mptcp = true } ]
                     synedge.routes = [ { name = r, cluster = origin } ]
                     synedge.clusters.origin.endpoints = [ "127.0.0.1:%d" ]
                     """.formatted(origin.port()));
             TestProxy a = TestProxy.start("""
                     synedge.admin.enabled = true
                     synedge.listeners = [ { name = outer, address = "127.0.0.1", port = 0, mptcp = true } ]
                     synedge.routes = [ { name = r, cluster = b } ]
                     synedge.clusters.b { endpoints = [ "127.0.0.1:%d" ], mptcp = true }
                     """.formatted(b.port()))) {
            for (int i = 0; i < 2; i++) {
                assertThat(AdminClient.get(a.url("/hello")).body()).isEqualTo("hello");
            }

            Samples atA = new Samples(AdminClient.get(a.adminUrl("/metrics")).body());
            Samples atB = new Samples(AdminClient.get(b.adminUrl("/metrics")).body());

            assertThat(atA.value("synedge_upstream_connections_opened_total", "cluster", "b")).isEqualTo(1);
            assertThat(atA.value("synedge_upstream_mptcp_connections_total", "cluster", "b", "mode", "mptcp"))
                    .isEqualTo(1);
            assertThat(atA.value("synedge_upstream_mptcp_connections_total", "cluster", "b", "mode", "fallback"))
                    .isZero();
            assertThat(atA.value("synedge_upstream_mptcp_subflows_count", "cluster", "b")).isEqualTo(1);
            assertThat(atA.value("synedge_upstream_mptcp_subflows_sum", "cluster", "b"))
                    .as("one subflow: loopback has one path").isEqualTo(1);
            assertThat(atA.value("synedge_upstream_mptcp_subflow_rtt_seconds_count", "cluster", "b")).isEqualTo(1);
            assertThat(atA.value("synedge_upstream_mptcp_subflow_rtt_seconds_sum", "cluster", "b")).isPositive();
            assertThat(atA.value("synedge_client_mptcp_connections_total", "listener", "outer", "mode", "tcp"))
                    .as("the JDK's client speaks plain TCP").isEqualTo(1);
            assertThat(atA.value("synedge_client_mptcp_connections_total", "listener", "outer", "mode", "mptcp"))
                    .isZero();
            assertThat(atA.value("synedge_client_mptcp_subflows_count", "listener", "outer")).isZero();

            assertThat(atB.value("synedge_client_mptcp_connections_total", "listener", "inner", "mode", "mptcp"))
                    .as("A's upstream connection, seen from B").isEqualTo(1);
            assertThat(atB.value("synedge_client_mptcp_subflows_count", "listener", "inner")).isEqualTo(1);
            assertThat(atB.value("synedge_client_mptcp_subflow_rtt_seconds_sum", "listener", "inner")).isPositive();
            assertThat(atB.has("synedge_upstream_mptcp_connections_total")).as("B's cluster is plain TCP").isFalse();

            assertThat(Promtool.checkMetrics(atA.toString())).isEmpty();
            assertThat(Promtool.checkMetrics(atB.toString())).isEmpty();
        }
    }
}
