/**
 * {@code synedge doctor}: probes this host for what synedge needs (Fast Open bits, MPTCP,
 * zero-copy receive, the Netty native transport, the JDK) and says in plain words what works,
 * what does not and the exact fix. Uses native-sockets and Netty's epoll availability checks;
 * nothing here runs on an event loop.
 */
package dev.synedge.doctor;
