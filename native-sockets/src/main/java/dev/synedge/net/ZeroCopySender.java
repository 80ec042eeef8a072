package dev.synedge.net;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * {@code MSG_ZEROCOPY} sends on one TCP socket: the kernel sends from the caller's pages
 * instead of copying them into the socket, and says on the socket's error queue when it is
 * done with them. The caller must leave the bytes unchanged until {@link #completed()} covers
 * their send; content that never changes (an origin's static bodies) needs no waiting, but the
 * notifications must still be {@link #reap reaped}: a notification waiting on the queue makes
 * the socket report an error condition (POLLERR, EPOLLERR), so poll returns at once until it is
 * read. Reap before every wait.
 *
 * <p>On loopback the kernel copies the pages after all, as the segment is delivered, into
 * fresh order-0 pages: the receiving socket then holds every segment as whole pages from
 * offset 0, as a header-split NIC would deliver them, which is what {@link ZeroCopyReceiver}
 * maps best (with {@link PageSegments}).
 *
 * <p>Not thread-safe: one sender per socket, used from one thread at a time.
 */
public final class ZeroCopySender {

    static final int SO_ZEROCOPY = 60;
    static final int MSG_DONTWAIT = 0x40;
    static final int MSG_ERRQUEUE = 0x2000;
    static final int MSG_ZEROCOPY = 0x4000000;
    /** {@code sock_extended_err.ee_origin} of a zero-copy completion. */
    static final int SO_EE_ORIGIN_ZEROCOPY = 5;
    /** {@code struct msghdr} on 64-bit Linux: name, namelen, iov, iovlen, control, controllen, flags. */
    private static final int MSGHDR_SIZE = 56;
    private static final int CONTROL_SIZE = 128;
    /** {@code struct cmsghdr} (len u64, level, type) before the {@code sock_extended_err}. */
    private static final int CMSG_HEADER = 16;

    private final int fd;
    private final MemorySegment message;
    private final MemorySegment control;
    private long sends;
    private long completed;

    private ZeroCopySender(int fd) {
        this.fd = fd;
        Arena arena = Arena.ofAuto();
        this.message = arena.allocate(MSGHDR_SIZE, 8);
        this.control = arena.allocate(CONTROL_SIZE, 8);
    }

    /** Turns on {@code SO_ZEROCOPY} for {@code fd}, a TCP socket. */
    public static ZeroCopySender enable(int fd) throws NativeException {
        SocketOptions.setInt(fd, Libc.SOL_SOCKET, SO_ZEROCOPY, 1, "SO_ZEROCOPY");
        return new ZeroCopySender(fd);
    }

    /**
     * Sends what the socket takes of {@code length} bytes at native {@code address} without
     * copying them; returns the bytes taken or {@link LinuxSocket#WOULD_BLOCK}. When the kernel
     * has no room left for notifications (ENOBUFS) it reaps them and tries once more.
     */
    public long send(long address, long length) throws NativeException {
        long n = Libc.send(fd, address, length, MSG_ZEROCOPY | MSG_DONTWAIT);
        if (n < 0 && Libc.errno() == Errno.ENOBUFS) {
            reap();
            n = Libc.send(fd, address, length, MSG_ZEROCOPY | MSG_DONTWAIT);
        }
        if (n >= 0) {
            sends++;
            return n;
        }
        int errno = Libc.errno();
        if (errno == Errno.EAGAIN) {
            return LinuxSocket.WOULD_BLOCK;
        }
        throw new NativeException("send(MSG_ZEROCOPY)", "fd " + fd, errno);
    }

    /**
     * Reads the completions waiting on the error queue; returns how many sends they covered.
     * Consecutive completions arrive merged into one range, so this is one call or a few.
     */
    public long reap() throws NativeException {
        long before = completed;
        while (true) {
            message.fill((byte) 0);
            message.set(JAVA_LONG, 32, control.address());
            message.set(JAVA_LONG, 40, CONTROL_SIZE);
            if (Libc.recvmsg(fd, message, MSG_ERRQUEUE | MSG_DONTWAIT) < 0) {
                int errno = Libc.errno();
                if (errno == Errno.EAGAIN) {
                    return completed - before;
                }
                throw new NativeException("recvmsg(MSG_ERRQUEUE)", "fd " + fd, errno);
            }
            long controlLength = message.get(JAVA_LONG, 40);
            if (controlLength >= CMSG_HEADER + 16
                    && control.get(JAVA_BYTE, CMSG_HEADER + 4) == SO_EE_ORIGIN_ZEROCOPY) {
                long last = Integer.toUnsignedLong(control.get(JAVA_INT, CMSG_HEADER + 12));
                completed = Math.max(completed, last + 1);
            }
        }
    }

    /** Successful zero-copy sends so far; the kernel numbers them from 0. */
    public long sends() {
        return sends;
    }

    /** Sends the kernel is done with: every send numbered below this (as far as reaped). */
    public long completed() {
        return completed;
    }
}
