package dev.synedge.body;

import dev.synedge.net.LinuxSocket;
import dev.synedge.net.NativeException;
import dev.synedge.net.Pipe;
import io.netty.channel.IoEventLoop;

/**
 * One response body on its way from an upstream socket through a pipe into a client socket,
 * no byte of it in user space. Only body data goes this way, and only for bodies passed on
 * unchanged: the caller says how many bytes the body still has and never lets a framing byte
 * into the pipe.
 *
 * <p>The client socket belongs to a Netty channel: the caller must have flushed everything it
 * wrote there and seen the write complete before the first {@link #pump}, and must write
 * nothing through the channel until the splice {@link #close closes}. The client's output
 * readiness comes through a {@link ClientOutputWatch}, registered the first time the client
 * cannot take more; the upstream's through the upstream socket's own registration: the caller
 * pumps on both. The pipe bounds what a slow client makes the proxy hold.
 *
 * <p>Loop-confined.
 */
public final class Splice implements AutoCloseable {

    /** Where a {@link #pump} stopped. */
    public enum Result {
        /** Both sides would block: pump again on the next upstream input or client output edge. */
        BLOCKED,
        /**
         * A turn's worth ({@link BodyPolicy#TURN_BYTES}) moved and more may be ready: a task on
         * the loop calls back to pump again after the loop's other work, since no edge will.
         */
        YIELDED,
        /** The body's last byte reached the client socket. */
        DONE,
        /** The upstream closed before the body's end; everything it did send reached the client socket. */
        UPSTREAM_EOF,
        /** The client socket failed (closed, reset); see {@link #clientFailure()}. */
        CLIENT_FAILED
    }

    private final SplicePipes pipes;
    private final Pipe pipe;
    private final IoEventLoop loop;
    private final int clientFd;
    private final BodyCounters counters;
    private final Runnable pumpAgain;
    private ClientOutputWatch watch;
    private boolean clientBlocked;
    /** The upstream closed before the body's end; what the pipe holds still goes to the client. */
    private boolean upstreamEnded;
    private NativeException clientFailure;
    private long filled;
    private long drained;
    private boolean closed;

    private Splice(SplicePipes pipes, Pipe pipe, IoEventLoop loop, int clientFd, BodyCounters counters,
                   Runnable pumpAgain) {
        this.pipes = pipes;
        this.pipe = pipe;
        this.loop = loop;
        this.clientFd = clientFd;
        this.counters = counters;
        this.pumpAgain = pumpAgain;
    }

    /**
     * Takes a pipe for a splice into {@code clientFd}; {@code pumpAgain} runs on the loop
     * when a client that could take no more can take bytes again, and after a pump that
     * {@link Result#YIELDED yielded}. It must do nothing once the splice is closed.
     */
    public static Splice start(SplicePipes pipes, IoEventLoop loop, int clientFd, BodyCounters counters,
                               Runnable pumpAgain) throws NativeException {
        return new Splice(pipes, pipes.take(), loop, clientFd, counters, pumpAgain);
    }

    /**
     * Moves bytes until both sides would block, the body is through or something ended: from
     * the pipe into the client, and at most {@code remaining} body bytes from {@code upstreamFd}
     * into the pipe. {@link #filled()} and {@link #drained()} then tell what this call moved.
     *
     * @throws NativeException the upstream socket failed (reset)
     */
    public Result pump(int upstreamFd, long remaining) throws NativeException {
        filled = 0;
        drained = 0;
        long left = remaining;
        for (;;) {
            if (drained >= BodyPolicy.TURN_BYTES) {
                loop.execute(pumpAgain);
                return Result.YIELDED;
            }
            boolean progress = false;
            if (pipe.buffered() > 0 && !clientBlocked) {
                Result failed = drain();
                if (failed != null) {
                    return failed;
                }
                progress = !clientBlocked;
            }
            if (left > 0 && !upstreamEnded) {
                long n = pipe.fillFrom(upstreamFd, left);
                if (n == LinuxSocket.EOF) {
                    upstreamEnded = true;
                    progress = true;
                } else if (n > 0) {
                    left -= n;
                    filled += n;
                    counters.spliced(n);
                    counters.pipeHeld(n);
                    progress = true;
                }
            }
            if (pipe.buffered() == 0 && (left == 0 || upstreamEnded)) {
                return left == 0 ? Result.DONE : Result.UPSTREAM_EOF;
            }
            if (!progress) {
                return Result.BLOCKED;
            }
        }
    }

    private Result drain() {
        long n;
        try {
            n = pipe.drainTo(clientFd, pipe.buffered());
        } catch (NativeException e) {
            clientFailure = e;
            return Result.CLIENT_FAILED;
        }
        if (n == LinuxSocket.WOULD_BLOCK) {
            clientBlocked = true;
            if (watch == null) {
                try {
                    watch = ClientOutputWatch.open(loop, clientFd, this::clientWritable);
                } catch (NativeException e) {
                    clientFailure = e;
                    return Result.CLIENT_FAILED;
                }
            }
            return null;
        }
        drained += n;
        counters.pipeHeld(-n);
        return null;
    }

    private void clientWritable() {
        if (closed || !clientBlocked) {
            return;
        }
        clientBlocked = false;
        pumpAgain.run();
    }

    /** Body bytes the last {@link #pump} took from the upstream socket. */
    public long filled() {
        return filled;
    }

    /** Bytes the last {@link #pump} gave to the client socket. */
    public long drained() {
        return drained;
    }

    /** The client socket could not take more at the end of the last pump. */
    public boolean clientBlocked() {
        return clientBlocked;
    }

    public NativeException clientFailure() {
        return clientFailure;
    }

    /** Stops watching the client; the pipe goes back to the pool if empty, else is closed with its bytes. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (watch != null) {
            watch.close();
        }
        counters.pipeHeld(-pipe.buffered());
        pipes.give(pipe);
    }
}
