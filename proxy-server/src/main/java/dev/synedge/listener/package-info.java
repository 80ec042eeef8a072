/**
 * Listeners: the sockets clients connect to. One listening socket per listener and event loop
 * (SO_REUSEPORT), so every client connection lives on the loop that accepted it, with its
 * upstream connections, from accept to close. Plain TCP listeners are Netty
 * {@code EpollServerSocketChannel}s; MPTCP listeners are sockets from native-sockets wrapped
 * in one. It knows nothing of HTTP: it is given the handler that each accepted connection
 * gets. What is let in, and when accepting pauses, is decided here: connection limits per
 * listener, over all listeners and per client address, and the back-off after a failed accept
 * ({@link dev.synedge.listener.AcceptLimits}, {@link dev.synedge.listener.AcceptGate}).
 *
 * <p>May use: config, net, Netty, SLF4J.
 */
package dev.synedge.listener;
