package dev.synedge.body;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledDirectByteBuf;
import java.lang.foreign.MemorySegment;
import java.nio.ReadOnlyBufferException;

/**
 * Pages of a {@link MappedWindow} as a direct ByteBuf, so that the client channel writes them
 * like any other buffer (Netty's epoll transport takes the address of its NIO buffer). The
 * memory is the kernel's, mapped read-only (nothing may write to it: it reports itself
 * read-only and cannot grow): it is never freed here; when the last reference (this buffer's
 * own or a slice's) is released, the pages go back to the window.
 */
final class MappedBuf extends UnpooledDirectByteBuf {

    private final MappedWindow window;
    private final MemorySegment pages;
    /** Released by every holder; the window gives the pages back once all older ones are too. */
    private boolean done;

    MappedBuf(ByteBufAllocator alloc, MappedWindow window, MemorySegment pages) {
        super(alloc, pages.asByteBuffer(), (int) pages.byteSize());
        this.window = window;
        this.pages = pages;
    }

    MemorySegment pages() {
        return pages;
    }

    boolean done() {
        return done;
    }

    @Override
    protected void deallocate() {
        super.deallocate();
        done = true;
        window.released();
    }

    @Override
    public boolean isReadOnly() {
        return true;
    }

    @Override
    public ByteBuf capacity(int newCapacity) {
        throw new ReadOnlyBufferException();
    }

    @Override
    public String toString() {
        return "MappedBuf(" + pages.byteSize() + " bytes at 0x" + Long.toHexString(pages.address()) + ", ridx: "
                + readerIndex() + ", widx: " + writerIndex() + ")";
    }
}
