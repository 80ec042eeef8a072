package dev.synedge.origin;

import dev.synedge.net.FastOpen;
import dev.synedge.net.KernelState;
import dev.synedge.net.NativeException;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.unix.UnixChannelOption;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A running origin server: HTTP/1.1 on Netty's native epoll transport, serving the URL scheme in
 * this module's README. Start one with {@link #start(OriginOptions)}; {@link #close()} stops
 * listening, closes every connection and shuts down the event loops it made.
 */
public final class Origin implements AutoCloseable {

    private static final int BACKLOG = 4096;

    private final OriginOptions options;
    private final EventLoopGroup group;
    private final boolean ownsGroup;
    private final OriginRuntime runtime;
    private final List<Channel> listeners;
    private final ChannelGroup connections;
    private final InetSocketAddress address;
    private boolean closed;

    private Origin(OriginOptions options, EventLoopGroup group, boolean ownsGroup, OriginRuntime runtime,
            List<Channel> listeners, ChannelGroup connections) {
        this.options = options;
        this.group = group;
        this.ownsGroup = ownsGroup;
        this.runtime = runtime;
        this.listeners = listeners;
        this.connections = connections;
        this.address = (InetSocketAddress) listeners.getFirst().localAddress();
    }

    /**
     * Binds and starts serving. Throws {@link UncheckedIOException} naming the address when it
     * cannot listen.
     */
    public static Origin start(OriginOptions options) {
        Epoll.ensureAvailability();
        boolean ownsGroup = options.eventLoopGroup() == null;
        EventLoopGroup group = ownsGroup
                ? new MultiThreadIoEventLoopGroup(options.eventLoops(),
                        new DefaultThreadFactory("synedge-origin", true), EpollIoHandler.newFactory())
                : options.eventLoopGroup();
        OriginRuntime runtime = new OriginRuntime(PooledByteBufAllocator.DEFAULT);
        ChannelGroup connections = new DefaultChannelGroup("origin-connections", GlobalEventExecutor.INSTANCE);
        List<Channel> listeners = new ArrayList<>();
        try {
            ServerBootstrap bootstrap = new ServerBootstrap()
                    .group(group, group)
                    .channelFactory((io.netty.channel.ChannelFactory<EpollServerSocketChannel>)
                            () -> listenerChannel(options.fastOpenQueue()))
                    .option(ChannelOption.SO_BACKLOG, BACKLOG)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .option(UnixChannelOption.SO_REUSEPORT, options.reusePort())
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                    .childHandler(new ChannelInitializer<EpollSocketChannel>() {
                        @Override
                        protected void initChannel(EpollSocketChannel ch) {
                            connections.add(ch);
                            ch.pipeline().addLast("origin", new ConnectionHandler(runtime));
                        }
                    });
            int count = options.reusePort() ? options.eventLoops() : 1;
            InetSocketAddress bindTo = new InetSocketAddress(options.bindAddress(), options.port());
            for (int i = 0; i < count; i++) {
                ChannelFuture bound = bootstrap.bind(bindTo).awaitUninterruptibly();
                if (!bound.isSuccess()) {
                    throw new UncheckedIOException(new IOException(
                            "origin cannot listen on " + bindTo + ": " + bound.cause().getMessage(), bound.cause()));
                }
                listeners.add(bound.channel());
                bindTo = (InetSocketAddress) bound.channel().localAddress();
            }
        } catch (RuntimeException e) {
            for (Channel listener : listeners) {
                listener.close().awaitUninterruptibly();
            }
            if (ownsGroup) {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
            }
            runtime.release();
            throw e;
        }
        return new Origin(options, group, ownsGroup, runtime, listeners, connections);
    }

    /**
     * A listening socket with its Fast Open queue set before it is bound, rather than through
     * Netty's {@code ChannelOption.TCP_FASTOPEN}, which Netty applies only if
     * {@code net.ipv4.tcp_fastopen} had the server bit when its epoll classes loaded and never
     * looks again: a test that clears the bit for a moment would otherwise leave every later
     * origin in that JVM without Fast Open. The kernel checks the bit on each SYN instead.
     */
    private static EpollServerSocketChannel listenerChannel(int fastOpenQueue) {
        EpollServerSocketChannel channel = new EpollServerSocketChannel();
        if (fastOpenQueue > 0) {
            try {
                FastOpen.setListenerQueue(channel.fd().intValue(), fastOpenQueue);
            } catch (NativeException e) {
                channel.unsafe().closeForcibly();
                throw new ChannelException(e.getMessage(), e);
            }
        }
        return channel;
    }

    public int port() {
        return address.getPort();
    }

    public InetSocketAddress address() {
        return address;
    }

    /**
     * Whether the listener accepts data in SYNs now: it has a Fast Open queue and the kernel's
     * {@code net.ipv4.tcp_fastopen} has the server bit at this moment.
     */
    public boolean fastOpenEnabled() {
        return options.fastOpenQueue() > 0 && KernelState.fastOpenMode().serverEnabled();
    }

    public OriginStats stats() {
        return runtime.counters.snapshot();
    }

    public void resetStats() {
        runtime.counters.reset();
    }

    /** Stops listening, closes every connection, and shuts down the event loops it owns. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Channel listener : listeners) {
            listener.close().awaitUninterruptibly();
        }
        connections.close().awaitUninterruptibly();
        if (ownsGroup) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        }
        runtime.release();
    }
}
