package dev.synedge.origin;

import dev.synedge.http.BodyKind;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import java.util.Arrays;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Sends one {@link Response} on its connection's event loop: optional delay, the head (in
 * pieces when slow), then the body as slices of its content, framed by length, chunks or the
 * close, paced when slow, cut short by a mid-body fault. Writes only while the channel is
 * writable and resumes on writability, so a body of any size holds no more than one slice of
 * memory beyond the kernel's socket buffer.
 *
 * <p>Counts what it hands to the kernel: body bytes and the response are counted when their
 * write is issued, before the client can see them (so a client that has read a response finds
 * it counted), and taken back if the write fails.
 */
final class ResponseWriter {

    /** The connection handler, told when the response no longer needs the connection's input. */
    interface Owner {
        /**
         * Every write of the response is issued and flushed; {@code last} completes when the
         * last byte is with the kernel. The owner closes the connection if {@code closeAfter}.
         */
        void responseIssued(ChannelFuture last, boolean closeAfter);

        /** A fault ended the response; the writer closes or resets the connection itself. */
        void responseAborted();
    }

    private final ChannelHandlerContext ctx;
    private final Response r;
    private final OriginRuntime runtime;
    private final Owner owner;

    private long pos;
    private long end;
    private long stop;
    private long pieceEnd;
    private long chunkLeft;
    private boolean chunkDataSent;
    private ChannelFuture last;
    private ByteBuf slowHead;
    private int[] headCuts;
    private int headPiece;
    private ScheduledFuture<?> timer;
    private boolean pumping;
    private boolean waitingWritable;
    private boolean finished;
    private boolean contentReleased;

    ResponseWriter(ChannelHandlerContext ctx, Response r, OriginRuntime runtime, Owner owner) {
        this.ctx = ctx;
        this.r = r;
        this.runtime = runtime;
        this.owner = owner;
    }

    void start() {
        if (r.delayMs > 0) {
            timer = ctx.executor().schedule(this::afterDelay, r.delayMs, TimeUnit.MILLISECONDS);
        } else {
            afterDelay();
        }
    }

    /** The channel is writable again. */
    void onWritable() {
        if (waitingWritable) {
            waitingWritable = false;
            if (!pumping) {
                pump();
            }
        }
    }

    /** The connection went away: stop, cancel timers, release what is still held. */
    void abort() {
        finished = true;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        if (slowHead != null) {
            slowHead.release();
            slowHead = null;
        }
        releaseContent();
    }

    private void afterDelay() {
        timer = null;
        if (finished) {
            return;
        }
        if (r.fault != null && !r.fault.midBody) {
            faultBeforeResponse();
            return;
        }
        ByteBuf head = HeadEncoder.encode(ctx.alloc(), r);
        if (r.slowHeadMs > 0) {
            slowHead = head;
            headCuts = cuts(head);
            headPiece = 0;
            writeHeadPiece();
            return;
        }
        last = ctx.write(head);
        startBody();
    }

    /**
     * Where a slow head is cut: inside "HTTP/", between the status line's CR and LF, in the
     * middle of the fields, before the final CRLF and between its CR and LF; the places where
     * a parser that assumes whole lines goes wrong.
     */
    private static int[] cuts(ByteBuf head) {
        int length = head.readableBytes();
        int statusLf = head.indexOf(head.readerIndex(), head.writerIndex(), (byte) '\n') - head.readerIndex();
        return Arrays.stream(new int[] {5, statusLf, (statusLf + 1 + length) / 2, length - 2, length - 1})
                .filter(c -> c > 0 && c < length)
                .sorted()
                .distinct()
                .toArray();
    }

