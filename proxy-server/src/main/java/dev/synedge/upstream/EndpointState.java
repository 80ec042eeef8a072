package dev.synedge.upstream;

import dev.synedge.config.FastopenBackoffConfig;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What synedge has learnt about one upstream endpoint from its new connections: how Fast Open
 * fares there (and whether to use it now), and its round-trip time. Shared by all event loops
 * through {@link EndpointStates}.
 *
 * <p>Written without locks: the common case (Fast Open works, nothing to change) is one
 * volatile read; counters are {@link LongAdder}s; only a change of the backoff state swaps an
 * immutable {@link Backoff} by CAS. The RTT average is updated racily on purpose: an update
 * lost to a concurrent one costs nothing for an estimate.
 *
 * <p>Each change of the backoff is logged once, by the thread whose CAS made it: WARN when
 * Fast Open is paused (or a probe fails and the pause grows), INFO when it is allowed again.
 * An operator sees why requests stopped riding in SYNs to an endpoint, and when they resume.
 */
public final class EndpointState {

    private static final Logger log = LoggerFactory.getLogger(EndpointState.class);

    /**
     * The Fast Open backoff: consecutive failures so far, the current pause (0 when not backing
     * off) and until when Fast Open is paused. After a pause one connection probes; a failed
     * probe doubles the pause, a success clears it.
     */
    record Backoff(int failures, long pauseNanos, long pausedUntilNanos, boolean probing) {
        static final Backoff CLEAR = new Backoff(0, 0, 0, false);
    }

    /** The endpoint's address as log lines write it. */
    private final String name;
    private final AtomicReference<Backoff> backoff = new AtomicReference<>(Backoff.CLEAR);
    private final LongAdder[] outcomes = new LongAdder[FastOpenOutcome.values().length];
    private final LongAdder pauses = new LongAdder();
    private final LongAdder resumes = new LongAdder();
    private volatile long rttMicrosEwma;
    private volatile long minRttMicros;

    EndpointState(String name) {
        this.name = name;
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
                Backoff was = backoff.getAndSet(Backoff.CLEAR);
                countTransition(was, Backoff.CLEAR);
                if (was.pauseNanos > 0) {
                    log.info("endpoint {}: Fast Open allowed again: SYN data acked after a {} pause", name,
                            duration(was.pauseNanos));
                }
            }
        } else if (outcome.isFailure()) {
            Backoff current;
            Backoff next;
            do {
                current = backoff.get();
                next = afterFailure(current, config, nowNanos);
            } while (next != current && !backoff.compareAndSet(current, next));
            if (next != current) {
                countTransition(current, next);
                if (next.pauseNanos > 0) {
                    logPause(current, next, outcome, config);
                }
            }
        } else if (outcome != FastOpenOutcome.NOT_TRIED) {
            releaseProbe();
        }
    }

    /**
     * During a pause only the probe's failure counts: a failure without a probe out comes from a
     * connection opened before the pause began, which the pause already answers.
     */
    private static Backoff afterFailure(Backoff current, FastopenBackoffConfig config, long nowNanos) {
        if (current.pauseNanos > 0) {
            if (!current.probing) {
                return current;
            }
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

    private void logPause(Backoff before, Backoff after, FastOpenOutcome outcome, FastopenBackoffConfig config) {
        String why = outcome.name().toLowerCase(Locale.ROOT).replace('_', '-');
        if (before.probing) {
            log.warn("endpoint {}: Fast Open probe failed ({}); paused again, for {}", name, why,
                    duration(after.pauseNanos));
        } else {
            log.warn("endpoint {}: Fast Open paused for {} after {} (last: {}); plain SYNs until a probe succeeds",
                    name, duration(after.pauseNanos),
                    config.failures() == 1 ? "a failure" : config.failures() + " failures in a row", why);
        }
    }

    /** {@code 1s}, {@code 2m}, {@code 750ms}: as the configuration writes durations. */
    private static String duration(long nanos) {
        long millis = TimeUnit.NANOSECONDS.toMillis(nanos);
        if (millis == 0 || millis % 1000 != 0) {
            return millis + "ms";
        }
        return millis % 60_000 == 0 ? millis / 60_000 + "m" : millis / 1000 + "s";
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
