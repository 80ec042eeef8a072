/**
 * Exchanges: one request and its response, from the client connection that read the request to
 * the upstream socket that carries it and back. {@link dev.synedge.exchange.ClientConnection}
 * is the Netty handler of one client connection (head parsing, pipelining, keep-alive,
 * timeouts); {@link dev.synedge.exchange.Exchange} forwards one request and relays its
 * response (Fast Open decision, retries, body framing, backpressure, tunnels);
 * {@link dev.synedge.exchange.LoopContext} is what one event loop owns, among it the
 * {@link dev.synedge.exchange.ParseStates} that idle connections lend their parse state to.
 *
 * <p>Everything here runs on the event loop of the client connection. Uses http, routing,
 * upstream, accesslog and config; the server package wires it to listeners.
 * <p>May use: http, routing, upstream, body, accesslog, config, net, Netty, SLF4J.
 */
package dev.synedge.exchange;
