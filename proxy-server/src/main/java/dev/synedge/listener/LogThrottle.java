package dev.synedge.listener;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One log line per ten seconds for an event that a flood repeats (a limit reached, accept
 * failing), with the count of those left unsaid since the last line: the log stays readable and
 * costs nothing under the flood, and nothing goes uncounted.
 */
final class LogThrottle {

    private static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final AtomicLong next = new AtomicLong(System.nanoTime());
    private final AtomicLong unsaid = new AtomicLong();

    /**
     * Whether to log this event: null when not, else the text to end its line with, which counts
     * the events left unsaid since the last line (empty when there were none).
     */
    String pass() {
        long now = System.nanoTime();
        long at = next.get();
        if (now - at >= 0 && next.compareAndSet(at, now + INTERVAL_NANOS)) {
            long more = unsaid.getAndSet(0);
            return more == 0 ? "" : " (" + more + " more since the last such line)";
        }
        unsaid.incrementAndGet();
        return null;
    }
}
