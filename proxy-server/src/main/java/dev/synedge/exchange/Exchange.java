package dev.synedge.exchange;

import dev.synedge.accesslog.Termination;
import dev.synedge.config.ClusterConfig;
import dev.synedge.config.RetryConfig;
import dev.synedge.http.BodyKind;
import dev.synedge.http.HttpError;
import dev.synedge.http.RequestHead;
import dev.synedge.net.Errno;
import dev.synedge.net.NativeException;
import dev.synedge.routing.ProxyRuntime;
import dev.synedge.routing.Route;
import dev.synedge.upstream.Endpoint;
import dev.synedge.upstream.LocalCluster;
import dev.synedge.upstream.UpstreamSocket;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request and its response, from routing to the access record: the requests synedge
 * answers itself ({@link OwnResponse#forHead}), the choice of endpoint, the retry decision, the
 * timeouts and the endings. Its {@link Phase} says where it is; the work is done by its parts:
 * {@link UpstreamAttempt} reaches an endpoint (pool or a new connection, with Fast Open where
 * the request may ride in the SYN), {@link RequestForwarder} sends the request up and
 * {@link ResponseRelay} brings the response down.
 *
 * <p>Failures: a refusal, reset or close before any response byte, or a connect timeout, is
 * retried once on a new connection (to another endpoint if there is one) for a replay-safe
 * request that is still held whole; anything else is answered 502 (504 for timeouts); no
 * endpoint, 503. Once response bytes went to the client, an upstream failure can only close
 * the client connection: the client sees a truncated response, never a spliced one.
 *
 * <p>Everything here runs on the client connection's event loop. Buffers are owned by the
 * parts, which say so; {@link #end} has each release what it holds.
 */
final class Exchange implements UpstreamSocket.Owner {

    private static final Logger log = LoggerFactory.getLogger(Exchange.class);

    private final ClientConnection client;
    private final ChannelHandlerContext ctx;
    private final LoopContext loop;
    private final ProxyRuntime runtime;
    private final Route route;
    private final RequestHead request;
    private final ExchangeRecord record;
    private final RequestForwarder forwarder;
    private final ClientOutput output;
    private final ResponseRelay relay;
    private final Deadline timer;

    private Phase phase = Phase.ROUTING;
    private LocalCluster cluster;
    private boolean tunnelRequested;
    private boolean replaySafe;
    /** The endpoint chosen before the head was written (HTTP/1.0 without Host), or -1. */
    private int chosen = -1;
    /** The body is being held before an endpoint is chosen (http.request-body.buffering). */
    private boolean buffering;
    /** What the cluster runs when a connection comes free, while the exchange waits in its queue. */
    private Runnable queued;
    /** The current attempt, or the last one once released; null when none could be made. */
    private UpstreamAttempt attempt;
    private int retries;
    /** The status of synedge's own answer, 0 when the upstream's response is relayed. */
    private int answered;
    /** The client connection closes after synedge's own answer or a tunnel. */
    private boolean closeClient;

    /** An exchange for the request head that {@code parsed} holds, read from {@code client}'s input. */
    Exchange(ClientConnection client, LoopContext loop, ProxyRuntime runtime, Route route, ParseState parsed,
             long startNanos, long startMillis) {
        this.client = client;
        this.ctx = client.ctx();
        this.loop = loop;
        this.runtime = runtime;
        this.route = route;
        this.request = parsed.request;
        this.record = new ExchangeRecord(loop, client, request, route, client.input(), startNanos, startMillis);
        this.timer = loop.deadlines().create(this::timedOut);
        this.forwarder = new RequestForwarder(this, client, loop, request, parsed.requestBody(),
                runtime.config().http().maxRequestBody());
        this.output = new ClientOutput(ctx);
        this.relay = new ResponseRelay(this, ctx, output, loop, request, parsed.response, parsed.responseParser(),
                parsed.responseBody());
        loop.exchangeStarted();
    }

    // ---------------------------------------------------------------- start

    void start() {
        OwnResponse own = OwnResponse.forHead(request, route, runtime.config().http(), runtime.via());
        if (own != null) {
            forwarder.skipHead();
            answer(own);
            return;
        }
        cluster = loop.cluster(route.cluster());
        relay.prepare(runtime.responseWriter(route), cluster.bodyCounters());
        tunnelRequested = request.upgradeRequested();
        byte[] defaultHost = null;
        if (request.hostStart() == request.hostEnd()) {
            // HTTP/1.0 without Host: the endpoint is chosen first so that its authority can be the
            // Host of the HTTP/1.1 request sent upstream (a retry elsewhere keeps this Host)
            chosen = cluster.pick(-1);
            defaultHost = chosen >= 0 ? cluster.authority(chosen) : null;
        }
        ByteBuf head = ctx.alloc().directBuffer(request.length() + 512);
        runtime.requestWriter(route).write(request, client.hop(route), tunnelRequested, defaultHost, head);
        forwarder.forwardHead(head);
        if (phase == Phase.DONE) {
            return;
        }
        replaySafe = route.replaySafe(request.method());
        long buffer = runtime.config().http().requestBody().buffering();
        if (!forwarder.complete() && buffer > 0 && !tunnelRequested && (request.bodyKind() == BodyKind.CHUNKED
                || (request.bodyKind() == BodyKind.CONTENT_LENGTH && request.contentLength() <= buffer))) {
            buffering = true;
            return;
        }
        sendUp();
    }

    /** The request goes up: kept for a retry where it is whole, then to an endpoint. */
    private void sendUp() {
        // Kept whatever the method: a request that reached no endpoint may go again all the same.
        forwarder.keepForReplay();
        connect(chosen, -1);
    }

    /**
     * Makes an attempt on endpoint {@code chosen}, or when it is -1 on one picked now (avoiding
     * {@code excluded} when another exists): an idle pooled connection on a first try, else a
     * new one.
     */
    private void connect(int chosen, int excluded) {
        int index = chosen >= 0 ? chosen : cluster.pick(excluded);
        if (index < 0 && excluded >= 0) {
            index = cluster.pick(-1);
        }
        if (index < 0) {
            if (cluster.atCapacity()) {
                queue(excluded);
            } else {
                answer(503, "no endpoint available in cluster " + cluster.name(), Termination.NO_ENDPOINT);
            }
            return;
        }
        cluster.exchangeStarted(index);
        attempt = retries == 0 ? UpstreamAttempt.reuse(loop, cluster, index, this) : null;
        if (attempt != null) {
            phase = Phase.AWAITING_RESPONSE;
            flushToUpstream();
            watchRequestBody();
            return;
        }
        try {
            attempt = UpstreamAttempt.open(loop, cluster, index, replaySafe && retries == 0, this);
        } catch (NativeException e) {
            cluster.exchangeEnded(index);
            upstreamFailedBeforeResponse(index, e);
            return;
        }
        phase = Phase.CONNECTING;
        if (attempt.socket().established()) {
            upstreamConnected(attempt.socket());
        } else {
            timer.set(cluster.config().timeouts().connect().toNanos());
            if (!attempt.triedFastOpen()) {
                // the request follows the handshake
                return;
            }
        }
        flushToUpstream();
    }

    // ---------------------------------------------------------------- request

    /** More client bytes arrived while this exchange runs. */
    void clientData() {
        if (phase == Phase.TUNNEL) {
            forwarder.takeTunnelBytes();
            flushToUpstream();
            return;
        }
        if (!forwarder.complete() && phase != Phase.DONE) {
            forwarder.takeBody();
            if (buffering && phase != Phase.DONE
                    && (forwarder.complete() || forwarder.holdsMoreThan(runtime.config().http().requestBody().buffering()))) {
                buffering = false;
                sendUp();
                return;
            }
            if (phase != Phase.DONE) {
                flushToUpstream();
            }
        }
    }

    /** Writes what is queued for the upstream; the response-head timeout runs once the request is all written. */
    private void flushToUpstream() {
        UpstreamSocket upstream = upstream();
        if (upstream == null || !upstream.isOpen()) {
            return;
        }
        try {
            if (forwarder.flush(upstream, phase == Phase.TUNNEL) && phase == Phase.AWAITING_RESPONSE) {
                timer.set(responseHeadTimeout());
            }
        } catch (NativeException e) {
            upstreamIoFailed(e);
        }
    }

    /**
     * While the request body is still on its way to an established connection, the timer
     * checks every idle timeout that the upstream keeps taking it.
     */
    private void watchRequestBody() {
        if (!forwarder.sent() && phase == Phase.AWAITING_RESPONSE) {
            forwarder.lookNow();
            timer.set(cluster.config().timeouts().idle().toNanos());
        }
    }

    /** The request body grew past max-request-body. */
    void requestTooLarge(long maxBody) {
        log.debug("client {}: request body over max-request-body {}", client.clientAddress(), maxBody);
        endOnClientSide(413, "request body over max-request-body " + maxBody, Termination.REQUEST_TOO_LARGE);
    }

    /** The request body could not be framed. */
    void requestBroken(HttpError error) {
        log.debug("client {}: request body: {}", client.clientAddress(), error.reason());
        endOnClientSide(error.status(), error.reason(), Termination.CLIENT_PROTOCOL_ERROR);
    }

    /** The exchange still needs request body bytes from the client. */
    boolean waitsForRequestBody() {
        return !forwarder.complete() && phase != Phase.DONE && phase != Phase.TUNNEL;
    }

    /**
     * When the request body must be all here (nanoTime): the time {@code http.request-body}
     * allows for the bytes received so far, from the head's arrival.
     */
    long requestBodyDeadline() {
        return record.startNanos() + runtime.config().http().requestBody().allowedNanos(forwarder.bodyData());
    }

    /** The request body came too slowly (see {@link #requestBodyDeadline}): 408, or a cut. */
    void requestBodyTooSlow() {
        log.info("{}: client {} sent {} request body bytes in {}: too slowly", this, client.clientAddress(),
                forwarder.bodyData(), Duration.ofNanos(System.nanoTime() - record.startNanos()));
        endOnClientSide(408, "request body too slow", Termination.CLIENT_TIMEOUT);
    }

    /** The client sent no body bytes for {@code idle}: 408 if nothing was relayed yet, else a cut. */
    void requestBodyTimedOut(Duration idle) {
        log.info("{}: client {} sent no request body bytes for {}", this, client.clientAddress(), idle);
        endOnClientSide(408, "request body timeout", Termination.CLIENT_TIMEOUT);
    }

    /** Answered when nothing of the response was relayed yet, else the response is cut off. */
    private void endOnClientSide(int code, String reason, Termination why) {
        if (relay.relayStarted()) {
            cutOff(why);
        } else {
            answer(code, reason, why);
        }
    }

    // ---------------------------------------------------------------- upstream events

    @Override
    public void upstreamConnected(UpstreamSocket socket) {
        attempt.connected();
        if (phase != Phase.CONNECTING) {
            return;
        }
        phase = Phase.AWAITING_RESPONSE;
        if (forwarder.sent()) {
            timer.set(responseHeadTimeout());
        } else {
            watchRequestBody();
        }
    }

    /** The response-head timeout of one try: the retry policy's per-try timeout, else the cluster's. */
    private long responseHeadTimeout() {
        ClusterConfig config = cluster.config();
        return (config.retries().perTryTimeout() != null ? config.retries().perTryTimeout()
                : config.timeouts().responseHead()).toNanos();
    }

    @Override
    public void upstreamWritable(UpstreamSocket socket) {
        if (phase != Phase.DONE) {
            flushToUpstream();
        }
    }

    @Override
    public void upstreamReadable(UpstreamSocket socket) {
        if (phase != Phase.DONE) {
            relay.upstreamReadable();
        }
    }

    @Override
    public void upstreamFailed(UpstreamSocket socket, NativeException cause) {
        upstreamIoFailed(cause);
    }

    /** The first response byte proves the connection (and tells the Fast Open outcome). */
    void firstResponseBytes() {
        phase = Phase.RESPONSE_HEAD;
        record.firstByte(forwarder.sentNanos());
        attempt.connected();
        timer.set(cluster.config().timeouts().idle().toNanos());
    }

    /**
     * A final response head with {@code status} came. When the retry policy retries it, the
     * try is abandoned (nothing of it reached the client) and the request goes again; returns
     * whether it did.
     */
    boolean retriedOn(int status) {
        if (!cluster.config().retries().statuses().contains(status) || !mayRetry(Retries.Failure.STATUS, status)) {
            return false;
        }
        attempt.answered(status);
        log.info("{}: upstream {} answered {}; retrying on a new connection", this, attempt.endpoint(), status);
        int index = attempt.index();
        attempt.abort();
        relay.discardResponse();
        timer.clear();
        retry(index);
        return true;
    }

    /** The final response head was parsed; its body follows. */
    void headParsed(int status) {
        attempt.answered(status);
        forwarder.dropReplay();
        phase = Phase.RESPONSE_BODY;
        timer.set(cluster.config().timeouts().idle().toNanos());
    }

    /** The upstream answered the upgrade with 101: from here bytes flow both ways as they are. */
    void startTunnel() {
        forwarder.dropReplay();
        phase = Phase.TUNNEL;
        timer.clear();
        ctx.flush();
        relay.relayTunnel();
        clientData();
    }

    /** The response's last byte was relayed. */
    void responseComplete() {
        boolean reusable = relay.upstreamReusable() && forwarder.complete() && forwarder.sent() && !forwarder.waiting();
        releaseUpstream(reusable);
        complete();
    }

    void upstreamEof() {
        if (!phase.responseStarted()) {
            upstreamFailedBeforeResponse(attempt.index(),
                    new NativeException("read", "upstream closed before responding", Errno.ECONNRESET));
            return;
        }
        if (phase == Phase.TUNNEL) {
            closeTunnel();
            return;
        }
        if (relay.endOfInput()) {
            releaseUpstream(false);
            complete();
            return;
        }
        if (relay.bodyComplete()) {
            responseComplete();
            return;
        }
        if (!relay.relayStarted()) {
            answer(502, "upstream closed before any of its response was relayed", Termination.UPSTREAM_CLOSED);
            return;
        }
        upstreamClosedMidResponse();
    }

    void upstreamClosedMidResponse() {
        log.info("{}: upstream {} closed mid-response", this, attempt.endpoint());
        cutOff(Termination.UPSTREAM_CLOSED);
    }

    void clientFailedMidResponse(NativeException cause) {
        log.debug("{}: client {} failed mid-response: {}", this, client.clientAddress(), cause.getMessage());
        cutOff(Termination.CLIENT_CLOSED);
    }

    // ---------------------------------------------------------------- failures

    /**
     * The attempt on endpoint {@code index} failed (refused, reset, closed, connect timeout)
     * before any response byte: the request goes again where the retry policy allows (see
     * {@link Retries}); else it is answered 502, or 504 for a timeout.
     */
    private void upstreamFailedBeforeResponse(int index, NativeException cause) {
        Retries.Failure failure = attempt == null || phase == Phase.CONNECTING ? Retries.Failure.CONNECT
                : Retries.Failure.RESET;
        boolean wasNew = attempt != null && !attempt.reused();
        if (attempt != null && attempt.socket() != null) {
            attempt.failed(cause.getMessage());
            attempt.abort();
        }
        timer.clear();
        Endpoint endpoint = cluster.endpoint(index);
        if (mayRetry(failure, 0)) {
            log.info("{}: {} upstream connection to {} failed before a response ({}); retrying on a new connection",
                    this, attempt == null ? "a" : wasNew ? "new" : "reused", endpoint, cause.getMessage());
            retry(index);
            return;
        }
        boolean timedOut = cause.errno() == Errno.ETIMEDOUT;
        answer(timedOut ? 504 : 502, "upstream " + endpoint + ": " + cause.getMessage(),
                timedOut ? Termination.UPSTREAM_TIMEOUT
                : cause.errno() == Errno.ECONNREFUSED ? Termination.UPSTREAM_REFUSED : Termination.UPSTREAM_RESET);
    }

    private boolean mayRetry(Retries.Failure failure, int status) {
        RetryConfig policy = cluster.config().retries();
        return Retries.allowed(policy, failure, status, replaySafe, forwarder.replayable(), retries,
                retries > 0 || loop.retryBudget(policy.budgetPercent()));
    }

    /**
     * Every endpoint is at its connection cap: the exchange waits in the cluster's queue, at
     * most {@code queue.timeout}, and is answered 503 when the queue is full.
     */
    private void queue(int excluded) {
        Runnable resume = () -> {
            if (phase == Phase.QUEUED) {
                queued = null;
                timer.clear();
                connect(-1, excluded);
            }
        };
        if (!cluster.await(resume)) {
            answer(503, "every endpoint of cluster " + cluster.name() + " is at max-connections-per-endpoint and "
                    + cluster.config().queue().size() + " exchange(s) wait already", Termination.OVERLOADED);
            return;
        }
        queued = resume;
        phase = Phase.QUEUED;
        timer.set(cluster.config().queue().timeout().toNanos());
    }

    /** Sends the request again, on a new connection to another endpoint than {@code excluded} where there is one. */
    private void retry(int excluded) {
        if (retries == 0) {
            loop.retryStarted();
        }
        retries++;
        forwarder.replay();
        attempt = null;
        connect(-1, excluded);
    }

    void upstreamIoFailed(NativeException cause) {
        if (phase == Phase.DONE) {
            return;
        }
        if (!phase.responseStarted()) {
            upstreamFailedBeforeResponse(attempt.index(), cause);
            return;
        }
        if (phase == Phase.TUNNEL) {
            log.info("{}: upstream {} failed mid-tunnel: {}", this, attempt.endpoint(), cause.getMessage());
            closeTunnel();
            return;
        }
        if (!relay.relayStarted()) {
            answer(502, "upstream failed (" + cause.getMessage() + ") before any of its response was relayed",
                    Termination.UPSTREAM_RESET);
            return;
        }
        log.info("{}: upstream {} failed mid-response: {}", this, attempt.endpoint(), cause.getMessage());
        cutOff(Termination.UPSTREAM_RESET);
    }

    void upstreamProtocolError(String reason) {
        log.warn("{}: invalid response from upstream {}: {}", this, attempt.endpoint(), reason);
        if (relay.relayStarted()) {
            cutOff(Termination.UPSTREAM_PROTOCOL_ERROR);
        } else {
            answer(502, "invalid response: " + reason, Termination.UPSTREAM_PROTOCOL_ERROR);
        }
    }

    // ---------------------------------------------------------------- timeouts

    private void timedOut() {
        if (phase == Phase.DONE) {
            return;
        }
        long now = System.nanoTime();
        Timeouts.State state = new Timeouts.State(phase, forwarder.sent(), forwarder.waiting(),
                forwarder.progressed(), relay.clientBlocked(), output.blockedSince(),
                relay.lastUpstreamActivity());
        switch (Timeouts.check(state, cluster.config().timeouts().idle().toNanos(),
                client.listener().idleTimeout().toNanos(), now)) {
            case Timeouts.Wait wait -> timer.set(wait.nanos());
            case Timeouts.WatchRequestBody watch -> watchRequestBody();
            case Timeouts.Expired expired -> expired(expired.what());
        }
    }

    private void expired(Timeouts.Expiry what) {
        ClusterConfig config = cluster.config();
        if (what == Timeouts.Expiry.QUEUE) {
            cluster.leaveQueue(queued);
            queued = null;
            answer(503, "no connection to cluster " + cluster.name() + " came free within " + config.queue().timeout(),
                    Termination.OVERLOADED);
            return;
        }
        Endpoint endpoint = attempt.endpoint();
        switch (what) {
            case CLIENT_IDLE -> {
                log.info("{}: client {} took no response bytes for {}", this, client.clientAddress(),
                        client.listener().idleTimeout());
                cutOff(Termination.CLIENT_TIMEOUT);
            }
            case UPSTREAM_IDLE -> {
                log.info("{}: upstream {} silent for {} mid-response", this, endpoint, config.timeouts().idle());
                cutOff(Termination.UPSTREAM_TIMEOUT);
            }
            case REQUEST_BODY -> {
                log.info("{}: upstream {} took none of the request body for {}", this, endpoint,
                        config.timeouts().idle());
                answer(504, "upstream " + endpoint + " did not take the request", Termination.UPSTREAM_TIMEOUT);
            }
            case CONNECT -> {
                log.info("{}: upstream {} connect timeout ({})", this, endpoint, config.timeouts().connect());
                upstreamFailedBeforeResponse(attempt.index(),
                        new NativeException("connect", endpoint.toString(), Errno.ETIMEDOUT));
            }
            case RESPONSE_HEAD -> {
                log.info("{}: upstream {} response head timeout ({})", this, endpoint,
                        Duration.ofNanos(responseHeadTimeout()));
                attempt.timedOut();
                if (mayRetry(Retries.Failure.RESPONSE_HEAD_TIMEOUT, 0)) {
                    int index = attempt.index();
                    attempt.abort();
                    retry(index);
                    return;
                }
                answer(504, "upstream " + endpoint + " response head timeout", Termination.UPSTREAM_TIMEOUT);
            }
        }
    }

    // ---------------------------------------------------------------- client side

    /**
     * The client went away: abandon the exchange; the upstream connection cannot be reused. A
     * tunnel ends this way normally: its upstream gets a FIN, not a reset.
     */
    void clientClosed() {
        if (phase == Phase.DONE) {
            return;
        }
        if (phase == Phase.TUNNEL) {
            releaseUpstream(false);
            end();
            return;
        }
        record.terminated(Termination.CLIENT_CLOSED);
        end();
    }

    /** synedge stops before this exchange finished: it ends cut off. */
    void shutdown() {
        if (phase != Phase.DONE) {
            cutOff(Termination.SHUTDOWN);
        }
    }

    void clientWritabilityChanged(boolean writable) {
        relay.clientWritabilityChanged(writable);
    }

    // ---------------------------------------------------------------- endings

    /**
     * Answers the client with synedge's own response: nothing of the upstream's reached it, and
     * a response head held back never will. An upstream connection still held is reset first.
     * The client connection closes after it when the request body is not all read (what follows
     * could not be framed) or the server drains.
     */
    private void answer(int code, String reason, Termination why) {
        answer(OwnResponse.error(code, reason, why));
    }

    private void answer(OwnResponse own) {
        output.dropHeld();
        if (attempt != null) {
            attempt.abort();
        }
        if (own.status() >= 500) {
            log.warn("{} -> {}: {}", this, own.status(), own.reason());
        }
        record.terminated(own.termination());
        answered = own.status();
        closeClient = !forwarder.complete() || !request.keepAlive() || client.draining();
        ByteBuf out = ctx.alloc().buffer(256);
        own.writer().write(out, request, closeClient);
        output.write(out);
        ctx.flush();
        log.debug("{}: answered {} ({})", this, own.status(), own.reason());
        complete();
    }

    /** Ends after a complete response; the client connection may go on. */
    private void complete() {
        output.writeHeld();
        end();
        boolean close = closeClient || relay.closesClient();
        client.exchangeEnded(!close && request.keepAlive(), !forwarder.complete());
    }

    /** Ends with the response cut off: the client gets what was relayed, then sees the connection close. */
    private void cutOff(Termination why) {
        record.terminated(why);
        if (attempt != null) {
            attempt.abort();
        }
        ctx.flush();
        end();
        client.abort(!forwarder.complete());
    }

    /** A tunnel ended: flush what the client still has to get, then close. */
    private void closeTunnel() {
        releaseUpstream(false);
        closeClient = true;
        end();
        client.exchangeEnded(false, false);
    }

    /** Gives the upstream connection back to its pool, or closes it; ends the endpoint's count. */
    private void releaseUpstream(boolean reusable) {
        if (attempt != null) {
            attempt.release(reusable);
        }
    }

    private void end() {
        if (phase == Phase.DONE) {
            return;
        }
        phase = Phase.DONE;
        timer.clear();
        if (queued != null) {
            cluster.leaveQueue(queued);
            queued = null;
        }
        relay.release();
        if (attempt != null) {
            // Still held when the exchange failed: the upstream may have part of a request, or
            // be in the middle of a response, and the reset keeps it from taking either for whole.
            attempt.abort();
        }
        forwarder.release();
        loop.exchangeFinished(retries > 0);
        record.ended(answered != 0 ? answered : relay.status(), forwarder.bytesFromClient(), output.bytes(),
                cluster, attempt, retries);
    }

    // ---------------------------------------------------------------- for the parts

    Phase phase() {
        return phase;
    }

    boolean done() {
        return phase == Phase.DONE;
    }

    /** The upstream socket of the current attempt, or null. */
    UpstreamSocket upstream() {
        return attempt == null ? null : attempt.socket();
    }

    LocalCluster cluster() {
        return cluster;
    }

    boolean tunnelRequested() {
        return tunnelRequested;
    }

    boolean requestComplete() {
        return forwarder.complete();
    }

    /** Whether the client connection takes no request after this one (a drain). */
    boolean clientDraining() {
        return client.draining();
    }

    /** Method and route, as log lines name an exchange. */
    @Override
    public String toString() {
        return request.method() + " " + (route == null ? "-" : route.name());
    }
}
