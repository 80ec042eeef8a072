package dev.synedge.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Idle upstream connections kept for reuse, per endpoint and event loop
 * ({@code clusters.<name>.pool}).
 *
 * @param maxIdle     idle connections kept; 0 = no reuse (one connection per exchange)
 * @param idleTimeout close an idle pooled connection after this long
 * @param maxRequests close a connection after this many exchanges; 0 = no limit
 */
public record PoolConfig(int maxIdle, Duration idleTimeout, int maxRequests) {

    public PoolConfig {
        Objects.requireNonNull(idleTimeout, "idleTimeout");
    }
}
