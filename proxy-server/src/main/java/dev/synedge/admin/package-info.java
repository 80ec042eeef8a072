/**
 * The admin API, on a listener of its own ({@code synedge.admin}), for operators and their
 * tools: {@code /metrics} for Prometheus, {@code /ready} and {@code /live} for probes,
 * {@code /endpoints} (what is known of each upstream endpoint), {@code /config} (the effective
 * configuration, secrets redacted) and {@code POST /drain}.
 *
 * <p>{@link dev.synedge.admin.AdminServer} serves it with the JDK's HTTP server on one thread
 * of its own: it needs no HTTP code of its own and no Netty codec, and a slow or stuck admin
 * client cannot delay an exchange. Nothing here runs on an event loop; a scrape asks each loop
 * for a copy of its counters ({@link dev.synedge.server.ProxyServer#loopMetrics}) and adds them
 * up in {@link dev.synedge.admin.SynedgeCollector}, which the Prometheus client's registry
 * writes out beside the JVM's metrics. Of Netty it reads only the buffer allocator's figures.
 *
 * <p>May use: accesslog, body, config, exchange, health, metrics, net, server, upstream, Netty, SLF4J, Prometheus.
 */
package dev.synedge.admin;
