package dev.synedge.admin;

import dev.synedge.accesslog.Termination;
import dev.synedge.body.BodyCounters;
import dev.synedge.config.ClusterConfig;
import dev.synedge.config.EndpointConfig;
import dev.synedge.config.ListenerConfig;
import dev.synedge.config.ProxyConfig;
import dev.synedge.exchange.ExchangeSeries;
import dev.synedge.exchange.LoopContext;
import dev.synedge.exchange.LoopMetrics;
import dev.synedge.health.ClusterHealth;
import dev.synedge.metrics.Histogram;
import dev.synedge.metrics.MptcpCounters;
import dev.synedge.net.AddressText;
import dev.synedge.net.TcpExtCounters;
import dev.synedge.server.ProxyServer;
import dev.synedge.upstream.Endpoint;
import dev.synedge.upstream.EndpointCounters;
import dev.synedge.upstream.EndpointState;
import dev.synedge.upstream.FastOpenOutcome;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * synedge's own metrics, built at scrape time: each event loop's counters are copied on that
 * loop ({@link ProxyServer#loopMetrics}) and added up here, so that the loops count with plain
 * fields and pay nothing for a scrape they do not see. Endpoint state (RTT, Fast Open backoff)
 * is read from the shared cache without touching its expiry; the kernel's Fast Open counters
 * from {@code /proc/net/netstat}.
 */
final class SynedgeCollector implements MultiCollector {

    private static final double NANOS_PER_SECOND = 1e9;

    private final Supplier<ProxyServer> server;

    /** {@code server}: the running server, null while it starts (then only the kernel's counters are reported). */
    SynedgeCollector(Supplier<ProxyServer> server) {
        this.server = server;
    }

    @Override
    public MetricSnapshots collect() {
        List<MetricSnapshot> out = new ArrayList<>();
        ProxyServer proxy = server.get();
        if (proxy != null) {
            List<LoopMetrics.Snapshot> loops;
            try {
                loops = proxy.loopMetrics();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while reading the event loops' counters", e);
            }
            ProxyConfig config = proxy.config();
            server(out, proxy, loops);
            exchanges(out, loops);
            endpoints(out, loops, proxy, config);
            mptcp(out, loops, config);
            body(out, loops);
        }
        kernel(out);
        netty(out);
        return new MetricSnapshots(out);
    }

    private static void server(List<MetricSnapshot> out, ProxyServer proxy, List<LoopMetrics.Snapshot> loops) {
        Gauge state = new Gauge("synedge_server_state",
                "1 for the state the proxy is in (running, draining, stopped), 0 for the others");
        for (ProxyServer.State s : ProxyServer.State.values()) {
            state.add(s == proxy.state() ? 1 : 0, "state", word(s));
        }
        out.add(state.build());
        LoopContext.Load load = LoopContext.Load.ZERO;
        for (LoopMetrics.Snapshot loop : loops) {
            load = load.plus(loop.load());
        }
        out.add(new Gauge("synedge_client_connections", "Client connections open").add(load.connections()).build());
        out.add(new Gauge("synedge_exchanges_in_flight", "Exchanges under way").add(load.exchanges()).build());
    }

    private record SeriesKey(String listener, String route, String cluster) {}

    private record RouteKey(String route, String cluster) {}

    private static void exchanges(List<MetricSnapshot> out, List<LoopMetrics.Snapshot> loops) {
        Map<SeriesKey, long[]> statuses = new LinkedHashMap<>();
        Map<SeriesKey, long[]> terminations = new LinkedHashMap<>();
        Map<RouteKey, Histogram> durations = new LinkedHashMap<>();
        Map<RouteKey, Histogram> firstBytes = new LinkedHashMap<>();
        for (LoopMetrics.Snapshot loop : loops) {
            for (ExchangeSeries.Snapshot s : loop.exchanges()) {
                SeriesKey key = new SeriesKey(s.listener(), s.route(), s.cluster());
                add(statuses.computeIfAbsent(key, k -> new long[s.statusClasses().length]), s.statusClasses());
                add(terminations.computeIfAbsent(key, k -> new long[s.terminations().length]), s.terminations());
                RouteKey route = new RouteKey(s.route(), s.cluster());
                merge(durations, route, s.duration());
                merge(firstBytes, route, s.firstByte());
            }
        }
        Counter exchanges = new Counter("synedge_exchanges",
                "Exchanges ended, by listener, route, cluster and the class of the status sent (none: no response);"
                        + " route and cluster are empty for requests no route took");
        statuses.forEach((k, counts) -> {
            for (int c = 0; c < counts.length; c++) {
                exchanges.add(counts[c], "listener", k.listener(), "route", k.route(), "cluster", k.cluster(),
                        "status_class", c == 0 ? "none" : c + "xx");
            }
        });
        out.add(exchanges.build());
        Counter ended = new Counter("synedge_exchange_terminations",
                "Exchanges that did not run their course, by termination (the access log's words)");
        terminations.forEach((k, counts) -> {
            for (Termination t : Termination.values()) {
                if (t != Termination.COMPLETED) {
                    ended.add(counts[t.ordinal()], "listener", k.listener(), "route", k.route(), "cluster",
                            k.cluster(), "termination", t.word());
                }
            }
        });
        out.add(ended.build());
        HistogramFamily duration = new HistogramFamily("synedge_exchange_duration_seconds",
                "Exchanges from the first request byte to the last response byte, by route and cluster");
        durations.forEach((k, h) -> duration.add(h, NANOS_PER_SECOND, "route", k.route(), "cluster", k.cluster()));
        out.add(duration.build());
        HistogramFamily firstByte = new HistogramFamily("synedge_exchange_first_byte_seconds",
                "From the request sent upstream to the first response byte, by route and cluster");
        firstBytes.forEach((k, h) -> firstByte.add(h, NANOS_PER_SECOND, "route", k.route(), "cluster", k.cluster()));
        out.add(firstByte.build());
    }

    private record EndpointKey(String cluster, String endpoint) {}

    private static void endpoints(List<MetricSnapshot> out, List<LoopMetrics.Snapshot> loops, ProxyServer proxy,
                                  ProxyConfig config) {
        Map<EndpointKey, EndpointCounters.Snapshot> counters = new LinkedHashMap<>();
        Map<EndpointKey, int[]> pools = new LinkedHashMap<>();
        for (LoopMetrics.Snapshot loop : loops) {
            for (LoopMetrics.Endpoint e : loop.endpoints()) {
                counters.merge(new EndpointKey(e.cluster(), e.endpoint()), e.counters(), EndpointCounters.Snapshot::plus);
            }
            for (LoopMetrics.Pool p : loop.pools()) {
                int[] sum = pools.computeIfAbsent(new EndpointKey(p.cluster(), p.endpoint()), k -> new int[2]);
                sum[0] += p.open();
                sum[1] += p.idle();
            }
        }
        Counter opened = new Counter("synedge_upstream_connections_opened",
                "New upstream connections, by cluster and endpoint");
        Counter reused = new Counter("synedge_upstream_connections_reused",
                "Exchanges that took an idle pooled upstream connection, by cluster and endpoint");
        Counter fastOpen = new Counter("synedge_upstream_fastopen",
                "New upstream connections that tried Fast Open, by outcome: syn-data-acked (the request rode in"
                        + " the SYN), cookie-requested, data-not-acked (refused), syn-retransmitted (fell back),"
                        + " connection-failed, unknown");
        Counter retransmits = new Counter("synedge_upstream_retransmits",
                "Retransmitted segments of closed upstream connections (TCP_INFO total_retrans)");
        Map<String, Histogram> connect = new LinkedHashMap<>();
        counters.forEach((k, c) -> {
            opened.add(c.opened(), "cluster", k.cluster(), "endpoint", k.endpoint());
            reused.add(c.reused(), "cluster", k.cluster(), "endpoint", k.endpoint());
            for (FastOpenOutcome outcome : FastOpenOutcome.values()) {
                if (outcome != FastOpenOutcome.NOT_TRIED) {
                    fastOpen.add(c.fastOpen(outcome), "cluster", k.cluster(), "endpoint", k.endpoint(), "outcome",
                            word(outcome));
                }
            }
            retransmits.add(c.retransmits(), "cluster", k.cluster(), "endpoint", k.endpoint());
            merge(connect, k.cluster(), c.connect());
        });
        out.add(opened.build());
        out.add(reused.build());
        out.add(fastOpen.build());
        out.add(retransmits.build());
        HistogramFamily connectTime = new HistogramFamily("synedge_upstream_connect_seconds",
                "New upstream connections from connect() to established, by cluster");
        connect.forEach((cluster, h) -> connectTime.add(h, NANOS_PER_SECOND, "cluster", cluster));
        out.add(connectTime.build());
        Gauge poolConnections = new Gauge("synedge_pool_connections",
                "Upstream connections of the current configuration's pools, by state: active (carrying an"
                        + " exchange) or idle");
        pools.forEach((k, p) -> {
            poolConnections.add(p[0] - p[1], "cluster", k.cluster(), "endpoint", k.endpoint(), "state", "active");
            poolConnections.add(p[1], "cluster", k.cluster(), "endpoint", k.endpoint(), "state", "idle");
        });
        out.add(poolConnections.build());
        endpointStates(out, proxy, config);
        endpointHealth(out, proxy, config);
    }

    /** Outlier detection and active checks of each configured endpoint. */
    private static void endpointHealth(List<MetricSnapshot> out, ProxyServer proxy, ProxyConfig config) {
        Gauge available = new Gauge("synedge_upstream_endpoint_available",
                "1 if the endpoint takes new exchanges: its active checks pass (or there are none) and outlier"
                        + " detection has not ejected it");
        Gauge healthy = new Gauge("synedge_upstream_endpoint_healthy",
                "1 if the endpoint's active health checks pass (or there are none)");
        Gauge ejected = new Gauge("synedge_upstream_endpoint_ejected",
                "1 while outlier detection has the endpoint ejected");
        Counter ejections = new Counter("synedge_upstream_endpoint_ejections",
                "Times outlier detection ejected the endpoint");
        Map<String, ClusterHealth> health = proxy.health();
        for (ClusterConfig cluster : config.clusters().values()) {
            ClusterHealth clusterHealth = health.get(cluster.name());
            for (int i = 0; clusterHealth != null && i < Math.min(clusterHealth.size(), cluster.endpoints().size()); i++) {
                ClusterHealth.Status status = clusterHealth.status(i);
                String name = AddressText.of(cluster.endpoints().get(i).address());
                available.add(status.available() ? 1 : 0, "cluster", cluster.name(), "endpoint", name);
                healthy.add(status.healthy() ? 1 : 0, "cluster", cluster.name(), "endpoint", name);
                ejected.add(status.ejected() ? 1 : 0, "cluster", cluster.name(), "endpoint", name);
                ejections.add(status.ejectionsTotal(), "cluster", cluster.name(), "endpoint", name);
            }
        }
        out.add(available.build());
        out.add(healthy.build());
        out.add(ejected.build());
        out.add(ejections.build());
    }

    /** What the shared endpoint state knows of each configured endpoint: RTT and the Fast Open backoff. */
    private static void endpointStates(List<MetricSnapshot> out, ProxyServer proxy, ProxyConfig config) {
        Gauge rtt = new Gauge("synedge_upstream_rtt_seconds",
                "Smoothed RTT of new upstream connections to the endpoint (TCP_INFO, 1/8 weight per connection)");
        Gauge minRtt = new Gauge("synedge_upstream_min_rtt_seconds",
                "Lowest RTT of a new upstream connection to the endpoint");
        Gauge backoff = new Gauge("synedge_upstream_fastopen_backoff",
                "1 for the stage of the endpoint's Fast Open backoff (clear, failing, paused, probing), 0 for the others");
        Counter transitions = new Counter("synedge_upstream_fastopen_backoff_transitions",
                "Fast Open backoff transitions of the endpoint: pause (Fast Open stopped), resume (it works again)");
        long now = System.nanoTime();
        for (ClusterConfig cluster : config.clusters().values()) {
            for (EndpointConfig endpoint : cluster.endpoints()) {
                EndpointState state = proxy.endpointStates().peekQuietly(endpoint.address());
                if (state == null) {
                    continue;
                }
                String name = AddressText.of(endpoint.address());
                if (state.rttMicros() > 0) {
                    rtt.add(state.rttMicros() / 1e6, "cluster", cluster.name(), "endpoint", name);
                    minRtt.add(state.minRttMicros() / 1e6, "cluster", cluster.name(), "endpoint", name);
                }
                EndpointState.Stage stage = state.stage(now);
                for (EndpointState.Stage s : EndpointState.Stage.values()) {
                    backoff.add(s == stage ? 1 : 0, "cluster", cluster.name(), "endpoint", name, "stage", word(s));
                }
                transitions.add(state.pauses(), "cluster", cluster.name(), "endpoint", name, "transition", "pause");
                transitions.add(state.resumes(), "cluster", cluster.name(), "endpoint", name, "transition", "resume");
            }
        }
        out.add(rtt.build());
        out.add(minRtt.build());
        out.add(backoff.build());
        out.add(transitions.build());
    }

    /** MPTCP connections of the clusters and listeners that use it (or used it before a reload). */
    private static void mptcp(List<MetricSnapshot> out, List<LoopMetrics.Snapshot> loops, ProxyConfig config) {
        Map<String, MptcpCounters> upstream = new LinkedHashMap<>();
        Map<String, MptcpCounters> clients = new LinkedHashMap<>();
        for (ClusterConfig cluster : config.clusters().values()) {
            if (cluster.mptcp()) {
                upstream.put(cluster.name(), new MptcpCounters());
            }
        }
        for (ListenerConfig listener : config.listeners()) {
            if (listener.mptcp()) {
                clients.put(listener.name(), new MptcpCounters());
            }
        }
        for (LoopMetrics.Snapshot loop : loops) {
            loop.upstreamMptcp().forEach((cluster, c) -> {
                if (upstream.containsKey(cluster) || c.active() + c.fellBack() + c.plainTcp() > 0) {
                    upstream.computeIfAbsent(cluster, k -> new MptcpCounters()).add(c);
                }
            });
            loop.clientMptcp().forEach((listener, c) -> clients.computeIfAbsent(listener, k -> new MptcpCounters()).add(c));
        }
        mptcpFamilies(out, "synedge_upstream_mptcp", "cluster", "Upstream connections of MPTCP clusters", upstream);
        mptcpFamilies(out, "synedge_client_mptcp", "listener", "Client connections of MPTCP listeners", clients);
    }

    private static void mptcpFamilies(List<MetricSnapshot> out, String prefix, String label, String what,
                                      Map<String, MptcpCounters> counters) {
        Counter connections = new Counter(prefix + "_connections", what + ", by mode when established: mptcp,"
                + " fallback (asked for MPTCP, got plain TCP) or tcp (plain TCP from the start)");
        HistogramFamily subflows = new HistogramFamily(prefix + "_subflows",
                what + " that spoke MPTCP, by their subflows when established");
        HistogramFamily subflowRtt = new HistogramFamily(prefix + "_subflow_rtt_seconds",
                "Smoothed RTT of each subflow of the " + what.toLowerCase(Locale.ROOT) + " when established");
        counters.forEach((name, c) -> {
            connections.add(c.active(), label, name, "mode", "mptcp");
            connections.add(c.fellBack(), label, name, "mode", "fallback");
            connections.add(c.plainTcp(), label, name, "mode", "tcp");
            subflows.add(c.subflows(), 1, label, name);
            subflowRtt.add(c.subflowRtt(), NANOS_PER_SECOND, label, name);
        });
        out.add(connections.build());
        out.add(subflows.build());
        out.add(subflowRtt.build());
    }

    private static void body(List<MetricSnapshot> out, List<LoopMetrics.Snapshot> loops) {
        Map<String, BodyCounters.Snapshot> body = new LinkedHashMap<>();
        for (LoopMetrics.Snapshot loop : loops) {
            loop.body().forEach((cluster, c) -> body.merge(cluster, c, BodyCounters.Snapshot::plus));
        }
        Counter bytes = new Counter("synedge_response_body_bytes",
                "Response body bytes by the path they took to the client: copied (through buffers), mapped"
                        + " (zero-copy receive) or spliced (through a kernel pipe), by cluster");
        body.forEach((cluster, c) -> {
            bytes.add(c.copied(), "cluster", cluster, "path", "copied");
            bytes.add(c.mapped(), "cluster", cluster, "path", "mapped");
            bytes.add(c.spliced(), "cluster", cluster, "path", "spliced");
        });
        out.add(bytes.build());
    }

    /** The kernel's Fast Open counters of this network namespace, all processes together. */
    private static void kernel(List<MetricSnapshot> out) {
        TcpExtCounters counters;
        try {
            counters = TcpExtCounters.read();
        } catch (UncheckedIOException e) {
            return;
        }
        for (String name : TcpExtCounters.FAST_OPEN) {
            if (counters.has(name)) {
                out.add(new Counter("synedge_kernel_" + snake(name.replace("TCPFastOpen", "TcpFastopen")),
                        "TcpExt " + name + " of this network namespace (every process, not synedge alone)")
                        .add(counters.get(name)).build());
            }
        }
    }

    /** What Netty's buffer allocator holds: the JVM's direct buffer pool does not see most of it. */
    private static void netty(List<MetricSnapshot> out) {
        if (ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider provider) {
            Gauge used = new Gauge("synedge_netty_allocator_used_bytes",
                    "Memory Netty's default buffer allocator holds, by kind: direct or heap");
            used.add(provider.metric().usedDirectMemory(), "kind", "direct");
            used.add(provider.metric().usedHeapMemory(), "kind", "heap");
            out.add(used.build());
        }
    }

    private static void add(long[] into, long[] counts) {
        for (int i = 0; i < counts.length; i++) {
            into[i] += counts[i];
        }
    }

    private static <K> void merge(Map<K, Histogram> into, K key, Histogram h) {
        Histogram sum = into.get(key);
        if (sum == null) {
            into.put(key, h.copy());
        } else {
            sum.add(h);
        }
    }

    /** {@code SYN_DATA_ACKED} as {@code syn-data-acked}, as the configuration and the access log spell words. */
    private static String word(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** {@code TcpFastopenActiveFail} as {@code tcp_fastopen_active_fail}. */
    static String snake(String camel) {
        return ConfigJson.kebab(camel).replace('-', '_');
    }

    private static final class Counter {
        private final CounterSnapshot.Builder builder;

        /** {@code name} without {@code _total}, which the text format adds. */
        Counter(String name, String help) {
            builder = CounterSnapshot.builder().name(name).help(help);
        }

        Counter add(double value, String... labels) {
            builder.dataPoint(CounterDataPointSnapshot.builder().value(value).labels(Labels.of(labels)).build());
            return this;
        }

        CounterSnapshot build() {
            return builder.build();
        }
    }

    private static final class Gauge {
        private final GaugeSnapshot.Builder builder;

        Gauge(String name, String help) {
            builder = GaugeSnapshot.builder().name(name).help(help);
            if (name.endsWith("_seconds")) {
                builder.unit(Unit.SECONDS);
            } else if (name.endsWith("_bytes")) {
                builder.unit(Unit.BYTES);
            }
        }

        Gauge add(double value, String... labels) {
            builder.dataPoint(GaugeDataPointSnapshot.builder().value(value).labels(Labels.of(labels)).build());
            return this;
        }

        GaugeSnapshot build() {
            return builder.build();
        }
    }

    private static final class HistogramFamily {
        private final HistogramSnapshot.Builder builder;

        HistogramFamily(String name, String help) {
            builder = HistogramSnapshot.builder().name(name).help(help);
            if (name.endsWith("_seconds")) {
                builder.unit(Unit.SECONDS);
            }
        }

        /** {@code h}'s buckets and sum divided by {@code divisor} (1e9 turns nanoseconds into seconds). */
        void add(Histogram h, double divisor, String... labels) {
            long[] bounds = h.bounds();
            double[] upper = new double[bounds.length + 1];
            long[] counts = new long[bounds.length + 1];
            for (int i = 0; i < bounds.length; i++) {
                upper[i] = bounds[i] / divisor;
                counts[i] = h.count(i);
            }
            upper[bounds.length] = Double.POSITIVE_INFINITY;
            counts[bounds.length] = h.count(bounds.length);
            builder.dataPoint(HistogramDataPointSnapshot.builder()
                    .classicHistogramBuckets(ClassicHistogramBuckets.of(upper, counts))
                    .sum(h.sum() / divisor)
                    .labels(Labels.of(labels))
                    .build());
        }

        HistogramSnapshot build() {
            return builder.build();
        }
    }
}
