package dev.synedge.loadtest.generator;

/** How requests are issued. */
public enum Mode {
    /** A fixed number of connections, each sending its next request when a response completes. */
    CLOSED,
    /** A constant request rate; latency counts from each request's intended send time. */
    OPEN,
    /** N connections that each carry one request and then stay open, idle. */
    IDLE
}
