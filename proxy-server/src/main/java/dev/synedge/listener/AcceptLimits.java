package dev.synedge.listener;

import dev.synedge.config.ListenerConfig;
import dev.synedge.net.Errno;
import io.netty.channel.unix.Errors;
import io.netty.util.concurrent.EventExecutor;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When listeners accept: the client connections open over all of them against
 * {@code max-connections}, and each listener's {@link AcceptGate}. A listener reads its
 * listening sockets (accepts) only while neither it nor the whole is at its limit, no
 * connection it accepted waits held for a slot, and no back-off after a failed accept runs.
 * Otherwise its sockets are not read, so new clients wait in the kernel's accept queue as they
 * would for a busy server, and the event loops do nothing for them: epoll reports a listening
 * socket only while it is read.
 *
 * <p>Counts change on any loop, with atomics; whether a listener reads changes only when a
 * count crosses a limit, under one lock, so that two loops crossing at once cannot leave a
 * listener paused with room or reading when full. The counters are for metrics.
 */
public final class AcceptLimits {

    private static final Logger log = LoggerFactory.getLogger(AcceptLimits.class);
    /**
     * How long accepting pauses after accept(2) failed. Long enough that a process out of
     * descriptors does not retry thousands of times a second, short enough that clients barely
     * notice once descriptors are free again (HAProxy waits as long).
     */
    static final long BACKOFF_MILLIS = 100;
    /**
     * The accept(2) failures that say the process (or host) is out of descriptors or memory, by
     * name. Named now: once descriptors have run out, loading a class can fail for want of one.
     */
    private static final Map<Integer, String> OUT_OF_RESOURCES = Map.of(
            Errno.EMFILE, Errno.name(Errno.EMFILE), Errno.ENFILE, Errno.name(Errno.ENFILE),
            Errno.ENOBUFS, Errno.name(Errno.ENOBUFS), Errno.ENOMEM, Errno.name(Errno.ENOMEM));

    private final AtomicInteger open = new AtomicInteger();
    private volatile int max;
    private final Set<AcceptGate> gates = new CopyOnWriteArraySet<>();
    /** Connections held by all gates, so that a release looks for them only when there are some. */
    private final AtomicInteger held = new AtomicInteger();
    private final LongAdder pauses = new LongAdder();
    private final LongAdder resourcePauses = new LongAdder();
    private final LogThrottle fullLog = new LogThrottle();
    private final LogThrottle failureLog = new LogThrottle();

    /** Guards what follows and every gate's accepting state. */
    final Object lock = new Object();
    private boolean full;
    private boolean backingOff;
    private long backoffs;

    /** {@code max}: client connections over all listeners; 0 = no limit. */
    public AcceptLimits(int max) {
        this.max = max;
    }

    /**
     * The gate for a listener with {@code config}; its listening sockets get it as their handler.
     * It counts among the listeners from its first socket to its last.
     */
    public AcceptGate gate(ListenerConfig config) {
        return new AcceptGate(this, config);
    }

    /** A new cap over all listeners (a reload); a paused listener resumes at once when it leaves room. */
    public void setMax(int max) {
        this.max = max;
        update();
        admitHeld();
    }

    public int max() {
        return max;
    }

    /** Client connections open over all listeners. */
    public int open() {
        return open.get();
    }

    /** Times every listener stopped accepting because max-connections was reached. */
    public long pauses() {
        return pauses.sum();
    }

    /** Times accepting paused because accept(2) found no descriptor or memory (EMFILE, ENFILE, ENOBUFS, ENOMEM). */
    public long resourcePauses() {
        return resourcePauses.sum();
    }

    void added(AcceptGate gate) {
        gates.add(gate);
    }

    void removed(AcceptGate gate) {
        gates.remove(gate);
    }

    /** Takes a slot for a connection of {@code gate}: false when it or the whole is at its limit. */
    boolean tryAcquire(AcceptGate gate) {
        if (!gate.tryAcquire()) {
            return false;
        }
        if (!acquire(open, max)) {
            gate.release();
            return false;
        }
        if (gate.atLimit() || atLimit()) {
            update();
        }
        return true;
    }

    static boolean acquire(AtomicInteger count, int max) {
        for (;;) {
            int n = count.get();
            if (max > 0 && n >= max) {
                return false;
            }
            if (count.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** A connection of {@code gate} closed: its slot goes to a held connection, or accepting resumes. */
    void released(AcceptGate gate) {
        boolean gateWasFull = gate.release();
        int limit = max;
        boolean wasFull = limit > 0 && open.getAndDecrement() >= limit;
        if (held.get() > 0) {
            admitHeld();
        }
        if (gateWasFull || wasFull) {
            update();
        }
    }

    private boolean atLimit() {
        int limit = max;
        return limit > 0 && open.get() >= limit;
    }

    void heldAdded() {
        held.incrementAndGet();
    }

    void heldRemoved() {
        held.decrementAndGet();
    }

    /** Gives free slots to held connections, oldest first, each on its own loop. */
    void admitHeld() {
        synchronized (lock) {
            for (AcceptGate gate : gates) {
                AcceptGate.Held next;
                while ((next = gate.held.pollFirst()) != null) {
                    if (!tryAcquire(gate)) {
                        gate.held.offerFirst(next);
                        break;
                    }
                    held.decrementAndGet();
                    gate.dispatch(next);
                }
            }
        }
        update();
    }

    /** Sets every listener's accepting state from the counts as they are now. */
    void update() {
        synchronized (lock) {
            boolean nowFull = atLimit();
            if (nowFull && !full) {
                pauses.increment();
                String more = fullLog.pass();
                if (more != null) {
                    log.warn("max-connections {} reached over all listeners: accepting paused until a connection"
                            + " closes; new clients wait in the listeners' backlogs{}", max, more);
                }
            }
            full = nowFull;
            for (AcceptGate gate : gates) {
                gate.applyAccepting(!nowFull && !backingOff);
            }
        }
    }

    /**
     * accept(2) failed on a socket of {@code gate}. Out of descriptors or memory, the whole
     * process is: every listener pauses. Any other failure pauses this listener only. Either
     * way for {@link #BACKOFF_MILLIS}: with level-triggered epoll the loop would otherwise call
     * accept again at once, and again, at full CPU.
     */
    void acceptFailed(AcceptGate gate, EventExecutor executor, Throwable cause) {
        int errno = cause instanceof Errors.NativeIoException e ? -e.expectedErr() : 0;
        String outOf = OUT_OF_RESOURCES.get(errno);
        String more = failureLog.pass();
        if (outOf != null) {
            resourcePauses.increment();
            if (more != null) {
                log.warn("listener {}: accept: {} with {} client connection(s) open: accepting paused on every"
                        + " listener for {} ms; raise the descriptor limit or lower max-connections{}", gate.name(),
                        outOf, open.get(), BACKOFF_MILLIS, more);
            }
            long backoff;
            synchronized (lock) {
                backingOff = true;
                backoff = ++backoffs;
            }
            update();
            executor.schedule(() -> {
                synchronized (lock) {
                    if (backoff != backoffs) {
                        return;
                    }
                    backingOff = false;
                }
                update();
            }, BACKOFF_MILLIS, TimeUnit.MILLISECONDS);
            return;
        }
        if (more != null) {
            log.warn("listener {}: accept: {}: accepting paused on this listener for {} ms{}", gate.name(),
                    errno != 0 ? Errno.name(errno) : cause.toString(), BACKOFF_MILLIS, more);
        }
        gate.backOff(executor);
    }
}
