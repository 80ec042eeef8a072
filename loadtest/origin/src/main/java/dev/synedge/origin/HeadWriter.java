package dev.synedge.origin;

import io.netty.util.concurrent.FastThreadLocal;

/**
 * Builds a response head in a per-thread heap array with plain stores, so encoding costs one
 * bulk copy into the outgoing direct buffer instead of a bounds-checked write per byte.
 */
final class HeadWriter {

    private static final byte[] HEX = HeadEncoder.ascii("0123456789abcdef");
    private static final int SCRATCH_SIZE = 4096;
    private static final FastThreadLocal<HeadWriter> SCRATCH = new FastThreadLocal<>() {
        @Override
        protected HeadWriter initialValue() {
            return new HeadWriter(new byte[SCRATCH_SIZE]);
        }
    };

    byte[] bytes;
    int length;

    private HeadWriter(byte[] bytes) {
        this.bytes = bytes;
    }

    /** The calling thread's writer, emptied, with room for at least {@code capacity} bytes. */
    static HeadWriter forThread(int capacity) {
        HeadWriter w = SCRATCH.get();
        if (w.bytes.length < capacity) {
            w.bytes = new byte[capacity];
        }
        w.length = 0;
        return w;
    }

    HeadWriter put(byte[] b) {
        System.arraycopy(b, 0, bytes, length, b.length);
        length += b.length;
        return this;
    }

    HeadWriter putDecimal(long value) {
        int digits = 1;
        for (long v = value / 10; v != 0; v /= 10) {
            digits++;
        }
        int at = length + digits;
        long v = value;
        do {
            bytes[--at] = (byte) ('0' + v % 10);
            v /= 10;
        } while (v != 0);
        length += digits;
        return this;
    }

    HeadWriter putHex8(int value) {
        for (int shift = 28; shift >= 0; shift -= 4) {
            bytes[length++] = HEX[(value >>> shift) & 0xf];
        }
        return this;
    }

    HeadWriter putHex(long value) {
        int digits = value == 0 ? 1 : (67 - Long.numberOfLeadingZeros(value)) / 4;
        for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) {
            bytes[length++] = HEX[(int) (value >>> shift) & 0xf];
        }
        return this;
    }
}
