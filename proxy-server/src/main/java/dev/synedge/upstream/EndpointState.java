package dev.synedge.upstream;

import dev.synedge.config.FastopenBackoffConfig;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * What synedge has learnt about one upstream endpoint from its new connections: how Fast Open
 * fares there (and whether to use it now), and its round-trip time. Shared by all event loops
 * through {@link EndpointStates}.
 *
 * <p>Written without locks: the common case (Fast Open works, nothing to change) is one
 * volatile read; counters are {@link LongAdder}s; only a change of the backoff state swaps an
 * immutable {@link Backoff} by CAS. The RTT average is updated racily on purpose: an update
 * lost to a concurrent one costs nothing for an estimate.
 */
public final class EndpointState {

    /**
     * The Fast Open backoff: consecutive failures so far, the current pause (0 when not backing
     * off) and until when Fast Open is paused. After a pause one connection probes; a failed
     * probe doubles the pause, a success clears it.
     */
    record Backoff(int failures, long pauseNanos, long pausedUntilNanos, boolean probing) {
        static final Backoff CLEAR = new Backoff(0, 0, 0, false);
    }

    private final AtomicReference<Backoff> backoff = new AtomicReference<>(Backoff.CLEAR);
    private final LongAdder[] outcomes = new LongAdder[FastOpenOutcome.values().length];
    private final LongAdder pauses = new LongAdder();
    private final LongAdder resumes = new LongAdder();
    private volatile long rttMicrosEwma;
    private volatile long minRttMicros;

    EndpointState() {
        for (int i = 0; i < outcomes.length; i++) {
            outcomes[i] = new LongAdder();
        }
    }

    /**
     * Whether a new connection should try Fast Open now. Outside a pause: yes. During a pause:
     * no. When a pause has run out: yes for exactly one connection (the probe), no for the
     * others until its outcome is recorded.
     */
    public boolean fastOpenAllowed(long nowNanos) {
        Backoff current = backoff.get();
        if (current.pausedUntilNanos == 0) {
            return true;
        }
        if (nowNanos - current.pausedUntilNanos < 0 || current.probing) {
            return false;
        }
        return backoff.compareAndSet(current,
                new Backoff(current.failures, current.pauseNanos, current.pausedUntilNanos, true));
    }

    /** Records one new connection's Fast Open outcome and, when known, its RTT. */
    public void record(FastOpenOutcome outcome, long rttMicros, FastopenBackoffConfig config, long nowNanos) {
        outcomes[outcome.ordinal()].increment();
        if (rttMicros > 0) {
            long previous = rttMicrosEwma;
            rttMicrosEwma = previous == 0 ? rttMicros : previous + (rttMicros - previous) / 8;
            long min = minRttMicros;
            if (min == 0 || rttMicros < min) {
                minRttMicros = rttMicros;
            }
        }
        if (outcome == FastOpenOutcome.SYN_DATA_ACKED) {
            if (backoff.get() != Backoff.CLEAR) {
                countTransition(backoff.getAndSet(Backoff.CLEAR), Backoff.CLEAR);
            }
        } else if (outcome.isFailure()) {
            Backoff current;
            Backoff next;
            do {
                current = backoff.get();
                next = afterFailure(current, config, nowNanos);
            } while (!backoff.compareAndSet(current, next));
            countTransition(current, next);
        } else if (outcome != FastOpenOutcome.NOT_TRIED) {
            releaseProbe();
        }
    }

    private static Backoff afterFailure(Backoff current, FastopenBackoffConfig config, long nowNanos) {
        if (current.pauseNanos > 0) {
            long pause = Math.min(current.pauseNanos * 2, config.max().toNanos());
            return new Backoff(0, pause, nowNanos + pause, false);
        }
        int failures = current.failures + 1;
        if (failures < config.failures()) {
            return new Backoff(failures, 0, 0, false);
        }
        long pause = config.initial().toNanos();
        return new Backoff(0, pause, nowNanos + pause, false);
    }

    /** A probe that ended without a verdict (no cookie yet, unknown) lets the next one try. */
    private void releaseProbe() {
        Backoff current = backoff.get();
        if (current.probing) {
            backoff.compareAndSet(current,
                    new Backoff(current.failures, current.pauseNanos, current.pausedUntilNanos, false));
        }
    }

    public long count(FastOpenOutcome outcome) {
        return outcomes[outcome.ordinal()].sum();
    }

    /** Smoothed RTT of new connections (1/8 weight per sample), 0 before the first. */
    public long rttMicros() {
        return rttMicrosEwma;
    }

    public long minRttMicros() {
        return minRttMicros;
    }

    /** Whether Fast Open to this endpoint is paused at {@code nowNanos}. */
    public boolean fastOpenPaused(long nowNanos) {
        Backoff current = backoff.get();
        return current.pausedUntilNanos != 0 && nowNanos - current.pausedUntilNanos < 0;
    }

    /** The current pause length, 0 when Fast Open is not backing off. */
    public long pauseNanos() {
        return backoff.get().pauseNanos;
    }

    /** The backoff's stage now, for metrics and the admin API. */
    public enum Stage {
        /** Fast Open in use, no failure pending. */
        CLEAR,
        /** Fast Open in use, with failures counting towards a pause. */
        FAILING,
        /** Fast Open paused until {@link #pausedUntilNanos}. */
        PAUSED,
        /** The pause ran out: the next new connection (or the one in flight) probes with Fast Open. */
        PROBING
    }

    public Stage stage(long nowNanos) {
        Backoff current = backoff.get();
        if (current.pausedUntilNanos == 0) {
            return current.failures == 0 ? Stage.CLEAR : Stage.FAILING;
        }
        return nowNanos - current.pausedUntilNanos < 0 && !current.probing ? Stage.PAUSED : Stage.PROBING;
    }

    /** Consecutive Fast Open failures counting towards a pause. */
    public int failures() {
        return backoff.get().failures;
    }

    /** When the current pause ends ({@link System#nanoTime()} clock); 0 when not backing off. */
    public long pausedUntilNanos() {
        return backoff.get().pausedUntilNanos;
    }

    /** Pauses begun: after consecutive failures, or a failed probe that doubled the pause. */
    public long pauses() {
        return pauses.sum();
    }

    /** Pauses ended by a connection whose SYN data was acknowledged. */
    public long resumes() {
        return resumes.sum();
    }

    private void countTransition(Backoff from, Backoff to) {
        if (to.pausedUntilNanos != 0 && to.pausedUntilNanos != from.pausedUntilNanos) {
            pauses.increment();
        } else if (to.pauseNanos == 0 && from.pauseNanos != 0) {
            resumes.increment();
        }
    }
}
