package dev.synedge.net;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemorySegment;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/** Encodes and decodes {@code sockaddr_in} / {@code sockaddr_in6}. */
final class SocketAddresses {

    static final int IPV4_LENGTH = 16;
    static final int IPV6_LENGTH = 28;
    static final int MAX_LENGTH = 128;

    private SocketAddresses() {}

    /** Writes {@code address} into {@code out}; returns the sockaddr length. */
    static int encode(InetSocketAddress address, MemorySegment out) {
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("unresolved address " + AddressText.of(address));
        }
        InetAddress ip = address.getAddress();
        byte[] raw = ip.getAddress();
        out.asSlice(0, MAX_LENGTH).fill((byte) 0);
        short port = Short.reverseBytes((short) address.getPort());
        if (ip instanceof Inet4Address) {
            out.set(JAVA_SHORT, 0, (short) Libc.AF_INET);
            out.set(JAVA_SHORT, 2, port);
            MemorySegment.copy(raw, 0, out, JAVA_BYTE, 4, 4);
            return IPV4_LENGTH;
        }
        out.set(JAVA_SHORT, 0, (short) Libc.AF_INET6);
        out.set(JAVA_SHORT, 2, port);
        MemorySegment.copy(raw, 0, out, JAVA_BYTE, 8, 16);
        out.set(JAVA_INT, 24, ((Inet6Address) ip).getScopeId());
        return IPV6_LENGTH;
    }

    static InetSocketAddress decode(MemorySegment in) {
        int family = in.get(JAVA_SHORT, 0);
        int port = Short.toUnsignedInt(Short.reverseBytes(in.get(JAVA_SHORT, 2)));
        try {
            if (family == Libc.AF_INET) {
                byte[] raw = new byte[4];
                MemorySegment.copy(in, JAVA_BYTE, 4, raw, 0, 4);
                return new InetSocketAddress(InetAddress.getByAddress(raw), port);
            }
            if (family == Libc.AF_INET6) {
                byte[] raw = new byte[16];
                MemorySegment.copy(in, JAVA_BYTE, 8, raw, 0, 16);
                int scope = in.get(JAVA_INT, 24);
                InetAddress ip = scope == 0
                        ? InetAddress.getByAddress(raw)
                        : Inet6Address.getByAddress(null, raw, scope);
                return new InetSocketAddress(ip, port);
            }
        } catch (UnknownHostException e) {
            throw new AssertionError("raw address of valid length rejected", e);
        }
        throw new IllegalArgumentException("unsupported address family " + family);
    }
}
