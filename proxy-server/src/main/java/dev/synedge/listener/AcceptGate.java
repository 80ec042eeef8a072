package dev.synedge.listener;

import dev.synedge.config.ListenerConfig;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Deque;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One listener's admission, as the handler of its listening sockets (one per event loop with
 * {@code reuse-port}), ahead of Netty's acceptor: it counts the listener's client connections
 * against its {@code max-connections} and the total against {@link AcceptLimits}, and each
 * client address's against {@code max-connections-per-client}, across loops.
 *
 * <p>A listener at its limit stops reading its sockets, but a loop may be accepting in that very
 * instant: a connection accepted over the limit is held, not registered with its loop (neither
 * read nor timed, exactly as if it still waited in the backlog), until a slot frees; then it is
 * served first. A connection over its client's limit is let in, marked for the HTTP layer to
 * answer ({@link #overClientLimit}).
 *
 * <p>accept(2) failures end here ({@link AcceptLimits#acceptFailed}) instead of at Netty's
 * acceptor, whose own pause would resume accepting on its own clock.
 */
@ChannelHandler.Sharable
public final class AcceptGate extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(AcceptGate.class);
    private static final AttributeKey<Boolean> OVER_CLIENT_LIMIT =
            AttributeKey.newInstance("synedge.over-client-limit");

    /** A connection accepted over a limit, and the listening socket that accepted it. */
    record Held(ChannelHandlerContext socket, Channel connection) {}

    private final AcceptLimits limits;
    private volatile ListenerConfig config;
    private final AtomicInteger open = new AtomicInteger();
    private final Map<InetAddress, Integer> perClient = new ConcurrentHashMap<>();
    private final Set<ChannelHandlerContext> sockets = ConcurrentHashMap.newKeySet();
    final Deque<Held> held = new ConcurrentLinkedDeque<>();
    private final LongAdder pauses = new LongAdder();
    private final LongAdder overClientLimit = new LongAdder();
    private final LongAdder acceptErrors = new LongAdder();
    private final LogThrottle fullLog = new LogThrottle();
    private final LogThrottle clientLog = new LogThrottle();

    /** Written under {@link AcceptLimits#lock}; read by the sockets' loops. */
    private volatile boolean accepting = true;
    /** Under {@link AcceptLimits#lock}. */
    private boolean full;
    private boolean backingOff;
    private long backoffs;

    AcceptGate(AcceptLimits limits, ListenerConfig config) {
        this.limits = limits;
        this.config = config;
    }

    /** Whether {@code connection} was over its client's max-connections-per-client when accepted. */
    public static boolean overClientLimit(Channel connection) {
        return connection.hasAttr(OVER_CLIENT_LIMIT);
    }

    String name() {
        return config.name();
    }

    /** New settings (a reload in place): the limits apply from now on. */
    public void use(ListenerConfig next) {
        config = next;
        limits.update();
        limits.admitHeld();
    }

    /** Client connections this listener has open. */
    public int open() {
        return open.get();
    }

    /** Connections accepted over a limit in a race between loops, held until a slot frees. */
    public int held() {
        return held.size();
    }

    /** Times this listener stopped accepting because its max-connections was reached. */
    public long pauses() {
        return pauses.sum();
    }

    /** Connections accepted over their client's max-connections-per-client (answered 429). */
    public long overClientLimit() {
        return overClientLimit.sum();
    }

    /** Times accept(2) failed on this listener's sockets. */
    public long acceptErrors() {
        return acceptErrors.sum();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        synchronized (limits.lock) {
            sockets.add(ctx);
            limits.added(this);
            if (!accepting) {
                ctx.channel().config().setAutoRead(false);
            }
        }
    }

    /** The socket closed: connections it accepted and held are closed, as its backlog is. */
    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        synchronized (limits.lock) {
            sockets.remove(ctx);
            if (sockets.isEmpty()) {
                limits.removed(this);
            }
        }
        for (Held h : held) {
            if (h.socket() == ctx && held.remove(h)) {
                limits.heldRemoved();
                h.connection().unsafe().closeForcibly();
            }
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Channel connection = (Channel) msg;
        if (limits.tryAcquire(this)) {
            admit(ctx, connection);
        } else {
            held.addLast(new Held(ctx, connection));
            limits.heldAdded();
            // a slot may have freed between the failed try and the hold, with nothing held yet
            limits.admitHeld();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        acceptErrors.increment();
        limits.acceptFailed(this, ctx.executor(), cause);
    }

    /** Hands a connection that has its slot to Netty's acceptor, which registers it with the loop. */
    private void admit(ChannelHandlerContext ctx, Channel connection) {
        if (ctx.isRemoved()) {
            connection.unsafe().closeForcibly();
            limits.released(this);
            return;
        }
        InetAddress client = countClient(connection);
        connection.closeFuture().addListener(closed -> {
            if (client != null) {
                perClient.computeIfPresent(client, (address, n) -> n > 1 ? n - 1 : null);
            }
            limits.released(this);
        });
        ctx.fireChannelRead(connection);
    }

    /** Counts {@code connection} for its client address when this listener limits them; the address counted, or null. */
    private InetAddress countClient(Channel connection) {
        int max = config.maxConnectionsPerClient();
        if (max == 0 || !(connection.remoteAddress() instanceof InetSocketAddress remote)) {
            return null;
        }
        InetAddress client = remote.getAddress();
        int n = perClient.merge(client, 1, Integer::sum);
        if (n > max) {
            connection.attr(OVER_CLIENT_LIMIT).set(Boolean.TRUE);
            overClientLimit.increment();
            String more = clientLog.pass();
            if (more != null) {
                log.warn("listener {}: client {} has {} connections open, over max-connections-per-client {}:"
                        + " the new one is answered 429{}", config.name(), client.getHostAddress(), n, max, more);
            }
        }
        return client;
    }

    /** Admits a held connection that now has its slot, on the loop of the socket that accepted it. */
    void dispatch(Held next) {
        try {
            next.socket().executor().execute(() -> admit(next.socket(), next.connection()));
        } catch (RejectedExecutionException stopping) {
            next.connection().unsafe().closeForcibly();
            limits.released(this);
        }
    }

    boolean tryAcquire() {
        return AcceptLimits.acquire(open, config.maxConnections());
    }

    /** Gives a slot back; whether the listener was at its limit before. */
    boolean release() {
        int max = config.maxConnections();
        return open.getAndDecrement() >= max && max > 0;
    }

    boolean atLimit() {
        int max = config.maxConnections();
        return max > 0 && open.get() >= max;
    }

    /**
     * Reads the sockets, or stops, as the counts say now; {@code allowed}: the whole allows
     * accepting. Under {@link AcceptLimits#lock}.
     */
    void applyAccepting(boolean allowed) {
        boolean nowFull = atLimit();
        if (nowFull && !full) {
            pauses.increment();
            String more = fullLog.pass();
            if (more != null) {
                log.warn("listener {}: max-connections {} reached: accepting paused until one of its connections"
                        + " closes; new clients wait in its backlog{}", config.name(), config.maxConnections(), more);
            }
        }
        full = nowFull;
        boolean next = allowed && !nowFull && held.isEmpty() && !backingOff;
        if (next != accepting) {
            accepting = next;
            for (ChannelHandlerContext socket : sockets) {
                EventExecutor loop = socket.executor();
                if (loop.inEventLoop()) {
                    applyAccepting(socket);
                } else {
                    try {
                        loop.execute(() -> applyAccepting(socket));
                    } catch (RejectedExecutionException stopping) {
                        // the loop stops, and the socket with it
                    }
                }
            }
        }
    }

    /**
     * Reads {@code socket}, or stops, as this gate says now. On the socket's loop only: from
     * another thread Netty stops reading a socket only if no read is pending, and one always is
     * right after a loop's accept failed, so the socket would stay read and the loop would call
     * accept again at once, at full CPU.
     */
    private void applyAccepting(ChannelHandlerContext socket) {
        socket.channel().config().setAutoRead(accepting);
    }

    /** Stops accepting on this listener for {@link AcceptLimits#BACKOFF_MILLIS}. */
    void backOff(EventExecutor executor) {
        long backoff;
        synchronized (limits.lock) {
            backingOff = true;
            backoff = ++backoffs;
        }
        limits.update();
        executor.schedule(() -> {
            synchronized (limits.lock) {
                if (backoff != backoffs) {
                    return;
                }
                backingOff = false;
            }
            limits.update();
        }, AcceptLimits.BACKOFF_MILLIS, TimeUnit.MILLISECONDS);
    }
}
