package dev.synedge.net;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * Multipath TCP introspection on a socket fd: connection info ({@code MPTCP_INFO}), each
 * subflow's {@code TCP_INFO} ({@code MPTCP_TCPINFO}) and whether the connection still speaks
 * MPTCP ({@code TCP_IS_MPTCP}). Plain {@code TCP_INFO} on an MPTCP socket describes its first
 * subflow only.
 */
public final class Mptcp {

    static final int MPTCP_TCPINFO = 2;
    static final int TCP_IS_MPTCP = 43;
    /** {@code struct mptcp_subflow_data}: the header before the subflow array. */
    private static final int SUBFLOW_HEADER = 16;

    private Mptcp() {}

    /** True while the connection speaks MPTCP; false for plain TCP and after a fallback. */
    public static boolean isMptcp(int fd) throws NativeException {
        return SocketOptions.getInt(fd, Libc.SOL_TCP, TCP_IS_MPTCP, "TCP_IS_MPTCP") != 0;
    }

    /** The socket was created with {@code IPPROTO_MPTCP} (whatever happened since). */
    public static boolean createdAsMptcp(int fd) throws NativeException {
        return SocketOptions.protocol(fd) == Libc.IPPROTO_MPTCP;
    }

    /** Active with info and subflows, fell back to TCP, or plain TCP from the start. */
    public static MptcpStatus status(int fd) throws NativeException {
        if (!createdAsMptcp(fd)) {
            return new MptcpStatus.PlainTcp();
        }
        try {
            return new MptcpStatus.Active(info(fd), subflows(fd));
        } catch (NativeException e) {
            if (isFallbackErrno(e.errno())) {
                return new MptcpStatus.FellBack(e.errnoName());
            }
            throw e;
        }
    }

    private static boolean isFallbackErrno(int errno) {
        return errno == Errno.EOPNOTSUPP || errno == Errno.ENOPROTOOPT;
    }

    /** {@code MPTCP_INFO}; throws EOPNOTSUPP / ENOPROTOOPT when the connection fell back. */
    public static MptcpInfo info(int fd) throws NativeException {
        Libc.Scratch s = Libc.Scratch.get();
        s.len.set(JAVA_INT, 0, MptcpInfo.REQUEST_SIZE);
        SocketOptions.check(Libc.getsockopt(fd, Libc.SOL_MPTCP, MptcpInfo.MPTCP_INFO, s.buf, s.len),
                "getsockopt", "MPTCP_INFO");
        return MptcpInfo.decode(s.buf, s.len.get(JAVA_INT, 0));
    }

    /**
     * {@code MPTCP_TCPINFO}: one {@link TcpInfo} per subflow. The kernel says how many subflows
     * exist even when they did not all fit; the buffer then grows and the call is repeated.
     */
    public static List<TcpInfo> subflows(int fd) throws NativeException {
        return subflows(fd, Libc.Scratch.SIZE);
    }

    /** {@link #subflows(int)} starting from a buffer of {@code firstBufferBytes} (tests grow it). */
    static List<TcpInfo> subflows(int fd, int firstBufferBytes) throws NativeException {
        Libc.Scratch s = Libc.Scratch.get();
        Attempt attempt = subflowsInto(fd, s.buf, s.len, Math.min(firstBufferBytes, Libc.Scratch.SIZE));
        while (attempt.subflows() == null) {
            try (Arena arena = Arena.ofConfined()) {
                attempt = subflowsInto(fd, arena.allocate(attempt.needed(), 16), s.len, attempt.needed());
            }
        }
        return attempt.subflows();
    }

    /** The subflows, or (when they did not all fit) the buffer size that would hold them. */
    private record Attempt(List<TcpInfo> subflows, int needed) {}

    private static Attempt subflowsInto(int fd, MemorySegment buf, MemorySegment lenPtr, int capacity)
            throws NativeException {
        buf.set(JAVA_INT, 0, SUBFLOW_HEADER);
        buf.set(JAVA_INT, 4, 0);
        buf.set(JAVA_INT, 8, 0);
        buf.set(JAVA_INT, 12, TcpInfo.REQUEST_SIZE);
        lenPtr.set(JAVA_INT, 0, capacity);
        SocketOptions.check(Libc.getsockopt(fd, Libc.SOL_MPTCP, MPTCP_TCPINFO, buf, lenPtr),
                "getsockopt", "MPTCP_TCPINFO");
        int total = buf.get(JAVA_INT, 4);
        int stride = buf.get(JAVA_INT, 12);
        int copied = stride == 0 ? 0 : (lenPtr.get(JAVA_INT, 0) - SUBFLOW_HEADER) / stride;
        if (copied < total) {
            // Subflows can appear between two calls: leave room for a couple more.
            return new Attempt(null, SUBFLOW_HEADER + (total + 2) * stride);
        }
        List<TcpInfo> subflows = new ArrayList<>(copied);
        for (int i = 0; i < copied; i++) {
            subflows.add(TcpInfo.decode(buf.asSlice(SUBFLOW_HEADER + (long) i * stride, stride), stride));
        }
        return new Attempt(subflows, 0);
    }
}
