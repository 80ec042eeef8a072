package dev.synedge.exchange;

import dev.synedge.body.BodyCounters;
import dev.synedge.body.Splice;
import dev.synedge.http.BodyDecoder;
import dev.synedge.net.LinuxSocket;
import dev.synedge.net.NativeException;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.unix.UnixChannel;
import io.netty.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rest of a body spliced from the upstream socket through a pipe into the client socket.
 * The client socket is Netty's: the head (and any body bytes read with it) goes through the
 * channel first, and the splice starts once that write has completed, so that bytes reach the
 * client in order. From then on the splice reads the upstream itself until the body's end.
 */
final class SplicePump implements BodyPump {

    private static final Logger log = LoggerFactory.getLogger(SplicePump.class);

    private final Exchange exchange;
    private final ResponseRelay relay;
    private final ClientOutput output;
    private final LoopContext loop;
    private final ChannelHandlerContext ctx;
    private final BodyDecoder body;
    private final BodyCounters counters;
    private Splice splice;
    /** The head is being flushed; the splice starts when that write completes. */
    private boolean starting;

    SplicePump(Exchange exchange, ResponseRelay relay, ClientOutput output, LoopContext loop,
               ChannelHandlerContext ctx, BodyDecoder body, BodyCounters counters) {
        this.exchange = exchange;
        this.relay = relay;
        this.output = output;
        this.loop = loop;
        this.ctx = ctx;
        this.body = body;
        this.counters = counters;
    }

    @Override
    public boolean pump() {
        if (splice != null) {
            pumpSplice();
        } else if (!starting) {
            starting = true;
            output.writeHeld();
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(this::clientFlushed);
        }
        return false;
    }

    private void clientFlushed(Future<? super Void> flushed) {
        if (exchange.done() || !starting) {
            return;
        }
        starting = false;
        if (!flushed.isSuccess()) {
            // the client connection is closing: its channelInactive ends the exchange
            return;
        }
        try {
            splice = Splice.start(loop.pipes(), loop.loop(), ((UnixChannel) ctx.channel()).fd().intValue(),
                    counters, this::pumpAgain);
        } catch (NativeException e) {
            log.warn("{}: no pipe for splice ({}); copying the body", exchange, e.getMessage());
            relay.copyInstead();
            return;
        }
        pumpSplice();
    }

    private void pumpAgain() {
        if (!exchange.done() && splice != null) {
            pumpSplice();
        }
    }

    private void pumpSplice() {
        Splice.Result result;
        try {
            result = splice.pump(exchange.upstream().fdValue(), body.dataRemaining());
        } catch (NativeException e) {
            body.dataConsumed(splice.filled());
            exchange.upstreamIoFailed(e);
            return;
        }
        if (splice.filled() > 0) {
            body.dataConsumed(splice.filled());
            relay.upstreamActive();
        }
        output.spliced(splice.drained(), splice.clientBlocked());
        switch (result) {
            case BLOCKED, YIELDED -> { }
            case DONE -> {
                close();
                relay.upstreamSpent(upstreamSpent());
                exchange.responseComplete();
            }
            case UPSTREAM_EOF -> exchange.upstreamClosedMidResponse();
            case CLIENT_FAILED -> exchange.clientFailedMidResponse(splice.clientFailure());
        }
    }

    /**
     * A splice takes exactly the body, so it cannot see what follows it: one read tells
     * whether the upstream sent more than its response, or closed, before its connection goes
     * back to the pool.
     */
    private boolean upstreamSpent() {
        try {
            relay.ensureInput();
            return exchange.upstream().read(relay.input()) == LinuxSocket.EOF;
        } catch (NativeException e) {
            return true;
        }
    }

    @Override
    public boolean drivesInput() {
        return splice != null || starting;
    }

    @Override
    public boolean waiting() {
        return false;
    }

    @Override
    public void close() {
        starting = false;
        if (splice != null) {
            splice.close();
            splice = null;
        }
    }
}
