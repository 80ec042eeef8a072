package dev.synedge.net;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.util.Optional;

/**
 * TCP Fast Open socket options (RFC 7413) on any socket fd. Whether the kernel acts on them
 * also depends on {@code net.ipv4.tcp_fastopen} ({@link FastOpenMode}): a listener with a
 * queue still accepts no SYN data unless the server bit is set.
 */
public final class FastOpen {

    static final int TCP_FASTOPEN = 23;
    static final int TCP_FASTOPEN_CONNECT = 30;
    static final int TCP_FASTOPEN_KEY = 33;
    static final int TCP_FASTOPEN_NO_COOKIE = 34;

    private FastOpen() {}

    /**
     * Listener: allow up to {@code queueLength} connections whose SYN data awaits accept
     * ({@code TCP_FASTOPEN}); 0 turns Fast Open off for this listener.
     */
    public static void setListenerQueue(int fd, int queueLength) throws NativeException {
        SocketOptions.setInt(fd, Libc.SOL_TCP, TCP_FASTOPEN, queueLength, "TCP_FASTOPEN");
    }

    /**
     * The listener's Fast Open queue length as the kernel holds it: set or not, whatever
     * {@code net.ipv4.tcp_fastopen} says (the kernel checks the server bit on each SYN).
     */
    public static int listenerQueue(int fd) throws NativeException {
        return SocketOptions.getInt(fd, Libc.SOL_TCP, TCP_FASTOPEN, "TCP_FASTOPEN");
    }

    /**
     * Client, before {@code connect()}: deferred connect ({@code TCP_FASTOPEN_CONNECT}). With a
     * cookie cached for the destination, connect returns at once and the first write leaves in
     * the SYN; without one, connect sends a SYN asking for a cookie.
     */
    public static void enableConnect(int fd) throws NativeException {
        SocketOptions.setInt(fd, Libc.SOL_TCP, TCP_FASTOPEN_CONNECT, 1, "TCP_FASTOPEN_CONNECT");
    }

    public static boolean connectEnabled(int fd) throws NativeException {
        return SocketOptions.getInt(fd, Libc.SOL_TCP, TCP_FASTOPEN_CONNECT, "TCP_FASTOPEN_CONNECT") != 0;
    }

    /**
     * {@code TCP_FASTOPEN_NO_COOKIE}: a client sends SYN data without a cookie; a listener
     * accepts SYN data that carries none. Only for peers known to accept replays.
     */
    public static void setNoCookie(int fd, boolean on) throws NativeException {
        SocketOptions.setInt(fd, Libc.SOL_TCP, TCP_FASTOPEN_NO_COOKIE, on ? 1 : 0, "TCP_FASTOPEN_NO_COOKIE");
    }

    /** Sets this listener's own cookie key(s), overriding the namespace key. */
    public static void setKey(int fd, FastOpenKey key) throws NativeException {
        byte[] raw = key.toBytes();
        Libc.Scratch s = Libc.Scratch.get();
        for (int i = 0; i < raw.length; i++) {
            s.buf.set(JAVA_BYTE, i, raw[i]);
        }
        SocketOptions.check(Libc.setsockopt(fd, Libc.SOL_TCP, TCP_FASTOPEN_KEY, s.buf, raw.length),
                "setsockopt", "TCP_FASTOPEN_KEY");
    }

    /** This listener's own key(s); empty when it has none (it then uses the namespace key). */
    public static Optional<FastOpenKey> key(int fd) throws NativeException {
        Libc.Scratch s = Libc.Scratch.get();
        s.len.set(JAVA_INT, 0, 2 * FastOpenKey.LENGTH);
        SocketOptions.check(Libc.getsockopt(fd, Libc.SOL_TCP, TCP_FASTOPEN_KEY, s.buf, s.len),
                "getsockopt", "TCP_FASTOPEN_KEY");
        int length = s.len.get(JAVA_INT, 0);
        if (length == 0) {
            return Optional.empty();
        }
        byte[] raw = new byte[length];
        for (int i = 0; i < length; i++) {
            raw[i] = s.buf.get(JAVA_BYTE, i);
        }
        return Optional.of(FastOpenKey.fromBytes(raw));
    }
}
