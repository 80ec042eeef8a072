package dev.synedge.config;

import java.time.Duration;
import java.util.Objects;

/**
 * When synedge stops sending SYN data to an endpoint where Fast Open keeps failing
 * ({@code clusters.<name>.fastopen-backoff}): after {@code failures} failures in a row it
 * connects without Fast Open for {@code initial}, doubling the pause after each failed probe up
 * to {@code max}, and returns to Fast Open after a probe succeeds.
 *
 * @param failures consecutive failures that trigger a pause, at least 1
 * @param initial  the first pause
 * @param max      the longest pause, at least {@code initial}
 */
public record FastopenBackoffConfig(int failures, Duration initial, Duration max) {

    public FastopenBackoffConfig {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
    }
}
