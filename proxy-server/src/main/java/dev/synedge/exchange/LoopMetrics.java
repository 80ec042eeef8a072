package dev.synedge.exchange;

import dev.synedge.body.BodyCounters;
import dev.synedge.config.ListenerConfig;
import dev.synedge.metrics.MptcpCounters;
import dev.synedge.routing.Route;
import dev.synedge.upstream.ClusterCounters;
import dev.synedge.upstream.EndpointCounters;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One event loop's counters for metrics, kept by name so that they survive reloads (routes and
 * clusters are rebuilt per configuration snapshot): exchanges per listener, route and cluster,
 * upstream counters per cluster ({@link ClusterCounters}), MPTCP clients per listener. Touched
 * by its loop only. Finding an exchange's series allocates nothing once its route was seen:
 * per listener, an array indexed by {@link Route#index()} remembers the route it was bound to.
 */
public final class LoopMetrics {

    private record Key(String listener, String route, String cluster) {}

    private final Map<Key, ExchangeSeries> series = new LinkedHashMap<>();
    private final Map<String, Routes> listeners = new HashMap<>();
    private final Map<String, ClusterCounters> clusters = new LinkedHashMap<>();
    private final Map<String, MptcpCounters> clientMptcp = new LinkedHashMap<>();

    /** A listener's series by route, for the routes of the configuration snapshot it last saw. */
    private final class Routes {
        private final String listener;
        private ExchangeSeries unrouted;
        private Route[] bound = new Route[0];
        private ExchangeSeries[] byIndex = new ExchangeSeries[0];

        Routes(String listener) {
            this.listener = listener;
        }

        ExchangeSeries of(Route route) {
            if (route == null) {
                if (unrouted == null) {
                    unrouted = seriesOf(listener, "", "");
                }
                return unrouted;
            }
            int i = route.index();
            if (i < bound.length && bound[i] == route) {
                return byIndex[i];
            }
            if (i >= bound.length) {
                bound = Arrays.copyOf(bound, i + 1);
                byIndex = Arrays.copyOf(byIndex, i + 1);
            }
            bound[i] = route;
            byIndex[i] = seriesOf(listener, route.name(), route.cluster());
            return byIndex[i];
        }
    }

    private ExchangeSeries seriesOf(String listener, String route, String cluster) {
        return series.computeIfAbsent(new Key(listener, route, cluster),
                key -> new ExchangeSeries(key.listener(), key.route(), key.cluster()));
    }

    /** The series of exchanges that {@code listener} accepted and {@code route} took (null: no route). */
    ExchangeSeries exchanges(ListenerConfig listener, Route route) {
        Routes routes = listeners.get(listener.name());
        if (routes == null) {
            routes = new Routes(listener.name());
            listeners.put(listener.name(), routes);
        }
        return routes.of(route);
    }

    /** The counters of the cluster named {@code name}, made on first use. */
    ClusterCounters cluster(String name) {
        return clusters.computeIfAbsent(name, n -> new ClusterCounters());
    }

    /** The MPTCP clients of the listener named {@code name}, made on first use. */
    MptcpCounters clientMptcp(String name) {
        return clientMptcp.computeIfAbsent(name, n -> new MptcpCounters());
    }

    /** Copies of everything counted, with the loop's body counters, and its pools and load now. */
    Snapshot snapshot(Map<String, BodyCounters> body, List<Pool> pools, LoopContext.Load load) {
        List<ExchangeSeries.Snapshot> exchanges = series.values().stream().map(ExchangeSeries::snapshot).toList();
        List<Endpoint> endpoints = new ArrayList<>();
        Map<String, MptcpCounters> upstreamMptcp = new LinkedHashMap<>();
        clusters.forEach((cluster, counters) -> {
            counters.endpoints().forEach((endpoint, c) -> endpoints.add(new Endpoint(cluster, endpoint, c.snapshot())));
            upstreamMptcp.put(cluster, counters.mptcp().copy());
        });
        Map<String, MptcpCounters> clients = new LinkedHashMap<>();
        clientMptcp.forEach((listener, counters) -> clients.put(listener, counters.copy()));
        Map<String, BodyCounters.Snapshot> bodies = new LinkedHashMap<>();
        body.forEach((cluster, counters) -> bodies.put(cluster, counters.snapshot()));
        return new Snapshot(exchanges, endpoints, pools, upstreamMptcp, clients, bodies, load);
    }

    /** One endpoint's counters on one loop. */
    public record Endpoint(String cluster, String endpoint, EndpointCounters.Snapshot counters) {}

    /** One endpoint's pool on one loop now: connections open, and how many of them are idle. */
    public record Pool(String cluster, String endpoint, int open, int idle) {}

    /**
     * What one loop counted, as copies that no longer change.
     *
     * @param exchanges     per listener, route and cluster
     * @param endpoints     per cluster and endpoint
     * @param pools         the pools of the current configuration's clusters
     * @param upstreamMptcp MPTCP upstream connections per cluster
     * @param clientMptcp   MPTCP client connections per listener
     * @param body          response body bytes per cluster
     * @param load          client connections open and exchanges in flight
     */
    public record Snapshot(List<ExchangeSeries.Snapshot> exchanges, List<Endpoint> endpoints, List<Pool> pools,
                           Map<String, MptcpCounters> upstreamMptcp, Map<String, MptcpCounters> clientMptcp,
                           Map<String, BodyCounters.Snapshot> body, LoopContext.Load load) {}
}
