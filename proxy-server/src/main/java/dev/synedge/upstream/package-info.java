/**
 * The upstream side: a cluster's endpoints as one event loop sees them
 * ({@link dev.synedge.upstream.LocalCluster}: balancing, a pool per endpoint, the MSS its
 * zero-copy connections advertise), one upstream connection
 * ({@link dev.synedge.upstream.UpstreamSocket}, our own socket driven by the client's event
 * loop), and what is learned per endpoint across loops
 * ({@link dev.synedge.upstream.EndpointStates}: Fast Open outcomes and back-off, TCP metrics).
 *
 * <p>Everything but {@link dev.synedge.upstream.EndpointStates} belongs to one event loop,
 * the metrics' {@link dev.synedge.upstream.ClusterCounters} too (kept by name across reloads,
 * as body's per-cluster counters are). Of body it uses the per-cluster counters and the
 * socket's zero-copy window; it knows nothing of exchanges or HTTP.
 *
 * <p>May use: body, config, health, metrics, net, Caffeine, Netty, SLF4J.
 */
package dev.synedge.upstream;
