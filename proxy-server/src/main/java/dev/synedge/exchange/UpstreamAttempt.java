package dev.synedge.exchange;

import dev.synedge.accesslog.SynData;
import dev.synedge.accesslog.UpstreamConnection;
import dev.synedge.body.BodyPolicy;
import dev.synedge.config.ClusterConfig;
import dev.synedge.net.NativeException;
import dev.synedge.net.TcpInfo;
import dev.synedge.upstream.Endpoint;
import dev.synedge.upstream.FastOpenOutcome;
import dev.synedge.upstream.LocalCluster;
import dev.synedge.upstream.UpstreamSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One try at carrying an exchange's request to an endpoint: the endpoint, its upstream socket
 * (an idle one from the endpoint's pool, or a new one, opened with deferred-connect Fast Open
 * when the request may ride in the SYN), how long the connect took and what Fast Open did,
 * which goes into the endpoint's shared state. An exchange makes a second attempt only to
 * retry. The socket is held from {@link #reuse} or {@link #open} until {@link #release}; what
 * the attempt learned stays readable after that, for the access record.
 */
final class UpstreamAttempt {

    private static final Logger log = LoggerFactory.getLogger(UpstreamAttempt.class);

    private final LoopContext loop;
    private final LocalCluster cluster;
    private final int index;
    private final boolean opened;
    private final long startNanos;
    private UpstreamSocket socket;
    private FastOpenOutcome fastOpen;
    private long connectMicros = -1;
    private boolean outcomeRecorded;

    private UpstreamAttempt(LoopContext loop, LocalCluster cluster, int index, UpstreamSocket socket,
                            boolean opened, FastOpenOutcome fastOpen, long startNanos) {
        this.loop = loop;
        this.cluster = cluster;
        this.index = index;
        this.socket = socket;
        this.opened = opened;
        this.fastOpen = fastOpen;
        this.startNanos = startNanos;
    }

    /** An idle connection to endpoint {@code index} from its pool, now {@code owner}'s; null when there is none. */
    static UpstreamAttempt reuse(LoopContext loop, LocalCluster cluster, int index, UpstreamSocket.Owner owner) {
        UpstreamSocket pooled = cluster.pool(index).take();
        if (pooled == null) {
            return null;
        }
        pooled.handOver(owner);
        pooled.startExchange();
        cluster.counters(index).reused();
        return new UpstreamAttempt(loop, cluster, index, pooled, false, FastOpenOutcome.NOT_TRIED, 0);
    }

    /**
     * Opens a new connection to endpoint {@code index}. It uses Fast Open when the cluster has it
     * on, the endpoint's state allows it and the caller says the request may ride in a SYN
     * ({@code synDataAllowed}: the network may deliver a SYN twice, so only replay-safe
     * requests may).
     */
    static UpstreamAttempt open(LoopContext loop, LocalCluster cluster, int index, boolean synDataAllowed,
                                UpstreamSocket.Owner owner) throws NativeException {
        ClusterConfig config = cluster.config();
        Endpoint endpoint = cluster.endpoint(index);
        long now = System.nanoTime();
        boolean fastOpen = config.fastopen() && synDataAllowed
                && loop.endpointStates().of(endpoint.address()).fastOpenAllowed(now);
        int pageSegment = !config.mptcp() && BodyPolicy.asksForPageSegments(config.responseBody(), loop.zeroCopyProbe())
                ? cluster.pageSegment(index) : 0;
        UpstreamSocket socket = UpstreamSocket.open(loop.loop(), endpoint, cluster.counters(index), fastOpen,
                config.mptcp(), pageSegment, owner);
        cluster.pool(index).opened();
        cluster.counters(index).opened();
        socket.startExchange();
        return new UpstreamAttempt(loop, cluster, index, socket, true,
                fastOpen ? FastOpenOutcome.UNKNOWN : FastOpenOutcome.NOT_TRIED, now);
    }

    int index() {
        return index;
    }

    Endpoint endpoint() {
        return cluster.endpoint(index);
    }

    /** The upstream socket, or null once released. */
    UpstreamSocket socket() {
        return socket;
    }

    /** Whether this attempt opened a new connection with Fast Open. */
    boolean triedFastOpen() {
        return opened && fastOpen != FastOpenOutcome.NOT_TRIED;
    }

    /**
     * The new connection is proven, by its handshake or its first response byte: once, its
     * connect time, and its Fast Open outcome and RTT, which go into the endpoint's state;
     * an MPTCP connection's subflows go into the cluster's counters.
     */
    void connected() {
        if (outcomeRecorded || !opened) {
            return;
        }
        outcomeRecorded = true;
        long connectNanos = System.nanoTime() - startNanos;
        connectMicros = connectNanos / 1000;
        cluster.counters(index).connected(connectNanos);
        long rtt = 0;
        try {
            TcpInfo info = socket.tcpInfo();
            rtt = info.rttMicros();
            if (socket.fastOpen()) {
                fastOpen = FastOpenOutcome.of(info);
            }
        } catch (NativeException e) {
            log.debug("TCP_INFO of {}: {}", endpoint(), e.getMessage());
        }
        record(fastOpen, rtt);
        if (cluster.config().mptcp()) {
            try {
                cluster.counters().mptcp().sample(socket.fdValue());
            } catch (NativeException e) {
                log.debug("MPTCP state of {}: {}", endpoint(), e.getMessage());
            }
        }
    }

    /**
     * The connection failed (refused, reset, closed) before any response byte. A new one counts
     * against Fast Open and against the endpoint's health; a reused one does not: an idle
     * connection the endpoint closed just then says nothing about it.
     */
    void failed(String why) {
        if (opened) {
            fastOpen = socket.fastOpen() ? FastOpenOutcome.CONNECTION_FAILED : FastOpenOutcome.NOT_TRIED;
            record(fastOpen, 0);
            cluster.health().failed(index, why);
        }
    }

    /** The endpoint answered with a final response head: its status tells its health. */
    void answered(int status) {
        cluster.health().answered(index, status);
    }

    /**
     * No answer came in time on a new Fast Open connection: that counts against Fast Open to
     * the endpoint, while the access record keeps the outcome unknown, since the SYN may or
     * may not have arrived.
     */
    void timedOut() {
        if (opened && socket.fastOpen()) {
            record(FastOpenOutcome.CONNECTION_FAILED, 0);
        }
        cluster.health().failed(index, "no response head in time");
    }

    /** A new connection's Fast Open outcome, into the endpoint's shared state and this loop's counters alike. */
    private void record(FastOpenOutcome outcome, long rttMicros) {
        loop.endpointStates().of(endpoint().address())
                .record(outcome, rttMicros, cluster.config().fastopenBackoff(), System.nanoTime());
        cluster.counters(index).fastOpen(outcome);
    }

    /**
     * Gives the socket back to its pool when {@code reusable}, else closes it (with a FIN, unless
     * it was aborted already), and ends the endpoint's count of this exchange. Once only.
     */
    void release(boolean reusable) {
        if (socket == null) {
            return;
        }
        if (reusable) {
            cluster.pool(index).release(socket);
        } else {
            if (socket.isOpen()) {
                socket.close();
            }
            cluster.pool(index).closed(socket);
        }
        cluster.exchangeEnded(index);
        socket = null;
    }

    /** Resets the connection and releases it: for an exchange that broke, so that the upstream never takes half a request for a whole one. */
    void abort() {
        if (socket != null) {
            socket.abort();
            release(false);
        }
    }

    long connectMicros() {
        return connectMicros;
    }

    UpstreamConnection connection() {
        return opened ? UpstreamConnection.NEW : UpstreamConnection.REUSED;
    }

    /** Whether the upstream SYN carried data, as far as known (never for a reused connection). */
    SynData synData() {
        return !opened || fastOpen == FastOpenOutcome.UNKNOWN ? SynData.UNKNOWN
                : fastOpen.synData() ? SynData.YES : SynData.NO;
    }

    boolean reused() {
        return !opened;
    }
}
