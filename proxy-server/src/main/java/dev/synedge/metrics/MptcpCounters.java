package dev.synedge.metrics;

import dev.synedge.net.Mptcp;
import dev.synedge.net.MptcpStatus;
import dev.synedge.net.NativeException;
import dev.synedge.net.TcpInfo;
import java.util.concurrent.TimeUnit;

/**
 * The connections of one MPTCP listener or cluster on one event loop: how many spoke MPTCP, how
 * many fell back to TCP and how many were plain TCP from the start (a client that did not ask
 * for MPTCP), and, of those that spoke it, the subflows and each subflow's smoothed RTT when
 * they were sampled. Written by its loop only; read through a {@link #copy}
 * made there.
 */
public final class MptcpCounters {

    private long active;
    private long fellBack;
    private long plainTcp;
    private final Histogram subflows;
    private final Histogram subflowRtt;

    public MptcpCounters() {
        this(0, 0, 0, new Histogram(Histogram.COUNT_BOUNDS), new Histogram(Histogram.TIME_BOUNDS));
    }

    private MptcpCounters(long active, long fellBack, long plainTcp, Histogram subflows, Histogram subflowRtt) {
        this.active = active;
        this.fellBack = fellBack;
        this.plainTcp = plainTcp;
        this.subflows = subflows;
        this.subflowRtt = subflowRtt;
    }

    /**
     * Counts the connection on {@code fd} as it is now: MPTCP with its subflows, fallen back, or
     * plain TCP. A few getsockopt calls: call it once per connection.
     */
    public void sample(int fd) throws NativeException {
        switch (Mptcp.status(fd)) {
            case MptcpStatus.Active connection -> {
                active++;
                subflows.observe(connection.subflows().size());
                for (TcpInfo subflow : connection.subflows()) {
                    subflowRtt.observe(TimeUnit.MICROSECONDS.toNanos(subflow.rttMicros()));
                }
            }
            case MptcpStatus.FellBack ignored -> fellBack++;
            case MptcpStatus.PlainTcp ignored -> plainTcp++;
        }
    }

    public MptcpCounters copy() {
        return new MptcpCounters(active, fellBack, plainTcp, subflows.copy(), subflowRtt.copy());
    }

    /** Adds {@code other}'s counts to these. */
    public void add(MptcpCounters other) {
        active += other.active;
        fellBack += other.fellBack;
        plainTcp += other.plainTcp;
        subflows.add(other.subflows);
        subflowRtt.add(other.subflowRtt);
    }

    /** Connections sampled while they spoke MPTCP. */
    public long active() {
        return active;
    }

    /** Connections created as MPTCP that ran as plain TCP (the peer did not take MPTCP). */
    public long fellBack() {
        return fellBack;
    }

    /** Connections that were plain TCP from the start: on a listener, clients that did not ask for MPTCP. */
    public long plainTcp() {
        return plainTcp;
    }

    /** Subflows per MPTCP connection (the initial one included). */
    public Histogram subflows() {
        return subflows;
    }

    /** Smoothed RTT of each subflow, in nanoseconds. */
    public Histogram subflowRtt() {
        return subflowRtt;
    }
}
