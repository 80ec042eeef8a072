package dev.synedge.config;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a request body may take to arrive, and how much of it synedge takes in before it
 * picks an endpoint ({@code synedge.http.request-body}). The time allowed starts at
 * {@code timeout} and grows by one second for every {@code minRate} bytes received, never past
 * {@code maxTime}: a body that keeps coming at least that fast is never cut short, one that
 * trickles is (Apache's mod_reqtimeout works the same way).
 *
 * @param timeout   time allowed for the body before any of it came
 * @param minRate   bytes per second that earn a body more time; 0 = {@code timeout} is all it gets
 * @param maxTime   the longest any body may take
 * @param buffering bytes of body held before an endpoint is chosen, so that a slow client holds
 *                  no upstream connection while it sends them; 0 = none, the body streams
 */
public record RequestBodyConfig(Duration timeout, long minRate, Duration maxTime, long buffering) {

    public RequestBodyConfig {
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(maxTime, "maxTime");
    }

    /** The time allowed for a body of which {@code received} bytes came so far, in nanoseconds. */
    public long allowedNanos(long received) {
        long earned = minRate == 0 ? 0 : Math.min(maxTime.toSeconds(), received / minRate) * 1_000_000_000L;
        return Math.min(timeout.toNanos() + earned, maxTime.toNanos());
    }
}
