package dev.synedge.net;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import java.lang.foreign.MemorySegment;
import java.util.OptionalLong;

/**
 * A decoded {@code struct mptcp_info} ({@code MPTCP_INFO}). Fields a kernel did not return are
 * empty. The first group exists since MPTCP's first upstream release (5.6); later kernels
 * append the rest (96 bytes on 6.18).
 *
 * @param size               bytes the kernel returned
 * @param subflows           established additional subflows (the initial one not counted)
 * @param addAddrSignal      ADD_ADDR announcements sent
 * @param addAddrAccepted    ADD_ADDR announcements accepted
 * @param subflowsMax        limit on additional subflows
 * @param flags              {@code mptcpi_flags}; see {@link #fallback()}
 * @param token              the connection's local token
 * @param writeSequence      MPTCP-level sequence of the next byte to send
 * @param sendUnacked        MPTCP-level oldest unacknowledged byte
 * @param receiveNext        MPTCP-level next expected byte
 * @param subflowsTotal      all subflows, the initial one included (6.10+)
 * @param bytesSent          MPTCP-level bytes sent (6.5+)
 * @param bytesReceived      MPTCP-level bytes received (6.5+)
 * @param bytesAcked         MPTCP-level bytes acked (6.5+)
 * @param retransmits        MPTCP-level retransmissions (6.5+)
 */
public record MptcpInfo(
        int size,
        int subflows,
        int addAddrSignal,
        int addAddrAccepted,
        int subflowsMax,
        long flags,
        long token,
        long writeSequence,
        long sendUnacked,
        long receiveNext,
        OptionalLong subflowsTotal,
        OptionalLong bytesSent,
        OptionalLong bytesReceived,
        OptionalLong bytesAcked,
        OptionalLong retransmits) {

    static final int MPTCP_INFO = 1;
    static final int REQUEST_SIZE = 256;
    private static final int BASE_SIZE = 40;
    private static final long FLAG_FALLBACK = 1;

    static MptcpInfo decode(MemorySegment raw, int size) {
        if (size < BASE_SIZE) {
            throw new IllegalArgumentException("mptcp_info of " + size + " bytes is shorter than any kernel's");
        }
        return new MptcpInfo(
                size,
                u8(raw, 0),
                u8(raw, 1),
                u8(raw, 2),
                u8(raw, 3),
                Integer.toUnsignedLong(raw.get(JAVA_INT_UNALIGNED, 8)),
                Integer.toUnsignedLong(raw.get(JAVA_INT_UNALIGNED, 12)),
                raw.get(JAVA_LONG_UNALIGNED, 16),
                raw.get(JAVA_LONG_UNALIGNED, 24),
                raw.get(JAVA_LONG_UNALIGNED, 32),
                size >= 81 ? OptionalLong.of(u8(raw, 80)) : OptionalLong.empty(),
                u64(raw, size, 56),
                u64(raw, size, 64),
                u64(raw, size, 72),
                size >= 48 ? OptionalLong.of(Integer.toUnsignedLong(raw.get(JAVA_INT_UNALIGNED, 44)))
                        : OptionalLong.empty());
    }

    private static int u8(MemorySegment raw, long offset) {
        return Byte.toUnsignedInt(raw.get(JAVA_BYTE, offset));
    }

    private static OptionalLong u64(MemorySegment raw, int size, long offset) {
        return offset + 8 <= size ? OptionalLong.of(raw.get(JAVA_LONG_UNALIGNED, offset)) : OptionalLong.empty();
    }

    /** The kernel marked the connection as fallen back to plain TCP. */
    public boolean fallback() {
        return (flags & FLAG_FALLBACK) != 0;
    }
}