    private void writeHeadPiece() {
        timer = null;
        if (finished) {
            return;
        }
        int from = headPiece == 0 ? 0 : headCuts[headPiece - 1];
        int to = headPiece < headCuts.length ? headCuts[headPiece] : slowHead.readableBytes();
        last = ctx.writeAndFlush(slowHead.retainedSlice(slowHead.readerIndex() + from, to - from));
        headPiece++;
        if (headPiece <= headCuts.length) {
            timer = ctx.executor().schedule(this::writeHeadPiece, r.slowHeadMs, TimeUnit.MILLISECONDS);
        } else {
            slowHead.release();
            slowHead = null;
            startBody();
        }
    }

    private void startBody() {
        pos = 0;
        end = r.sendBody ? r.bodyLength() : 0;
        stop = r.fault != null ? end / 2 : end;
        pieceEnd = 0;
        pump();
    }

    private void resumeAfterPause() {
        timer = null;
        pump();
    }

    private void pump() {
        if (finished) {
            return;
        }
        pumping = true;
        try {
            while (pos < stop) {
                if (r.slowBodyMs > 0 && pos == pieceEnd) {
                    pieceEnd = pos + r.pieceSize;
                    ctx.flush();
                    timer = ctx.executor().schedule(this::resumeAfterPause, r.slowBodyMs, TimeUnit.MILLISECONDS);
                    return;
                }
                if (!ctx.channel().isWritable()) {
                    waitingWritable = true;
                    ctx.flush();
                    if (waitingWritable || finished) {
                        return;
                    }
                    continue;
                }
                writeSlice();
            }
        } finally {
            pumping = false;
        }
        if (r.fault != null) {
            faultMidBody();
        } else {
            finish();
        }
    }

    private void writeSlice() {
        long max = Math.min(stop - pos, BodyPattern.BLOCK_LENGTH);
        if (r.slowBodyMs > 0) {
            max = Math.min(max, pieceEnd - pos);
        }
        if (r.framing == BodyKind.CHUNKED) {
            if (chunkLeft == 0) {
                chunkLeft = Math.min(r.chunkSize, end - pos);
                ctx.write(HeadEncoder.chunkHeader(ctx.alloc(), chunkLeft, chunkDataSent));
                chunkDataSent = true;
            }
            max = Math.min(max, chunkLeft);
        }
        ByteBuf slice = r.content.slice(pos, (int) max);
        int n = slice.readableBytes();
        last = ctx.write(slice);
        if (r.counted) {
            Counters counters = runtime.counters;
            counters.responseBodyBytes.add(n);
            last.addListener(f -> {
                if (!f.isSuccess()) {
                    counters.responseBodyBytes.add(-n);
                }
            });
        }
        pos += n;
        if (r.framing == BodyKind.CHUNKED) {
            chunkLeft -= n;
        }
    }

    private void finish() {
        finished = true;
        if (r.framing == BodyKind.CHUNKED && r.sendBody) {
            last = ctx.write(HeadEncoder.lastChunk(ctx.alloc(), r, chunkDataSent));
        }
        releaseContent();
        if (r.counted) {
            runtime.counters.responses.increment();
            last.addListener(runtime.uncountFailedResponse);
        }
        ctx.flush();
        owner.responseIssued(last, r.closeAfter);
    }

    private void faultMidBody() {
        finished = true;
        releaseContent();
        runtime.counters.faults.increment();
        ctx.flush();
        owner.responseAborted();
        Channel channel = ctx.channel();
        boolean reset = r.fault.resets();
        last.addListener(f -> terminate(channel, reset));
    }

    private void faultBeforeResponse() {
        finished = true;
        releaseContent();
        runtime.counters.faults.increment();
        owner.responseAborted();
        terminate(ctx.channel(), r.fault.resets());
    }

    /** Closes with a FIN, or with an RST when {@code reset} (SO_LINGER 0 makes close() abort). */
    private static void terminate(Channel channel, boolean reset) {
        if (reset && channel.isOpen()) {
            channel.config().setOption(ChannelOption.SO_LINGER, 0);
        }
        channel.close();
    }

    private void releaseContent() {
        if (!contentReleased) {
            contentReleased = true;
            if (r.content != null) {
                r.content.release();
            }
        }
    }
}
