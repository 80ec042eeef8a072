package dev.synedge.net;

import java.util.List;

/** What a socket is, MPTCP-wise: {@link Mptcp#status(int)}. */
public sealed interface MptcpStatus {

    /** Speaking MPTCP: connection-level info and each subflow's {@code TCP_INFO}. */
    record Active(MptcpInfo info, List<TcpInfo> subflows) implements MptcpStatus {
        public Active {
            subflows = List.copyOf(subflows);
        }
    }

    /**
     * Created as MPTCP but running as plain TCP: the peer (or a middlebox) did not take the
     * MP_CAPABLE option, or the socket is not connected yet. {@code errnoName} is what the
     * kernel answered the MPTCP getsockopt with (EOPNOTSUPP on IPv4, ENOPROTOOPT on IPv6).
     */
    record FellBack(String errnoName) implements MptcpStatus {}

    /** An ordinary TCP socket. */
    record PlainTcp() implements MptcpStatus {}
}
