package dev.synedge.net;

import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;

/**
 * Segment sizes that let {@link ZeroCopyReceiver} map whole segments. The kernel maps a
 * received fragment only when it is one whole page at offset 0, and one receive maps across
 * segments only while each segment ends on a page boundary. A sender cuts its segments at the
 * MSS its peer advertised, so a receiver that advertises an MSS whose payload is whole pages
 * (when the path's MTU has room for one) gets segments that a header-split NIC, or loopback
 * from a sender of whole pages, delivers as pages only: no ragged tail to copy, and one receive
 * for many segments instead of two for each.
 *
 * <p>The advertisement must be in place before the SYN leaves: {@link #advertise} before
 * connect. The kernel takes at most {@value #MAX_USER_MSS} bytes, so on loopback (MTU 65536)
 * segments carry 7 pages instead of 65483 bytes.
 */
public final class PageSegments {

    static final int TCP_MAXSEG = 2;
    static final int IP_MTU = 14;
    static final int IPV6_MTU = 24;
    /** The largest {@code TCP_MAXSEG} the kernel accepts (MAX_TCP_WINDOW). */
    static final int MAX_USER_MSS = 32767;
    /** The TCP timestamp option each segment carries (10 bytes, padded), when timestamps are on. */
    static final int TIMESTAMP_OPTION = 12;
    private static final int PAGE = 4096;

    private PageSegments() {}

    /**
     * The MTU of the route toward {@code remote}, from a UDP socket connected there: connecting
     * a datagram socket only looks up the route, nothing is sent.
     */
    public static int pathMtu(InetSocketAddress remote) throws NativeException {
        StandardProtocolFamily family = LinuxSocket.familyOf(remote);
        boolean v4 = family == StandardProtocolFamily.INET;
        int fd = Libc.socket(v4 ? Libc.AF_INET : Libc.AF_INET6, Libc.SOCK_DGRAM | Libc.SOCK_CLOEXEC, 0);
        SocketOptions.check(fd, "socket", "UDP for the path MTU toward " + AddressText.of(remote));
        try {
            var addr = SocketOptions.scratchBuffer();
            int len = SocketAddresses.encode(remote, addr);
            SocketOptions.check(Libc.connect(fd, addr, len), "connect",
                    "UDP for the path MTU toward " + AddressText.of(remote));
            return v4 ? SocketOptions.getInt(fd, Libc.SOL_IP, IP_MTU, "IP_MTU")
                    : SocketOptions.getInt(fd, Libc.SOL_IPV6, IPV6_MTU, "IPV6_MTU");
        } finally {
            Libc.close(fd);
        }
    }

    /**
     * The {@code TCP_MAXSEG} that makes each segment's payload whole pages on a path of
     * {@code pathMtu}, as many pages as fit (at most 7); 0 when not even one page fits (an
     * Ethernet MTU of 1500), where nothing should be advertised.
     *
     * @param timestamps whether segments carry the TCP timestamp option
     *                   ({@code net.ipv4.tcp_timestamps}, on by default)
     */
    public static int maxSegmentFor(int pathMtu, StandardProtocolFamily family, boolean timestamps) {
        int headers = (family == StandardProtocolFamily.INET ? 20 : 40) + 20;
        int options = timestamps ? TIMESTAMP_OPTION : 0;
        int pages = Math.min(pathMtu - headers - options, MAX_USER_MSS - options) / PAGE;
        return pages > 0 ? pages * PAGE + options : 0;
    }

    /** Advertises {@code maxSegment} as this socket's MSS; call before connect. */
    public static void advertise(int fd, int maxSegment) throws NativeException {
        SocketOptions.setInt(fd, Libc.SOL_TCP, TCP_MAXSEG, maxSegment, "TCP_MAXSEG");
    }

    /** Whether this host's TCP offers timestamps ({@code net.ipv4.tcp_timestamps} not 0). */
    public static boolean timestampsOn() {
        return KernelState.sysctl("net.ipv4.tcp_timestamps").map(v -> !v.equals("0")).orElse(true);
    }
}
