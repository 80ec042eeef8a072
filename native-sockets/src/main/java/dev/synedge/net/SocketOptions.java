package dev.synedge.net;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.MemorySegment;

/**
 * Plain integer socket options on any socket fd, including fds owned by Netty channels
 * ({@code ((UnixChannel) ch).fd().intValue()}). The feature-specific options live with their
 * feature: {@link FastOpen}, {@link TcpInfo}, {@link Mptcp}, {@link ZeroCopyReceiver}.
 */
public final class SocketOptions {

    static final int SO_REUSEADDR = 2;
    static final int SO_ERROR = 4;
    static final int SO_RCVBUF = 8;
    static final int SO_LINGER = 13;
    static final int SO_REUSEPORT = 15;
    static final int SO_PROTOCOL = 38;
    static final int TCP_NODELAY = 1;

    private SocketOptions() {}

    public static void setReuseAddress(int fd, boolean on) throws NativeException {
        setInt(fd, Libc.SOL_SOCKET, SO_REUSEADDR, on ? 1 : 0, "SO_REUSEADDR");
    }

    public static void setReusePort(int fd, boolean on) throws NativeException {
        setInt(fd, Libc.SOL_SOCKET, SO_REUSEPORT, on ? 1 : 0, "SO_REUSEPORT");
    }

    public static boolean reusePort(int fd) throws NativeException {
        return getInt(fd, Libc.SOL_SOCKET, SO_REUSEPORT, "SO_REUSEPORT") != 0;
    }

    public static void setNoDelay(int fd, boolean on) throws NativeException {
        setInt(fd, Libc.SOL_TCP, TCP_NODELAY, on ? 1 : 0, "TCP_NODELAY");
    }

    public static void setReceiveBufferSize(int fd, int bytes) throws NativeException {
        setInt(fd, Libc.SOL_SOCKET, SO_RCVBUF, bytes, "SO_RCVBUF");
    }

    /**
     * {@code SO_LINGER} on with timeout 0: {@code close()} then sends RST instead of FIN. For
     * aborting a connection whose state must not be reused (a broken upstream exchange).
     */
    public static void setLingerZero(int fd) throws NativeException {
        Libc.Scratch s = Libc.Scratch.get();
        s.buf.set(JAVA_INT, 0, 1);
        s.buf.set(JAVA_INT, 4, 0);
        check(Libc.setsockopt(fd, Libc.SOL_SOCKET, SO_LINGER, s.buf, 8), "setsockopt", "SO_LINGER");
    }

    /** Reads and clears the pending socket error ({@code SO_ERROR}); 0 when there is none. */
    public static int socketError(int fd) throws NativeException {
        return getInt(fd, Libc.SOL_SOCKET, SO_ERROR, "SO_ERROR");
    }

    /** The socket's protocol ({@code SO_PROTOCOL}): 6 for TCP, 262 for MPTCP. */
    public static int protocol(int fd) throws NativeException {
        return getInt(fd, Libc.SOL_SOCKET, SO_PROTOCOL, "SO_PROTOCOL");
    }

    static void setInt(int fd, int level, int name, int value, String label) throws NativeException {
        Libc.Scratch s = Libc.Scratch.get();
        s.buf.set(JAVA_INT, 0, value);
        check(Libc.setsockopt(fd, level, name, s.buf, 4), "setsockopt", label);
    }

    static int getInt(int fd, int level, int name, String label) throws NativeException {
        Libc.Scratch s = Libc.Scratch.get();
        s.buf.set(JAVA_INT, 0, 0);
        s.len.set(JAVA_INT, 0, 4);
        check(Libc.getsockopt(fd, level, name, s.buf, s.len), "getsockopt", label);
        return s.buf.get(JAVA_INT, 0);
    }

    /** Throws for a negative result of a call whose errno is in the thread's scratch. */
    static void check(long result, String call, String subject) throws NativeException {
        if (result < 0) {
            throw new NativeException(call, subject, Libc.errno());
        }
    }

    static MemorySegment scratchBuffer() {
        return Libc.Scratch.get().buf;
    }
}
