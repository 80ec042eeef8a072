package dev.synedge.admin;

import dev.synedge.config.ClusterConfig;
import dev.synedge.config.EndpointConfig;
import dev.synedge.exchange.LoopMetrics;
import dev.synedge.health.ClusterHealth;
import dev.synedge.net.AddressText;
import dev.synedge.server.ProxyServer;
import dev.synedge.upstream.Endpoint;
import dev.synedge.upstream.EndpointCounters;
import dev.synedge.upstream.EndpointState;
import dev.synedge.upstream.FastOpenOutcome;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET /endpoints}: every endpoint synedge knows, as JSON: those of the current
 * configuration's clusters (in their order), then those only the endpoint state cache still
 * remembers (a reload removed them; {@code cluster} null). For each: its health (whether it
 * takes new exchanges, what the active checks say, whether outlier detection ejected it and
 * for how much longer), its Fast Open backoff (stage, failures, until when a pause lasts,
 * outcomes), its RTT, and the connections the event loops counted. Fast Open and RTT belong
 * to the address, shared by every cluster that has it (as the kernel's cookie cache is);
 * health and the connection counts are per cluster.
 */
final class EndpointsJson {

    private EndpointsJson() {}

    private record Key(String cluster, String endpoint) {}

    static String render(ProxyServer server, List<LoopMetrics.Snapshot> loops) {
        Map<Key, EndpointCounters.Snapshot> counters = new LinkedHashMap<>();
        Map<Key, int[]> pools = new LinkedHashMap<>();
        for (LoopMetrics.Snapshot loop : loops) {
            for (LoopMetrics.Endpoint e : loop.endpoints()) {
                counters.merge(new Key(e.cluster(), e.endpoint()), e.counters(), EndpointCounters.Snapshot::plus);
            }
            for (LoopMetrics.Pool p : loop.pools()) {
                int[] sum = pools.computeIfAbsent(new Key(p.cluster(), p.endpoint()), k -> new int[2]);
                sum[0] += p.open();
                sum[1] += p.idle();
            }
        }
        Map<InetSocketAddress, EndpointState> states = server.endpointStates().all();
        Map<String, ClusterHealth> health = server.health();
        Set<InetSocketAddress> configured = new HashSet<>();
        long now = System.nanoTime();
        Json out = new Json().beginObject().key("endpoints").beginArray();
        for (ClusterConfig cluster : server.config().clusters().values()) {
            ClusterHealth clusterHealth = health.get(cluster.name());
            for (int i = 0; i < cluster.endpoints().size(); i++) {
                EndpointConfig endpoint = cluster.endpoints().get(i);
                configured.add(endpoint.address());
                Key key = new Key(cluster.name(), AddressText.of(endpoint.address()));
                ClusterHealth.Status status = clusterHealth != null && i < clusterHealth.size()
                        ? clusterHealth.status(i) : null;
                endpoint(out, key, cluster.fastopen(), status, states.get(endpoint.address()), counters.get(key),
                        pools.get(key), now);
            }
        }
        states.forEach((address, state) -> {
            if (!configured.contains(address)) {
                endpoint(out, new Key(null, AddressText.of(address)), null, null, state, null, null, now);
            }
        });
        return out.endArray().endObject().toString();
    }

    private static void endpoint(Json out, Key key, Boolean fastOpenOn, ClusterHealth.Status health,
                                 EndpointState state, EndpointCounters.Snapshot counters, int[] pool, long now) {
        out.beginObject();
        out.key("cluster").value(key.cluster());
        out.key("endpoint").value(key.endpoint());
        out.key("configured").value(key.cluster() != null);
        health(out, health);
        out.key("fastopen").beginObject();
        if (fastOpenOn == null) {
            out.key("enabled").nullValue();
        } else {
            out.key("enabled").value(fastOpenOn);
        }
        EndpointState.Stage stage = state == null ? EndpointState.Stage.CLEAR : state.stage(now);
        out.key("backoff").value(stage.name().toLowerCase(Locale.ROOT));
        out.key("failures").value(state == null ? 0 : state.failures());
        long until = state == null ? 0 : state.pausedUntilNanos();
        if (stage == EndpointState.Stage.PAUSED) {
            out.key("paused_until").value(Instant.now().plusNanos(until - now).toString());
        } else {
            out.key("paused_until").nullValue();
        }
        out.key("pause_seconds").value(state == null ? 0 : state.pauseNanos() / 1e9);
        out.key("pauses").value(state == null ? 0 : state.pauses());
        out.key("resumes").value(state == null ? 0 : state.resumes());
        out.key("outcomes").beginObject();
        for (FastOpenOutcome outcome : FastOpenOutcome.values()) {
            out.key(outcome.name().toLowerCase(Locale.ROOT).replace('_', '-'))
                    .value(state == null ? 0 : state.count(outcome));
        }
        out.endObject().endObject();
        if (state == null || state.rttMicros() == 0) {
            out.key("rtt_seconds").nullValue();
            out.key("min_rtt_seconds").nullValue();
        } else {
            out.key("rtt_seconds").value(state.rttMicros() / 1e6);
            out.key("min_rtt_seconds").value(state.minRttMicros() / 1e6);
        }
        out.key("connections").beginObject();
        out.key("opened").value(counters == null ? 0 : counters.opened());
        out.key("reused").value(counters == null ? 0 : counters.reused());
        out.key("active").value(pool == null ? 0 : pool[0] - pool[1]);
        out.key("idle").value(pool == null ? 0 : pool[1]);
        out.key("retransmits").value(counters == null ? 0 : counters.retransmits());
        out.endObject();
        out.endObject();
    }

    /** Outlier detection and active checks; null for an endpoint no current cluster has. */
    private static void health(Json out, ClusterHealth.Status health) {
        if (health == null) {
            out.key("health").nullValue();
            return;
        }
        out.key("health").beginObject();
        out.key("available").value(health.available());
        out.key("healthy").value(health.healthy());
        out.key("ejected").value(health.ejected());
        out.key("ejected_for_seconds").value(health.ejectedFor().toNanos() / 1e9);
        out.key("ejections_in_a_row").value(health.ejections());
        out.key("ejections").value(health.ejectionsTotal());
        out.key("failures_in_a_row").value(health.failures());
        out.endObject();
    }
}
