package dev.synedge.exchange;

import dev.synedge.accesslog.AccessRecord;
import dev.synedge.accesslog.SynData;
import dev.synedge.accesslog.Termination;
import dev.synedge.accesslog.UpstreamConnection;
import dev.synedge.http.RequestHead;
import dev.synedge.routing.Route;
import dev.synedge.upstream.LocalCluster;
import io.netty.buffer.ByteBuf;

/**
 * What one exchange tells the access log, or only the loop's counters when nothing logs or
 * observes exchanges: gathered as the exchange runs, handed over when it ends. The request
 * bytes the log reports (a method synedge does not know, target, Referer, User-Agent) are
 * copied at the start, before the client input moves on, and only when a log or observer
 * wants them.
 */
final class ExchangeRecord {

    private final LoopContext loop;
    private final ClientConnection client;
    private final RequestHead request;
    private final Route route;
    private final long startNanos;
    private final long startMillis;
    private String method;
    private byte[] target;
    private byte[] referer;
    private byte[] userAgent;
    private long firstByteMicros = -1;
    private Termination termination = Termination.COMPLETED;

    /** Starts the record of {@code request}, whose head is still in {@code in}. */
    ExchangeRecord(LoopContext loop, ClientConnection client, RequestHead request, Route route, ByteBuf in,
                   long startNanos, long startMillis) {
        this.loop = loop;
        this.client = client;
        this.request = request;
        this.route = route;
        this.startNanos = startNanos;
        this.startMillis = startMillis;
        if (loop.recordsWanted()) {
            method = request.methodName();
            target = copy(in, request.targetStart(), request.targetEnd());
            referer = field("referer");
            userAgent = field("user-agent");
        }
    }

    private byte[] field(String name) {
        int i = request.indexOf(name);
        return i < 0 ? null : copy(request.buffer(), request.valueStart(i), request.valueEnd(i));
    }

    private static byte[] copy(ByteBuf buf, int from, int to) {
        byte[] bytes = new byte[to - from];
        buf.getBytes(from, bytes);
        return bytes;
    }

    /** The first response byte came; the wait counts from {@code sentNanos}, when the request was all written (0: not yet). */
    void firstByte(long sentNanos) {
        firstByteMicros = (System.nanoTime() - (sentNanos != 0 ? sentNanos : startNanos)) / 1000;
    }

    /** When the request head began to arrive (nanoTime). */
    long startNanos() {
        return startNanos;
    }

    void terminated(Termination why) {
        termination = why;
    }

    /**
     * The exchange ended: logs and counts it. {@code attempt} is its last upstream attempt
     * (null when none was made), {@code sentStatus} what the client got (0 for nothing), logged
     * as {@link AccessRecord#CLIENT_CLOSED_REQUEST} when nothing was because the client left.
     */
    void ended(int sentStatus, long received, long sent, LocalCluster cluster, UpstreamAttempt attempt, int retries) {
        int status = sentStatus == 0 && termination == Termination.CLIENT_CLOSED
                ? AccessRecord.CLIENT_CLOSED_REQUEST : sentStatus;
        loop.metrics().exchanges(client.listener(), route).ended(status, termination, System.nanoTime() - startNanos,
                firstByteMicros < 0 ? -1 : firstByteMicros * 1000);
        UpstreamConnection connection = attempt == null ? UpstreamConnection.NONE : attempt.connection();
        SynData upstreamSyn = attempt == null ? SynData.UNKNOWN : attempt.synData();
        if (!loop.recordsWanted()) {
            loop.counters().add(status, client.clientSynData(), connection, upstreamSyn, retries);
            return;
        }
        loop.exchangeEnded(new AccessRecord(startMillis, client.clientAddress(), client.clientPort(),
                client.listener().name(), method, target, request.version().text(), status, received, sent,
                referer, userAgent, (System.nanoTime() - startNanos) / 1000,
                attempt == null ? -1 : attempt.connectMicros(), firstByteMicros, route == null ? null : route.name(),
                cluster == null ? null : cluster.name(), attempt == null ? null : attempt.endpoint().name(),
                client.clientSynData(), connection, upstreamSyn, retries, termination));
    }
}
