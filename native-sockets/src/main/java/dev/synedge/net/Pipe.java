package dev.synedge.net;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * A non-blocking kernel pipe for moving bytes between two sockets with splice(2): socket to
 * pipe, pipe to socket, and no byte ever enters user space. The pipe holds what has been
 * taken from the source and not yet given to the destination ({@link #buffered()}).
 *
 * <p>Not thread-safe: one pipe serves one transfer at a time on one thread.
 */
public final class Pipe implements AutoCloseable {

    static final int O_NONBLOCK = 0x800;
    static final int O_CLOEXEC = 0x80000;
    static final int SPLICE_F_MOVE = 1;
    static final int SPLICE_F_NONBLOCK = 2;

    private final int readEnd;
    private final int writeEnd;
    private long buffered;
    private boolean closed;

    private Pipe(int readEnd, int writeEnd) {
        this.readEnd = readEnd;
        this.writeEnd = writeEnd;
    }

    public static Pipe open() throws NativeException {
        Libc.Scratch s = Libc.Scratch.get();
        SocketOptions.check(Libc.pipe2(s.buf, O_NONBLOCK | O_CLOEXEC), "pipe2", "O_NONBLOCK|O_CLOEXEC");
        return new Pipe(s.buf.get(JAVA_INT, 0), s.buf.get(JAVA_INT, 4));
    }

    /**
     * Asks the kernel for a pipe of at least {@code bytes} ({@code F_SETPIPE_SZ}; it rounds up
     * to a power-of-two number of pages, and refuses more than {@code fs.pipe-max-size} to
     * unprivileged processes with EPERM). Returns the capacity it now has.
     */
    public int resize(int bytes) throws NativeException {
        int size = Libc.fcntl(writeEnd, Libc.F_SETPIPE_SZ, bytes);
        SocketOptions.check(size, "fcntl", "F_SETPIPE_SZ " + bytes);
        return size;
    }

    /** The pipe's capacity in bytes ({@code F_GETPIPE_SZ}): 64 KiB unless resized. */
    public int capacity() throws NativeException {
        int size = Libc.fcntl(writeEnd, Libc.F_GETPIPE_SZ, 0);
        SocketOptions.check(size, "fcntl", "F_GETPIPE_SZ");
        return size;
    }

    /** Bytes taken in with {@link #fillFrom} and not yet given out with {@link #drainTo}. */
    public long buffered() {
        return buffered;
    }

    /**
     * Moves up to {@code length} bytes from socket {@code fd} into the pipe. Returns bytes moved,
     * {@link LinuxSocket#EOF} when the socket's peer closed and all was read, or
     * {@link LinuxSocket#WOULD_BLOCK} when the socket has nothing or the pipe is full.
     */
    public long fillFrom(int fd, long length) throws NativeException {
        long n = Libc.splice(fd, writeEnd, length, SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
        if (n > 0) {
            buffered += n;
            return n;
        }
        if (n == 0) {
            return length == 0 ? 0 : LinuxSocket.EOF;
        }
        return wouldBlockOrThrow("splice", "socket to pipe");
    }

    /**
     * Moves up to {@code length} buffered bytes out to socket {@code fd}. Returns bytes moved or
     * {@link LinuxSocket#WOULD_BLOCK} when the socket cannot take more now.
     */
    public long drainTo(int fd, long length) throws NativeException {
        long n = Libc.splice(readEnd, fd, Math.min(length, buffered), SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
        if (n >= 0) {
            buffered -= n;
            return n;
        }
        return wouldBlockOrThrow("splice", "pipe to socket");
    }

    private static long wouldBlockOrThrow(String call, String subject) throws NativeException {
        int errno = Libc.errno();
        if (errno == Errno.EAGAIN) {
            return LinuxSocket.WOULD_BLOCK;
        }
        throw new NativeException(call, subject, errno);
    }

    /** Closes both ends; bytes still buffered are lost. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            Libc.close(readEnd);
            Libc.close(writeEnd);
        }
    }
}
