package dev.synedge.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How synedge stops and hands over to a new process ({@code synedge.lifecycle}).
 *
 * @param drainTimeout   how long a graceful stop lets exchanges in flight finish before it
 *                       cuts what is left
 * @param takeoverSocket Unix socket on which a running synedge hands its listening sockets to
 *                       a new process started with {@code --takeover}; null = no takeover
 */
public record LifecycleConfig(Duration drainTimeout, Path takeoverSocket) {

    public LifecycleConfig {
        Objects.requireNonNull(drainTimeout, "drainTimeout");
    }
}
