/**
 * Exchanges: one request and its response, from the client connection that read the request to
 * the upstream socket that carries it and back.
 *
 * <ul>
 *   <li>{@link dev.synedge.exchange.ClientConnection}: the Netty handler of one client
 *       connection (head parsing, pipelining, keep-alive, its timeouts).
 *   <li>{@link dev.synedge.exchange.Exchange}: one request's coordinator: routing, the
 *       {@link dev.synedge.exchange.Phase} it is in, the connection queue, retries (the rules in
 *       {@link dev.synedge.exchange.Retries}), timeouts (in {@link dev.synedge.exchange.Timeouts})
 *       and the endings; both rule sets are pure functions.
 *   <li>{@link dev.synedge.exchange.OwnResponse}: the responses synedge writes itself, and which
 *       requests get one from their head alone (loop, TRACE, Max-Forwards, no route, too large).
 *   <li>{@link dev.synedge.exchange.UpstreamAttempt}: one try at an endpoint: pooled or new
 *       connection, the Fast Open decision, connect timing and outcome.
 *   <li>{@link dev.synedge.exchange.RequestForwarder}: the request going up (head, body, limit,
 *       the copy kept for a retry).
 *   <li>{@link dev.synedge.exchange.ResponseRelay}: the response coming down (head, copied body
 *       with re-chunking), with {@link dev.synedge.exchange.ClientOutput} for the client's side
 *       and a {@link dev.synedge.exchange.BodyPump} (mapped or spliced) for large bodies.
 *   <li>{@link dev.synedge.exchange.ExchangeRecord}: what the access log and counters learn,
 *       and {@link dev.synedge.exchange.LoopMetrics} what the metrics count, per loop and by
 *       name ({@link dev.synedge.exchange.ExchangeSeries} per listener, route and cluster).
 *   <li>{@link dev.synedge.exchange.LoopContext}: what one event loop owns, among it the
 *       {@link dev.synedge.exchange.ParseStates} that idle connections lend their parse state to.
 * </ul>
 *
 * <p>Everything here runs on the event loop of the client connection; the server package wires
 * it to listeners. Of listener it asks only whether a connection came in over its client's
 * connection limit.
 *
 * <p>May use: accesslog, body, config, health, http, listener, metrics, net, routing, upstream, Netty, SLF4J.
 */
package dev.synedge.exchange;
