package dev.synedge.exchange;

import dev.synedge.accesslog.AccessLog;
import dev.synedge.accesslog.AccessRecord;
import dev.synedge.body.BodyCounters;
import dev.synedge.body.BodyPolicy;
import dev.synedge.body.SplicePipes;
import dev.synedge.body.ZeroCopyProbe;
import dev.synedge.config.ClusterConfig;
import dev.synedge.config.ListenerConfig;
import dev.synedge.health.HealthChecks;
import dev.synedge.net.IoVector;
import dev.synedge.net.NativeException;
import dev.synedge.routing.ProxyRuntime;
import dev.synedge.upstream.EndpointStates;
import dev.synedge.upstream.LocalCluster;
import dev.synedge.upstream.UpstreamPool;
import io.netty.channel.Channel;
import io.netty.channel.IoEventLoop;
import io.netty.channel.unix.UnixChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one event loop owns: its view of each cluster (pools, balancer state), a gather
 * vector for upstream writes, the pipes of its splices, and counters (body counters and the
 * metrics' {@link LoopMetrics}, by name, so that they survive reloads). Touched only from its
 * loop, so nothing here is locked. When the shared {@link ProxyRuntime} is swapped (reload),
 * the loop notices at its next exchange, builds clusters for the new configuration and closes
 * the old pools' idle connections; busy ones finish their exchange and close.
 */
public final class LoopContext {

    private static final Logger log = LoggerFactory.getLogger(LoopContext.class);

    private final IoEventLoop loop;
    private final Supplier<ProxyRuntime> runtimes;
    private final EndpointStates endpointStates;
    private final HealthChecks health;
    private final Supplier<AccessLog> accessLogs;
    /** The access log of the current runtime, taken with it (a reload may replace it). */
    private AccessLog accessLog;
    private final Consumer<AccessRecord> observer;
    private final IoVector iov = new IoVector(64);
    private final ExchangeCounters counters = new ExchangeCounters();
    private final Deadlines deadlines;
    private final ZeroCopyProbe zeroCopyProbe;
    private final SplicePipes pipes = new SplicePipes(BodyPolicy.PIPE_BYTES);
    private final ParseStates parseStates = new ParseStates();
    private final Map<String, BodyCounters> bodyCounters = new HashMap<>();
    private final LoopMetrics metrics = new LoopMetrics();
    private ProxyRuntime runtime;
    private Map<String, LocalCluster> clusters = Map.of();
    /** Open client connections of this loop, so that shutdown can close them itself. */
    private final Set<Channel> clients = new HashSet<>();
    private boolean draining;
    /** Exchanges in flight on this loop, and how many of them are retrying: the retry budget. */
    private int exchangesInFlight;
    private int retriesInFlight;

    /** {@code zeroCopyProbe}: shared by the server's loops. */
    public LoopContext(IoEventLoop loop, Supplier<ProxyRuntime> runtimes, EndpointStates endpointStates,
                       HealthChecks health, Supplier<AccessLog> accessLogs, Consumer<AccessRecord> observer,
                       ZeroCopyProbe zeroCopyProbe) {
        this.loop = loop;
        this.zeroCopyProbe = zeroCopyProbe;
        this.runtimes = runtimes;
        this.endpointStates = endpointStates;
        this.health = health;
        this.accessLogs = accessLogs;
        this.accessLog = accessLogs.get();
        this.observer = observer;
        this.deadlines = new Deadlines(loop);
    }

    public IoEventLoop loop() {
        return loop;
    }

    /** The current configuration; rebuilds this loop's clusters when it changed. */
    ProxyRuntime runtime() {
        ProxyRuntime current = runtimes.get();
        if (current != runtime) {
            Map<String, LocalCluster> next = new HashMap<>();
            for (ClusterConfig cluster : current.config().clusters().values()) {
                BodyCounters counters = bodyCounters.computeIfAbsent(cluster.name(), name -> new BodyCounters());
                next.put(cluster.name(), new LocalCluster(cluster, loop, counters, health.cluster(cluster.name()),
                        metrics.cluster(cluster.name())));
            }
            clusters.values().forEach(LocalCluster::retire);
            clusters = next;
            runtime = current;
            accessLog = accessLogs.get();
        }
        return runtime;
    }

    LocalCluster cluster(String name) {
        return clusters.get(name);
    }

    EndpointStates endpointStates() {
        return endpointStates;
    }

    ParseStates parseStates() {
        return parseStates;
    }

    Deadlines deadlines() {
        return deadlines;
    }

    IoVector iov() {
        return iov;
    }

    public ExchangeCounters counters() {
        return counters;
    }

    /** Response body counters of {@code cluster} on this loop (zero when it moved nothing here). */
    public BodyCounters.Snapshot bodyCounters(String cluster) {
        BodyCounters c = bodyCounters.get(cluster);
        return c == null ? BodyCounters.Snapshot.ZERO : c.snapshot();
    }

    LoopMetrics metrics() {
        return metrics;
    }

    /**
     * Copies of this loop's counters for metrics, with its pools and load as they are now. Runs
     * on the loop (or after it stopped).
     */
    public LoopMetrics.Snapshot metricsSnapshot() {
        List<LoopMetrics.Pool> pools = new ArrayList<>();
        for (LocalCluster cluster : clusters.values()) {
            for (int i = 0; i < cluster.size(); i++) {
                UpstreamPool pool = cluster.pool(i);
                pools.add(new LoopMetrics.Pool(cluster.name(), cluster.endpoint(i).name(), pool.openConnections(),
                        pool.idleConnections()));
            }
        }
        return metrics.snapshot(bodyCounters, pools, load());
    }

    /** An MPTCP listener accepted {@code channel}: its subflows as they are now go into the listener's counters. */
    void mptcpClientAccepted(ListenerConfig listener, Channel channel) {
        try {
            metrics.clientMptcp(listener.name()).sample(((UnixChannel) channel).fd().intValue());
        } catch (NativeException e) {
            log.debug("MPTCP state of client {}: {}", channel.remoteAddress(), e.getMessage());
        }
    }

    ZeroCopyProbe zeroCopyProbe() {
        return zeroCopyProbe;
    }

    SplicePipes pipes() {
        return pipes;
    }

    /** Whether ended exchanges are logged or observed, so that exchanges build their records. */
    boolean recordsWanted() {
        return accessLog.enabled() || observer != null;
    }

    /** Counts and logs an ended exchange, and shows it to the observer (demo, tests). */
    void exchangeEnded(AccessRecord record) {
        counters.add(record);
        accessLog.log(record);
        if (observer != null) {
            observer.accept(record);
        }
    }

    void exchangeStarted() {
        exchangesInFlight++;
    }

    /** An exchange ended; {@code retried}: it had made a retry. */
    void exchangeFinished(boolean retried) {
        exchangesInFlight--;
        if (retried) {
            retriesInFlight--;
        }
    }

    /** Whether an exchange may start retrying: the budget is {@code percent} of the exchanges in flight. */
    boolean retryBudget(int percent) {
        return Retries.budget(retriesInFlight, exchangesInFlight, percent);
    }

    /** An exchange starts retrying (its first retry). */
    void retryStarted() {
        retriesInFlight++;
    }

    /**
     * Whether the server is stopping gracefully: every response says {@code Connection: close}
     * and every connection closes after its exchange.
     */
    boolean draining() {
        return draining;
    }

    /**
     * Starts a graceful stop of this loop's client connections: idle keep-alive connections
     * close now, the others after their exchange. Runs on the loop.
     */
    public void startDrain() {
        draining = true;
        for (Channel channel : List.copyOf(clients)) {
            ClientConnection connection = channel.pipeline().get(ClientConnection.class);
            if (connection != null) {
                connection.drain();
            }
        }
    }

    /** Runs {@code action} on each open connection {@code listener} accepted. Runs on the loop. */
    void eachConnectionOf(ClientInitializer listener, Consumer<ClientConnection> action) {
        for (Channel channel : List.copyOf(clients)) {
            ClientConnection connection = channel.pipeline().get(ClientConnection.class);
            if (connection != null && connection.acceptedBy(listener)) {
                action.accept(connection);
            }
        }
    }

    /** Client connections open on this loop, and how many of them have an exchange in flight. Runs on the loop. */
    public Load load() {
        int exchanges = 0;
        for (Channel channel : clients) {
            ClientConnection connection = channel.pipeline().get(ClientConnection.class);
            if (connection != null && connection.exchangeInFlight()) {
                exchanges++;
            }
        }
        return new Load(clients.size(), exchanges);
    }

    /** Client connections and exchanges in flight at one moment; {@link #plus} merges loops. */
    public record Load(int connections, int exchanges) {

        public static final Load ZERO = new Load(0, 0);

        public Load plus(Load o) {
            return new Load(connections + o.connections, exchanges + o.exchanges);
        }
    }

    void clientOpened(Channel channel) {
        clients.add(channel);
    }

    void clientClosed(Channel channel) {
        clients.remove(channel);
    }

    /**
     * Closes every client connection (aborting its exchange and that exchange's upstream
     * connection) and every idle upstream connection. Runs on the loop, at shutdown: the loop's
     * own shutdown cannot be relied on for this, since with no quiet period Netty may stop the
     * loop without closing its channels, which then never see channelInactive and keep their
     * buffers. The closed channels' channelInactive runs in tasks queued behind this one.
     */
    public void closeAll() {
        for (Channel channel : List.copyOf(clients)) {
            ClientConnection connection = channel.pipeline().get(ClientConnection.class);
            if (connection != null) {
                connection.shutdown();
            }
            channel.close();
        }
        closeIdle();
        pipes.close();
    }

    /** Closes idle upstream connections. Runs on the loop. */
    public void closeIdle() {
        clusters.values().forEach(LocalCluster::closeIdle);
    }
}
