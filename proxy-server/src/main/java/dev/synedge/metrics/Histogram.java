package dev.synedge.metrics;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Observations counted in fixed buckets, with their sum: one event loop writes it, nothing is
 * atomic, and an observation allocates nothing. Read elsewhere through a {@link #copy} made on
 * the writing loop. Values are longs in the unit of the bounds (nanoseconds for
 * {@link #TIME_BOUNDS}); a value lands in the first bucket whose upper bound is at least the
 * value, or in the last, unbounded one.
 */
public final class Histogram {

    /**
     * Upper bounds for durations, in nanoseconds: 100 µs (a connect on one host) to 60 s (the
     * default idle timeouts), about three per decade.
     */
    public static final long[] TIME_BOUNDS = nanos(0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
            0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60);

    /** Upper bounds for small counts, such as an MPTCP connection's subflows. */
    public static final long[] COUNT_BOUNDS = {1, 2, 3, 4, 6, 8};

    private final long[] bounds;
    private final long[] counts;
    private long sum;

    /** An empty histogram over {@code bounds}, ascending; the array is shared, not copied. */
    public Histogram(long[] bounds) {
        this.bounds = bounds;
        this.counts = new long[bounds.length + 1];
    }

    private Histogram(long[] bounds, long[] counts, long sum) {
        this.bounds = bounds;
        this.counts = counts;
        this.sum = sum;
    }

    private static long[] nanos(double... seconds) {
        return Arrays.stream(seconds).mapToLong(s -> Math.round(s * TimeUnit.SECONDS.toNanos(1))).toArray();
    }

    public void observe(long value) {
        int i = 0;
        while (i < bounds.length && value > bounds[i]) {
            i++;
        }
        counts[i]++;
        sum += value;
    }

    /** A copy that no longer changes. */
    public Histogram copy() {
        return new Histogram(bounds, counts.clone(), sum);
    }

    /** Adds {@code other}'s observations to this one; both have the same bounds. */
    public void add(Histogram other) {
        if (other.bounds != bounds) {
            throw new IllegalArgumentException("histograms with different bounds");
        }
        for (int i = 0; i < counts.length; i++) {
            counts[i] += other.counts[i];
        }
        sum += other.sum;
    }

    /** The upper bounds; do not modify. */
    public long[] bounds() {
        return bounds;
    }

    /** Observations in bucket {@code i} alone (not cumulative); {@code bounds().length} is the unbounded one. */
    public long count(int i) {
        return counts[i];
    }

    /** All observations. */
    public long total() {
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        return total;
    }

    public long sum() {
        return sum;
    }
}
