package dev.synedge.upstream;

import dev.synedge.config.PoolConfig;
import dev.synedge.net.LinuxSocket;
import dev.synedge.net.NativeException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;

/**
 * Idle upstream connections to one endpoint, for one event loop (pools are never shared
 * between loops). Newest first out, so a few connections stay warm and the rest age out at
 * the front, where the idle timeout closes them. While idle the pool owns a connection: if
 * the endpoint closes it or sends anything, it is closed and forgotten.
 */
public final class UpstreamPool implements UpstreamSocket.Owner {

    private final EventLoop loop;
    private final PoolConfig config;
    private final int maxConnections;
    private final ArrayDeque<Idle> idle = new ArrayDeque<>();
    private int open;
    private ScheduledFuture<?> sweep;
    /** The configuration this pool belongs to was replaced: connections coming back are closed. */
    private boolean retired;

    private record Idle(UpstreamSocket socket, long sinceNanos) {}

    public UpstreamPool(EventLoop loop, PoolConfig config, int maxConnections) {
        this.loop = loop;
        this.config = config;
        this.maxConnections = maxConnections;
    }

    /** The most recently used idle connection, or null. It now belongs to the caller. */
    public UpstreamSocket take() {
        Idle last = idle.pollLast();
        return last == null ? null : last.socket;
    }

    /** Whether a new connection may be opened under the endpoint's connection limit. */
    public boolean mayOpen() {
        return maxConnections == 0 || open < maxConnections;
    }

    /** Counts a connection opened by the caller; it must come back through {@link #release} or {@link #closed}. */
    public void opened() {
        open++;
    }

    /** A connection this pool counted was closed by its user. */
    public void closed(UpstreamSocket socket) {
        open--;
    }

    public int openConnections() {
        return open;
    }

    public int idleConnections() {
        return idle.size();
    }

    /**
     * Takes back a connection whose exchange completed cleanly. It stays idle if the pool has
     * room and the connection has exchanges left; otherwise it is closed.
     */
    public void release(UpstreamSocket socket) {
        boolean spent = config.maxRequests() > 0 && socket.exchanges() >= config.maxRequests();
        if (retired || !socket.isOpen() || spent || idle.size() >= config.maxIdle()) {
            socket.close();
            open--;
            return;
        }
        socket.handOver(this);
        idle.addLast(new Idle(socket, System.nanoTime()));
        if (sweep == null) {
            scheduleSweep(config.idleTimeout().toNanos());
        }
    }

    private void scheduleSweep(long delayNanos) {
        sweep = loop.schedule(this::closeExpired, delayNanos, TimeUnit.NANOSECONDS);
    }

    private void closeExpired() {
        sweep = null;
        long timeout = config.idleTimeout().toNanos();
        long now = System.nanoTime();
        Idle oldest;
        while ((oldest = idle.peekFirst()) != null && now - oldest.sinceNanos >= timeout) {
            idle.pollFirst();
            oldest.socket.close();
            open--;
        }
        if (oldest != null) {
            scheduleSweep(oldest.sinceNanos + timeout - now);
        }
    }

    /**
     * The configuration was replaced: closes the idle connections now and each busy one when
     * its exchange gives it back, instead of keeping it in a pool nobody takes from.
     */
    public void retire() {
        retired = true;
        closeIdle();
    }

    /** Closes every idle connection (shutdown). */
    public void closeIdle() {
        for (Idle entry : idle) {
            entry.socket.close();
            open--;
        }
        idle.clear();
        if (sweep != null) {
            sweep.cancel(false);
            sweep = null;
        }
    }

    private void forget(UpstreamSocket socket) {
        for (Iterator<Idle> it = idle.iterator(); it.hasNext(); ) {
            if (it.next().socket == socket) {
                it.remove();
                open--;
                return;
            }
        }
    }

    @Override
    public void upstreamConnected(UpstreamSocket socket) {
        // Idle connections are established; nothing to do.
    }

    /** Data or EOF on an idle connection: the endpoint closed it, or broke the protocol. */
    @Override
    public void upstreamReadable(UpstreamSocket socket) {
        ByteBuf probe = ByteBufAllocator.DEFAULT.directBuffer(64);
        try {
            int n = socket.read(probe);
            if (n == LinuxSocket.WOULD_BLOCK) {
                return;
            }
        } catch (NativeException e) {
            // Reset while idle: same outcome as a close.
        } finally {
            probe.release();
        }
        forget(socket);
        socket.abort();
    }

    @Override
    public void upstreamWritable(UpstreamSocket socket) {
        // Edge-triggered output readiness of an idle connection: nothing to write.
    }

    @Override
    public void upstreamFailed(UpstreamSocket socket, NativeException cause) {
        forget(socket);
    }
}
