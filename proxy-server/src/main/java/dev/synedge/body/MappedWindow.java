package dev.synedge.body;

import dev.synedge.net.NativeException;
import dev.synedge.net.ZeroCopyReceiver;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The zero-copy receive window of one upstream socket, for its whole life: pooled connections
 * keep theirs. Received pages come out as {@link ByteBuf}s ({@link #wrap}) that the client
 * channel writes; each goes back to the kernel when its last reference is released.
 *
 * <p>The kernel wants pages back in the order it mapped them. Netty's outbound buffer releases
 * written buffers in that order, but a buffer can also be released early (a client that closed,
 * a response that failed), so a release only marks its pages done and the window gives back
 * the done run at the front of the queue. It does so in batches of {@link #RELEASE_BATCH}
 * (each give-back flushes the TLB of every CPU the process runs on), and at once when someone
 * waits for room or the body ended ({@link #drain}). The window is unmapped only once nothing is
 * outstanding: a buffer still queued for the client must never point at memory the process
 * could map again for something else.
 *
 * <p>A full window maps nothing: a slow client holds at most {@link #size()} bytes of pages per
 * upstream socket. Whoever waits for room sets {@link #onSpace}, which runs (once per wait)
 * when pages go back.
 *
 * <p>Loop-confined, like its socket.
 */
public final class MappedWindow {

    private static final Logger log = LoggerFactory.getLogger(MappedWindow.class);

    /** Done pages gathered before they go back to the kernel in one call. */
    private static final long RELEASE_BATCH = 512 << 10;

    private final ZeroCopyReceiver receiver;
    private final BodyCounters counters;
    private final ArrayDeque<MappedBuf> outstanding = new ArrayDeque<>();
    private Runnable onSpace;
    private boolean draining;
    private boolean closing;
    private boolean broken;

    private MappedWindow(ZeroCopyReceiver receiver, BodyCounters counters) {
        this.receiver = receiver;
        this.counters = counters;
    }

    /**
     * Maps a window of {@code size} bytes for the connected TCP socket {@code fd}. Fails with
     * ENODEV for an MPTCP socket.
     */
    public static MappedWindow open(int fd, long size, BodyCounters counters) throws NativeException {
        return new MappedWindow(ZeroCopyReceiver.open(fd, size), counters);
    }

    public long size() {
        return receiver.window();
    }

    /** Bytes of pages mapped and not given back yet. */
    public long held() {
        return receiver.mappedBytes();
    }

    /** False once the window could not give pages back; nothing more should be received. */
    public boolean usable() {
        return !broken && !closing;
    }

    /**
     * Maps up to {@code maxBytes} of what the socket has queued, and has the kernel copy the
     * bytes it will not map that follow into the {@code copyLength} bytes at {@code copyAddress};
     * see {@link ZeroCopyReceiver#receive(long, long, int)}. Wrap the mapped bytes with
     * {@link #wrap} before anything else.
     */
    public ZeroCopyReceiver.Receipt receive(long maxBytes, long copyAddress, int copyLength) throws NativeException {
        draining = false;
        return receiver.receive(maxBytes, copyAddress, copyLength);
    }

    /**
     * The body ended: pages go back as soon as their writes are done rather than in batches,
     * so that an idle connection holds none.
     */
    public void drain() {
        draining = true;
        released();
    }

    /**
     * The pages of the last receipt as a buffer with one reference, the caller's; every
     * retained slice of it keeps the pages mapped until released.
     */
    public ByteBuf wrap(MemorySegment pages, ByteBufAllocator alloc) {
        MappedBuf buf = new MappedBuf(alloc, this, pages);
        outstanding.addLast(buf);
        counters.mappedHeld(pageSize(pages));
        return buf;
    }

    /**
     * Runs {@code action} once, the next time pages go back (now, if pages already done were
     * being gathered); null to stop waiting.
     */
    public void onSpace(Runnable action) {
        this.onSpace = action;
        if (action != null) {
            released();
        }
    }

    /** A buffer's last reference went: its pages go back when the run before them has. */
    void released() {
        long doneBytes = 0;
        int doneCount = 0;
        for (MappedBuf b : outstanding) {
            if (!b.done()) {
                break;
            }
            doneBytes += pageSize(b.pages());
            doneCount++;
        }
        // Giving pages back costs a TLB flush on every CPU running this process: gather them,
        // unless someone waits for room, the body or the window ended.
        boolean now = onSpace != null || closing || draining;
        if (doneCount == 0 || (doneBytes < RELEASE_BATCH && !now)) {
            return;
        }
        giveBack();
        if (outstanding.isEmpty() && closing) {
            receiver.close();
            return;
        }
        if (onSpace != null) {
            Runnable action = onSpace;
            onSpace = null;
            action.run();
        }
    }

    /** Returns the done run at the front to the kernel, one madvise per contiguous stretch. */
    private void giveBack() {
        MappedBuf front;
        long start = 0;
        long end = 0;
        while ((front = outstanding.peekFirst()) != null && front.done()) {
            outstanding.pollFirst();
            long at = front.pages().address();
            long size = pageSize(front.pages());
            counters.mappedHeld(-size);
            if (end != 0 && at != end) {
                release(start, end);
                start = 0;
            }
            if (start == 0) {
                start = at;
            }
            end = at + size;
        }
        if (start != 0) {
            release(start, end);
        }
    }

    private void release(long start, long end) {
        if (broken) {
            return;
        }
        try {
            receiver.release(MemorySegment.ofAddress(start).reinterpret(end - start));
        } catch (NativeException | IllegalArgumentException e) {
            // Cannot happen for pages this window mapped; if it does, stop receiving here (the
            // socket's bodies go by copy) rather than corrupt the ring.
            log.error("zero-copy window of {} bytes: giving back {} bytes: {}", size(), end - start, e.getMessage());
            broken = true;
        }
    }

    /** The socket is closing: unmaps now, or when the last outstanding buffer is released. */
    public void close() {
        closing = true;
        onSpace = null;
        if (outstanding.isEmpty()) {
            receiver.close();
        }
    }

    private static long pageSize(MemorySegment pages) {
        return (pages.byteSize() + 4095) & ~4095L;
    }
}
