/**
 * {@code synedge doctor}: probes this host for what synedge needs (Fast Open bits, MPTCP,
 * zero-copy receive, the Netty native transport, the JDK) and says in plain words what works,
 * what does not and the exact fix. Of Netty it only asks whether its epoll transport is
 * available; nothing here runs on an event loop.
 *
 * <p>May use: net, Netty.
 */
package dev.synedge.doctor;
