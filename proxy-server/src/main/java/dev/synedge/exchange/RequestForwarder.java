package dev.synedge.exchange;

import dev.synedge.http.BodyDecoder;
import dev.synedge.http.BodyKind;
import dev.synedge.http.HttpError;
import dev.synedge.http.ParseProgress;
import dev.synedge.http.ParseResult;
import dev.synedge.http.RequestHead;
import dev.synedge.net.IoVector;
import dev.synedge.net.LinuxSocket;
import dev.synedge.net.NativeException;
import dev.synedge.upstream.UpstreamSocket;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The request's way up: the forwarded head, then the body as the client sends it (re-framed
 * by the body decoder where it must be), queued until the upstream socket takes it, within
 * {@code http.max-request-body}; and the copy of it all that a retry needs.
 *
 * <p>ByteBuf ownership: {@link #queue} holds the head, framing written here and retained
 * slices of the client input, each released once written upstream; {@link #replay} holds
 * retained duplicates of everything first queued, until the final response head, and each
 * retry queues duplicates of them ({@link #replay()}). {@link #release} frees both.
 */
final class RequestForwarder {

    /** A request body larger than this is not kept for a retry. */
    private static final int MAX_REPLAY_BODY = 64 * 1024;

    private final Exchange exchange;
    private final ClientConnection client;
    private final ByteBufAllocator alloc;
    private final IoVector iov;
    private final RequestHead request;
    private final BodyDecoder body;
    /** http.max-request-body, 0 for none. */
    private final long maxBody;
    private final ArrayDeque<ByteBuf> queue = new ArrayDeque<>();
    private List<ByteBuf> replay;
    private int headBytes;
    /** Every request byte was taken from the client. */
    private boolean complete;
    /** ... and written upstream. */
    private boolean sent;
    private long sentNanos;
    private long bodyData;
    private long bytesFromClient;
    /** Bytes written upstream, and their count when the timer last looked. */
    private long written;
    private long writtenAtLook;

    RequestForwarder(Exchange exchange, ClientConnection client, LoopContext loop, RequestHead request,
                     BodyDecoder body, long maxBody) {
        this.exchange = exchange;
        this.client = client;
        this.alloc = client.ctx().alloc();
        this.iov = loop.iov();
        this.request = request;
        this.body = body;
        this.maxBody = maxBody;
        this.bytesFromClient = request.length();
    }

    /** Skips the head in the client input without forwarding it: the request gets synedge's own answer. */
    void skipHead() {
        client.input().skipBytes(request.length());
        body.reset(request);
        complete = request.bodyKind() == BodyKind.NONE;
    }

    /**
     * Queues the forwarded {@code head} (this forwarder owns it now) in place of the one in the
     * client input, and takes what body bytes are there.
     */
    void forwardHead(ByteBuf head) {
        client.input().skipBytes(request.length());
        headBytes = head.readableBytes();
        queue.add(head);
        body.reset(request);
        takeBody();
    }

    /**
     * Moves body bytes from the client input to the queue, as far as they go. A body over the
     * limit, or one that cannot be framed, ends the exchange through the exchange.
     */
    void takeBody() {
        ByteBuf in = client.input();
        while (!body.isComplete() && in != null && in.isReadable()) {
            long remaining = body.dataRemaining();
            if (remaining > 0) {
                int n = (int) Math.min(remaining, in.readableBytes());
                bodyData += n;
                if (maxBody > 0 && bodyData > maxBody) {
                    exchange.requestTooLarge(maxBody);
                    return;
                }
                queue.add(in.readRetainedSlice(n));
                body.dataConsumed(n);
                bytesFromClient += n;
                continue;
            }
            ByteBuf framing = alloc.directBuffer(64);
            int before = in.readerIndex();
            ParseResult result = body.readFraming(in, framing);
            bytesFromClient += in.readerIndex() - before;
            if (framing.isReadable()) {
                queue.add(framing);
            } else {
                framing.release();
            }
            if (result instanceof HttpError error) {
                exchange.requestBroken(error);
                return;
            }
            if (result == ParseProgress.NEED_MORE) {
                break;
            }
        }
        complete = body.isComplete();
    }

    /** In a tunnel: everything the client sent goes up as it is. */
    void takeTunnelBytes() {
        ByteBuf in = client.input();
        if (in.isReadable()) {
            bytesFromClient += in.readableBytes();
            queue.add(in.readRetainedSlice(in.readableBytes()));
        }
    }

    /**
     * Keeps a copy of the whole request for a retry, when all of it is here and its body is
     * small enough; whether it may be retried at all is the caller's call.
     */
    void keepForReplay() {
        if (complete && queuedBytes() <= MAX_REPLAY_BODY + headBytes) {
            replay = new ArrayList<>(queue.size());
            for (ByteBuf buf : queue) {
                replay.add(buf.retainedDuplicate());
            }
        }
    }

    /** Whether the whole request is still held for a retry. */
    boolean replayable() {
        return replay != null;
    }

    /** Queues the request again from its copy, dropping what was left of the try before; the copy stays for another. */
    void replay() {
        releaseQueue();
        for (ByteBuf buf : replay) {
            queue.add(buf.retainedDuplicate());
        }
    }

    /** The final response head came: the request will not be sent again. */
    void dropReplay() {
        if (replay != null) {
            replay.forEach(ByteBuf::release);
            replay = null;
        }
    }

    private long queuedBytes() {
        long total = 0;
        for (ByteBuf buf : queue) {
            total += buf.readableBytes();
        }
        return total;
    }

    /**
     * Writes what is queued to {@code upstream}, gathered. While the upstream takes no more,
     * the client is paused (the rest goes on the upstream's next writability); once all is
     * written, a client that still has body bytes (or tunnel bytes) to send goes on. Returns
     * true once: when this write completed the request.
     */
    boolean flush(UpstreamSocket upstream, boolean tunnel) throws NativeException {
        if (!write(upstream)) {
            client.pauseReading();
            return false;
        }
        boolean sentNow = complete && !sent;
        if (sentNow) {
            sent = true;
            sentNanos = System.nanoTime();
        }
        if (!complete || tunnel) {
            client.resumeReading();
        }
        return sentNow;
    }

    private boolean write(UpstreamSocket upstream) throws NativeException {
        while (!queue.isEmpty()) {
            iov.clear();
            for (ByteBuf buf : queue) {
                if (!buf.isReadable()) {
                    continue;
                }
                if (!iov.add(UpstreamSocket.address(buf) + buf.readerIndex(), buf.readableBytes())) {
                    break;
                }
            }
            long n = iov.count() == 0 ? 0 : upstream.writev(iov);
            if (n == LinuxSocket.WOULD_BLOCK) {
                return false;
            }
            written += n;
            consume(n);
        }
        return true;
    }

    private void consume(long n) {
        while (!queue.isEmpty()) {
            ByteBuf first = queue.peekFirst();
            int readable = first.readableBytes();
            if (n < readable) {
                first.skipBytes((int) n);
                return;
            }
            n -= readable;
            queue.pollFirst().release();
        }
    }

    /** Every request byte was taken from the client. */
    boolean complete() {
        return complete;
    }

    /** Every request byte was written upstream. */
    boolean sent() {
        return sent;
    }

    /** When the request was all written upstream (nanoTime), 0 before. */
    long sentNanos() {
        return sentNanos;
    }

    /** Request bytes are queued for the upstream. */
    boolean waiting() {
        return !queue.isEmpty();
    }

    /** Whether the upstream took request bytes since {@link #lookNow}. */
    boolean progressed() {
        return written != writtenAtLook;
    }

    /** The timer counts the body's progress from here. */
    void lookNow() {
        writtenAtLook = written;
    }

    /** Body data taken from the client so far (without chunk framing). */
    long bodyData() {
        return bodyData;
    }

    /** Whether more than {@code bytes} of body data are held, waiting to go up. */
    boolean holdsMoreThan(long bytes) {
        return bodyData > bytes;
    }

    long bytesFromClient() {
        return bytesFromClient;
    }

    /** Frees what is queued, keeping the copy for a retry. */
    void releaseQueue() {
        ByteBuf buf;
        while ((buf = queue.pollFirst()) != null) {
            buf.release();
        }
    }

    /** Frees everything this forwarder holds. */
    void release() {
        releaseQueue();
        dropReplay();
    }
}
