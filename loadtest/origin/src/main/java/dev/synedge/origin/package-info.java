/**
 * The synedge origin: the HTTP/1.1 upstream that the proxy's tests, {@code synedge demo} and the
 * load tests run against. Entry points: {@link dev.synedge.origin.Origin} (embedded),
 * {@link dev.synedge.origin.OriginMain} (standalone), {@link dev.synedge.origin.BodyPattern}
 * (what sized bodies contain, for clients that verify them).
 *
 * <p>Its own strict HTTP/1.1 request parser works in place over the connection's buffer, so
 * {@code /echo} can return a request byte for byte and pipelined requests are answered in order.
 * Bodies are slices of one pre-filled direct block, never copied per request. Uses Netty
 * (buffers, epoll transport, the WebSocket frame codecs) and nothing from the proxy.
 */
package dev.synedge.origin;
