package dev.synedge.upstream;

import dev.synedge.metrics.Histogram;

/**
 * What one event loop saw of one endpoint of one cluster, for metrics: new connections and
 * their connect times and Fast Open outcomes, exchanges on reused connections, and the
 * retransmitted segments of closed connections (TCP_INFO, read once as each closes). Kept by
 * cluster and endpoint name across reloads ({@link ClusterCounters}). Written by its loop
 * only; read through {@link #snapshot()} run on that loop.
 */
public final class EndpointCounters {

    private long opened;
    private long reused;
    private long retransmits;
    private final long[] fastOpen = new long[FastOpenOutcome.values().length];
    private final Histogram connect = new Histogram(Histogram.TIME_BOUNDS);

    /** A new connection was opened. */
    public void opened() {
        opened++;
    }

    /** An idle pooled connection was taken for an exchange. */
    public void reused() {
        reused++;
    }

    /** A new connection's Fast Open outcome, as the endpoint's state records it. */
    public void fastOpen(FastOpenOutcome outcome) {
        fastOpen[outcome.ordinal()]++;
    }

    /** A new connection was established {@code nanos} after it was opened. */
    public void connected(long nanos) {
        connect.observe(nanos);
    }

    /** A connection closed after {@code totalRetransmits} retransmitted segments. */
    void closed(long totalRetransmits) {
        retransmits += totalRetransmits;
    }

    public Snapshot snapshot() {
        return new Snapshot(opened, reused, fastOpen.clone(), retransmits, connect.copy());
    }

    /**
     * The counts at one moment; {@link #plus} merges loops.
     *
     * @param opened      new connections
     * @param reused      exchanges that took an idle pooled connection
     * @param fastOpen    outcomes by {@link FastOpenOutcome} ordinal, of new connections
     * @param retransmits retransmitted segments of closed connections
     * @param connect     connect times of new connections, in nanoseconds
     */
    public record Snapshot(long opened, long reused, long[] fastOpen, long retransmits, Histogram connect) {

        public long fastOpen(FastOpenOutcome outcome) {
            return fastOpen[outcome.ordinal()];
        }

        public Snapshot plus(Snapshot o) {
            long[] outcomes = fastOpen.clone();
            for (int i = 0; i < outcomes.length; i++) {
                outcomes[i] += o.fastOpen[i];
            }
            Histogram times = connect.copy();
            times.add(o.connect);
            return new Snapshot(opened + o.opened, reused + o.reused, outcomes, retransmits + o.retransmits, times);
        }
    }
}
