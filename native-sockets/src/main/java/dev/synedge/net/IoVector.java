package dev.synedge.net;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A reusable native {@code struct iovec[]} for {@link LinuxSocket#readv} and
 * {@link LinuxSocket#writev}: fill it with the native addresses of buffers (for instance the
 * components of a Netty direct ByteBuf, {@code memoryAddress() + readerIndex()}), make one
 * call, clear it. Not thread-safe; one per event loop is the intended use.
 */
public final class IoVector {

    /** The kernel's limit on iovecs per call (IOV_MAX). */
    public static final int MAX_CAPACITY = 1024;

    private final MemorySegment array;
    private final int capacity;
    private int count;
    private long totalBytes;

    public IoVector(int capacity) {
        if (capacity <= 0 || capacity > MAX_CAPACITY) {
            throw new IllegalArgumentException("capacity must be in 1.." + MAX_CAPACITY + ": " + capacity);
        }
        this.capacity = capacity;
        this.array = Arena.ofAuto().allocate(16L * capacity, 8);
    }

    /** Appends one buffer; returns false (and adds nothing) when the vector is full. */
    public boolean add(long address, long length) {
        if (count == capacity) {
            return false;
        }
        long at = 16L * count;
        array.set(JAVA_LONG, at, address);
        array.set(JAVA_LONG, at + 8, length);
        count++;
        totalBytes += length;
        return true;
    }

    public boolean add(MemorySegment segment) {
        return add(segment.address(), segment.byteSize());
    }

    public void clear() {
        count = 0;
        totalBytes = 0;
    }

    public int count() {
        return count;
    }

    public long totalBytes() {
        return totalBytes;
    }

    long address() {
        return array.address();
    }
}
