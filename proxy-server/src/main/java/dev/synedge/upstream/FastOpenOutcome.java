package dev.synedge.upstream;

import dev.synedge.net.TcpInfo;

/** What happened to Fast Open on one new upstream connection, read from its TCP_INFO. */
public enum FastOpenOutcome {
    /** Fast Open was not tried (off for the cluster, request not replay-safe, or backing off). */
    NOT_TRIED,
    /** The SYN carried the request and the endpoint acknowledged it. */
    SYN_DATA_ACKED,
    /** No cookie was cached yet: the SYN asked for one, the request followed the handshake. */
    COOKIE_REQUESTED,
    /** The SYN carried data the endpoint did not acknowledge (it refused the cookie or TFO). */
    DATA_NOT_ACKED,
    /** The SYN with data had to be retransmitted: a middlebox may drop such SYNs. */
    SYN_RETRANSMITTED,
    /** The connection failed before its outcome could be read. */
    CONNECTION_FAILED,
    /** Tried, but the kernel reported neither success nor a reason (older kernels). */
    UNKNOWN;

    /** Whether this outcome counts against Fast Open to the endpoint. */
    public boolean isFailure() {
        return this == DATA_NOT_ACKED || this == SYN_RETRANSMITTED || this == CONNECTION_FAILED;
    }

    /** Whether the request rode in the SYN. */
    public boolean synData() {
        return this == SYN_DATA_ACKED;
    }

    /** The outcome of a connection opened with Fast Open, from its TCP_INFO. */
    public static FastOpenOutcome of(TcpInfo info) {
        if (info.synData()) {
            return SYN_DATA_ACKED;
        }
        return switch (info.fastOpenClientFail()) {
            case COOKIE_UNAVAILABLE -> COOKIE_REQUESTED;
            case DATA_NOT_ACKED -> DATA_NOT_ACKED;
            case SYN_RETRANSMITTED -> SYN_RETRANSMITTED;
            case UNSPEC -> UNKNOWN;
        };
    }
}
