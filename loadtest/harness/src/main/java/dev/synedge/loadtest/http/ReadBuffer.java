package dev.synedge.loadtest.http;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * Native memory that sockets read into, shared by every connection of one event loop: a
 * connection parses what it read before the loop moves on, so one buffer per thread serves
 * them all. The {@link ByteBuffer} view lets body bytes go through CRC32C without a copy.
 *
 * <p>Confined to one thread by use, not by the arena: created on the caller's thread and
 * closed after the loop has stopped.
 */
public final class ReadBuffer implements AutoCloseable {

    private final Arena arena;
    private final MemorySegment segment;
    private final ByteBuffer view;

    public ReadBuffer(int capacity) {
        arena = Arena.ofShared();
        segment = arena.allocate(capacity, 4096);
        view = segment.asByteBuffer();
    }

    public MemorySegment segment() {
        return segment;
    }

    public long address() {
        return segment.address();
    }

    public int capacity() {
        return (int) segment.byteSize();
    }

    /** The bytes [from, to) as the shared ByteBuffer view (valid until the next call). */
    ByteBuffer window(int from, int to) {
        view.clear();
        view.position(from).limit(to);
        return view;
    }

    @Override
    public void close() {
        arena.close();
    }
}
