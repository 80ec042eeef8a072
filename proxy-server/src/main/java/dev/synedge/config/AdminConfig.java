package dev.synedge.config;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * The admin API's listener ({@code synedge.admin}): metrics, probes, endpoint state, the
 * effective configuration and a drain, on a socket of its own.
 *
 * @param enabled serve the admin API
 * @param address address and port to bind; port 0 picks an ephemeral port
 * @param token   the Bearer token every request must carry; null = none needed
 */
public record AdminConfig(boolean enabled, InetSocketAddress address, Secret token) {

    public AdminConfig {
        Objects.requireNonNull(address, "address");
    }
}
