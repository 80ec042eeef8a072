package dev.synedge.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Active HTTP health checks of a cluster's endpoints ({@code clusters.<name>.health-check}):
 * one checker per endpoint sends {@code GET path} now and then; an endpoint that fails
 * {@code fall} checks in a row gets no new exchanges until it passes {@code rise} in a row.
 *
 * @param enabled  check at all
 * @param interval time between checks of one endpoint
 * @param jitter   up to this much added to each interval at random, so checks spread out
 * @param timeout  connect and response-head time allowed to a check
 * @param path     request target of the check
 * @param host     Host of the check; null = the endpoint as configured ({@code host:port})
 * @param expect   statuses that pass
 * @param rise     passes in a row that make an unhealthy endpoint healthy
 * @param fall     failures in a row that make a healthy endpoint unhealthy
 */
public record HealthCheckConfig(boolean enabled, Duration interval, Duration jitter, Duration timeout, String path,
                                String host, List<StatusRange> expect, int rise, int fall) {

    /** Statuses {@code from} to {@code to}, both included. */
    public record StatusRange(int from, int to) {

        public boolean contains(int status) {
            return status >= from && status <= to;
        }
    }

    public HealthCheckConfig {
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(jitter, "jitter");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(path, "path");
        expect = List.copyOf(expect);
    }

    /** Whether {@code status} passes. */
    public boolean passes(int status) {
        return expect.stream().anyMatch(range -> range.contains(status));
    }
}
