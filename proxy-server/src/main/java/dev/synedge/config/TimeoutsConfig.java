package dev.synedge.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Upstream timeouts of a cluster ({@code clusters.<name>.timeouts}).
 *
 * @param connect      from connect() until the connection is established
 * @param responseHead from the last request byte sent until the whole response head arrived
 * @param idle         longest silence on an upstream connection while an exchange is in flight
 */
public record TimeoutsConfig(Duration connect, Duration responseHead, Duration idle) {

    public TimeoutsConfig {
        Objects.requireNonNull(connect, "connect");
        Objects.requireNonNull(responseHead, "responseHead");
        Objects.requireNonNull(idle, "idle");
    }
}
