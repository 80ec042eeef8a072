package dev.synedge.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Exchanges waiting for an upstream connection when every endpoint of a cluster is at its
 * {@code max-connections-per-endpoint} ({@code clusters.<name>.queue}): at most {@code size}
 * wait, each at most {@code timeout}; the others get 503 at once.
 *
 * @param size    exchanges that may wait, per cluster and event loop; 0 = none wait
 * @param timeout the longest an exchange waits
 */
public record QueueConfig(int size, Duration timeout) {

    public QueueConfig {
        Objects.requireNonNull(timeout, "timeout");
    }
}
