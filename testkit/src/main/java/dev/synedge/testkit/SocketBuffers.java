package dev.synedge.testkit;

/**
 * How much the kernel's TCP buffers can hold for one proxied stream, read from this host's
 * {@code tcp_rmem} and {@code tcp_wmem}. A test of back-pressure must allow for them: with a
 * stalled client, the origin's send buffer, the proxy's upstream receive buffer and its
 * downstream send buffer all autotune up to these limits before the origin is held back, and
 * hosts differ (32 MiB receive limits are common), so a fixed bound is right on one machine
 * and flaky on the next.
 */
public final class SocketBuffers {

    private SocketBuffers() {}

    /** The autotuning limit of a TCP receive buffer, the third field of {@code tcp_rmem}. */
    public static long receiveMax() {
        return third("net.ipv4.tcp_rmem");
    }

    /** The autotuning limit of a TCP send buffer, the third field of {@code tcp_wmem}. */
    public static long sendMax() {
        return third("net.ipv4.tcp_wmem");
    }

    /**
     * The most body bytes that can leave an origin while a client whose receive buffer is
     * {@code clientReceiveBuffer} reads nothing and the proxy itself holds at most
     * {@code proxyHeld}: the origin's send buffer, the proxy's two socket buffers, the client's
     * buffer and what the proxy keeps in memory.
     */
    public static long streamHeldBound(long clientReceiveBuffer, long proxyHeld) {
        return sendMax() + receiveMax() + sendMax() + clientReceiveBuffer + proxyHeld;
    }

    /**
     * A body size a back-pressure test can tell from an unbounded stream with: at least
     * {@code minimum} and twice {@code heldBound}, rounded up to a whole MiB.
     */
    public static long bodyLargerThan(long heldBound, long minimum) {
        long mib = 1 << 20;
        long size = Math.max(minimum, 2 * heldBound);
        return (size + mib - 1) / mib * mib;
    }

    private static long third(String name) {
        String[] fields = Sysctl.read(name).split("\\s+");
        if (fields.length != 3) {
            throw new IllegalStateException(name + " has not three fields: " + Sysctl.read(name));
        }
        return Long.parseLong(fields[2]);
    }
}
