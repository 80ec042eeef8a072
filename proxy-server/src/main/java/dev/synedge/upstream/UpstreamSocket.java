package dev.synedge.upstream;

import dev.synedge.body.BodyCounters;
import dev.synedge.body.BodyPolicy;
import dev.synedge.body.MappedWindow;
import dev.synedge.net.Errno;
import dev.synedge.net.FastOpen;
import dev.synedge.net.IoVector;
import dev.synedge.net.LinuxSocket;
import dev.synedge.net.NativeException;
import dev.synedge.net.PageSegments;
import dev.synedge.net.SocketOptions;
import dev.synedge.net.TcpInfo;
import io.netty.buffer.ByteBuf;
import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoEvent;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.unix.FileDescriptor;
import io.netty.util.concurrent.Future;
import java.lang.foreign.MemorySegment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection to an upstream endpoint: our own socket (native-sockets), driven by the
 * event loop of the client connection it serves through Netty's {@link EpollIoHandle} API,
 * so an exchange runs on one thread from client read to upstream write and back.
 *
 * <p>Registered edge-triggered for input, output and peer close once, for its whole life: no
 * epoll_ctl per request. An edge means "something changed"; the {@link Owner} reads (or
 * writes) until the socket would block, or remembers that it stopped early.
 *
 * <p>A new socket may use deferred-connect Fast Open: {@link #open} then returns before
 * anything was sent, and the first {@link #write} carries the request in the SYN. A refusal
 * then surfaces on that write or on a later read, as a {@link NativeException}.
 *
 * <p>Response bodies can be mapped instead of read ({@link #mappedWindow}): the window is opened
 * on first use and kept for the connection's life; closing the socket unmaps it once the
 * client writes still using its pages are done.
 *
 * <p>Ownership: the socket has one {@link Owner} at a time (the exchange using it, or the pool
 * keeping it idle); {@link #handOver} changes it. Only the loop thread touches it.
 */
public final class UpstreamSocket implements EpollIoHandle {

    private static final Logger log = LoggerFactory.getLogger(UpstreamSocket.class);

    /** Receives the socket's readiness on the loop thread. */
    public interface Owner {
        /**
         * The handshake of a new connection completed (for a deferred Fast Open connect: the
         * SYN-ACK arrived); {@code upstreamWritable} follows. Called once per connection.
         */
        void upstreamConnected(UpstreamSocket socket);

        /** Input arrived, or the peer closed its side: read until WOULD_BLOCK or EOF. */
        void upstreamReadable(UpstreamSocket socket);

        /** The socket can take more bytes. */
        void upstreamWritable(UpstreamSocket socket);

        /** The connection failed (refused, reset, timed out): the socket is already closed. */
        void upstreamFailed(UpstreamSocket socket, NativeException cause);
    }

    private static final EpollIoOps INTEREST = EpollIoOps.EPOLLIN.with(EpollIoOps.EPOLLOUT)
            .with(EpollIoOps.EPOLLRDHUP).with(EpollIoOps.EPOLLET);

    private final LinuxSocket socket;
    private final FileDescriptor nettyFd;
    private final Endpoint endpoint;
    private final EndpointCounters counters;
    private final boolean fastOpen;
    private final long openedNanos;
    private IoRegistration registration;
    private Owner owner;
    private boolean connectPending;
    private boolean established;
    private boolean closed;
    private int exchanges;
    private MappedWindow window;
    /** mmap of a zero-copy window failed (an MPTCP socket): bodies are not mapped here. */
    private boolean unmappable;

    private UpstreamSocket(LinuxSocket socket, Endpoint endpoint, EndpointCounters counters, boolean fastOpen,
                           Owner owner) {
        this.socket = socket;
        this.nettyFd = new FileDescriptor(socket.fd());
        this.endpoint = endpoint;
        this.counters = counters;
        this.fastOpen = fastOpen;
        this.owner = owner;
        this.openedNanos = System.nanoTime();
    }

    /**
     * Opens a connection to {@code endpoint} and registers it on {@code loop} (the caller's
     * own loop). With {@code fastOpen}, {@code TCP_FASTOPEN_CONNECT} is set first: when the
     * kernel holds a cookie for the endpoint nothing is sent until the first write. A
     * {@code pageSegment} above 0 is advertised as the MSS ({@link PageSegments}), so that the
     * endpoint's segments can map as whole pages. {@code counters} learn the connection's
     * retransmissions when it closes.
     */
    public static UpstreamSocket open(IoEventLoop loop, Endpoint endpoint, EndpointCounters counters, boolean fastOpen,
                                      boolean mptcp, int pageSegment, Owner owner) throws NativeException {
        LinuxSocket socket = LinuxSocket.openFor(endpoint.address(),
                mptcp ? LinuxSocket.Protocol.MPTCP : LinuxSocket.Protocol.TCP);
        UpstreamSocket upstream = new UpstreamSocket(socket, endpoint, counters, fastOpen, owner);
        try {
            SocketOptions.setNoDelay(socket.fd(), true);
            if (pageSegment > 0) {
                PageSegments.advertise(socket.fd(), pageSegment);
            }
            if (fastOpen) {
                FastOpen.enableConnect(socket.fd());
            }
            boolean connected = socket.connect(endpoint.address());
            upstream.connectPending = !connected;
            upstream.established = connected && !fastOpen;
            upstream.register(loop);
        } catch (NativeException | RuntimeException e) {
            upstream.closeSocket(false);
            throw e;
        }
        return upstream;
    }

    private void register(IoEventLoop loop) {
        assert loop.inEventLoop() : "an upstream socket is opened on its client's event loop";
        Future<IoRegistration> registered = loop.register(this);
        if (!registered.isSuccess()) {
            throw new IllegalStateException("epoll registration of " + this + " failed", registered.cause());
        }
        registration = registered.getNow();
        registration.submit(INTEREST);
    }

    public Endpoint endpoint() {
        return endpoint;
    }

    /** Whether this connection was opened with deferred-connect Fast Open. */
    public boolean fastOpen() {
        return fastOpen;
    }

    public long openedNanos() {
        return openedNanos;
    }

    /** Exchanges this connection has carried, the current one included. */
    public int exchanges() {
        return exchanges;
    }

    /** Counts the start of one more exchange on this connection. */
    public void startExchange() {
        exchanges++;
    }

    public boolean isOpen() {
        return !closed;
    }

    /** The handshake completed ({@link Owner#upstreamConnected} was called, or a pooled connection). */
    public boolean established() {
        return established;
    }

    public void handOver(Owner newOwner) {
        this.owner = newOwner;
    }

    public int fdValue() {
        return socket.fd();
    }

    /** {@code TCP_INFO} of this connection: Fast Open outcome, RTT. */
    public TcpInfo tcpInfo() throws NativeException {
        return TcpInfo.read(socket.fd());
    }

    /**
     * Writes the readable bytes of a direct buffer, advancing its reader index. Returns bytes
     * written or {@link LinuxSocket#WOULD_BLOCK}.
     */
    public int write(ByteBuf buf) throws NativeException {
        int n = socket.write(address(buf) + buf.readerIndex(), buf.readableBytes());
        if (n > 0) {
            buf.skipBytes(n);
        }
        return n;
    }

    /**
     * Gather write of what {@code vector} describes (see {@link #address}); returns bytes
     * written or {@link LinuxSocket#WOULD_BLOCK}. The caller advances its buffers.
     */
    public long writev(IoVector vector) throws NativeException {
        return socket.writev(vector);
    }

    /**
     * Reads into the writable space of a direct buffer, advancing its writer index. Returns
     * bytes read, {@link LinuxSocket#EOF} or {@link LinuxSocket#WOULD_BLOCK}.
     */
    public int read(ByteBuf buf) throws NativeException {
        int n = socket.read(address(buf) + buf.writerIndex(), buf.writableBytes());
        if (n > 0) {
            buf.writerIndex(buf.writerIndex() + n);
        }
        return n;
    }

    /**
     * Reads at most {@code max} bytes into the writable space of a direct buffer, advancing its
     * writer index: exactly the bytes zero-copy receive left to be copied, not more.
     */
    public int read(ByteBuf buf, int max) throws NativeException {
        int n = socket.read(address(buf) + buf.writerIndex(), Math.min(max, buf.writableBytes()));
        if (n > 0) {
            buf.writerIndex(buf.writerIndex() + n);
        }
        return n;
    }

    /** Whether response bodies may be mapped from this socket (not known to fail). */
    public boolean mappable() {
        return !unmappable && (window == null || window.usable());
    }

    /**
     * This socket's zero-copy window, mapped on first use with {@code counters} (its cluster's)
     * counting what it holds; null when the socket cannot be mapped (MPTCP: ENODEV), which is
     * remembered.
     */
    public MappedWindow mappedWindow(BodyCounters counters) {
        if (window == null && !unmappable && !closed) {
            try {
                window = MappedWindow.open(socket.fd(), BodyPolicy.WINDOW_BYTES, counters);
            } catch (NativeException e) {
                unmappable = true;
                log.debug("{}: no zero-copy receive: {}", this, e.getMessage());
            }
        }
        return window != null && window.usable() ? window : null;
    }

    /** Base address of a direct buffer's memory (add the reader or writer index). */
    public static long address(ByteBuf buf) {
        if (buf.hasMemoryAddress()) {
            return buf.memoryAddress();
        }
        if (buf.isDirect() && buf.nioBufferCount() == 1) {
            return MemorySegment.ofBuffer(buf.internalNioBuffer(0, buf.capacity())).address();
        }
        throw new IllegalArgumentException("upstream I/O needs a single direct buffer, got " + buf);
    }

    @Override
    public FileDescriptor fd() {
        return nettyFd;
    }

    @Override
    public void handle(IoRegistration registration, IoEvent event) {
        if (closed) {
            return;
        }
        EpollIoOps ops = ((EpollIoEvent) event).ops();
        if (ops.contains(EpollIoOps.EPOLLERR)) {
            fail("socket");
            return;
        }
        if (ops.contains(EpollIoOps.EPOLLOUT)) {
            if (connectPending) {
                try {
                    socket.finishConnect();
                } catch (NativeException e) {
                    closeSocket(false);
                    owner.upstreamFailed(this, e);
                    return;
                }
                connectPending = false;
            }
            if (!established) {
                // A socket turns writable when its handshake completes, deferred Fast Open included.
                established = true;
                owner.upstreamConnected(this);
            }
            if (closed) {
                return;
            }
            owner.upstreamWritable(this);
        }
        if (!closed && (ops.contains(EpollIoOps.EPOLLIN) || ops.contains(EpollIoOps.EPOLLRDHUP))) {
            owner.upstreamReadable(this);
        }
    }

    private void fail(String call) {
        NativeException cause;
        try {
            int error = SocketOptions.socketError(socket.fd());
            cause = new NativeException(connectPending ? "connect" : call, endpoint.toString(),
                    error != 0 ? error : Errno.ECONNRESET);
        } catch (NativeException e) {
            cause = e;
        }
        closeSocket(false);
        owner.upstreamFailed(this, cause);
    }

    /** Closes with FIN; a pooled connection that is done. */
    public void close() {
        closeSocket(false);
    }

    /**
     * Closes with RST: for a connection whose exchange broke, so that nothing half-sent can be
     * taken for a complete message by the upstream.
     */
    public void abort() {
        closeSocket(true);
    }

    private void closeSocket(boolean reset) {
        if (closed) {
            return;
        }
        closed = true;
        if (registration != null) {
            // Before close(2): the registration is keyed by fd number, which the kernel reuses.
            registration.cancel();
        }
        try {
            // Once per connection, while the kernel still has its figures.
            counters.closed(TcpInfo.read(socket.fd()).totalRetransmits());
        } catch (NativeException ignored) {
            // Nothing to learn from a socket the kernel no longer describes.
        }
        if (reset) {
            try {
                SocketOptions.setLingerZero(socket.fd());
            } catch (NativeException ignored) {
                // The connection is already gone; close() below still releases the fd.
            }
        }
        socket.close();
        if (window != null) {
            window.close();
        }
    }

    @Override
    public String toString() {
        return "upstream socket " + endpoint + (fastOpen ? " (fastopen)" : "") + (closed ? " closed" : "");
    }
}
