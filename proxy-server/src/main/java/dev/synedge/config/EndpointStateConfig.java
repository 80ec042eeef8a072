package dev.synedge.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Bounds of the cache of per-endpoint state (Fast Open outcomes, RTT), {@code synedge.endpoint-state}.
 *
 * @param maxEndpoints      entries kept; the least recently used go first
 * @param expireAfterAccess an entry untouched this long is dropped
 */
public record EndpointStateConfig(int maxEndpoints, Duration expireAfterAccess) {

    public EndpointStateConfig {
        Objects.requireNonNull(expireAfterAccess, "expireAfterAccess");
    }
}
