package dev.synedge.listener;

import dev.synedge.config.ListenerConfig;
import dev.synedge.net.Errno;
import dev.synedge.net.FastOpen;
import dev.synedge.net.LinuxSocket;
import dev.synedge.net.NativeException;
import dev.synedge.net.SocketOptions;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.unix.Errors;
import io.netty.channel.unix.UnixChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Binds one listener on every event loop. With {@code reuse-port} each loop gets its own
 * listening socket on the same address (the kernel spreads connections across them); without
 * it one socket on the first loop accepts for all. Port 0 is resolved by the first bind, and
 * the other loops bind that same port.
 */
public final class ListenerBinder {

    private static final String IN_USE = "address already in use (another process listens there)";

    private ListenerBinder() {}

    /**
     * Binds {@code config} on {@code loops}; each accepted connection gets {@code child}
     * (a sharable initializer) on the accepting loop, once {@code gate} let it in.
     */
    public static BoundListener bind(ListenerConfig config, List<EventLoop> loops, ChannelHandler child,
                                     AcceptGate gate) throws IOException, InterruptedException {
        List<Channel> channels = new ArrayList<>();
        InetSocketAddress address = config.address();
        if (config.reusePort() && address.getPort() != 0) {
            refuseIfListenedOn(config, address);
        }
        try {
            List<EventLoop> accepting = config.reusePort() ? loops : loops.subList(0, 1);
            for (EventLoop loop : accepting) {
                Channel channel = config.mptcp() ? bindMptcp(config, address, loop, child, gate)
                        : bindTcp(config, address, loop, child, gate);
                channels.add(channel);
                if (address.getPort() == 0) {
                    address = (InetSocketAddress) channel.localAddress();
                }
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            channels.forEach(Channel::close);
            throw e;
        }
        return new BoundListener(config, address, channels, gate);
    }

    /**
     * Whether {@code next} can keep {@code bound}'s sockets: the same protocol and spreading,
     * and the address bound (a port 0 written as the port it got, or as 0 again).
     */
    public static boolean keepsSockets(BoundListener bound, ListenerConfig next) {
        ListenerConfig now = bound.config();
        boolean sameAddress = next.address().equals(now.address()) || next.address().equals(bound.address());
        return sameAddress && now.mptcp() == next.mptcp() && now.reusePort() == next.reusePort();
    }

    /**
     * Applies {@code next}'s socket settings to the sockets bound for {@code bound} (see
     * {@link #keepsSockets}), in place, so that no queued connection is lost: the Fast Open
     * queue length, and the backlog (listen(2) on a listening socket only resizes its queue);
     * and its connection limits.
     */
    public static BoundListener retune(BoundListener bound, ListenerConfig next) throws IOException {
        return retune(bound, next, false);
    }

    /** {@link #retune}; {@code always}: apply both settings, whatever the sockets were bound with. */
    private static BoundListener retune(BoundListener bound, ListenerConfig next, boolean always) throws IOException {
        ListenerConfig now = bound.config();
        try {
            for (Channel channel : bound.channels()) {
                int fd = ((UnixChannel) channel).fd().intValue();
                if (always || now.fastopenQueue() != next.fastopenQueue()) {
                    FastOpen.setListenerQueue(fd, next.fastopenQueue());
                }
                if (always || now.backlog() != next.backlog()) {
                    try (LinuxSocket same = LinuxSocket.dupOf(fd)) {
                        same.listen(next.backlog());
                    }
                }
            }
        } catch (NativeException e) {
            throw new IOException("listener " + next.name() + ": " + e.getMessage(), e);
        }
        bound.gate().use(next);
        return new BoundListener(next, bound.address(), bound.channels(), bound.gate());
    }

    /**
     * SO_REUSEPORT lets any process of the same user bind a port another one already listens
     * on, and the kernel then splits new connections between them: a second synedge (or
     * anything else) on the port would start without a word. A plain bind (SO_REUSEADDR only,
     * so that connections in TIME_WAIT do not count) fails when anything listens there; the
     * probe is closed at once.
     */
    private static void refuseIfListenedOn(ListenerConfig config, InetSocketAddress address) throws IOException {
        try (LinuxSocket probe = LinuxSocket.openFor(address, LinuxSocket.Protocol.TCP)) {
            SocketOptions.setReuseAddress(probe.fd(), true);
            probe.bind(address);
        } catch (NativeException e) {
            throw cannotListen(config, address, e);
        }
    }

    private static CannotListen cannotListen(ListenerConfig config, InetSocketAddress address, NativeException e) {
        boolean inUse = e.errno() == Errno.EADDRINUSE;
        return new CannotListen(config.name(), address, inUse, inUse ? IN_USE : e.getMessage(), e);
    }

    private static ServerBootstrap bootstrap(EventLoop loop, ChannelHandler child, AcceptGate gate) {
        // The loop accepts and also serves what it accepts: a connection never changes thread.
        return new ServerBootstrap()
                .group(loop, loop)
                .handler(gate)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(child);
    }

    private static Channel bindTcp(ListenerConfig config, InetSocketAddress address, EventLoop loop,
                                   ChannelHandler child, AcceptGate gate) throws IOException, InterruptedException {
        ServerBootstrap bootstrap = bootstrap(loop, child, gate)
                .channelFactory((io.netty.channel.ChannelFactory<EpollServerSocketChannel>) () -> tcpChannel(config))
                .option(ChannelOption.SO_BACKLOG, config.backlog())
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(EpollChannelOption.SO_REUSEPORT, config.reusePort());
        ChannelFuture bound = bootstrap.bind(address).await();
        if (!bound.isSuccess()) {
            boolean inUse = bound.cause() instanceof Errors.NativeIoException e && e.expectedErr() == -Errno.EADDRINUSE;
            throw new CannotListen(config.name(), address, inUse, inUse ? IN_USE : bound.cause().getMessage(),
                    bound.cause());
        }
        return bound.channel();
    }

    /**
     * A TCP listening socket with its Fast Open queue set before it is bound. Not through
     * Netty's {@code ChannelOption.TCP_FASTOPEN}: Netty applies that only if
     * {@code net.ipv4.tcp_fastopen} had the server bit when its epoll classes loaded, a reading
     * it keeps for the life of the JVM, so a listener in a process that started while the bit
     * was off silently took no SYN data even after the sysctl was fixed. The kernel keeps the
     * queue whatever the sysctl says and checks the server bit on each SYN, so fixing the
     * sysctl takes effect on listeners already running, as the start-up warning says.
     */
    private static EpollServerSocketChannel tcpChannel(ListenerConfig config) {
        EpollServerSocketChannel channel = new EpollServerSocketChannel();
        if (config.fastopenQueue() > 0) {
            try {
                FastOpen.setListenerQueue(channel.fd().intValue(), config.fastopenQueue());
            } catch (NativeException e) {
                channel.unsafe().closeForcibly();
                throw new ChannelException(e.getMessage(), e);
            }
        }
        return channel;
    }

    /**
     * Netty has no MPTCP: the listening socket is made by native-sockets with IPPROTO_MPTCP,
     * bound and listening, then handed to Netty as an existing fd. Clients that do not speak
     * MPTCP are accepted as plain TCP.
     */
    private static Channel bindMptcp(ListenerConfig config, InetSocketAddress address, EventLoop loop,
                                     ChannelHandler child, AcceptGate gate) throws IOException, InterruptedException {
        LinuxSocket socket = LinuxSocket.openFor(address, LinuxSocket.Protocol.MPTCP);
        try {
            SocketOptions.setReuseAddress(socket.fd(), true);
            SocketOptions.setReusePort(socket.fd(), config.reusePort());
            socket.bind(address);
            if (config.fastopenQueue() > 0) {
                FastOpen.setListenerQueue(socket.fd(), config.fastopenQueue());
            }
            socket.listen(config.backlog());
        } catch (NativeException e) {
            socket.close();
            throw cannotListen(config, address, e);
        }
        return register(config, socket.fd(), loop, child, gate);
    }

    /** Hands a bound, listening socket to Netty, accepting on {@code loop}. */
    private static Channel register(ListenerConfig config, int fd, EventLoop loop, ChannelHandler child,
                                    AcceptGate gate) throws IOException, InterruptedException {
        EpollServerSocketChannel channel = new EpollServerSocketChannel(fd);
        ChannelFuture registered = bootstrap(loop, child, gate)
                .channelFactory((io.netty.channel.ChannelFactory<EpollServerSocketChannel>) () -> channel)
                .register().await();
        if (!registered.isSuccess()) {
            channel.close();
            throw new IOException("listener " + config.name() + ": register socket: "
                    + registered.cause().getMessage(), registered.cause());
        }
        return channel;
    }

    /**
     * Whether the listening socket {@code fd}, bound by another process, can serve as
     * {@code config}'s: the same address (any port when {@code config}'s is 0), protocol and
     * spreading.
     */
    public static boolean canAdopt(ListenerConfig config, int fd) throws NativeException {
        InetSocketAddress bound;
        try (LinuxSocket same = LinuxSocket.dupOf(fd)) {
            bound = same.localAddress();
        }
        boolean sameAddress = bound.getAddress().equals(config.address().getAddress())
                && (config.address().getPort() == 0 || config.address().getPort() == bound.getPort());
        boolean mptcp = LinuxSocket.Protocol.of(fd) == LinuxSocket.Protocol.MPTCP;
        return sameAddress && mptcp == config.mptcp() && SocketOptions.reusePort(fd) == config.reusePort();
    }

    /**
     * Listens with sockets another process bound ({@code fds}, each now this process's to
     * close; see {@link #canAdopt}): the very same sockets, so connections queued on them, and
     * their Fast Open keys, carry over. They are spread over {@code loops}; with
     * {@code reuse-port}, loops left without one get a socket of their own on the same port.
     * {@code config}'s queue lengths are applied to them.
     */
    public static BoundListener adopt(ListenerConfig config, List<Integer> fds, List<EventLoop> loops,
                                      ChannelHandler child, AcceptGate gate) throws IOException, InterruptedException {
        List<Channel> channels = new ArrayList<>();
        InetSocketAddress address = null;
        try {
            for (int i = 0; i < fds.size(); i++) {
                Channel channel = register(config, fds.get(i), loops.get(i % loops.size()), child, gate);
                channels.add(channel);
                address = (InetSocketAddress) channel.localAddress();
            }
            if (config.reusePort()) {
                for (EventLoop loop : loops.subList(Math.min(fds.size(), loops.size()), loops.size())) {
                    channels.add(config.mptcp() ? bindMptcp(config, address, loop, child, gate)
                            : bindTcp(config, address, loop, child, gate));
                }
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            channels.forEach(Channel::close);
            throw e;
        }
        BoundListener inherited = new BoundListener(config, address, channels, gate);
        return retune(inherited, config, true);
    }
}
