package dev.synedge.net;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * TCP zero-copy receive ({@code TCP_ZEROCOPY_RECEIVE}) for one connected TCP socket: the
 * kernel maps received pages into a read-only window of this process instead of copying them.
 *
 * <p>The window is a ring. Each {@link #receive()} maps into the free space after the last
 * mapping, so bytes already handed out stay valid while a consumer still uses them (a write
 * to a client in flight); the consumer gives them back with {@link #release}, oldest first,
 * which returns the pages ({@code MADV_DONTNEED}) and frees their part of the ring. A full
 * ring maps nothing until something is released: that bounds the memory a slow consumer holds.
 *
 * <p>The kernel maps only whole pages that came in as whole order-0 pages; whatever it will
 * not map is reported as {@link Receipt#copyBytes()}: the caller reads exactly that many bytes
 * with a plain read before receiving again, keeping the byte order. Given a copy buffer
 * ({@link #receive(long, long, int)}, kernels 5.11+), the kernel copies such bytes itself in the
 * same call: the bytes after the mapped ones (up to the buffer's size), or all that is queued
 * when it fits in the buffer. On loopback pages map only
 * under {@code net.core.high_order_alloc_disable=1}. MPTCP sockets cannot be mapped at all
 * ({@link #open} fails with ENODEV).
 *
 * <p>Not thread-safe: one receiver per socket, used from the socket's thread.
 */
public final class ZeroCopyReceiver implements AutoCloseable {

    static final int TCP_ZEROCOPY_RECEIVE = 35;
    /** {@code struct tcp_zerocopy_receive} as of 5.11+ (address, length, skip, inq, err, ...). */
    private static final int REQUEST_SIZE = 64;
    /** offsetofend(struct tcp_zerocopy_receive, inq): kernels before 5.7 return less and no queue hint. */
    private static final int INQ_END = 20;
    /** {@link Receipt#queued()} when the kernel gave no queue hint. */
    public static final int QUEUE_UNKNOWN = -1;
    /** offsetofend(struct tcp_zerocopy_receive, flags): kernels returning less ignore the copy buffer. */
    private static final int COPYBUF_END = 40;
    /** The target range holds no mapping: the kernel need not zap it first. */
    private static final int TLB_CLEAN_HINT = 0x1;
    private static final long PAGE = 4096;

    private final int fd;
    private final long base;
    private final long window;
    private final MemorySegment request;
    /** Offset of the oldest byte still mapped (not yet released). */
    private long head;
    /** Offset where the next mapping goes. */
    private long tail;
    /**
     * Whether the mapped bytes are two runs, {@code [head, wrapAt)} then {@code [0, tail)},
     * rather than one run {@code [head, tail)}.
     */
    private boolean wrapped;
    private long wrapAt;
    private long mappedNow;
    private int pendingError;
    private boolean closed;

    /**
     * What one {@link #receive()} produced, in stream order: {@code mapped}, then {@code copied}
     * bytes the kernel wrote into the copy buffer, then {@code copyBytes} still to be read by
     * copy; {@code queued}: bytes left in the receive queue after this call (the kernel counts
     * an unread end of stream as one), or {@link #QUEUE_UNKNOWN} before kernel 5.7.
     */
    public record Receipt(MemorySegment mapped, int copied, int copyBytes, int queued, boolean eof,
                          boolean windowFull) {

        /** Bytes now in the window, to be consumed and then {@link #release released}. */
        public long mappedBytes() {
            return mapped.byteSize();
        }

        /**
         * Whether anything may be queued beyond the {@code copyBytes} still to read: false lets a
         * reader stop here, since the next arrival raises a new readable edge.
         */
        public boolean moreQueued() {
            return queued == QUEUE_UNKNOWN || queued > copyBytes;
        }

        /** Nothing mapped, nothing copied or to copy, not at EOF: wait for the socket to be readable. */
        public boolean isEmpty() {
            return mapped.byteSize() == 0 && copied == 0 && copyBytes == 0 && !eof && !windowFull;
        }
    }

    private static final Receipt EOF = new Receipt(MemorySegment.NULL, 0, 0, 0, true, false);
    private static final Receipt FULL = new Receipt(MemorySegment.NULL, 0, 0, 0, false, true);
    private static final Receipt NOTHING = new Receipt(MemorySegment.NULL, 0, 0, 0, false, false);

    private ZeroCopyReceiver(int fd, long base, long window) {
        this.fd = fd;
        this.base = base;
        this.window = window;
        this.request = Arena.ofAuto().allocate(REQUEST_SIZE, 8);
    }

    /**
     * Maps a window of {@code windowBytes} (rounded up to whole pages) for {@code fd}, which
     * must be a connected TCP socket.
     */
    public static ZeroCopyReceiver open(int fd, long windowBytes) throws NativeException {
        long window = (windowBytes + PAGE - 1) / PAGE * PAGE;
        if (window <= 0) {
            throw new IllegalArgumentException("window must be positive: " + windowBytes);
        }
        long address = Libc.mmap(0L, window, Libc.PROT_READ, Libc.MAP_SHARED, fd, 0L);
        if (address == Libc.MAP_FAILED) {
            throw new NativeException("mmap", "TCP_ZEROCOPY_RECEIVE window of " + window + " bytes", Libc.errno());
        }
        return new ZeroCopyReceiver(fd, address, window);
    }

    public long window() {
        return window;
    }

    /** Bytes mapped and not yet released. */
    public long mappedBytes() {
        return mappedNow;
    }

    /**
     * Maps what the kernel can of the queued data into free ring space. See {@link Receipt}:
     * mapped bytes come first in stream order, then {@code copyBytes} bytes to read by copy.
     * At end of stream (queue empty, peer closed) the receipt says {@code eof}.
     */
    public Receipt receive() throws NativeException {
        return receive(Long.MAX_VALUE);
    }

    /**
     * {@link #receive()} mapping at most {@code maxBytes} (rounded down to whole pages, at
     * least one page), so that one call does not take the whole window.
     */
    public Receipt receive(long maxBytes) throws NativeException {
        return receive(maxBytes, 0, 0);
    }

    /**
     * {@link #receive(long)} with a copy buffer of {@code copyLength} bytes at native address
     * {@code copyAddress}, which the kernel fills with the bytes it will not map that follow the
     * mapped ones ({@link Receipt#copied()}), saving the plain read. When no more than
     * {@code copyLength} bytes are queued, all of them are copied and nothing is mapped: keep the
     * buffer small (a few pages) so that it only takes the stragglers.
     */
    public Receipt receive(long maxBytes, long copyAddress, int copyLength) throws NativeException {
        ensureOpen();
        if (pendingError != 0) {
            int error = pendingError;
            pendingError = 0;
            throw new NativeException("getsockopt", "TCP_ZEROCOPY_RECEIVE", error);
        }
        long free = freeAtTail();
        if (free < PAGE) {
            return FULL;
        }
        long at = tail;
        request.fill((byte) 0);
        request.set(JAVA_LONG, 0, base + at);
        long limit = Math.max(PAGE, Math.min(maxBytes, Integer.MAX_VALUE) & ~(PAGE - 1));
        request.set(JAVA_INT, 8, (int) Math.min(free, limit));
        if (copyLength > 0) {
            request.set(JAVA_LONG, 24, copyAddress);
            request.set(JAVA_INT, 32, copyLength);
        }
        // Free ring space has always been given back with MADV_DONTNEED (or never mapped).
        request.set(JAVA_INT, 36, TLB_CLEAN_HINT);
        Libc.Scratch s = Libc.Scratch.get();
        s.len.set(JAVA_INT, 0, REQUEST_SIZE);
        if (Libc.getsockopt(fd, Libc.SOL_TCP, TCP_ZEROCOPY_RECEIVE, request, s.len) < 0) {
            int errno = Libc.errno();
            if (errno == Errno.EIO) {
                return EOF;
            }
            if (errno == Errno.EAGAIN) {
                return NOTHING;
            }
            throw new NativeException("getsockopt", "TCP_ZEROCOPY_RECEIVE", errno);
        }
        long length = Integer.toUnsignedLong(request.get(JAVA_INT, 8));
        int skip = request.get(JAVA_INT, 12);
        int returned = s.len.get(JAVA_INT, 0);
        int queued = returned >= INQ_END ? request.get(JAVA_INT, 16) : QUEUE_UNKNOWN;
        int error = request.get(JAVA_INT, 20);
        int copied = copyLength > 0 && returned >= COPYBUF_END ? Math.max(0, request.get(JAVA_INT, 32)) : 0;
        if (error != 0) {
            if (length == 0 && skip == 0 && copied == 0) {
                throw new NativeException("getsockopt", "TCP_ZEROCOPY_RECEIVE", error);
            }
            pendingError = error;
        }
        MemorySegment mapped = MemorySegment.NULL;
        if (length > 0) {
            mapped = MemorySegment.ofAddress(base + at).reinterpret(length);
            tail = at + roundUp(length);
            mappedNow += roundUp(length);
        }
        return new Receipt(mapped, copied, skip, queued, false, false);
    }

    /**
     * Gives back the oldest mapped bytes: {@code pages} must start where the oldest unreleased
     * mapping starts (releases come in the order the bytes were received). The pages are
     * returned to the kernel; their ring space can be mapped again.
     */
    public void release(MemorySegment pages) throws NativeException {
        ensureOpen();
        long length = roundUp(pages.byteSize());
        if (length == 0) {
            return;
        }
        if (wrapped && head == wrapAt) {
            head = 0;
            wrapped = false;
        }
        long offset = pages.address() - base;
        if (offset != head || length > mappedNow) {
            throw new IllegalArgumentException("release out of order: at offset " + offset + " (" + length
                    + " bytes), oldest mapping at " + head + " (" + mappedNow + " bytes mapped)");
        }
        SocketOptions.check(Libc.madvise(base + offset, length, Libc.MADV_DONTNEED), "madvise", "MADV_DONTNEED");
        head += length;
        mappedNow -= length;
        if (mappedNow == 0) {
            head = 0;
            tail = 0;
            wrapped = false;
        }
    }

    /** Contiguous free bytes where the next mapping would go, wrapping the ring if that helps. */
    private long freeAtTail() {
        if (mappedNow == 0) {
            return window;
        }
        if (!wrapped) {
            if (window - tail >= PAGE) {
                return window - tail;
            }
            if (head < PAGE) {
                return 0;
            }
            wrapped = true;
            wrapAt = tail;
            tail = 0;
        }
        return head - tail;
    }

    private static long roundUp(long bytes) {
        return (bytes + PAGE - 1) / PAGE * PAGE;
    }

    /** Unmaps the window. Bytes still handed out must not be touched afterwards. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            Libc.munmap(base, window);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("zero-copy receiver is closed");
        }
    }
}
