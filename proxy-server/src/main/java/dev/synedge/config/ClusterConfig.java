package dev.synedge.config;

import java.util.List;
import java.util.Objects;

/**
 * A set of interchangeable upstream endpoints and how to talk to them
 * ({@code synedge.clusters.<name>}).
 *
 * @param name                      the key under {@code clusters}
 * @param endpoints                 at least one; a hostname contributes one endpoint per address
 * @param loadBalancing             how an endpoint is picked for each exchange
 * @param fastopen                  send forwarded requests in the SYN (TCP_FASTOPEN_CONNECT) on new
 *                                  upstream connections of replay-safe requests
 * @param mptcp                     open upstream connections as MPTCP
 * @param responseBody              how response bodies are moved to the client
 * @param maxConnectionsPerEndpoint cap on open upstream connections per endpoint and event
 *                                  loop; 0 = no cap
 * @param pool                      idle upstream connection pool
 * @param timeouts                  upstream timeouts
 * @param fastopenBackoff           when to stop using Fast Open to a failing endpoint
 * @param retries                   when requests are sent again
 * @param outlierDetection          when a failing endpoint is ejected
 * @param healthCheck               active checks of the endpoints
 * @param queue                     exchanges waiting for a connection at the connection cap
 */
public record ClusterConfig(String name, List<EndpointConfig> endpoints, LoadBalancing loadBalancing,
                            boolean fastopen, boolean mptcp, ResponseBody responseBody,
                            int maxConnectionsPerEndpoint, PoolConfig pool, TimeoutsConfig timeouts,
                            FastopenBackoffConfig fastopenBackoff, RetryConfig retries,
                            OutlierConfig outlierDetection, HealthCheckConfig healthCheck, QueueConfig queue) {

    public ClusterConfig {
        Objects.requireNonNull(name, "name");
        endpoints = List.copyOf(endpoints);
        Objects.requireNonNull(loadBalancing, "loadBalancing");
        Objects.requireNonNull(responseBody, "responseBody");
        Objects.requireNonNull(pool, "pool");
        Objects.requireNonNull(timeouts, "timeouts");
        Objects.requireNonNull(fastopenBackoff, "fastopenBackoff");
        Objects.requireNonNull(retries, "retries");
        Objects.requireNonNull(outlierDetection, "outlierDetection");
        Objects.requireNonNull(healthCheck, "healthCheck");
        Objects.requireNonNull(queue, "queue");
    }

    /** How a cluster picks the endpoint for an exchange. */
    public enum LoadBalancing {
        /** Smooth weighted round robin over the endpoints. */
        ROUND_ROBIN,
        /**
         * Power of two choices: pick two endpoints at random (by weight), use the one with
         * fewer exchanges in flight.
         */
        LEAST_OUTSTANDING
    }

    /**
     * How response body data travels from the upstream socket to the client (heads, chunk
     * framing and trailers are always parsed); see {@code dev.synedge.body.BodyPolicy}.
     */
    public enum ResponseBody {
        /**
         * Splice for Content-Length bodies of 128 KiB or more; zero-copy receive for chunked and
         * close-delimited bodies while the host maps pages; copy for the rest.
         */
        AUTO,
        /** Always read into pooled buffers. */
        COPY,
        /** TCP_ZEROCOPY_RECEIVE for every body (what will not map is copied); MPTCP upstreams copy. */
        ZERO_COPY,
        /** splice(2) from the upstream socket through a pipe to the client socket for Content-Length bodies; others copy. */
        SPLICE
    }
}
