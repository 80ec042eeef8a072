package dev.synedge.routing;

import io.netty.util.concurrent.FastThreadLocal;
import java.net.InetAddress;

/**
 * Per-thread working memory of matching, so that matching allocates nothing: the host and the
 * start of the path are copied out of the request buffer with one bulk read each (per-byte
 * ByteBuf reads cost a bounds and liveness check apiece), and IPv6 client addresses keep
 * their bits by identity (an {@code Inet6Address} hands its bytes out only as a fresh copy).
 */
final class Scratch {

    /** Longest host name part that can match: 253 for a name, 47 for a bracketed IPv6 literal. */
    static final int HOST_BYTES = 256;

    private static final int ADDRESS_SLOTS = 64;

    private static final FastThreadLocal<Scratch> LOCAL = new FastThreadLocal<>() {
        @Override
        protected Scratch initialValue() {
            return new Scratch();
        }
    };

    final byte[] host = new byte[HOST_BYTES + 8];
    private byte[] path = new byte[128];

    private final InetAddress[] addresses = new InetAddress[ADDRESS_SLOTS];
    private final long[] addressHigh = new long[ADDRESS_SLOTS];
    private final long[] addressLow = new long[ADDRESS_SLOTS];

    static Scratch get() {
        return LOCAL.get();
    }

    /** A path buffer of at least {@code length} bytes; grows (rarely: once per longer route path). */
    byte[] path(int length) {
        if (path.length < length) {
            path = new byte[Math.max(length, path.length * 2)];
        }
        return path;
    }

    /** The slot holding {@code address}'s bits, filled on first sight of this very object. */
    int slot(InetAddress address) {
        int slot = System.identityHashCode(address) & (ADDRESS_SLOTS - 1);
        if (addresses[slot] != address) {
            byte[] bytes = address.getAddress();
            addressHigh[slot] = longAt(bytes, 0);
            addressLow[slot] = longAt(bytes, 8);
            addresses[slot] = address;
        }
        return slot;
    }

    long high(int slot) {
        return addressHigh[slot];
    }

    long low(int slot) {
        return addressLow[slot];
    }

    static long longAt(byte[] bytes, int offset) {
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = value << 8 | (bytes[offset + i] & 0xffL);
        }
        return value;
    }
}
