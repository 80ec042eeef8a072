/**
 * Request routing: {@link dev.synedge.routing.Router} is compiled once per configuration
 * snapshot from the route records and matches a request's host, path and method, given as
 * offsets into the request head's ByteBuf, to a {@link dev.synedge.routing.Route} without
 * allocating. A route carries what the exchange needs from its configuration: cluster name,
 * path rewrite, replay safety, forwarding-field policy with its {@link dev.synedge.routing.TrustedHops},
 * and header edits. {@link dev.synedge.routing.ProxyRuntime} is one configuration snapshot made
 * ready for the hot path: the router and, per route, the head writers.
 *
 * <p>Everything here is immutable after compilation and shared by all event loops.
 *
 * <p>Of config it takes the records, of http the value types, of Netty only ByteBuf, and it
 * never releases or retains the buffers it is given.
 *
 * <p>May use: config, http, Netty.
 */
package dev.synedge.routing;
