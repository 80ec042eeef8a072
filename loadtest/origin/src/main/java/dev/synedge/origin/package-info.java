/**
 * The synedge origin: the HTTP/1.1 upstream that the proxy's tests and the load tests run
 * against. Entry points: {@link dev.synedge.origin.Origin} (embedded),
 * {@link dev.synedge.origin.OriginMain} (standalone), {@link dev.synedge.origin.BodyPattern}
 * (what sized bodies contain, for clients that verify them).
 *
 * <p>Requests are read with the proxy's own strict HTTP/1.1 codec (synedge-http-codec: its
 * request parser and body decoder work in place over the connection's buffer and never change
 * it), so the origin refuses exactly what the proxy refuses, {@code /echo} can return a request
 * byte for byte and pipelined requests are answered in order. Bodies are slices of one
 * pre-filled direct block, never copied per request. Uses the codec, Netty (buffers, epoll
 * transport, the WebSocket frame codecs) and nothing else of the proxy.
 */
package dev.synedge.origin;
