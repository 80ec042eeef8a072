package dev.synedge.health;

import dev.synedge.config.ClusterConfig;
import dev.synedge.config.EndpointConfig;
import dev.synedge.config.HealthCheckConfig;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The health of every cluster of a server, and the active checks that feed it: one checker per
 * endpoint of a cluster with checks enabled, whatever the number of event loops. A scheduler
 * thread times the checks; each runs on a virtual thread, since it blocks on its socket.
 *
 * <p>Endpoint states are kept by cluster name and address across {@link #apply}: a reload that
 * keeps an endpoint keeps what is known of it. {@link #cluster} gives the current view of a
 * cluster, which the event loops take when they rebuild their clusters.
 */
public final class HealthChecks implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HealthChecks.class);

    private record Key(String cluster, InetSocketAddress address) {}

    private record Checked(ClusterConfig config, ClusterHealth health, List<ScheduledFuture<?>> checks) {}

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            runnable -> Thread.ofPlatform().name("synedge-health-checks").daemon().unstarted(runnable));
    private final Map<Key, EndpointHealth> endpoints = new HashMap<>();
    private final Map<String, Object> ejectLocks = new HashMap<>();
    private final Map<String, Checked> clusters = new HashMap<>();
    private boolean closed;

    /** Health for {@code configs}, with their checks started. */
    public HealthChecks(Collection<ClusterConfig> configs) {
        apply(configs);
    }

    /**
     * Makes the clusters those of {@code configs}: a cluster whose settings changed gets a new
     * view over the same endpoint states (and new checks); a removed one's checks stop.
     */
    public synchronized void apply(Collection<ClusterConfig> configs) {
        if (closed) {
            return;
        }
        Map<String, Checked> next = new HashMap<>();
        for (ClusterConfig config : configs) {
            Checked current = clusters.remove(config.name());
            if (current != null && current.config().equals(config)) {
                next.put(config.name(), current);
                continue;
            }
            if (current != null) {
                current.checks().forEach(check -> check.cancel(false));
            }
            next.put(config.name(), start(config));
        }
        for (Checked removed : clusters.values()) {
            removed.checks().forEach(check -> check.cancel(false));
        }
        clusters.clear();
        clusters.putAll(next);
        endpoints.keySet().removeIf(key -> !next.containsKey(key.cluster()));
    }

    private Checked start(ClusterConfig config) {
        List<EndpointHealth> states = new ArrayList<>();
        for (EndpointConfig endpoint : config.endpoints()) {
            EndpointHealth state = endpoints.computeIfAbsent(new Key(config.name(), endpoint.address()),
                    key -> new EndpointHealth(endpoint.name() + " (" + endpoint.address().getAddress().getHostAddress()
                            + ")"));
            if (!config.healthCheck().enabled()) {
                state.healthy = true;
            }
            states.add(state);
        }
        Object lock = ejectLocks.computeIfAbsent(config.name(), name -> new Object());
        ClusterHealth health = new ClusterHealth(config.name(), config.outlierDetection(), states, lock);
        List<ScheduledFuture<?>> checks = new ArrayList<>();
        HealthCheckConfig check = config.healthCheck();
        if (check.enabled()) {
            for (int i = 0; i < states.size(); i++) {
                EndpointConfig endpoint = config.endpoints().get(i);
                Checker checker = new Checker(config.name(), endpoint, check, states.get(i));
                long first = ThreadLocalRandom.current().nextLong(check.interval().toNanos() + 1);
                checks.add(scheduler.scheduleWithFixedDelay(checker, first, check.interval().toNanos(),
                        TimeUnit.NANOSECONDS));
            }
            log.info("cluster {}: health checks of {} endpoint(s) every {}, GET {}", config.name(), states.size(),
                    check.interval(), check.path());
        }
        return new Checked(config, health, checks);
    }

    /** The current view of cluster {@code name}'s health. */
    public synchronized ClusterHealth cluster(String name) {
        Checked checked = clusters.get(name);
        if (checked == null) {
            throw new IllegalArgumentException("no cluster " + name);
        }
        return checked.health();
    }

    /** The current view of every cluster's health, by cluster name (a copy). */
    public synchronized Map<String, ClusterHealth> clusters() {
        Map<String, ClusterHealth> views = new HashMap<>();
        clusters.forEach((name, checked) -> views.put(name, checked.health()));
        return views;
    }

    /** Stops every check. */
    @Override
    public synchronized void close() {
        closed = true;
        scheduler.shutdownNow();
    }

    /**
     * The checks of one endpoint. The scheduler thread runs it every interval; it starts the
     * check on a virtual thread after its jitter, and the next run waits for none of it: a
     * check that outlives its interval is skipped by the next while it runs.
     */
    private static final class Checker implements Runnable {
        private final String cluster;
        private final EndpointConfig endpoint;
        private final HealthCheckConfig config;
        private final EndpointHealth state;
        private volatile boolean running;

        Checker(String cluster, EndpointConfig endpoint, HealthCheckConfig config, EndpointHealth state) {
            this.cluster = cluster;
            this.endpoint = endpoint;
            this.config = config;
            this.state = state;
        }

        @Override
        public void run() {
            if (running) {
                return;
            }
            running = true;
            long jitter = ThreadLocalRandom.current().nextLong(config.jitter().toNanos() + 1);
            Thread.ofVirtual().name("health-check " + endpoint.name()).start(() -> {
                try {
                    TimeUnit.NANOSECONDS.sleep(jitter);
                    record(HealthCheck.run(endpoint, config));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    running = false;
                }
            });
        }

        private void record(HealthCheck.Result result) {
            if (result.passed()) {
                state.fails = 0;
                state.passes++;
                if (!state.healthy && state.passes >= config.rise()) {
                    state.healthy = true;
                    log.info("cluster {}: endpoint {} is healthy again ({} check(s) passed in a row)", cluster,
                            state.name, state.passes);
                }
            } else {
                state.passes = 0;
                state.fails++;
                if (state.healthy && state.fails >= config.fall()) {
                    state.healthy = false;
                    log.warn("cluster {}: endpoint {} is unhealthy: {} check(s) failed in a row, the last: {}",
                            cluster, state.name, state.fails, result.why());
                }
            }
        }
    }
}
