package dev.synedge.net;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A Unix-domain socket that passes open file descriptors between processes along with short
 * messages ({@code SCM_RIGHTS}): how a running synedge hands its listening sockets to the one
 * replacing it, queued connections and socket options included. The JDK's Unix-domain
 * channels cannot pass descriptors.
 *
 * <p>{@code SOCK_SEQPACKET}: each {@link #send} arrives as one {@link #receive}, its
 * descriptors with it. Blocking, with timeouts: it belongs to a thread of its own, never to an
 * event loop. Received descriptors are close-on-exec and the receiver's to close.
 */
public final class UnixSocket implements AutoCloseable {

    /** What one {@link #receive} brought: the message (empty at end of stream) and its descriptors. */
    public record Message(String text, int[] fds) {

        public boolean atEnd() {
            return text.isEmpty() && fds.length == 0;
        }
    }

    private static final int SOL_SOCKET = 1;
    private static final int SCM_RIGHTS = 1;
    private static final int MSG_CMSG_CLOEXEC = 0x40000000;
    private static final int MSG_NOSIGNAL = 0x4000;
    /** {@code struct sockaddr_un}: family (u16) and a path of at most 107 bytes plus its NUL. */
    private static final int SOCKADDR_UN_SIZE = 110;
    private static final int MAX_PATH_BYTES = 107;
    /** {@code struct msghdr} on 64-bit Linux: name, namelen, iov, iovlen, control, controllen, flags. */
    private static final int MSGHDR_SIZE = 56;
    /** {@code struct cmsghdr}: len (u64), level, type; the descriptors follow. */
    private static final int CMSG_HEADER = 16;
    /** The kernel's SCM_MAX_FD: descriptors one message may carry. */
    public static final int MAX_FDS = 253;
    private static final int MAX_MESSAGE = 4096;

    private final int fd;
    private final String label;
    private boolean closed;

    private UnixSocket(int fd, String label) {
        this.fd = fd;
        this.label = label;
    }

    private static int open(String label) throws NativeException {
        int fd = Libc.socket(Libc.AF_UNIX, Libc.SOCK_SEQPACKET | Libc.SOCK_CLOEXEC, 0);
        SocketOptions.check(fd, "socket(AF_UNIX)", label);
        return fd;
    }

    private static MemorySegment address(Arena arena, Path path) {
        byte[] bytes = path.toString().getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_PATH_BYTES) {
            throw new IllegalArgumentException("Unix socket path longer than " + MAX_PATH_BYTES + " bytes: " + path);
        }
        MemorySegment address = arena.allocate(SOCKADDR_UN_SIZE, 8);
        address.set(JAVA_SHORT, 0, (short) Libc.AF_UNIX);
        MemorySegment.copy(bytes, 0, address, JAVA_BYTE, 2, bytes.length);
        return address;
    }

    /** Listens at {@code path}, which must not exist (remove a stale one first). */
    public static UnixSocket listen(Path path) throws NativeException {
        String label = path.toString();
        int fd = open(label);
        try (Arena arena = Arena.ofConfined()) {
            SocketOptions.check(Libc.bind(fd, address(arena, path), SOCKADDR_UN_SIZE), "bind", label);
            SocketOptions.check(Libc.listen(fd, 8), "listen", label);
        } catch (NativeException | RuntimeException e) {
            Libc.close(fd);
            throw e;
        }
        return new UnixSocket(fd, label);
    }

    /** Connects to the socket listening at {@code path}. ECONNREFUSED: a file nothing listens on. */
    public static UnixSocket connect(Path path) throws NativeException {
        String label = path.toString();
        int fd = open(label);
        try (Arena arena = Arena.ofConfined()) {
            SocketOptions.check(Libc.connect(fd, address(arena, path), SOCKADDR_UN_SIZE), "connect", label);
        } catch (NativeException | RuntimeException e) {
            Libc.close(fd);
            throw e;
        }
        return new UnixSocket(fd, label);
    }

    /** The next connection, waiting up to {@code timeoutMillis} (-1: no limit); null when none came. */
    public UnixSocket accept(int timeoutMillis) throws NativeException {
        if (!LinuxSocket.await(fd, LinuxSocket.POLLIN, timeoutMillis)) {
            return null;
        }
        int child = Libc.accept4(fd, MemorySegment.NULL, MemorySegment.NULL, Libc.SOCK_CLOEXEC);
        SocketOptions.check(child, "accept4", label);
        return new UnixSocket(child, label);
    }

    /** Sends {@code text} (at most 4 KiB of UTF-8) with {@code fds}, which stay open here. */
    public void send(String text, int... fds) throws NativeException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length == 0 || bytes.length > MAX_MESSAGE || fds.length > MAX_FDS) {
            throw new IllegalArgumentException("a message of 1 to " + MAX_MESSAGE + " bytes with at most "
                    + MAX_FDS + " descriptors, not " + bytes.length + " bytes and " + fds.length);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment data = arena.allocate(bytes.length);
            MemorySegment.copy(bytes, 0, data, JAVA_BYTE, 0, bytes.length);
            MemorySegment iov = arena.allocate(16, 8);
            iov.set(JAVA_LONG, 0, data.address());
            iov.set(JAVA_LONG, 8, bytes.length);
            MemorySegment message = arena.allocate(MSGHDR_SIZE, 8);
            message.set(JAVA_LONG, 16, iov.address());
            message.set(JAVA_LONG, 24, 1);
            if (fds.length > 0) {
                MemorySegment control = arena.allocate(controlSpace(fds.length), 8);
                control.set(JAVA_LONG, 0, CMSG_HEADER + 4L * fds.length);
                control.set(JAVA_INT, 8, SOL_SOCKET);
                control.set(JAVA_INT, 12, SCM_RIGHTS);
                for (int i = 0; i < fds.length; i++) {
                    control.set(JAVA_INT, CMSG_HEADER + 4L * i, fds[i]);
                }
                message.set(JAVA_LONG, 32, control.address());
                message.set(JAVA_LONG, 40, control.byteSize());
            }
            long sent = Libc.sendmsg(fd, message, MSG_NOSIGNAL);
            SocketOptions.check(sent, "sendmsg", label);
        }
    }

    private static long controlSpace(int fds) {
        return CMSG_HEADER + ((4L * fds + 7) & ~7L);
    }

    /**
     * The next message, waiting up to {@code timeoutMillis} (-1: no limit): its text and the
     * descriptors that came with it. An empty message means the peer closed; a timeout throws
     * ETIMEDOUT.
     */
    public Message receive(int timeoutMillis) throws NativeException {
        if (!LinuxSocket.await(fd, LinuxSocket.POLLIN, timeoutMillis)) {
            throw new NativeException("recvmsg", label + " (waited " + timeoutMillis + " ms)", Errno.ETIMEDOUT);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment data = arena.allocate(MAX_MESSAGE);
            MemorySegment iov = arena.allocate(16, 8);
            iov.set(JAVA_LONG, 0, data.address());
            iov.set(JAVA_LONG, 8, MAX_MESSAGE);
            MemorySegment control = arena.allocate(controlSpace(MAX_FDS), 8);
            MemorySegment message = arena.allocate(MSGHDR_SIZE, 8);
            message.set(JAVA_LONG, 16, iov.address());
            message.set(JAVA_LONG, 24, 1);
            message.set(JAVA_LONG, 32, control.address());
            message.set(JAVA_LONG, 40, control.byteSize());
            long n = Libc.recvmsg(fd, message, MSG_CMSG_CLOEXEC);
            SocketOptions.check(n, "recvmsg", label);
            int[] fds = descriptors(control, message.get(JAVA_LONG, 40));
            byte[] bytes = data.asSlice(0, n).toArray(JAVA_BYTE);
            return new Message(new String(bytes, StandardCharsets.UTF_8), fds);
        }
    }

    /** The descriptors of the SCM_RIGHTS control messages in the first {@code length} bytes of {@code control}. */
    private static int[] descriptors(MemorySegment control, long length) {
        int[] fds = new int[0];
        long offset = 0;
        while (offset + CMSG_HEADER <= length) {
            long cmsgLength = control.get(JAVA_LONG, offset);
            if (cmsgLength < CMSG_HEADER) {
                break;
            }
            if (control.get(JAVA_INT, offset + 8) == SOL_SOCKET && control.get(JAVA_INT, offset + 12) == SCM_RIGHTS) {
                int count = (int) ((cmsgLength - CMSG_HEADER) / 4);
                int[] more = Arrays.copyOf(fds, fds.length + count);
                for (int i = 0; i < count; i++) {
                    more[fds.length + i] = control.get(JAVA_INT, offset + CMSG_HEADER + 4L * i);
                }
                fds = more;
            }
            offset += (cmsgLength + 7) & ~7L;
        }
        return fds;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            Libc.close(fd);
        }
    }

    @Override
    public String toString() {
        return "unix socket " + label;
    }
}
