package dev.synedge.config;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * One listening socket ({@code synedge.listeners[i]}).
 *
 * @param name              unique among listeners; appears in logs and metrics
 * @param address           resolved address and port to bind; port 0 picks an ephemeral port
 * @param fastopenQueue     TCP_FASTOPEN queue length (pending SYN-data connections); 0 = off
 * @param backlog           listen(2) backlog
 * @param reusePort         SO_REUSEPORT: one socket per event loop, the kernel spreads connections
 * @param mptcp             open the listening socket as MPTCP
 * @param idleTimeout       close a client connection idle this long between requests
 * @param headerReadTimeout answer 408 when a request head takes longer than this to arrive
 * @param maxConnections    client connections open at once on this listener; at the limit it
 *                          stops accepting until one closes; 0 = no limit of its own
 * @param maxConnectionsPerClient connections one client address may have open at once on this
 *                          listener; one beyond it is answered 429; 0 = no limit
 */
public record ListenerConfig(String name, InetSocketAddress address, int fastopenQueue, int backlog,
                             boolean reusePort, boolean mptcp, Duration idleTimeout,
                             Duration headerReadTimeout, int maxConnections, int maxConnectionsPerClient) {

    public ListenerConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(headerReadTimeout, "headerReadTimeout");
    }
}
