package dev.synedge.net;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemorySegment;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;

/**
 * A non-blocking, close-on-exec TCP or MPTCP socket that owns its file descriptor.
 *
 * <p>I/O methods work on native memory (raw addresses or native {@link MemorySegment}s) so
 * that Netty direct ByteBufs can be read into and written from without a copy. They never
 * throw for the ordinary non-blocking outcomes: reads return {@link #EOF} or
 * {@link #WOULD_BLOCK}, writes return {@link #WOULD_BLOCK}; real failures (ECONNRESET,
 * ECONNREFUSED, EPIPE, ...) throw {@link NativeException}.
 *
 * <p>With {@code TCP_FASTOPEN_CONNECT} set ({@link FastOpen#enableConnect}), {@link #connect}
 * may return true before anything was sent, the first write goes out in the SYN, and a refused
 * connection surfaces on that write or the first read, not on connect.
 *
 * <p>Not thread-safe: a socket belongs to one thread (an event loop) at a time.
 */
public final class LinuxSocket implements AutoCloseable {

    /** {@link #read} result: the peer closed its side and everything was read. */
    public static final int EOF = -1;
    /**
     * {@link #read} / {@link #write} result: nothing can be done now (EAGAIN; or EINPROGRESS
     * for a write on a Fast Open connect whose handshake has not completed). Wait for readiness.
     */
    public static final int WOULD_BLOCK = -2;

    /** Which transport protocol a new socket speaks. */
    public enum Protocol {
        TCP(Libc.IPPROTO_TCP),
        /** Multipath TCP (IPPROTO_MPTCP); falls back to TCP when the peer does not speak it. */
        MPTCP(Libc.IPPROTO_MPTCP);

        final int number;

        Protocol(int number) {
            this.number = number;
        }

        /** The protocol of an open socket ({@code SO_PROTOCOL}). */
        public static Protocol of(int fd) throws NativeException {
            return SocketOptions.protocol(fd) == Libc.IPPROTO_MPTCP ? MPTCP : TCP;
        }
    }

    static final short POLLIN = 0x1;
    private static final short POLLOUT = 0x4;
    private static final int SHUT_WR = 1;

    private int fd;

    private LinuxSocket(int fd) {
        this.fd = fd;
    }

    /** Opens a new non-blocking stream socket of the given family and protocol. */
    public static LinuxSocket open(StandardProtocolFamily family, Protocol protocol) throws NativeException {
        int domain = switch (family) {
            case INET -> Libc.AF_INET;
            case INET6 -> Libc.AF_INET6;
            case UNIX -> throw new IllegalArgumentException("unix sockets are not supported");
        };
        int fd = Libc.socket(domain, Libc.SOCK_STREAM | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC, protocol.number);
        SocketOptions.check(fd, "socket", family + "/" + protocol);
        return new LinuxSocket(fd);
    }

    /**
     * Takes ownership of {@code fd}, a socket this process received (from another process,
     * through {@link UnixSocket}): closing the result closes it.
     */
    public static LinuxSocket adopt(int fd) {
        if (fd < 0) {
            throw new IllegalArgumentException("not a descriptor: " + fd);
        }
        return new LinuxSocket(fd);
    }

    /** Opens a socket whose family suits {@code address} (IPv4 or IPv6). */
    public static LinuxSocket openFor(InetSocketAddress address, Protocol protocol) throws NativeException {
        return open(familyOf(address), protocol);
    }

    public static StandardProtocolFamily familyOf(InetSocketAddress address) {
        return address.getAddress() instanceof Inet4Address ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6;
    }

    /** The file descriptor, for epoll registration and the option classes. */
    public int fd() {
        ensureOpen();
        return fd;
    }

    public boolean isOpen() {
        return fd >= 0;
    }

    public void bind(InetSocketAddress local) throws NativeException {
        MemorySegment addr = SocketOptions.scratchBuffer();
        int len = SocketAddresses.encode(local, addr);
        SocketOptions.check(Libc.bind(fd(), addr, len), "bind", AddressText.of(local));
    }

    public void listen(int backlog) throws NativeException {
        SocketOptions.check(Libc.listen(fd(), backlog), "listen", "backlog " + backlog);
    }

    /**
     * Starts connecting. Returns true when the socket counts as connected at once (loopback
     * completes immediately sometimes; with {@code TCP_FASTOPEN_CONNECT} and a cached cookie
     * nothing has been sent yet and the SYN leaves with the first write). Returns false when
     * the handshake is under way (EINPROGRESS): wait for writability, then
     * {@link #finishConnect()}.
     */
    public boolean connect(InetSocketAddress remote) throws NativeException {
        MemorySegment addr = SocketOptions.scratchBuffer();
        int len = SocketAddresses.encode(remote, addr);
        if (Libc.connect(fd(), addr, len) == 0) {
            return true;
        }
        int errno = Libc.errno();
        if (errno == Errno.EINPROGRESS) {
            return false;
        }
        throw new NativeException("connect", AddressText.of(remote), errno);
    }

    /** After writability following a pending connect: throws the connect error, if any. */
    public void finishConnect() throws NativeException {
        int error = SocketOptions.socketError(fd());
        if (error != 0) {
            throw new NativeException("connect", "fd " + fd, error);
        }
    }

    /** Accepts one pending connection as a non-blocking socket, or returns null when none. */
    public LinuxSocket accept() throws NativeException {
        int child = Libc.accept4(fd(), MemorySegment.NULL, MemorySegment.NULL,
                Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC);
        if (child >= 0) {
            return new LinuxSocket(child);
        }
        int errno = Libc.errno();
        if (errno == Errno.EAGAIN) {
            return null;
        }
        throw new NativeException("accept4", "fd " + fd, errno);
    }

