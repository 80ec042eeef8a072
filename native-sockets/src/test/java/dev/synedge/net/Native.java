package dev.synedge.net;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Native memory for tests, freed by the GC. */
record Native(MemorySegment segment) {

    static Native allocate(long size) {
        return new Native(Arena.ofAuto().allocate(Math.max(size, 1), 4096));
    }

    static Native of(byte[] bytes) {
        Native n = allocate(bytes.length);
        MemorySegment.copy(bytes, 0, n.segment, ValueLayout.JAVA_BYTE, 0, bytes.length);
        return new Native(n.segment.asSlice(0, bytes.length));
    }

    long address() {
        return segment.address();
    }

    long size() {
        return segment.byteSize();
    }

    byte[] toArray() {
        return segment.toArray(ValueLayout.JAVA_BYTE);
    }
}
