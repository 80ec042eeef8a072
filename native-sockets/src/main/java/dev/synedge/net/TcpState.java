package dev.synedge.net;

/** TCP connection states as {@code tcpi_state} reports them (include/net/tcp_states.h). */
public enum TcpState {
    UNKNOWN, ESTABLISHED, SYN_SENT, SYN_RECV, FIN_WAIT1, FIN_WAIT2, TIME_WAIT, CLOSE, CLOSE_WAIT,
    LAST_ACK, LISTEN, CLOSING, NEW_SYN_RECV, BOUND_INACTIVE;

    private static final TcpState[] VALUES = values();

    static TcpState of(int code) {
        return code > 0 && code < VALUES.length ? VALUES[code] : UNKNOWN;
    }
}