    /** Reads into native memory; returns bytes read, {@link #EOF} or {@link #WOULD_BLOCK}. */
    public int read(long address, int length) throws NativeException {
        long n = Libc.read(fd(), address, length);
        if (n > 0) {
            return (int) n;
        }
        if (n == 0) {
            return length == 0 ? 0 : EOF;
        }
        return notReady("read");
    }

    public int read(MemorySegment destination) throws NativeException {
        return read(destination.address(), Math.toIntExact(destination.byteSize()));
    }

    /** Writes from native memory; returns bytes written or {@link #WOULD_BLOCK}. */
    public int write(long address, int length) throws NativeException {
        long n = Libc.write(fd(), address, length);
        if (n >= 0) {
            return (int) n;
        }
        return notReady("write");
    }

    public int write(MemorySegment source) throws NativeException {
        return write(source.address(), Math.toIntExact(source.byteSize()));
    }

    /** Scatter read; returns bytes read, {@link #EOF} or {@link #WOULD_BLOCK}. */
    /**
     * Blocks the calling thread until the socket is readable (or at EOF, or in error), at most
     * {@code timeoutMillis}; returns whether it is. For threads that own a socket outright (a
     * load-test sender), never for sockets an event loop drives.
     */
    public boolean awaitReadable(int timeoutMillis) throws NativeException {
        return await(POLLIN, timeoutMillis);
    }

    /** {@link #awaitReadable} for room to write. */
    public boolean awaitWritable(int timeoutMillis) throws NativeException {
        return await(POLLOUT, timeoutMillis);
    }

    private boolean await(short events, int timeoutMillis) throws NativeException {
        return await(fd(), events, timeoutMillis);
    }

    /** Waits up to {@code timeoutMillis} (-1: no limit) for {@code events} on {@code fd}; false on timeout or a signal. */
    static boolean await(int fd, short events, int timeoutMillis) throws NativeException {
        MemorySegment pollfd = SocketOptions.scratchBuffer();
        pollfd.set(JAVA_INT, 0, fd);
        pollfd.set(JAVA_SHORT, 4, events);
        pollfd.set(JAVA_SHORT, 6, (short) 0);
        int n = Libc.poll(pollfd, 1, timeoutMillis);
        if (n < 0) {
            int errno = Libc.errno();
            if (errno == Errno.EINTR) {
                return false;
            }
            throw new NativeException("poll", "fd " + fd, errno);
        }
        return n > 0;
    }

    public long readv(IoVector vector) throws NativeException {
        long n = Libc.readv(fd(), vector.address(), vector.count());
        if (n > 0) {
            return n;
        }
        if (n == 0) {
            return vector.totalBytes() == 0 ? 0 : EOF;
        }
        return notReady("readv");
    }

    /** Gather write; returns bytes written or {@link #WOULD_BLOCK}. */
    public long writev(IoVector vector) throws NativeException {
        long n = Libc.writev(fd(), vector.address(), vector.count());
        if (n >= 0) {
            return n;
        }
        return notReady("writev");
    }

    private int notReady(String call) throws NativeException {
        int errno = Libc.errno();
        if (errno == Errno.EAGAIN || errno == Errno.EINPROGRESS) {
            return WOULD_BLOCK;
        }
        throw new NativeException(call, "fd " + fd, errno);
    }

    /** Sends FIN: the peer reads EOF; this side can still read. */
    public void shutdownOutput() throws NativeException {
        SocketOptions.check(Libc.shutdown(fd(), SHUT_WR), "shutdown", "SHUT_WR");
    }

    /** A second, independently closable fd for the same socket (close-on-exec). */
    public LinuxSocket dup() throws NativeException {
        return dupOf(fd());
    }

    /**
     * A new fd (close-on-exec) for the socket behind {@code fd}, which stays its owner's (a
     * Netty channel's, say): closing the returned socket closes only the copy.
     */
    public static LinuxSocket dupOf(int fd) throws NativeException {
        int copy = Libc.dupCloexec(fd);
        SocketOptions.check(copy, "fcntl", "F_DUPFD_CLOEXEC");
        return new LinuxSocket(copy);
    }

    public InetSocketAddress localAddress() throws NativeException {
        return address(true);
    }

    public InetSocketAddress remoteAddress() throws NativeException {
        return address(false);
    }

    private InetSocketAddress address(boolean local) throws NativeException {
        Libc.Scratch s = Libc.Scratch.get();
        s.len.set(JAVA_INT, 0, SocketAddresses.MAX_LENGTH);
        int r = local ? Libc.getsockname(fd(), s.buf, s.len) : Libc.getpeername(fd(), s.buf, s.len);
        SocketOptions.check(r, local ? "getsockname" : "getpeername", "fd " + fd);
        return SocketAddresses.decode(s.buf);
    }

    /** Closes the fd. Idempotent; errors from close(2) are not reported (the fd is gone anyway). */
    @Override
    public void close() {
        int toClose = fd;
        if (toClose >= 0) {
            fd = -1;
            Libc.close(toClose);
        }
    }

    private void ensureOpen() {
        if (fd < 0) {
            throw new IllegalStateException("socket is closed");
        }
    }

    @Override
    public String toString() {
        return "LinuxSocket[fd=" + fd + "]";
    }
}
