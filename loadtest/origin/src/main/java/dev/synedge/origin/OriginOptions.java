package dev.synedge.origin;

import io.netty.channel.EventLoopGroup;
import java.net.InetAddress;

/**
 * How an {@link Origin} listens. Start from {@link #defaults()} and change fields with the
 * {@code with...} methods.
 *
 * @param bindAddress address to listen on (default: the loopback address)
 * @param port port to listen on; 0 picks an ephemeral port (the default)
 * @param eventLoops event loop threads when the origin makes its own group (default 1); with
 *     {@code reusePort}, also the number of listening sockets
 * @param fastOpenQueue TCP Fast Open queue length for the listener ({@code TCP_FASTOPEN}),
 *     0 to leave Fast Open off (default 4096). The kernel accepts SYN data only when the server
 *     bit (0x2) of {@code net.ipv4.tcp_fastopen} is set; see {@link Origin#fastOpenEnabled()}
 * @param reusePort set {@code SO_REUSEPORT} and open one listener per event loop, so the kernel
 *     spreads connections over them (default off)
 * @param eventLoopGroup an epoll event loop group to run on instead of making one; the origin
 *     does not shut it down (default null: the origin owns its group)
 */
public record OriginOptions(
        InetAddress bindAddress,
        int port,
        int eventLoops,
        int fastOpenQueue,
        boolean reusePort,
        EventLoopGroup eventLoopGroup) {

    public static final int DEFAULT_FAST_OPEN_QUEUE = 4096;

    public OriginOptions {
        if (bindAddress == null) {
            throw new IllegalArgumentException("bindAddress is required");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0 to 65535, got " + port);
        }
        if (eventLoops < 1) {
            throw new IllegalArgumentException("eventLoops must be at least 1, got " + eventLoops);
        }
        if (fastOpenQueue < 0) {
            throw new IllegalArgumentException("fastOpenQueue must be 0 (off) or more, got " + fastOpenQueue);
        }
    }

    /** Loopback, ephemeral port, one event loop, Fast Open queue 4096, no reuse-port, own group. */
    public static OriginOptions defaults() {
        return new OriginOptions(InetAddress.getLoopbackAddress(), 0, 1, DEFAULT_FAST_OPEN_QUEUE, false, null);
    }

    public OriginOptions withBindAddress(InetAddress bindAddress) {
        return new OriginOptions(bindAddress, port, eventLoops, fastOpenQueue, reusePort, eventLoopGroup);
    }

    public OriginOptions withPort(int port) {
        return new OriginOptions(bindAddress, port, eventLoops, fastOpenQueue, reusePort, eventLoopGroup);
    }

    public OriginOptions withEventLoops(int eventLoops) {
        return new OriginOptions(bindAddress, port, eventLoops, fastOpenQueue, reusePort, eventLoopGroup);
    }

    public OriginOptions withFastOpenQueue(int fastOpenQueue) {
        return new OriginOptions(bindAddress, port, eventLoops, fastOpenQueue, reusePort, eventLoopGroup);
    }

    public OriginOptions withReusePort(boolean reusePort) {
        return new OriginOptions(bindAddress, port, eventLoops, fastOpenQueue, reusePort, eventLoopGroup);
    }

    public OriginOptions withEventLoopGroup(EventLoopGroup eventLoopGroup) {
        return new OriginOptions(bindAddress, port, eventLoops, fastOpenQueue, reusePort, eventLoopGroup);
    }
}
