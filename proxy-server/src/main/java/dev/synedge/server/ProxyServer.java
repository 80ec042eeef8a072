package dev.synedge.server;

import dev.synedge.accesslog.AccessLog;
import dev.synedge.accesslog.AccessRecord;
import dev.synedge.body.BodyCounters;
import dev.synedge.body.ZeroCopyProbe;
import dev.synedge.config.AccessLogConfig;
import dev.synedge.config.ListenerConfig;
import dev.synedge.config.ProxyConfig;
import dev.synedge.exchange.ExchangeCounters;
import dev.synedge.exchange.LoopContext;
import dev.synedge.exchange.LoopMetrics;
import dev.synedge.health.ClusterHealth;
import dev.synedge.health.HealthChecks;
import dev.synedge.listener.AcceptLimits;
import dev.synedge.listener.BoundListener;
import dev.synedge.net.DescriptorLimit;
import dev.synedge.net.FastOpenMode;
import dev.synedge.net.KernelState;
import dev.synedge.net.NativeException;
import dev.synedge.routing.ProxyRuntime;
import dev.synedge.upstream.EndpointStates;
import io.netty.channel.EventLoop;
import io.netty.channel.IoEventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.util.concurrent.EventExecutor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BinaryOperator;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running synedge: the event loops, every listener bound on every loop, and the current
 * {@link ProxyRuntime}, which {@link #reload} swaps atomically. Start it with {@link #start};
 * stop it gracefully with {@link #drain}, or at once with {@link #close}.
 */
public final class ProxyServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ProxyServer.class);
    private static final long DRAIN_POLL_MILLIS = 50;
    /** How long a metrics read waits for a loop to run it, or to stop. */
    private static final long LOOP_READ_SECONDS = 5;

    /**
     * Descriptors max-connections = auto leaves to the process itself: what a running synedge
     * holds besides connections (jars, logs, epoll and event descriptors, splice pipes) is about
     * 40 with two event loops.
     */
    static final int RESERVED_DESCRIPTORS = 64;

    /** Where the server is in its life, as readiness checks see it. */
    public enum State {
        /** Accepting and serving. */
        RUNNING,
        /** Not accepting; exchanges in flight finish ({@link #drain}). */
        DRAINING,
        /** Stopped: every connection is closed. */
        STOPPED
    }

    private final MultiThreadIoEventLoopGroup group;
    private final AtomicReference<ProxyRuntime> runtime;
    private final Map<EventLoop, LoopContext> loops;
    private final AcceptLimits acceptLimits;
    private final Listeners listeners;
    private final EndpointStates endpointStates;
    private final AtomicReference<AccessLog> accessLog;
    private final HealthChecks health;
    private final CountDownLatch cut = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile State state = State.RUNNING;
    private volatile TakeoverServer takeovers;

    private ProxyServer(MultiThreadIoEventLoopGroup group, AtomicReference<ProxyRuntime> runtime,
                        Map<EventLoop, LoopContext> loops, AcceptLimits acceptLimits, Listeners listeners,
                        EndpointStates states, AtomicReference<AccessLog> accessLog, HealthChecks health) {
        this.group = group;
        this.runtime = runtime;
        this.loops = loops;
        this.acceptLimits = acceptLimits;
        this.listeners = listeners;
        this.endpointStates = states;
        this.accessLog = accessLog;
        this.health = health;
    }

    /** Starts with {@code config}; {@code observer} (may be null) sees every ended exchange. */
    public static ProxyServer start(ProxyConfig config, Consumer<AccessRecord> observer)
            throws IOException, InterruptedException {
        return start(config, observer, new HashMap<>());
    }

    /**
     * Starts with {@code config}, on the listening sockets a running synedge handed over
     * ({@link Takeover#listeners}) where they fit; the ones taken are removed from
     * {@code inherited}.
     */
    public static ProxyServer start(ProxyConfig config, Consumer<AccessRecord> observer,
                                    Map<String, List<Integer>> inherited) throws IOException, InterruptedException {
        if (!Epoll.isAvailable()) {
            throw new IOException("the Netty epoll transport is unavailable: " + Epoll.unavailabilityCause());
        }
        checkFastOpen(config);
        int threads = config.eventLoops() > 0 ? config.eventLoops() : Runtime.getRuntime().availableProcessors();
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(threads, EpollIoHandler.newFactory());
        try {
            AtomicReference<ProxyRuntime> runtime = new AtomicReference<>(ProxyRuntime.of(config));
            EndpointStates states = new EndpointStates(config.endpointState());
            HealthChecks health = new HealthChecks(config.clusters().values());
            AtomicReference<AccessLog> accessLog = new AtomicReference<>(AccessLog.open(config.accessLog()));
            Map<EventLoop, LoopContext> loops = new LinkedHashMap<>();
            ZeroCopyProbe zeroCopyProbe = new ZeroCopyProbe();
            for (EventExecutor executor : group) {
                IoEventLoop loop = (IoEventLoop) executor;
                loops.put(loop, new LoopContext(loop, runtime::get, states, health, accessLog::get, observer,
                        zeroCopyProbe));
            }
            AcceptLimits acceptLimits = new AcceptLimits(maxConnections(config));
            Listeners listeners = new Listeners(loops, acceptLimits);
            listeners.bindAll(config.listeners(), inherited);
            log.info("client connections: {}", describeMaxConnections(config, acceptLimits.max()));
            return new ProxyServer(group, runtime, loops, acceptLimits, listeners, states, accessLog, health);
        } catch (IOException | InterruptedException | RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            throw e;
        }
    }

    /**
     * {@code max-connections}, with {@code auto} worked out from the soft descriptor limit now:
     * half of it for client connections, the other half for the upstream connections they may
     * each hold, less {@link #RESERVED_DESCRIPTORS}.
     */
    static int maxConnections(ProxyConfig config) {
        if (config.maxConnections() != ProxyConfig.MAX_CONNECTIONS_AUTO) {
            return config.maxConnections();
        }
        long soft;
        try {
            soft = DescriptorLimit.get().soft();
        } catch (NativeException e) {
            log.warn("max-connections = auto: {}; no limit", e.getMessage());
            return 0;
        }
        if (soft == DescriptorLimit.UNLIMITED) {
            return 0;
        }
        return (int) Math.clamp((soft - RESERVED_DESCRIPTORS) / 2, 1, Integer.MAX_VALUE);
    }

    private static String describeMaxConnections(ProxyConfig config, int max) {
        String limit = max == 0 ? "no limit over all listeners" : "at most " + max + " open over all listeners";
        return config.maxConnections() == ProxyConfig.MAX_CONNECTIONS_AUTO
                ? limit + " (max-connections = auto: half of the soft descriptor limit, less " + RESERVED_DESCRIPTORS
                        + ")"
                : limit;
    }

    /**
     * A listener asking for Fast Open on a kernel without the server bit gets one clear line
     * saying so and how to fix it, or, with {@code fastopen.require}, refuses to start.
     */
    private static void checkFastOpen(ProxyConfig config) throws IOException {
        FastOpenMode mode = KernelState.fastOpenMode();
        for (ListenerConfig listener : config.listeners()) {
            if (listener.fastopenQueue() > 0 && !mode.serverEnabled()) {
                String message = "listener " + listener.name() + " asks for Fast Open (fastopen-queue "
                        + listener.fastopenQueue() + ") but net.ipv4.tcp_fastopen=" + mode.value()
                        + " lacks the server bit 0x2, so clients' SYN data will be ignored; fix: sysctl -w net.ipv4.tcp_fastopen="
                        + (mode.value() | 0x3);
                if (config.fastopenRequired()) {
                    throw new IOException(message + " (fastopen.require = true)");
                }
                log.warn(message);
            }
        }
        boolean upstreamFastOpen = config.clusters().values().stream().anyMatch(c -> c.fastopen());
        if (upstreamFastOpen && !mode.clientEnabled()) {
            log.warn("clusters ask for Fast Open upstream but net.ipv4.tcp_fastopen={} lacks the client bit 0x1;"
                    + " upstream connections will use plain connects; fix: sysctl -w net.ipv4.tcp_fastopen={}",
                    mode.value(), mode.value() | 0x3);
        }
    }

    /**
     * Applies {@code next} as a whole, or nothing of it: listeners are bound, changed or removed
     * ({@link Listeners#apply}), the access log and the endpoint-state cache take their new
     * settings, and every exchange that starts from now on uses the new routes, clusters and
     * limits. What cannot change in a running process (the number of event loops) is listed as
     * not applied; the rest is applied all the same. A listener that cannot be bound, or an
     * access log file that cannot be opened, fails the reload: then nothing changed.
     */
    public synchronized ReloadReport reload(ProxyConfig next) throws IOException, InterruptedException {
        ProxyConfig current = config();
        ProxyRuntime nextRuntime = ProxyRuntime.of(next);
        checkFastOpen(next);
        boolean newAccessLog = !next.accessLog().equals(current.accessLog());
        if (newAccessLog) {
            accessLogFailure(() -> AccessLog.check(next.accessLog()));
        }
        // The cap over all listeners first: a listener whose own cap rises must not accept
        // meanwhile under the old one. A listener that cannot be bound puts it back.
        int maxConnections = maxConnections(next);
        int maxBefore = acceptLimits.max();
        acceptLimits.setMax(maxConnections);
        List<String> applied = new ArrayList<>();
        try {
            applied.addAll(listeners.apply(next.listeners()));
        } catch (IOException | InterruptedException | RuntimeException e) {
            acceptLimits.setMax(maxBefore);
            throw e;
        }
        if (maxConnections != maxBefore) {
            applied.add("client connections: " + describeMaxConnections(next, maxConnections));
        }
        List<String> notApplied = new ArrayList<>();
        if (newAccessLog) {
            accessLogFailure(() -> accessLog.set(AccessLog.open(next.accessLog())));
            applied.add("access-log " + describe(next.accessLog()));
        }
        if (!next.endpointState().equals(current.endpointState())) {
            endpointStates.resize(next.endpointState());
            applied.add("endpoint-state: max-endpoints " + next.endpointState().maxEndpoints()
                    + ", expire-after-access " + next.endpointState().expireAfterAccess());
        }
        if (next.admin().enabled() != current.admin().enabled()
                || (next.admin().enabled() && !next.admin().address().equals(current.admin().address()))) {
            notApplied.add("admin enabled/address/port: the admin listener is made at start (its token is reloaded);"
                    + " restart, or take over with a new process, to change it");
        }
        if (!Objects.equals(next.lifecycle().takeoverSocket(), current.lifecycle().takeoverSocket())) {
            notApplied.add("lifecycle.takeover-socket " + current.lifecycle().takeoverSocket() + " -> "
                    + next.lifecycle().takeoverSocket() + ": the running synedge keeps listening where it started;"
                    + " a new process taking over (through the old socket) listens on the new one");
        }
        if (next.eventLoops() != current.eventLoops()) {
            notApplied.add("event-loops " + current.eventLoops() + " -> " + next.eventLoops()
                    + ": the event loops are made at start; restart (or take over with a new process) to change them");
        }
        health.apply(next.clusters().values());
        runtime.set(nextRuntime);
        return new ReloadReport(applied, notApplied);
    }

    private static void accessLogFailure(Runnable action) throws IOException {
        try {
            action.run();
        } catch (UncheckedIOException | IllegalStateException e) {
            throw new IOException("access-log: " + e.getMessage(), e);
        }
    }

    private static String describe(AccessLogConfig config) {
        return !config.enabled() ? "off"
                : config.format().name().toLowerCase(Locale.ROOT) + (config.path() != null ? " to " + config.path() : "");
    }

    /**
     * What a reload did: one line per change beyond routes, clusters and limits (which are
     * always swapped in whole), and what it could not apply with why. Nothing in
     * {@code notApplied} means the whole file is in effect.
     */
    public record ReloadReport(List<String> applied, List<String> notApplied) {

        public ReloadReport {
            applied = List.copyOf(applied);
            notApplied = List.copyOf(notApplied);
        }
    }

    public ProxyConfig config() {
        return runtime.get().config();
    }

    public List<BoundListener> listeners() {
        return listeners.bound();
    }

    /** The address a listener is bound to (its real port when it was configured as 0). */
    public InetSocketAddress address(String listener) {
        return listeners().stream().filter(l -> l.name().equals(listener)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no listener " + listener)).address();
    }

    public EndpointStates endpointStates() {
        return endpointStates;
    }

    /** Each current cluster's endpoint health (outlier detection and active checks), by cluster name. */
    public Map<String, ClusterHealth> health() {
        return health.clusters();
    }

    /** Client connections open over all listeners, max-connections, and its counters. */
    public AcceptLimits acceptLimits() {
        return acceptLimits;
    }

    /** Exchange counts over all loops, read on each loop. */
    public ExchangeCounters.Snapshot counters() {
        return overLoops(context -> context.counters().snapshot(), ExchangeCounters.Snapshot.ZERO,
                ExchangeCounters.Snapshot::plus);
    }

    /** Response body bytes of {@code cluster} by path (copied, mapped, spliced), over all loops, read on each loop. */
    public BodyCounters.Snapshot bodyCounters(String cluster) {
        return overLoops(context -> context.bodyCounters(cluster), BodyCounters.Snapshot.ZERO,
                BodyCounters.Snapshot::plus);
    }

    /** Loop-confined figures: {@code read} runs on each loop in turn, the results are merged here. */
    private <T> T overLoops(Function<LoopContext, T> read, T zero, BinaryOperator<T> plus) {
        T total = zero;
        for (LoopContext context : loops.values()) {
            try {
                total = plus.apply(total, context.loop().submit(() -> read.apply(context)).get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return total;
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
        }
        return total;
    }

    /**
     * One line per cluster that moved response body bytes: how many took each path, so that an
     * operator (and a benchmark) sees what {@code response-body} did without an admin endpoint.
     */
    private void logBodyCounters() {
        for (String cluster : runtime.get().config().clusters().keySet()) {
            BodyCounters.Snapshot c = bodyCounters(cluster);
            long total = c.total();
            if (total > 0) {
                log.info("cluster {}: {} response body bytes: copied {}%, mapped {}%, spliced {}%", cluster, total,
                        percent(c.copied(), total), percent(c.mapped(), total), percent(c.spliced(), total));
            }
        }
    }

    private static String percent(long part, long total) {
        return String.format(Locale.ROOT, "%.1f", 100.0 * part / total);
    }

    /**
     * Lets a new process take over through the Unix socket at {@code path}
     * ({@code synedge run --takeover}); fails when another synedge answers there.
     * {@code onHandover} runs once a new process accepts on the sockets, before it is told to
     * go on: what else it needs of this one (the admin port) is let go there.
     */
    public void serveTakeovers(Path path, Runnable onHandover) throws IOException {
        takeovers = TakeoverServer.start(this, path, onHandover);
    }

    public State state() {
        return state;
    }

    /** Client connections open and exchanges in flight, over all loops, read on each loop. */
    public LoopContext.Load load() {
        return overLoops(LoopContext::load, LoopContext.Load.ZERO, LoopContext.Load::plus);
    }

    /**
     * Stops gracefully: stops accepting, closes idle keep-alive connections, lets exchanges in
     * flight finish (their responses say {@code Connection: close}, and their connections close
     * after them) for at most {@code timeout} or until {@link #cutNow}, then cuts what is left
     * and {@link #close closes}. Returns how many exchanges were cut. Once only; a second call
     * returns 0 at once.
     */
    public int drain(Duration timeout) {
        if (!draining.compareAndSet(false, true)) {
            return 0;
        }
        long start = System.nanoTime();
        state = State.DRAINING;
        if (takeovers != null) {
            // a process started meanwhile may take the path
            takeovers.close();
        }
        // Every loop drains before the listeners close: a connection accepted meanwhile is
        // served as a draining one (Connection: close), never as a keep-alive one.
        for (LoopContext context : loops.values()) {
            context.loop().submit(context::startDrain).syncUninterruptibly();
        }
        stopAccepting();
        LoopContext.Load left = load();
        log.info("drain: stopped accepting; {} connection(s) open, {} exchange(s) in flight, waiting at most {}",
                left.connections(), left.exchanges(), timeout);
        long deadline = start + timeout.toNanos();
        try {
            while (left.connections() > 0 && deadline - System.nanoTime() > 0
                    && !cut.await(DRAIN_POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                left = load();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        left = load();
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        if (left.connections() > 0) {
            log.warn("drain: cut {} exchange(s) on {} connection(s) after {} ms", left.exchanges(), left.connections(),
                    millis);
        } else {
            log.info("drain: every exchange finished in {} ms; nothing cut", millis);
        }
        close();
        return left.exchanges();
    }

    /** Ends a {@link #drain} under way now, cutting the exchanges still in flight. */
    public void cutNow() {
        cut.countDown();
    }

    private void stopAccepting() {
        listeners.stopAccepting();
    }

    /**
     * Stops accepting, closes every client connection (exchanges in flight are cut off) and
     * every upstream connection, waits until the closed connections have released what they
     * held, and stops the loops. Once only.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        logBodyCounters();
        health.close();
        if (takeovers != null) {
            takeovers.close();
        }
        stopAccepting();
        for (LoopContext context : loops.values()) {
            context.loop().submit(context::closeAll).syncUninterruptibly();
        }
        for (LoopContext context : loops.values()) {
            // after the channelInactive tasks the closes queued on this loop
            context.loop().submit(() -> { }).syncUninterruptibly();
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        state = State.STOPPED;
        stopped.countDown();
    }

    /** Waits until the server has stopped, however it was stopped (a signal, the admin API). */
    public void awaitStopped() throws InterruptedException {
        stopped.await();
    }

    /**
     * Each loop's counters for metrics, copied on that loop, so that the loops count without
     * atomics. Once the loops have stopped they are read from here: nothing writes them any more.
     */
    public List<LoopMetrics.Snapshot> loopMetrics() throws InterruptedException {
        List<LoopMetrics.Snapshot> all = new ArrayList<>();
        for (LoopContext context : loops.values()) {
            all.add(readOnLoop(context, context::metricsSnapshot));
        }
        return all;
    }

    private <T> T readOnLoop(LoopContext context, Callable<T> read) throws InterruptedException {
        if (!group.isShuttingDown()) {
            try {
                return context.loop().submit(read).get(LOOP_READ_SECONDS, TimeUnit.SECONDS);
            } catch (RejectedExecutionException | TimeoutException e) {
                // stopping meanwhile: a task queued now may never run; read once the loops are gone
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
        }
        if (!group.awaitTermination(LOOP_READ_SECONDS, TimeUnit.SECONDS)) {
            throw new IllegalStateException("event loop " + context.loop() + " neither ran the read nor stopped");
        }
        try {
            return read.call();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
