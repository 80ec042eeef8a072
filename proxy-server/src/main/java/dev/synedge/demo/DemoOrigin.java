package dev.synedge.demo;

import dev.synedge.net.AddressText;
import dev.synedge.net.Errno;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.unix.Errors;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The running demo origin: one listening socket with a Fast Open queue, served by one event
 * loop of its own. Start it with {@link #start}; {@link #close()} stops listening and closes
 * every connection.
 */
public final class DemoOrigin implements AutoCloseable {

    private static final int BACKLOG = 1024;
    private static final int FAST_OPEN_QUEUE = 4096;

    private final EventLoopGroup group;
    private final Channel listener;
    private final ByteBuf megabyte;
    private boolean closed;

    private DemoOrigin(EventLoopGroup group, Channel listener, ByteBuf megabyte) {
        this.group = group;
        this.listener = listener;
        this.megabyte = megabyte;
    }

    /**
     * Listens on {@code address} (port 0 picks one) and serves until {@link #close()}. Throws
     * {@link CannotListen} when the address cannot be bound.
     */
    public static DemoOrigin start(InetSocketAddress address) throws IOException {
        if (!Epoll.isAvailable()) {
            throw new IOException("the Netty epoll transport is unavailable: " + Epoll.unavailabilityCause());
        }
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1,
                new DefaultThreadFactory("synedge-demo-origin", true), EpollIoHandler.newFactory());
        ByteBuf megabyte = Responses.megabyte();
        ChannelFuture bound = new ServerBootstrap()
                .group(group)
                .channel(EpollServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, BACKLOG)
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.TCP_FASTOPEN, FAST_OPEN_QUEUE)
                .childOption(ChannelOption.TCP_NODELAY, true)
                // A client may send its last request and shut its side: the answer still goes out.
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childHandler(new ChannelInitializer<EpollSocketChannel>() {
                    @Override
                    protected void initChannel(EpollSocketChannel ch) {
                        ch.pipeline().addLast("demo", new DemoConnection(megabyte));
                    }
                })
                .bind(address).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            stop(group, megabyte);
            throw new CannotListen(address, bound.cause());
        }
        return new DemoOrigin(group, bound.channel(), megabyte);
    }

    /** The address it listens on, with the port it got. */
    public InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    /** Stops listening and closes every connection, with the event loop. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        listener.close().awaitUninterruptibly();
        stop(group, megabyte);
    }

    /** Shutting the loop down closes the connections on it, and with them what they still had to write. */
    private static void stop(EventLoopGroup group, ByteBuf megabyte) {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        megabyte.release();
    }

    /** The demo origin could not listen where the configuration says. */
    public static final class CannotListen extends IOException {

        private final InetSocketAddress address;
        private final boolean addressInUse;

        CannotListen(InetSocketAddress address, Throwable cause) {
            super("cannot listen on " + AddressText.of(address) + ": " + cause.getMessage(), cause);
            this.address = address;
            this.addressInUse = cause instanceof Errors.NativeIoException e && e.expectedErr() == -Errno.EADDRINUSE;
        }

        public InetSocketAddress address() {
            return address;
        }

        /** Something else listens on that address: the usual case, with its own advice. */
        public boolean addressInUse() {
            return addressInUse;
        }
    }
}
