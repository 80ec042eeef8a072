package dev.synedge.health;

import dev.synedge.config.OutlierConfig;
import dev.synedge.health.EndpointHealth.Outliers;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The health of one cluster's endpoints, by their index in the cluster: whether each may take
 * a new exchange ({@link #available}), and what exchanges report of them. Passive outlier
 * detection: failures (a refused, reset or silent connection) or error statuses in a row eject
 * an endpoint for {@code ejection}; when that runs out one exchange probes it, and its success
 * clears the endpoint while a failure ejects it twice as long (up to {@code max-ejection}).
 * At most {@code max-ejected-percent} of the endpoints are ejected at once, at least one and
 * never all. Active checks ({@link HealthChecks}) mark endpoints healthy or not beside that.
 *
 * <p>Shared by the event loops, lock-free on the exchange path: {@link #available} reads two
 * volatile fields and the clock only for an ejected endpoint. Ejecting takes a lock shared by
 * every instance for the same cluster name (a reload makes a new instance over the same
 * endpoint states), so that two loops cannot eject past the cap at once.
 */
public final class ClusterHealth {

    private static final Logger log = LoggerFactory.getLogger(ClusterHealth.class);
    private static final long PANIC_LOG_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final String cluster;
    private final OutlierConfig config;
    private final EndpointHealth[] endpoints;
    private final Object ejectLock;
    private volatile long lastPanicLog;

    ClusterHealth(String cluster, OutlierConfig config, List<EndpointHealth> endpoints, Object ejectLock) {
        this.cluster = cluster;
        this.config = config;
        this.endpoints = endpoints.toArray(EndpointHealth[]::new);
        this.ejectLock = ejectLock;
    }

    /** Whether endpoint {@code index} may take a new exchange now; takes the probe after an ejection. */
    public boolean available(int index) {
        EndpointHealth endpoint = endpoints[index];
        return endpoint.healthy && (!endpoint.outliers.get().ejected() || availableEjected(endpoint, System.nanoTime()));
    }

    /** {@link #available} at {@code now}. */
    boolean available(int index, long now) {
        EndpointHealth endpoint = endpoints[index];
        return endpoint.healthy && (!endpoint.outliers.get().ejected() || availableEjected(endpoint, now));
    }

    /**
     * An ejected endpoint takes exactly one exchange, the probe, once its ejection ran out; a
     * probe that never reports (its exchange ended before reaching the endpoint) is given up
     * after one ejection's length, and another may go.
     */
    private boolean availableEjected(EndpointHealth endpoint, long now) {
        Outliers current = endpoint.outliers.get();
        if (!current.ejected()) {
            return true;
        }
        if (now - current.ejectedUntil() < 0) {
            return false;
        }
        if (current.probingSince() != 0 && now - current.probingSince() < config.ejection().toNanos()) {
            return false;
        }
        return endpoint.outliers.compareAndSet(current, new Outliers(current.failures(), current.errors(),
                current.ejections(), current.ejectedUntil(), now == 0 ? 1 : now));
    }

    /** An exchange got a response head from endpoint {@code index} with {@code status}. */
    public void answered(int index, int status) {
        if (config.consecutiveErrors() > 0 && config.errorStatuses().contains(status)) {
            failed(index, "status " + status, true, System.nanoTime());
        } else {
            succeeded(index);
        }
    }

    /** Endpoint {@code index} failed an exchange before any response: refused, reset, silent. */
    public void failed(int index, String why) {
        failed(index, why, false, System.nanoTime());
    }

    void succeeded(int index) {
        EndpointHealth endpoint = endpoints[index];
        Outliers current = endpoint.outliers.get();
        if (current == Outliers.CLEAR || (current.ejected() && current.probingSince() == 0)) {
            // an ejection is lifted by its probe, not by an exchange that began before it
            return;
        }
        if (endpoint.outliers.compareAndSet(current, Outliers.CLEAR) && current.ejected()) {
            log.info("cluster {}: endpoint {} is back: the probe after its ejection succeeded", cluster, endpoint.name);
        }
    }

    void failed(int index, String why, boolean errorStatus, long now) {
        EndpointHealth endpoint = endpoints[index];
        int threshold = errorStatus ? config.consecutiveErrors() : config.consecutiveFailures();
        if (threshold == 0) {
            return;
        }
        while (true) {
            Outliers current = endpoint.outliers.get();
            if (current.ejected()) {
                if (current.probingSince() != 0) {
                    eject(endpoint, current, why + ", probe failed", now);
                }
                return;
            }
            int failures = errorStatus ? current.failures() : current.failures() + 1;
            int errors = errorStatus ? current.errors() + 1 : current.errors();
            if ((errorStatus ? errors : failures) >= threshold) {
                eject(endpoint, current, threshold + (errorStatus ? " error responses" : " failures")
                        + " in a row, the last " + why, now);
                return;
            }
            if (endpoint.outliers.compareAndSet(current, new Outliers(failures, errors, current.ejections(), 0, 0))) {
                return;
            }
        }
    }

    private void eject(EndpointHealth endpoint, Outliers current, String why, long now) {
        synchronized (ejectLock) {
            if (endpoint.outliers.get() != current) {
                return;
            }
            if (!current.ejected() && ejectedCount() >= maxEjected()) {
                // the cap: the run goes on counting, and ejection waits for room
                endpoint.outliers.compareAndSet(current, new Outliers(current.failures(), current.errors(),
                        current.ejections(), 0, 0));
                return;
            }
            int ejections = current.ejections() + 1;
            long base = config.ejection().toNanos();
            long length = Math.min(config.maxEjection().toNanos(), base << Math.min(ejections - 1, 30));
            if (endpoint.outliers.compareAndSet(current, new Outliers(0, 0, ejections, now + length, 0))) {
                endpoint.ejectionsTotal.incrementAndGet();
                log.warn("cluster {}: endpoint {} ejected for {} ({})", cluster, endpoint.name,
                        Duration.ofNanos(length), why);
            }
        }
    }

    private int ejectedCount() {
        int count = 0;
        for (EndpointHealth endpoint : endpoints) {
            if (endpoint.outliers.get().ejected()) {
                count++;
            }
        }
        return count;
    }

    /** At least one, never all: a cluster of one never ejects it. */
    private int maxEjected() {
        return Math.min(endpoints.length - 1, Math.max(1, endpoints.length * config.maxEjectedPercent() / 100));
    }

    /**
     * No endpoint is available: the exchange goes to the endpoints regardless of their health,
     * as Envoy's panic mode and nginx do, since trying beats refusing every request. Logged at
     * most once a minute.
     */
    public void panicking() {
        long now = System.nanoTime();
        long last = lastPanicLog;
        if (last == 0 || now - last > PANIC_LOG_NANOS) {
            lastPanicLog = now;
            log.warn("cluster {}: no healthy endpoint; sending exchanges to all of them regardless", cluster);
        }
    }

    public int size() {
        return endpoints.length;
    }

    /** What is known of endpoint {@code index} now, for the admin API and metrics. */
    public Status status(int index) {
        EndpointHealth endpoint = endpoints[index];
        Outliers outliers = endpoint.outliers.get();
        long now = System.nanoTime();
        long ejectedFor = outliers.ejected() ? Math.max(0, outliers.ejectedUntil() - now) : 0;
        return new Status(endpoint.healthy, outliers.ejected(), Duration.ofNanos(ejectedFor), outliers.ejections(),
                outliers.failures(), endpoint.ejectionsTotal.get());
    }

    /**
     * One endpoint's health at one moment.
     *
     * @param healthy    what the active checks say (true without checks)
     * @param ejected    ejected by outlier detection (and not yet cleared by a probe)
     * @param ejectedFor how long the ejection still runs; zero once a probe may go
     * @param ejections  ejections in a row
     * @param failures   failures in a row so far
     * @param ejectionsTotal ejections since synedge started
     */
    public record Status(boolean healthy, boolean ejected, Duration ejectedFor, int ejections, int failures,
                         long ejectionsTotal) {

        /** Whether the endpoint takes new exchanges (outside a probe and panic mode). */
        public boolean available() {
            return healthy && !ejected;
        }
    }
}
