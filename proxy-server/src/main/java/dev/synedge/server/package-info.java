/**
 * The running proxy: event loops, listeners, the configuration snapshot the exchanges read
 * ({@link dev.synedge.routing.ProxyRuntime}) and its atomic swap on reload, and each loop's own
 * state (clusters, pools). Ties the other packages together; the CLI starts it.
 *
 * <p>May use: accesslog, body, config, exchange, health, listener, net, routing, upstream, Netty, SLF4J.
 */
package dev.synedge.server;
