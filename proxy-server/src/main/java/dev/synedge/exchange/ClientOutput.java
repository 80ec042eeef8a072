package dev.synedge.exchange;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;

/**
 * The client's side of one exchange's response: writes to the client channel, the response
 * head held back until body bytes follow it ({@link ResponseRelay} says why), the bytes
 * written, and whether the client takes more.
 *
 * <p>ByteBuf ownership: a buffer given to {@link #write} or {@link #hold} is this object's;
 * written, it goes to the client channel, which releases it. A held head that is never
 * written is released by {@link #dropHeld}.
 */
final class ClientOutput {

    private final ChannelHandlerContext ctx;
    private ByteBuf heldHead;
    private boolean writable = true;
    /** When the client stopped taking bytes; valid while it does not take them. */
    private long blockedSince;
    private long bytes;

    ClientOutput(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /** Writes {@code buf} after the held head, if any; flushing is the caller's. */
    void write(ByteBuf buf) {
        writeHeld();
        send(buf);
    }

    /** Holds {@code head} back until the next write, {@link #writeHeld} or {@link #dropHeld}. */
    void hold(ByteBuf head) {
        heldHead = head;
    }

    void writeHeld() {
        if (heldHead != null) {
            ByteBuf head = heldHead;
            heldHead = null;
            send(head);
        }
    }

    /** The held head will never go out: nothing of the response reached the client. */
    void dropHeld() {
        if (heldHead != null) {
            heldHead.release();
            heldHead = null;
        }
    }

    boolean holdsHead() {
        return heldHead != null;
    }

    private void send(ByteBuf buf) {
        bytes += buf.readableBytes();
        ctx.write(buf, ctx.voidPromise());
        if (writable && !ctx.channel().isWritable()) {
            blocked();
        }
    }

    private void blocked() {
        writable = false;
        blockedSince = System.nanoTime();
    }

    /** The channel's writability changed. */
    void writabilityChanged(boolean nowWritable) {
        if (nowWritable) {
            writable = true;
        } else if (writable) {
            blocked();
        }
    }

    /**
     * A fast path waits for the client to take what it was given (a full zero-copy window):
     * the client counts as blocked from now, unless it already was.
     */
    void waitedFor() {
        if (writable) {
            blockedSince = System.nanoTime();
        }
    }

    /** A splice wrote {@code count} bytes into the client socket, which then took more ({@code blocked} false) or not. */
    void spliced(long count, boolean blocked) {
        bytes += count;
        if (!blocked) {
            writable = true;
        } else if (writable) {
            blocked();
        }
    }

    boolean writable() {
        return writable;
    }

    long blockedSince() {
        return blockedSince;
    }

    /** Bytes written to the client, head and body. */
    long bytes() {
        return bytes;
    }
}
