/**
 * The origin behind {@code synedge demo}: {@link dev.synedge.demo.DemoOrigin}, a Fast Open
 * listener on Netty's epoll transport that answers the requests the demo suggests and little
 * else: {@code /hello}, {@code /1m} (GET and HEAD), {@code /echo} (any method: the request as
 * it arrived), 404 for other paths and 405 for other methods. Connections stay open between
 * requests, and pipelined requests are answered in order.
 *
 * <p>It lives here, and not in the test origin of loadtest/origin, so that the proxy's runtime
 * classpath holds only what the proxy needs: requests are read with the proxy's own parser and
 * body decoder, not Netty's HTTP codec.
 *
 * <p>May use: http, net, Netty.
 */
package dev.synedge.demo;
