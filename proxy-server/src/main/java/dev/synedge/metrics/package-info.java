/**
 * What the event loops count for the admin API's metrics, in the shape that costs the hot path
 * least: plain fields and arrays written by one loop, no atomics, no allocation per
 * observation. A scrape copies each loop's figures on that loop and adds the copies up
 * elsewhere. {@link dev.synedge.metrics.Histogram} buckets durations and small counts;
 * {@link dev.synedge.metrics.MptcpCounters} reads an MPTCP connection's subflows once, when
 * the connection is recorded (net's getsockopt calls), never per request. The counters that
 * use these live with the code that writes them (exchange, upstream, body); the admin package
 * turns them into Prometheus metrics.
 *
 * <p>May use: net.
 */
package dev.synedge.metrics;
