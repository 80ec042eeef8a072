package dev.synedge.exchange;

import dev.synedge.accesslog.Termination;
import dev.synedge.metrics.Histogram;

/**
 * The ended exchanges of one listener, route and cluster on one event loop, for metrics: by
 * status class and by termination, with their durations and times to first byte. Kept by
 * those names across reloads ({@link LoopMetrics}); written by its loop only, read through
 * {@link #snapshot()} run on that loop.
 */
public final class ExchangeSeries {

    private final String listener;
    private final String route;
    private final String cluster;
    /** Index 0: no response; 1 to 5: 1xx to 5xx. */
    private final long[] statusClasses = new long[6];
    private final long[] terminations = new long[Termination.values().length];
    private final Histogram duration = new Histogram(Histogram.TIME_BOUNDS);
    private final Histogram firstByte = new Histogram(Histogram.TIME_BOUNDS);

    /** {@code route} and {@code cluster} are empty for requests no route took. */
    ExchangeSeries(String listener, String route, String cluster) {
        this.listener = listener;
        this.route = route;
        this.cluster = cluster;
    }

    /**
     * An exchange ended with {@code status} (0: none sent) after {@code durationNanos};
     * {@code firstByteNanos} from the request sent upstream to the first response byte, -1
     * when none came.
     */
    void ended(int status, Termination termination, long durationNanos, long firstByteNanos) {
        count(status, termination);
        duration.observe(durationNanos);
        if (firstByteNanos >= 0) {
            firstByte.observe(firstByteNanos);
        }
    }

    /** A request answered before it became an exchange (its head was refused or late): counted, not timed. */
    void refused(int status, Termination termination) {
        count(status, termination);
    }

    private void count(int status, Termination termination) {
        statusClasses[status >= 100 && status < 600 ? status / 100 : 0]++;
        terminations[termination.ordinal()]++;
    }

    Snapshot snapshot() {
        return new Snapshot(listener, route, cluster, statusClasses.clone(), terminations.clone(), duration.copy(),
                firstByte.copy());
    }

    /**
     * The counts at one moment.
     *
     * @param listener      the listener's name
     * @param route         the route's name, empty when no route took the requests
     * @param cluster       the route's cluster, empty when no route took the requests
     * @param statusClasses exchanges by status class: index 0 none sent, 1 to 5 for 1xx to 5xx
     * @param terminations  exchanges by {@link Termination} ordinal
     * @param duration      from the first request byte to the end, in nanoseconds
     * @param firstByte     from the request sent upstream to the first response byte, in nanoseconds
     */
    public record Snapshot(String listener, String route, String cluster, long[] statusClasses,
                           long[] terminations, Histogram duration, Histogram firstByte) {

        public long terminations(Termination termination) {
            return terminations[termination.ordinal()];
        }
    }
}
