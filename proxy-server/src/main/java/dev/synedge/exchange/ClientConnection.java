package dev.synedge.exchange;

import dev.synedge.accesslog.AccessRecord;
import dev.synedge.accesslog.SynData;
import dev.synedge.accesslog.Termination;
import dev.synedge.accesslog.UpstreamConnection;
import dev.synedge.config.ListenerConfig;
import dev.synedge.http.ClientHop;
import dev.synedge.http.ErrorResponse;
import dev.synedge.http.HttpError;
import dev.synedge.http.ParseProgress;
import dev.synedge.http.ParseResult;
import dev.synedge.http.RequestHead;
import dev.synedge.listener.AcceptGate;
import dev.synedge.net.AddressText;
import dev.synedge.net.NativeException;
import dev.synedge.net.TcpInfo;
import dev.synedge.routing.ProxyRuntime;
import dev.synedge.routing.Route;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.unix.UnixChannel;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: reads request heads, routes them, runs one {@link Exchange} at a
 * time and keeps the connection alive between them. Pipelined requests wait in the input
 * buffer until the exchange before them has sent its whole response, so responses go back in
 * request order. One timer per connection enforces the header-read and idle timeouts.
 *
 * <p>ByteBuf ownership: {@link #in} (the unread client bytes) belongs to this handler; an
 * exchange takes retained slices of it for the upstream and never releases {@code in} itself.
 */
final class ClientConnection extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(ClientConnection.class);
    /** Unread pipelined bytes beyond which the connection stops reading until the exchange ends. */
    private static final int PIPELINE_BACKLOG = 64 * 1024;
    /** How long a closing connection reads and drops what the client still sends. */
    private static final long LINGER_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** While draining, how long an idle keep-alive connection stays open for a request on its way. */
    private static final long DRAIN_GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private final LoopContext loop;
    /** The listener that accepted this connection; its settings may change on reload. */
    private final ClientInitializer listener;
    private ChannelHandlerContext ctx;
    private ByteBuf in;
    /** Held from a request's first byte until the connection is idle again. */
    private ParseState state;
    private ProxyRuntime runtime;
    private Exchange exchange;
    private ClientHop trustedHop;
    private ClientHop untrustedHop;
    private String clientAddress;
    private int clientPort;
    private SynData clientSynData = SynData.UNKNOWN;
    private long headStartNanos;
    private long headStartMillis;
    private long lastActivityNanos;
    private Deadline timer;
    private boolean closing;
    private boolean readPaused;
    /** {@link #processRequests} is running (further down the stack). */
    private boolean processing;
    /** An exchange ended on this connection: idle now, it is a keep-alive connection. */
    private boolean served;
    /** The server stops, or this connection's listener was removed: no request after the current one. */
    private boolean draining;
    /** Accepted over its client's max-connections-per-client: its first request gets 429. */
    private boolean overClientLimit;

    ClientConnection(LoopContext loop, ClientInitializer listener) {
        this.loop = loop;
        this.listener = listener;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        loop.clientOpened(ctx.channel());
        InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
        clientAddress = AddressText.of(remote.getAddress());
        clientPort = remote.getPort();
        try {
            int options = TcpInfo.options(((UnixChannel) ctx.channel()).fd().intValue());
            clientSynData = (options & TcpInfo.Option.SYN_DATA.bit) != 0 ? SynData.YES : SynData.NO;
        } catch (NativeException e) {
            log.debug("TCP_INFO of client {}: {}", AddressText.of(remote), e.getMessage());
        }
        lastActivityNanos = System.nanoTime();
        timer = loop.deadlines().create(this::timerFired);
        draining = loop.draining() || listener.retired();
        overClientLimit = AcceptGate.overClientLimit(ctx.channel());
        scheduleTimer(idleLimitNanos());
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf data = (ByteBuf) msg;
        lastActivityNanos = System.nanoTime();
        if (closing) {
            data.release();
            return;
        }
        append(data);
        if (exchange != null) {
            exchange.clientData();
        } else {
            processRequests();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // Only while an exchange runs: without one, what is left unread is an unfinished head,
        // which needs more bytes (the parser's limits bound it).
        if (exchange != null && in != null && in.readableBytes() > PIPELINE_BACKLOG) {
            pauseReading();
        }
        ctx.flush();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (exchange != null) {
            exchange.clientWritabilityChanged(ctx.channel().isWritable());
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closing = true;
        loop.clientClosed(ctx.channel());
        if (exchange != null) {
            exchange.clientClosed();
            exchange = null;
        }
        if (timer != null) {
            timer.clear();
        }
        if (in != null) {
            in.release();
            in = null;
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("client {}: {}", client(), cause.toString());
        ctx.close();
    }

    /**
     * Adds a read to the unread input. The common case (nothing unread) adopts the buffer as
     * is; otherwise the bytes are appended, into a new buffer when exchanges still hold slices
     * of the old one (its bytes must not move).
     */
    private void append(ByteBuf data) {
        if (in == null || !in.isReadable()) {
            if (in != null) {
                in.release();
            }
            in = data;
            return;
        }
        int needed = data.readableBytes();
        if (in.refCnt() == 1 && in.writableBytes() >= needed) {
            in.writeBytes(data);
        } else {
            ByteBuf merged = ctx.alloc().directBuffer(Math.max(in.readableBytes() + needed, 4096));
            merged.writeBytes(in);
            merged.writeBytes(data);
            in.release();
            in = merged;
        }
        data.release();
    }

    ByteBuf input() {
        return in;
    }

    /**
     * Parses and starts the next requests in the input, as long as whole heads are there and
     * each exchange ends at once (404, 413, 503...). Such an exchange ends inside
     * {@code startExchange}, and its {@code exchangeEnded} must not start the next one from
     * there: thousands of pipelined requests would nest as deep and overflow the stack. It
     * only clears {@code exchange}, and this loop goes on.
     */
    private void processRequests() {
        if (processing) {
            return;
        }
        processing = true;
        try {
            startBufferedRequests();
        } finally {
            processing = false;
        }
        if (!closing && exchange == null) {
            releaseWhatIdleNeedsNot();
            resumeReading();
        }
    }

    /**
     * An idle connection keeps neither a read buffer (the next read brings its own) nor parse
     * state (its loop lends one when a request starts; the exchanges that used this one have
     * ended). Keep-alive connections spend most of their life idle, and thousands of them
     * would otherwise each hold both.
     */
    private void releaseWhatIdleNeedsNot() {
        if (in != null && !in.isReadable()) {
            in.release();
            in = null;
        }
        if (in == null && state != null) {
            loop.parseStates().give(state);
            state = null;
        }
    }

    private void startBufferedRequests() {
        while (!closing && exchange == null && in != null && in.isReadable()) {
            if (state == null) {
                runtime = loop.runtime();
                state = loop.parseStates().take(runtime.config().http().limits());
            }
            if (headStartNanos == 0) {
                headStartNanos = System.nanoTime();
                headStartMillis = System.currentTimeMillis();
            }
            ParseResult result = state.requestParser().parse(in, state.request);
            if (result == ParseProgress.NEED_MORE) {
                // a partial head: the header-read timeout, usually shorter than the idle one, applies
                timer.set(headStartNanos + listener().headerReadTimeout().toNanos() - System.nanoTime());
                break;
            }
            if (result instanceof HttpError error) {
                refuse(error);
                return;
            }
            if (overClientLimit) {
                refuseOverClientLimit();
                return;
            }
            startExchange();
        }
    }

    private void startExchange() {
        ProxyRuntime current = loop.runtime();
        if (current != runtime) {
            runtime = current;
            state.use(runtime.config().http().limits());
        }
        RequestHead request = state.request;
        Route route = runtime.router().match(in, request.hostStart(), request.hostNameEnd(),
                request.pathStart(), request.queryStart(), request.method());
        exchange = new Exchange(this, loop, runtime, route, state, headStartNanos, headStartMillis);
        headStartNanos = 0;
        exchange.start();
        if (exchange != null && exchange.waitsForRequestBody()) {
            // whichever comes first: the client's silence or the body's own time running out
            scheduleTimer(Math.min(listener().idleTimeout().toNanos(),
                    exchange.requestBodyDeadline() - System.nanoTime()));
        }
    }

    /** Answers a request whose head could not be parsed, then closes: the stream cannot be framed. */
    private void refuse(HttpError error) {
        log.debug("client {}: {} ({})", client(), error.status(), error.reason());
        ByteBuf out = ctx.alloc().buffer(256);
        ErrorResponse.write(out, error);
        logRefused(error.status(), out.readableBytes(), Termination.CLIENT_PROTOCOL_ERROR);
        ctx.write(out, ctx.voidPromise());
        closeAfterWrites(true);
    }

    /**
     * Answers the first request of a connection over its client's limit with 429 and closes:
     * the client learns why, where a bare close would look like a failure to retry at once.
     */
    private void refuseOverClientLimit() {
        ByteBuf out = ctx.alloc().buffer(256);
        ErrorResponse.write(out, 429, state.request, true);
        logRefused(429, out.readableBytes(), Termination.TOO_MANY_CONNECTIONS);
        ctx.write(out, ctx.voidPromise());
        closeAfterWrites(true);
    }

    /**
     * An access record for a request answered before it became an exchange (its head was
     * refused or never completed): its method, target and version when its request line was
     * read whole and valid before that, else none; never a route.
     */
    private void logRefused(int status, long bytesSent, Termination termination) {
        loop.metrics().exchanges(listener(), null).refused(status, termination);
        long received = in == null ? 0 : in.readableBytes();
        if (!loop.recordsWanted()) {
            loop.counters().add(status, clientSynData, UpstreamConnection.NONE, SynData.UNKNOWN, 0);
            return;
        }
        RequestHead head = state == null || !state.request.requestLineValid() ? null : state.request;
        byte[] target = null;
        if (head != null) {
            target = new byte[head.targetEnd() - head.targetStart()];
            head.buffer().getBytes(head.targetStart(), target);
        }
        long started = headStartNanos != 0 ? headStartNanos : lastActivityNanos;
        long startMillis = headStartMillis != 0 ? headStartMillis : System.currentTimeMillis();
        loop.exchangeEnded(new AccessRecord(startMillis, clientAddress, clientPort, listener().name(),
                head == null ? null : head.methodName(), target, head == null ? null : head.version().text(),
                status, received, bytesSent, null, null, (System.nanoTime() - started) / 1000, -1, -1, null, null,
                null, clientSynData, UpstreamConnection.NONE, SynData.UNKNOWN, 0, termination));
    }

    /**
     * The exchange sent its whole response. With {@code keepOpen} the connection goes on with
     * the next request (already buffered ones first); otherwise it closes once written.
     * {@code requestUnread}: the client may still be sending the request's body.
     */
    void exchangeEnded(boolean keepOpen, boolean requestUnread) {
        exchange = null;
        served = true;
        lastActivityNanos = System.nanoTime();
        if (!keepOpen || closing) {
            closeAfterWrites(requestUnread);
            return;
        }
        if (draining) {
            // The response promised keep-alive (its head went out before the drain), so the
            // client may send its next request right away: it gets the drain's grace and its
            // answer says Connection: close, rather than finding the connection shut.
            scheduleTimer(0);
        }
        processRequests();
    }

    /**
     * The exchange ended so that the connection must go (its response was cut off): the client
     * gets what was relayed so far, then the close.
     */
    void abort(boolean requestUnread) {
        exchange = null;
        closeAfterWrites(requestUnread);
    }

    /**
     * Closes once everything written so far has reached the socket. When the client may still
     * be sending ({@code linger}, or unread bytes are here), the close lingers: the output is
     * shut (FIN) and the client's further bytes are read and dropped until it closes, for up to
     * {@link #LINGER_NANOS}. Closing with unread input would send a reset, which can destroy
     * the response in the client's receive buffer before it was read (RFC 9112 §9.6): a client
     * still sending a body refused with 413 or 400 would see a reset instead of the answer. A
     * client that stops reading cannot hold the connection open: the timer closes it after the
     * idle timeout.
     */
    private void closeAfterWrites(boolean linger) {
        closing = true;
        // before the writes: when they complete at once, their listener has set the linger
        restartTimer(listener().idleTimeout().toNanos());
        if (linger || (in != null && in.isReadable())) {
            resumeReading();
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(this::lingerAfterWrites);
        } else {
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private void lingerAfterWrites(Future<? super Void> written) {
        if (!written.isSuccess() || !(ctx.channel() instanceof DuplexChannel channel) || !channel.isActive()) {
            ctx.close();
            return;
        }
        channel.shutdownOutput().addListener(shut -> {
            if (shut.isSuccess()) {
                restartTimer(LINGER_NANOS);
            } else {
                ctx.close();
            }
        });
    }

    private void restartTimer(long delayNanos) {
        scheduleTimer(delayNanos);
    }

    /**
     * The server stops gracefully, or this connection's listener was removed: it takes no
     * request after the current one. One with an exchange or part of a head closes after that
     * exchange; an idle one closes once idle for {@link #idleLimitNanos}.
     */
    void drain() {
        draining = true;
        if (!closing && exchange == null && headStartNanos == 0 && (in == null || !in.isReadable())) {
            scheduleTimer(0);
        }
    }

    /**
     * How long this connection may stay idle. While draining: a keep-alive connection only as
     * long as a request already on its way may take to arrive (closing at once would reset a
     * request its client sent just then, which a closed-loop client does all the time), a new
     * one as long as it may take to send its first head. A connection over its client's limit
     * stays only as long as its first head may take, for its 429: it holds a descriptor its
     * client should not have.
     */
    private long idleLimitNanos() {
        if (overClientLimit) {
            return listener().headerReadTimeout().toNanos();
        }
        if (!draining) {
            return listener().idleTimeout().toNanos();
        }
        return served ? DRAIN_GRACE_NANOS : listener().headerReadTimeout().toNanos();
    }

    /** The listener's settings changed: the timer looks again at once, with the new timeouts. */
    void settingsChanged() {
        if (timer != null && !closing) {
            scheduleTimer(0);
        }
    }

    /** synedge stops now: an exchange in flight is cut off, and counted so. */
    void shutdown() {
        if (exchange != null) {
            exchange.shutdown();
        }
    }

    /** Whether this connection takes no request after the current one: responses say Connection: close. */
    boolean draining() {
        return draining;
    }

    /** Whether {@code initializer} is the listener that accepted this connection. */
    boolean acceptedBy(ClientInitializer initializer) {
        return listener == initializer;
    }

    boolean exchangeInFlight() {
        return exchange != null;
    }

    ChannelHandlerContext ctx() {
        return ctx;
    }

    ListenerConfig listener() {
        return listener.config();
    }

    String clientAddress() {
        return clientAddress;
    }

    int clientPort() {
        return clientPort;
    }

    /** The client's address and port, for log lines. */
    private String client() {
        return AddressText.of((InetSocketAddress) ctx.channel().remoteAddress());
    }

    SynData clientSynData() {
        return clientSynData;
    }

    /** The client as the forwarded head reports it, trusted or not per the route. */
    ClientHop hop(Route route) {
        InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
        boolean trusted = route.trustedHops().trusts(remote.getAddress());
        if (trusted) {
            if (trustedHop == null) {
                trustedHop = ClientHop.of(remote.getAddress(), false, true);
            }
            return trustedHop;
        }
        if (untrustedHop == null) {
            untrustedHop = ClientHop.of(remote.getAddress(), false, false);
        }
        return untrustedHop;
    }

    void pauseReading() {
        if (!readPaused) {
            readPaused = true;
            ctx.channel().config().setAutoRead(false);
        }
    }

    void resumeReading() {
        if (readPaused) {
            readPaused = false;
            // the client's silence counts from now
            lastActivityNanos = System.nanoTime();
            ctx.channel().config().setAutoRead(true);
        }
    }

    private void scheduleTimer(long delayNanos) {
        timer.set(delayNanos);
    }

    /**
     * The one connection timer: a request head in progress for longer than the header-read
     * timeout gets 408; a connection with nothing going on for the idle timeout is closed.
     * Otherwise it is set again for the nearest deadline.
     */
    private void timerFired() {
        if (closing) {
            ctx.close();
            return;
        }
        long now = System.nanoTime();
        long next;
        if (exchange != null) {
            long idle = listener().idleTimeout().toNanos();
            next = idle;
            // Only while reading: a pause is the upstream not taking the body, not client silence.
            if (!readPaused && exchange.waitsForRequestBody()) {
                long deadline = lastActivityNanos + idle;
                if (now - deadline >= 0) {
                    exchange.requestBodyTimedOut(listener().idleTimeout());
                    return;
                }
                long bodyDeadline = exchange.requestBodyDeadline();
                if (now - bodyDeadline >= 0) {
                    exchange.requestBodyTooSlow();
                    return;
                }
                next = Math.min(deadline - now, bodyDeadline - now);
            }
        } else if (headStartNanos != 0 || (in != null && in.isReadable())) {
            long start = headStartNanos != 0 ? headStartNanos : lastActivityNanos;
            long deadline = start + listener().headerReadTimeout().toNanos();
            if (now - deadline >= 0) {
                log.debug("client {}: request head not complete after {}", client(), listener().headerReadTimeout());
                ByteBuf out = ctx.alloc().buffer(256);
                ErrorResponse.write(out, 408, null, true);
                logRefused(408, out.readableBytes(), Termination.CLIENT_TIMEOUT);
                ctx.write(out, ctx.voidPromise());
                closeAfterWrites(true);
                return;
            }
            next = deadline - now;
        } else {
            long deadline = lastActivityNanos + idleLimitNanos();
            if (now - deadline >= 0) {
                closing = true;
                ctx.close();
                return;
            }
            next = deadline - now;
        }
        scheduleTimer(next);
    }
}
