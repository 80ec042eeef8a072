/**
 * The load generator: HTTP/1.1 connections driven on Netty epoll event loops through the
 * {@link io.netty.channel.epoll.EpollIoHandle} API over native-sockets
 * ({@link dev.synedge.net.LinuxSocket}), so the same code path serves keep-alive,
 * connection-per-request and client TCP Fast Open ({@code TCP_FASTOPEN_CONNECT}) runs.
 *
 * <p>{@link dev.synedge.loadtest.generator.LoadGenerator} runs one workload against one base URL
 * in closed loop (N connections, optional pipelining), open loop (a constant rate, latency
 * from each request's intended send time) or idle mode (N connections that each carry one
 * request and then stay open). Each event loop has one {@code Worker} with its own
 * connections, histograms and counters, merged into a {@link dev.synedge.loadtest.generator.LoadResult}
 * at the end. May use: native-sockets, Netty transport, HdrHistogram, {@code loadtest.http},
 * {@code loadtest.proc}.
 */
package dev.synedge.loadtest.generator;
