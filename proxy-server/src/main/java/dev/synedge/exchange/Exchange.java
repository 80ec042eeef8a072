package dev.synedge.exchange;

import dev.synedge.accesslog.AccessRecord;
import dev.synedge.accesslog.SynData;
import dev.synedge.accesslog.UpstreamConnection;
import dev.synedge.body.BodyCounters;
import dev.synedge.body.BodyPath;
import dev.synedge.body.BodyPolicy;
import dev.synedge.body.MappedWindow;
import dev.synedge.body.Splice;
import dev.synedge.config.ClusterConfig;
import dev.synedge.http.BodyDecoder;
import dev.synedge.http.BodyKind;
import dev.synedge.http.ChunkEncoder;
import dev.synedge.http.ErrorResponse;
import dev.synedge.http.HttpError;
import dev.synedge.http.HttpVersion;
import dev.synedge.http.ParseProgress;
import dev.synedge.http.ParseResult;
import dev.synedge.http.RelayFraming;
import dev.synedge.http.RequestHead;
import dev.synedge.http.ResponseHead;
import dev.synedge.http.ResponseHeadParser;
import dev.synedge.net.Errno;
import dev.synedge.net.LinuxSocket;
import dev.synedge.net.NativeException;
import dev.synedge.net.TcpInfo;
import dev.synedge.net.ZeroCopyReceiver;
import dev.synedge.routing.Route;
import dev.synedge.routing.ProxyRuntime;
import dev.synedge.upstream.Endpoint;
import dev.synedge.upstream.EndpointState;
import dev.synedge.upstream.FastOpenOutcome;
import dev.synedge.upstream.LocalCluster;
import dev.synedge.upstream.UpstreamPool;
import dev.synedge.upstream.UpstreamSocket;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.unix.UnixChannel;
import io.netty.util.concurrent.Future;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request and its response. Picks an endpoint, takes a pooled upstream connection or opens
 * one (with deferred-connect Fast Open when the request is replay-safe and the endpoint's state
 * allows it, so the head leaves in the SYN), streams the request body up and the response back
 * with backpressure both ways, and ends with an access log line.
 *
 * <p>Failures: a refusal or reset before any response byte is retried once on a new connection
 * (another endpoint if there is one) for replay-safe requests whose bytes are all still held,
 * else answered 502; no endpoint: 503; connect and response-head timeouts: 504. Once response
 * bytes went to the client, an upstream failure can only close the client connection: the
 * client sees a truncated response, never a spliced one.
 *
 * <p>Response body data takes the path {@link BodyPolicy} picks for the response: copied through
 * {@link #resp}, mapped from the upstream socket's zero-copy window, or spliced into the client
 * socket. Heads, chunk framing and trailers are always read into {@link #resp} and parsed; the
 * body decoder says how many data bytes come next, and only those take a fast path.
 *
 * <p>ByteBuf ownership: {@link #toUpstream} holds buffers (heads, retained slices of the client
 * input) until written; {@link #replay} holds retained duplicates of everything first sent,
 * until the first response byte; {@link #resp} is this exchange's read buffer, whose retained
 * slices go to the client channel, which releases them once written. A mapping is wrapped in a
 * buffer this exchange owns while relaying it; its retained slices go to the client channel
 * like those of {@link #resp}, and the pages go back to the window when the last is released.
 */
final class Exchange implements UpstreamSocket.Owner {

    private static final Logger log = LoggerFactory.getLogger(Exchange.class);
    /** A request body larger than this is not kept for a retry. */
    private static final int MAX_REPLAY_BODY = 64 * 1024;
    private static final int READ_BUFFER = 16 * 1024;
    private static final int LARGE_READ_BUFFER = 64 * 1024;
    /**
     * Room given to zero-copy receive for the bytes it will not map (partial pages where the
     * sender's segments meet), copied in the same call. Small, because when no more than this
     * is queued the kernel copies it all instead of mapping.
     */
    private static final int STRAGGLER_COPY = 8 * 1024;

    private enum Phase { CONNECTING, FORWARDING, STREAMING, TUNNEL, DONE }

    private final ClientConnection client;
    private final ChannelHandlerContext ctx;
    private final LoopContext loop;
    private final ProxyRuntime runtime;
    private final Route route;
    private final RequestHead request;
    private final ResponseHead response;
    private final ResponseHeadParser responseParser;
    private final BodyDecoder requestBody;
    private final BodyDecoder responseBody;
    private final long startNanos;
    private final long startMillis;

    private Phase phase = Phase.CONNECTING;
    private LocalCluster cluster;
    private int endpointIndex = -1;
    private UpstreamSocket upstream;
    private boolean upstreamNew;
    private FastOpenOutcome fastOpen = FastOpenOutcome.NOT_TRIED;
    private boolean tunnelRequested;
    private final ArrayDeque<ByteBuf> toUpstream = new ArrayDeque<>();
    private List<ByteBuf> replay;
    private int retries;
    private boolean requestComplete;
    /** http.max-request-body, 0 for none; and the body data taken from the client so far. */
    private final long maxRequestBody;
    private long requestBodyData;
    private boolean requestSent;
    /** Bytes written upstream, and their count when the timer last looked (request body progress). */
    private long upstreamBytesWritten;
    private long upstreamBytesChecked;
    private ByteBuf resp;
    private boolean responseStarted;
    private boolean headDone;
    /**
     * The client's head for a response with a body, held back until the end of the upstream
     * read that brought it or until body bytes follow it: an invalid first chunk line (or a
     * close or reset) in that same read can then still be answered 502 instead of cutting off
     * a response the client has started to receive. Written before anything else.
     */
    private ByteBuf heldHead;
    private RelayFraming framing;
    private boolean closeClient;
    private boolean clientWritable = true;
    /** When the client stopped taking bytes (its channel turned unwritable); valid while it is. */
    private long clientBlockedSince;
    private boolean readPending;
    private int status;
    private BodyCounters bodyCounters;
    private BodyPath bodyPath = BodyPath.COPY;
    /** The upstream socket's zero-copy window while the body is mapped. */
    private MappedWindow window;
    /** The window is full: reading waits for the client to take (and give back) mapped pages. */
    private boolean waitingForWindow;
    private Runnable windowSpace;
    /** Set while the body is spliced; {@link #spliceStarting} while the head is still being flushed. */
    private Splice splice;
    private boolean spliceStarting;
    /**
     * Upstream bytes known to be queued past what was relayed (a mapping's receipt counts them):
     * if the response ends while any are, the upstream sent more than its response.
     */
    private long upstreamQueued;
    /** The upstream showed, after a spliced body, that the connection cannot carry another exchange. */
    private boolean upstreamSpent;
    private long bytesFromClient;
    private long bytesToClient;
    private long connectStartNanos;
    private long connectMicros = -1;
    private long requestSentNanos;
    private long firstByteMicros = -1;
    private long lastUpstreamActivity;
    private final Deadline timer;
    private String termination = "-";
    private boolean outcomeRecorded;
    /** Request bytes the access log reports, copied before the client input moves on. */
    private byte[] target;
    private byte[] referer;
    private byte[] userAgent;

    Exchange(ClientConnection client, LoopContext loop, ProxyRuntime runtime, Route route, RequestHead request,
             ResponseHead response, ResponseHeadParser responseParser, BodyDecoder requestBody,
             BodyDecoder responseBody, long startNanos, long startMillis) {
        this.client = client;
        this.ctx = client.ctx();
        this.loop = loop;
        this.runtime = runtime;
        this.route = route;
        this.request = request;
        this.response = response;
        this.responseParser = responseParser;
        this.requestBody = requestBody;
        this.responseBody = responseBody;
        this.startNanos = startNanos;
        this.startMillis = startMillis;
        this.timer = loop.deadlines().create(this::timedOut);
        this.maxRequestBody = runtime.config().http().maxRequestBody();
    }

    // ---------------------------------------------------------------- start

    void start() {
        ByteBuf in = client.input();
        if (loop.recordsWanted()) {
            target = copy(in, request.targetStart(), request.targetEnd());
            referer = field("referer");
            userAgent = field("user-agent");
        }
        bytesFromClient = request.length();
        if (route == null) {
            in.skipBytes(request.length());
            requestBody.reset(request);
            requestComplete = request.bodyKind() == BodyKind.NONE;
            answer(404, "no route", !requestComplete);
            return;
        }
        if (maxRequestBody > 0 && request.bodyKind() == BodyKind.CONTENT_LENGTH
                && request.contentLength() > maxRequestBody) {
            in.skipBytes(request.length());
            fail(413, "Content-Length " + request.contentLength() + " over max-request-body " + maxRequestBody,
                    "request-too-large");
            return;
        }
        cluster = loop.cluster(route.cluster());
        bodyCounters = cluster.bodyCounters();
        tunnelRequested = request.upgradeRequested();
        int chosen = -1;
        byte[] defaultHost = null;
        if (request.hostStart() == request.hostEnd()) {
            // HTTP/1.0 without Host: the endpoint is chosen first so that its authority can be the
            // Host of the HTTP/1.1 request sent upstream (a retry elsewhere keeps this Host)
            chosen = cluster.pick(-1);
            defaultHost = chosen >= 0 ? cluster.authority(chosen) : null;
        }
        ByteBuf head = ctx.alloc().directBuffer(request.length() + 512);
        runtime.requestWriter(route).write(request, client.hop(route), tunnelRequested, defaultHost, head);
        in.skipBytes(request.length());
        toUpstream.add(head);
        requestBody.reset(request);
        takeRequestBody();
        if (phase == Phase.DONE) {
            return;
        }
        boolean replaySafe = route.replaySafe(request.method());
        if (replaySafe && requestComplete && queuedBytes() <= MAX_REPLAY_BODY + head.readableBytes()) {
            replay = new ArrayList<>(toUpstream.size());
            for (ByteBuf buf : toUpstream) {
                replay.add(buf.retainedDuplicate());
            }
        }
        connect(chosen, -1, replaySafe);
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

    /**
     * Gets a connection to endpoint {@code chosen}, or when it is -1 to one picked now (avoiding
     * {@code excluded} when another exists).
     */
    private void connect(int chosen, int excluded, boolean replaySafe) {
        int index = chosen >= 0 ? chosen : cluster.pick(excluded);
        if (index < 0 && excluded >= 0) {
            index = cluster.pick(-1);
        }
        if (index < 0) {
            fail(503, "no endpoint available in cluster " + cluster.name(), "no-endpoint");
            return;
        }
        endpointIndex = index;
        cluster.exchangeStarted(index);
        Endpoint endpoint = cluster.endpoint(index);
        UpstreamPool pool = cluster.pool(index);
        UpstreamSocket pooled = retries == 0 ? pool.take() : null;
        if (pooled != null) {
            upstream = pooled;
            upstreamNew = false;
            upstream.handOver(this);
            upstream.startExchange();
            phase = Phase.FORWARDING;
            flushToUpstream();
            watchRequestBody();
            return;
        }
        ClusterConfig config = cluster.config();
        long now = System.nanoTime();
        EndpointState state = loop.endpointStates().of(endpoint.address());
        boolean useFastOpen = config.fastopen() && replaySafe && retries == 0 && state.fastOpenAllowed(now);
        int pageSegment = !config.mptcp() && BodyPolicy.asksForPageSegments(config.responseBody(), loop.zeroCopyProbe())
                ? cluster.pageSegment(index) : 0;
        connectStartNanos = now;
        try {
            upstream = UpstreamSocket.open(loop.loop(), endpoint, useFastOpen, config.mptcp(), pageSegment, this);
        } catch (NativeException e) {
            cluster.exchangeEnded(index);
            endpointIndex = -1;
            upstreamFailedBeforeResponse(endpoint, e);
            return;
        }
        pool.opened();
        upstreamNew = true;
        upstream.startExchange();
        fastOpen = useFastOpen ? FastOpenOutcome.UNKNOWN : FastOpenOutcome.NOT_TRIED;
        phase = Phase.FORWARDING;
        if (upstream.established()) {
            upstreamConnected(upstream);
        } else {
            schedule(config.timeouts().connect().toNanos());
            if (!useFastOpen) {
                return;
            }
        }
        flushToUpstream();
    }

    // ---------------------------------------------------------------- request body

    /** Moves request body bytes from the client input to the upstream queue. */
    private void takeRequestBody() {
        ByteBuf in = client.input();
        while (!requestBody.isComplete() && in != null && in.isReadable()) {
            long remaining = requestBody.dataRemaining();
            if (remaining > 0) {
                int n = (int) Math.min(remaining, in.readableBytes());
                requestBodyData += n;
                if (maxRequestBody > 0 && requestBodyData > maxRequestBody) {
                    requestTooLarge();
                    return;
                }
                toUpstream.add(in.readRetainedSlice(n));
                requestBody.dataConsumed(n);
                bytesFromClient += n;
                continue;
            }
            ByteBuf framing = ctx.alloc().directBuffer(64);
            int before = in.readerIndex();
            ParseResult result = requestBody.readFraming(in, framing);
            bytesFromClient += in.readerIndex() - before;
            if (framing.isReadable()) {
                toUpstream.add(framing);
            } else {
                framing.release();
            }
            if (result instanceof HttpError error) {
                requestBroken(error);
                return;
            }
            if (result == ParseProgress.NEED_MORE) {
                break;
            }
        }
        requestComplete = requestBody.isComplete();
    }

    /** More client bytes arrived while this exchange runs. */
    void clientData() {
        if (phase == Phase.TUNNEL) {
            ByteBuf in = client.input();
            if (in.isReadable()) {
                bytesFromClient += in.readableBytes();
                toUpstream.add(in.readRetainedSlice(in.readableBytes()));
                flushToUpstream();
            }
            return;
        }
        if (!requestComplete && phase != Phase.DONE) {
            takeRequestBody();
            if (phase == Phase.FORWARDING || phase == Phase.STREAMING) {
                flushToUpstream();
            }
        }
    }

    /** A chunked request body grew past max-request-body. */
    private void requestTooLarge() {
        log.debug("client {}: request body over max-request-body {}", client.clientAddress(), maxRequestBody);
        if (relayStarted()) {
            termination = "request-too-large";
            finishAbort();
        } else {
            releaseQueues();
            fail(413, "request body over max-request-body " + maxRequestBody, "request-too-large");
        }
    }

    /** The exchange still needs request body bytes from the client. */
    boolean waitsForRequestBody() {
        return !requestComplete && phase != Phase.DONE && phase != Phase.TUNNEL;
    }

    /** The client sent no body bytes for {@code idle}: 408 if nothing was relayed yet, else a cut. */
    void requestBodyTimedOut(Duration idle) {
        log.info("{} {}: client {} sent no request body bytes for {}", request.method(), route.name(),
                client.clientAddress(), idle);
        termination = "client-timeout";
        if (relayStarted()) {
            finishAbort();
        } else {
            dropHeldHead();
            releaseQueues();
            fail(408, "request body timeout", "client-timeout");
        }
    }

    private void requestBroken(HttpError error) {
        log.debug("client {}: request body: {}", client.clientAddress(), error.reason());
        if (relayStarted()) {
            termination = "client-protocol-error";
            finishAbort();
        } else {
            releaseQueues();
            fail(error.status(), error.reason(), "client-protocol-error");
        }
    }

    // ---------------------------------------------------------------- upstream writes

    private long queuedBytes() {
        long total = 0;
        for (ByteBuf buf : toUpstream) {
            total += buf.readableBytes();
        }
        return total;
    }

    /** Writes what is queued for the upstream; pauses the client while the upstream is full. */
    private void flushToUpstream() {
        if (upstream == null || !upstream.isOpen()) {
            return;
        }
        var iov = loop.iov();
        try {
            while (!toUpstream.isEmpty()) {
                iov.clear();
                for (ByteBuf buf : toUpstream) {
                    if (!buf.isReadable()) {
                        continue;
                    }
                    if (!iov.add(UpstreamSocket.address(buf) + buf.readerIndex(), buf.readableBytes())) {
                        break;
                    }
                }
                long written = iov.count() == 0 ? 0 : upstream.writev(iov);
                if (written == LinuxSocket.WOULD_BLOCK) {
                    client.pauseReading();
                    return;
                }
                upstreamBytesWritten += written;
                consume(written);
            }
        } catch (NativeException e) {
            upstreamIoFailed(e);
            return;
        }
        if (requestComplete && !requestSent) {
            requestSent = true;
            requestSentNanos = System.nanoTime();
            if (phase == Phase.FORWARDING && !responseStarted && upstream.established()) {
                schedule(cluster.config().timeouts().responseHead().toNanos());
            }
        }
        if (!requestComplete || phase == Phase.TUNNEL) {
            client.resumeReading();
        }
    }

    private void consume(long written) {
        while (!toUpstream.isEmpty()) {
            ByteBuf head = toUpstream.peekFirst();
            int readable = head.readableBytes();
            if (written < readable) {
                head.skipBytes((int) written);
                return;
            }
            written -= readable;
            toUpstream.pollFirst().release();
        }
    }

    // ---------------------------------------------------------------- upstream events

    @Override
    public void upstreamConnected(UpstreamSocket socket) {
        connectMicros = (System.nanoTime() - connectStartNanos) / 1000;
        cancelTimer();
        recordConnectionOutcome();
        if (requestSent && !responseStarted) {
            schedule(cluster.config().timeouts().responseHead().toNanos());
        } else {
            watchRequestBody();
        }
    }

    /**
     * While the request body is still on its way to an established connection, the timer
     * checks every idle timeout that the upstream keeps taking it.
     */
    private void watchRequestBody() {
        if (!requestSent && phase == Phase.FORWARDING && upstream != null && upstream.established()) {
            upstreamBytesChecked = upstreamBytesWritten;
            schedule(cluster.config().timeouts().idle().toNanos());
        }
    }

    @Override
    public void upstreamWritable(UpstreamSocket socket) {
        if (phase == Phase.FORWARDING || phase == Phase.STREAMING || phase == Phase.TUNNEL) {
            flushToUpstream();
        }
    }

    @Override
    public void upstreamReadable(UpstreamSocket socket) {
        if (phase == Phase.DONE) {
            return;
        }
        if (splice != null) {
            pumpSplice();
            return;
        }
        if (spliceStarting) {
            // the splice reads everything there is once the head is out
            return;
        }
        if (!clientWritable || waitingForWindow) {
            readPending = true;
            return;
        }
        readPending = false;
        try {
            while (phase != Phase.DONE) {
                boolean more;
                if (!fastPathNext()) {
                    more = readAndRelay();
                } else if (bodyPath == BodyPath.SPLICE) {
                    startSplice();
                    more = false;
                } else {
                    more = receiveMapped();
                }
                if (!more) {
                    break;
                }
                if (!clientWritable) {
                    readPending = true;
                    break;
                }
            }
        } catch (NativeException e) {
            upstreamIoFailed(e);
        }
        writeHeldHead();
        ctx.flush();
    }

    /** One read into {@link #resp} and what it brought relayed; false when reading stops here. */
    private boolean readAndRelay() throws NativeException {
        ensureReadBuffer();
        int n = upstream.read(resp);
        if (n == LinuxSocket.WOULD_BLOCK) {
            return false;
        }
        if (n == LinuxSocket.EOF) {
            upstreamEof();
            return false;
        }
        lastUpstreamActivity = System.nanoTime();
        if (!responseStarted) {
            firstResponseBytes();
        }
        if (phase == Phase.TUNNEL) {
            relayTunnel();
        } else {
            relayResponse();
        }
        return true;
    }

    @Override
    public void upstreamFailed(UpstreamSocket socket, NativeException cause) {
        upstreamIoFailed(cause);
    }

    private void ensureReadBuffer() {
        if (resp != null && resp.refCnt() == 1 && !resp.isReadable()) {
            resp.clear();
        }
        if (resp != null && resp.writableBytes() > 0 && resp.refCnt() == 1) {
            return;
        }
        int size = headDone && responseBody.dataRemaining() > READ_BUFFER ? LARGE_READ_BUFFER : READ_BUFFER;
        int unread = resp == null ? 0 : resp.readableBytes();
        ByteBuf next = ctx.alloc().directBuffer(unread + size);
        if (resp != null) {
            next.writeBytes(resp);
            resp.release();
        }
        resp = next;
    }

    /** The first response byte proves the connection (and tells the Fast Open outcome). */
    private void firstResponseBytes() {
        responseStarted = true;
        firstByteMicros = (System.nanoTime() - (requestSentNanos != 0 ? requestSentNanos : startNanos)) / 1000;
        releaseReplay();
        if (upstreamNew && !outcomeRecorded) {
            connectMicros = (System.nanoTime() - connectStartNanos) / 1000;
            recordConnectionOutcome();
        }
        cancelTimer();
        schedule(cluster.config().timeouts().idle().toNanos());
    }

    /** Once per new connection: its Fast Open outcome and RTT go into the endpoint's state. */
    private void recordConnectionOutcome() {
        if (outcomeRecorded || !upstreamNew) {
            return;
        }
        outcomeRecorded = true;
        Endpoint endpoint = cluster.endpoint(endpointIndex);
        long rtt = 0;
        try {
            TcpInfo info = upstream.tcpInfo();
            rtt = info.rttMicros();
            if (upstream.fastOpen()) {
                fastOpen = FastOpenOutcome.of(info);
            }
        } catch (NativeException e) {
            log.debug("TCP_INFO of {}: {}", endpoint, e.getMessage());
        }
        loop.endpointStates().of(endpoint.address())
                .record(fastOpen, rtt, cluster.config().fastopenBackoff(), System.nanoTime());
    }

    // ---------------------------------------------------------------- response relay

    private void relayResponse() {
        while (phase != Phase.DONE && phase != Phase.TUNNEL) {
            if (!headDone) {
                if (!resp.isReadable()) {
                    return;
                }
                ParseResult result = responseParser.parse(resp, response, request.method());
                if (result == ParseProgress.NEED_MORE) {
                    return;
                }
                if (result instanceof HttpError error) {
                    upstreamProtocolError(error.reason());
                    return;
                }
                if (!responseHead()) {
                    return;
                }
                continue;
            }
            relayBody(resp, false);
            return;
        }
    }

    /**
     * Relays the body bytes in {@code in} ({@link #resp}, or a mapping when {@code mapped}):
     * data as retained slices, framing through the decoder. An unfinished framing element is
     * left unread; so are bytes after the body's end, which a mapping first hands to
     * {@link #resp} (where {@link #responseComplete} looks for them).
     */
    private void relayBody(ByteBuf in, boolean mapped) {
        while (phase != Phase.DONE) {
            if (responseBody.isComplete()) {
                if (in != resp && in.isReadable()) {
                    keepUnread(in);
                }
                responseComplete();
                return;
            }
            long remaining = responseBody.dataRemaining();
            if (remaining > 0) {
                int n = (int) Math.min(remaining, in.readableBytes());
                if (n == 0) {
                    return;
                }
                ByteBuf data = in.readRetainedSlice(n);
                responseBody.dataConsumed(n);
                if (mapped) {
                    bodyCounters.mapped(n);
                } else {
                    bodyCounters.copied(n);
                }
                if (framing == RelayFraming.CHUNK) {
                    ByteBuf chunkHead = ctx.alloc().directBuffer(20);
                    ChunkEncoder.writeChunkHeader(chunkHead, n);
                    writeToClient(chunkHead);
                    writeToClient(data);
                    ByteBuf end = ctx.alloc().directBuffer(2);
                    ChunkEncoder.writeDataEnd(end);
                    writeToClient(end);
                } else {
                    writeToClient(data);
                }
                continue;
            }
            if (!in.isReadable()) {
                return;
            }
            ByteBuf framingOut = framing == RelayFraming.CHUNKED ? ctx.alloc().directBuffer(64) : null;
            ParseResult result = responseBody.readFraming(in, framingOut);
            if (framingOut != null) {
                if (framingOut.isReadable()) {
                    writeToClient(framingOut);
                } else {
                    framingOut.release();
                }
            }
            if (result instanceof HttpError error) {
                upstreamProtocolError(error.reason());
                return;
            }
            if (result == ParseProgress.NEED_MORE) {
                return;
            }
        }
    }

    /**
     * A complete response head: relays interim responses, starts a tunnel on 101, and for the
     * final response writes the client's head and sets up the body. Returns false when the
     * exchange cannot go on (it was failed).
     */
    private boolean responseHead() {
        int length = response.length();
        if (response.isInterim()) {
            ByteBuf out = ctx.alloc().directBuffer(length + 16);
            if (runtime.responseWriter(route).writeInterim(response, request, out) > 0) {
                writeToClient(out);
                ctx.flush();
            } else {
                out.release();
            }
            resp.skipBytes(length);
            responseParser.reset();
            return true;
        }
        if (response.isSwitchingProtocols() && !tunnelRequested) {
            upstreamProtocolError("101 to a request that asked for no upgrade");
            return false;
        }
        status = response.status();
        framing = response.isSwitchingProtocols() ? RelayFraming.NONE : RelayFraming.of(response, request);
        closeClient = !requestComplete;
        ByteBuf out = ctx.alloc().directBuffer(length + 256);
        runtime.responseWriter(route).write(response, request, framing, closeClient, out);
        closeClient = closeClient || RelayFraming.closesClient(response, request);
        resp.skipBytes(length);
        responseParser.reset();
        headDone = true;
        if (framing == RelayFraming.NONE) {
            writeToClient(out);
        } else {
            heldHead = out;
        }
        cancelTimer();
        schedule(cluster.config().timeouts().idle().toNanos());
        if (response.isSwitchingProtocols()) {
            startTunnel();
            return false;
        }
        responseBody.reset(response);
        chooseBodyPath();
        return true;
    }

    // ---------------------------------------------------------------- body fast paths

    private void chooseBodyPath() {
        bodyPath = BodyPath.COPY;
        if (responseBody.isComplete()) {
            return;
        }
        BodyPath path = BodyPolicy.choose(cluster.config().responseBody(), framing, response.contentLength(),
                loop.zeroCopyProbe().worthTrying(), upstream.mappable());
        if (path == BodyPath.MAPPED) {
            window = upstream.mappedWindow(bodyCounters);
            if (window == null) {
                path = BodyPath.COPY;
            }
        }
        bodyPath = path;
    }

    /**
     * Whether the next body bytes take the fast path: everything read so far is relayed (an
     * unfinished framing element in {@link #resp} is completed by copy first).
     */
    private boolean fastPathNext() {
        return bodyPath != BodyPath.COPY && headDone && phase != Phase.TUNNEL && !responseBody.isComplete()
                && !resp.isReadable();
    }

    /**
     * One zero-copy receive: relays the mapped pages (slicing data out of them around the
     * framing the decoder reads in place), then the bytes the kernel would not map, which come
     * next in the stream: those it copied into {@link #resp} in the same call, then those left
     * to read by copy. Returns false when reading stops here (nothing queued, window full, end
     * of input, or the exchange ended).
     */
    private boolean receiveMapped() throws NativeException {
        ensureReadBuffer();
        int room = Math.min(resp.writableBytes(), STRAGGLER_COPY);
        ZeroCopyReceiver.Receipt receipt = window.receive(BodyPolicy.MAX_MAPPING,
                UpstreamSocket.address(resp) + resp.writerIndex(), room);
        if (receipt.windowFull()) {
            waitForWindow();
            return false;
        }
        if (receipt.eof()) {
            upstreamEof();
            return false;
        }
        if (receipt.isEmpty()) {
            return false;
        }
        lastUpstreamActivity = System.nanoTime();
        loop.zeroCopyProbe().record(receipt.mappedBytes(), receipt.copied() + receipt.copyBytes());
        resp.writerIndex(resp.writerIndex() + receipt.copied());
        if (receipt.mappedBytes() > 0) {
            ByteBuf pages = window.wrap(receipt.mapped(), ctx.alloc());
            upstreamQueued = receipt.copied() + Math.max(receipt.copyBytes(), receipt.queued());
            try {
                relayBody(pages, true);
                if (phase != Phase.DONE && pages.isReadable()) {
                    keepUnread(pages);
                }
            } finally {
                upstreamQueued = 0;
                pages.release();
            }
        }
        if (phase != Phase.DONE && resp.isReadable()) {
            relayBody(resp, false);
        }
        int copy = receipt.copyBytes();
        while (copy > 0 && phase != Phase.DONE) {
            ensureReadBuffer();
            int n = upstream.read(resp, copy);
            if (n == LinuxSocket.EOF) {
                upstreamEof();
                return false;
            }
            if (n == LinuxSocket.WOULD_BLOCK) {
                return false;
            }
            copy -= n;
            relayBody(resp, false);
        }
        // Asking again when nothing is left costs an empty TCP_ZEROCOPY_RECEIVE per mapping.
        return phase != Phase.DONE && receipt.moreQueued();
    }

    /**
     * Puts what a mapping holds beyond what could be relayed (an unfinished framing element)
     * into {@link #resp}, before the bytes already there: in the stream they come first.
     */
    private void keepUnread(ByteBuf in) {
        int unread = in.readableBytes();
        ByteBuf next = ctx.alloc().directBuffer(unread + resp.readableBytes() + READ_BUFFER);
        next.writeBytes(in);
        next.writeBytes(resp);
        resp.release();
        resp = next;
    }

    /**
     * The window is full of pages the client has not taken yet: reading stops until some go
     * back (the client counts as blocked meanwhile, for the timer).
     */
    private void waitForWindow() {
        waitingForWindow = true;
        readPending = true;
        if (clientWritable) {
            clientBlockedSince = System.nanoTime();
        }
        if (windowSpace == null) {
            // runs inside the client channel's flush, where the pages were released: read in a task of its own
            windowSpace = () -> loop.loop().execute(this::windowHasSpace);
        }
        window.onSpace(windowSpace);
    }

    private void windowHasSpace() {
        if (phase == Phase.DONE || !waitingForWindow) {
            return;
        }
        waitingForWindow = false;
        // the upstream was not read while the window was full: its silence counts from now
        lastUpstreamActivity = System.nanoTime();
        if (clientWritable && upstream != null && upstream.isOpen()) {
            upstreamReadable(upstream);
        }
    }

    /**
     * Splices the rest of the body. The client socket is Netty's: the head (and any body bytes
     * read with it) goes through the channel first, and the splice starts once that write has
     * completed, so that bytes reach the client in order.
     */
    private void startSplice() {
        spliceStarting = true;
        writeHeldHead();
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(this::clientFlushedForSplice);
    }

    private void clientFlushedForSplice(Future<? super Void> flushed) {
        if (phase == Phase.DONE || !spliceStarting) {
            return;
        }
        spliceStarting = false;
        if (!flushed.isSuccess()) {
            // the client connection is closing: its channelInactive ends the exchange
            return;
        }
        try {
            splice = Splice.start(loop.pipes(), loop.loop(), ((UnixChannel) ctx.channel()).fd().intValue(),
                    bodyCounters, this::pumpSpliceAgain);
        } catch (NativeException e) {
            log.warn("{} {}: no pipe for splice ({}); copying the body", request.method(), route.name(),
                    e.getMessage());
            bodyPath = BodyPath.COPY;
            upstreamReadable(upstream);
            return;
        }
        pumpSplice();
    }

    private void pumpSpliceAgain() {
        if (phase != Phase.DONE && splice != null) {
            pumpSplice();
        }
    }

    private void pumpSplice() {
        Splice.Result result;
        try {
            result = splice.pump(upstream.fdValue(), responseBody.dataRemaining());
        } catch (NativeException e) {
            responseBody.dataConsumed(splice.filled());
            upstreamIoFailed(e);
            return;
        }
        if (splice.filled() > 0) {
            responseBody.dataConsumed(splice.filled());
            lastUpstreamActivity = System.nanoTime();
        }
        bytesToClient += splice.drained();
        if (!splice.clientBlocked()) {
            clientWritable = true;
        } else if (clientWritable) {
            clientBlocked();
        }
        switch (result) {
            case BLOCKED, YIELDED -> { }
            case DONE -> {
                endSplice();
                checkNothingFollows();
                responseComplete();
            }
            case UPSTREAM_EOF -> {
                log.info("{} {}: upstream {} closed mid-response", request.method(), route.name(),
                        cluster.endpoint(endpointIndex));
                termination = "upstream-closed";
                finishAbort();
            }
            case CLIENT_FAILED -> {
                log.debug("{} {}: client {} failed mid-splice: {}", request.method(), route.name(),
                        client.clientAddress(), splice.clientFailure().getMessage());
                termination = "client-closed";
                finishAbort();
            }
        }
    }

    /**
     * A splice takes exactly the body, so it cannot see what follows it: one read tells
     * whether the upstream sent more than its response, or closed, before its connection
     * goes back to the pool.
     */
    private void checkNothingFollows() {
        try {
            ensureReadBuffer();
            upstreamSpent = upstream.read(resp) == LinuxSocket.EOF;
        } catch (NativeException e) {
            upstreamSpent = true;
        }
    }

    private void endSplice() {
        spliceStarting = false;
        if (splice != null) {
            splice.close();
            splice = null;
        }
    }

    private void writeToClient(ByteBuf buf) {
        writeHeldHead();
        send(buf);
    }

    private void writeHeldHead() {
        if (heldHead != null) {
            ByteBuf head = heldHead;
            heldHead = null;
            send(head);
        }
    }

    /** Whether any of the upstream's response went to the client (not just parsed). */
    private boolean relayStarted() {
        return headDone && heldHead == null;
    }

    private void dropHeldHead() {
        if (heldHead != null) {
            heldHead.release();
            heldHead = null;
        }
    }

    private void send(ByteBuf buf) {
        bytesToClient += buf.readableBytes();
        ctx.write(buf, ctx.voidPromise());
        if (clientWritable && !ctx.channel().isWritable()) {
            clientBlocked();
        }
    }

    private void clientBlocked() {
        clientWritable = false;
        clientBlockedSince = System.nanoTime();
    }

    void clientWritabilityChanged(boolean writable) {
        if (!writable) {
            if (clientWritable) {
                clientBlocked();
            }
            return;
        }
        clientWritable = true;
        // the upstream was not read while the client was blocked: its silence counts from now
        lastUpstreamActivity = System.nanoTime();
        if (readPending && upstream != null && upstream.isOpen()) {
            upstreamReadable(upstream);
        }
    }

    private void upstreamEof() {
        if (!responseStarted) {
            upstreamFailedBeforeResponse(cluster.endpoint(endpointIndex),
                    new NativeException("read", "upstream closed before responding", Errno.ECONNRESET));
            return;
        }
        if (phase == Phase.TUNNEL) {
            termination = "-";
            finishClose();
            return;
        }
        if (headDone && responseBody.kind() == BodyKind.CLOSE_DELIMITED) {
            relayResponse();
            responseBody.endOfInput();
            if (framing == RelayFraming.CHUNK) {
                ByteBuf last = ctx.alloc().directBuffer(8);
                ChunkEncoder.writeLastChunk(last);
                writeToClient(last);
            }
            upstreamDone(false);
            closeClient = closeClient || framing.closesClient();
            complete();
            return;
        }
        if (headDone && responseBody.isComplete()) {
            responseComplete();
            return;
        }
        if (!relayStarted()) {
            upstreamBrokeBeforeBody("closed", "upstream-closed");
            return;
        }
        log.info("{} {}: upstream {} closed mid-response", request.method(), route.name(),
                cluster.endpoint(endpointIndex));
        termination = "upstream-closed";
        finishAbort();
    }

    private void responseComplete() {
        boolean reusable = response.keepAlive() && requestComplete && requestSent && !resp.isReadable()
                && toUpstream.isEmpty() && upstreamQueued == 0 && !upstreamSpent;
        upstreamDone(reusable);
        complete();
    }

    /** Gives the upstream connection back to its pool (or forgets it, closed) and ends the count. */
    private void upstreamDone(boolean reusable) {
        if (upstream == null) {
            return;
        }
        UpstreamPool pool = cluster.pool(endpointIndex);
        if (reusable) {
            pool.release(upstream);
        } else {
            if (upstream.isOpen()) {
                upstream.close();
            }
            pool.closed(upstream);
        }
        cluster.exchangeEnded(endpointIndex);
        upstream = null;
    }

    // ---------------------------------------------------------------- tunnel

    private void startTunnel() {
        phase = Phase.TUNNEL;
        cancelTimer();
        ctx.flush();
        if (resp.isReadable()) {
            writeToClient(resp.readRetainedSlice(resp.readableBytes()));
        }
        clientData();
    }

    private void relayTunnel() {
        if (resp.isReadable()) {
            writeToClient(resp.readRetainedSlice(resp.readableBytes()));
        }
    }

    // ---------------------------------------------------------------- failures

    /**
     * The upstream connection failed (refused, reset) or closed before any response byte. A
     * replay-safe request whose bytes are all held goes once more on a new connection; anything
     * else is answered 502.
     */
    private void upstreamFailedBeforeResponse(Endpoint endpoint, NativeException cause) {
        boolean wasNew = upstreamNew;
        if (upstream != null) {
            if (upstreamNew) {
                fastOpen = upstream.fastOpen() ? FastOpenOutcome.CONNECTION_FAILED : FastOpenOutcome.NOT_TRIED;
                loop.endpointStates().of(endpoint.address())
                        .record(fastOpen, 0, cluster.config().fastopenBackoff(), System.nanoTime());
            }
            upstream.abort();
            upstreamDone(false);
        }
        cancelTimer();
        if (replay != null && retries == 0) {
            log.info("{} {}: {} upstream connection to {} failed before a response ({}); retrying on a new connection",
                    request.method(), route.name(), wasNew ? "new" : "reused", endpoint, cause.getMessage());
            retries++;
            releaseQueues();
            for (ByteBuf buf : replay) {
                toUpstream.add(buf);
            }
            replay = null;
            upstreamNew = false;
            connect(-1, endpointIndex >= 0 ? endpointIndex : indexOf(endpoint), true);
            return;
        }
        int code = cause.errno() == Errno.ETIMEDOUT ? 504 : 502;
        fail(code, "upstream " + endpoint + ": " + cause.getMessage(),
                cause.errno() == Errno.ECONNREFUSED ? "upstream-refused" : "upstream-reset");
    }

    private int indexOf(Endpoint endpoint) {
        for (int i = 0; i < cluster.size(); i++) {
            if (cluster.endpoint(i).equals(endpoint)) {
                return i;
            }
        }
        return -1;
    }

    private void upstreamIoFailed(NativeException cause) {
        if (phase == Phase.DONE) {
            return;
        }
        if (!responseStarted) {
            upstreamFailedBeforeResponse(cluster.endpoint(endpointIndex), cause);
            return;
        }
        if (phase != Phase.TUNNEL && !relayStarted()) {
            upstreamBrokeBeforeBody("failed (" + cause.getMessage() + ")", "upstream-reset");
            return;
        }
        log.info("{} {}: upstream {} failed mid-response: {}", request.method(), route.name(),
                cluster.endpoint(endpointIndex), cause.getMessage());
        termination = phase == Phase.TUNNEL ? "-" : "upstream-reset";
        if (phase == Phase.TUNNEL) {
            finishClose();
        } else {
            finishAbort();
        }
    }

    private void upstreamProtocolError(String reason) {
        log.warn("{} {}: invalid response from upstream {}: {}", request.method(), route.name(),
                cluster.endpoint(endpointIndex), reason);
        if (upstream != null) {
            upstream.abort();
            upstreamDone(false);
        }
        if (relayStarted()) {
            termination = "upstream-protocol-error";
            finishAbort();
        } else {
            dropHeldHead();
            releaseQueues();
            fail(502, "invalid response: " + reason, "upstream-protocol-error");
        }
    }

    /**
     * The upstream closed or reset its connection after a response head whose body had not
     * started (the head is still held back): nothing reached the client, so it gets a 502.
     */
    private void upstreamBrokeBeforeBody(String what, String why) {
        dropHeldHead();
        upstream.abort();
        upstreamDone(false);
        releaseQueues();
        fail(502, "upstream " + what + " before any of its response was relayed", why);
    }

    private void timedOut() {
        if (phase == Phase.DONE) {
            return;
        }
        long now = System.nanoTime();
        ClusterConfig config = cluster.config();
        if (responseStarted) {
            long idle = config.timeouts().idle().toNanos();
            if (phase != Phase.TUNNEL && (!clientWritable || waitingForWindow)) {
                clientSlow(now, idle);
                return;
            }
            long deadline = lastUpstreamActivity + idle;
            if (phase == Phase.TUNNEL || now - deadline < 0) {
                schedule(phase == Phase.TUNNEL ? idle : deadline - now);
                return;
            }
            log.info("{} {}: upstream {} silent for {} mid-response", request.method(), route.name(),
                    cluster.endpoint(endpointIndex), config.timeouts().idle());
            termination = "upstream-timeout";
            if (upstream != null) {
                upstream.abort();
                upstreamDone(false);
            }
            finishAbort();
            return;
        }
        Endpoint endpoint = cluster.endpoint(endpointIndex);
        if (upstream != null && upstream.established() && !requestSent) {
            if (toUpstream.isEmpty() || upstreamBytesWritten != upstreamBytesChecked) {
                // waiting for the client (its connection's timer watches that), or progress
                watchRequestBody();
                return;
            }
            log.info("{} {}: upstream {} took none of the request body for {}", request.method(), route.name(),
                    endpoint, config.timeouts().idle());
            upstream.abort();
            upstreamDone(false);
            releaseQueues();
            fail(504, "upstream " + endpoint + " did not take the request", "upstream-timeout");
            return;
        }
        boolean connecting = upstream != null && !upstream.established() && !requestSent;
        String what = connecting ? "connect" : "response head";
        log.info("{} {}: upstream {} {} timeout ({})", request.method(), route.name(), endpoint, what,
                connecting ? config.timeouts().connect() : config.timeouts().responseHead());
        if (connecting && replay != null && retries == 0) {
            upstreamFailedBeforeResponse(endpoint, new NativeException("connect", endpoint.toString(), Errno.ETIMEDOUT));
            return;
        }
        if (upstream != null) {
            if (upstreamNew && upstream.fastOpen()) {
                loop.endpointStates().of(endpoint.address()).record(FastOpenOutcome.CONNECTION_FAILED, 0,
                        config.fastopenBackoff(), now);
            }
            upstream.abort();
            upstreamDone(false);
        }
        releaseQueues();
        fail(504, "upstream " + endpoint + " " + what + " timeout", "upstream-timeout");
    }

    /**
     * The timer found the exchange waiting for the client to take bytes, not for the upstream:
     * that is no upstream silence. A client that takes nothing for the listener's idle
     * timeout is cut off.
     */
    private void clientSlow(long now, long upstreamIdle) {
        Duration limit = client.listener().idleTimeout();
        long deadline = clientBlockedSince + limit.toNanos();
        if (now - deadline < 0) {
            schedule(Math.min(upstreamIdle, deadline - now));
            return;
        }
        log.info("{} {}: client {} took no response bytes for {}", request.method(), route.name(),
                client.clientAddress(), limit);
        termination = "client-timeout";
        finishAbort();
    }

    private void schedule(long delayNanos) {
        timer.set(delayNanos);
    }

    private void cancelTimer() {
        timer.clear();
    }

    /**
     * The client went away: abandon the exchange; the upstream connection cannot be reused. A
     * tunnel ends this way normally: its upstream gets a FIN, not a reset.
     */
    void clientClosed() {
        if (phase == Phase.DONE) {
            return;
        }
        if (phase == Phase.TUNNEL) {
            upstream.close();
            upstreamDone(false);
            end();
            return;
        }
        termination = "client-closed";
        if (upstream != null) {
            upstream.abort();
            upstreamDone(false);
        }
        end();
    }

    // ---------------------------------------------------------------- endings

    /** Answers the client with the proxy's own response (nothing was relayed yet). */
    private void fail(int code, String reason, String why) {
        if (code >= 500) {
            log.warn("{} {} -> {}: {}", request.method(), route.name(), code, reason);
        }
        termination = why;
        answer(code, reason, !requestComplete);
    }

    /**
     * Writes a canned response. The connection closes after it when the request body is not
     * all read ({@code close}): what follows could not be framed.
     */
    private void answer(int code, String reason, boolean close) {
        status = code;
        closeClient = close || !request.keepAlive();
        ByteBuf out = ctx.alloc().buffer(256);
        ErrorResponse.write(out, code, request, closeClient);
        writeToClient(out);
        ctx.flush();
        log.debug("{} {}: answered {} ({})", request.method(), route == null ? "-" : route.name(), code, reason);
        complete();
    }

    /** Ends the exchange after a complete response; the client connection may go on. */
    private void complete() {
        writeHeldHead();
        end();
        client.exchangeEnded(!closeClient && request.keepAlive(), !requestComplete);
    }

    /** Ends after the response was cut off: the client must see the connection close. */
    private void finishAbort() {
        if (upstream != null) {
            upstream.abort();
            upstreamDone(false);
        }
        ctx.flush();
        end();
        client.abort(!requestComplete);
    }

    /** A tunnel ended: flush what the client still has to get, then close. */
    private void finishClose() {
        if (upstream != null) {
            upstream.close();
            upstreamDone(false);
        }
        closeClient = true;
        end();
        client.exchangeEnded(false, false);
    }

    private void end() {
        if (phase == Phase.DONE) {
            return;
        }
        phase = Phase.DONE;
        cancelTimer();
        dropHeldHead();
        endSplice();
        if (window != null) {
            window.onSpace(null);
            window.drain();
            window = null;
        }
        if (upstream != null) {
            // Still held here only when the exchange ended on the client's side (its request
            // body broke, grew too large or stopped coming): the upstream has part of a request
            // and must never complete it.
            upstream.abort();
            upstreamDone(false);
        }
        releaseQueues();
        releaseReplay();
        if (resp != null) {
            resp.release();
            resp = null;
        }
        if (loop.recordsWanted()) {
            loop.exchangeEnded(record());
        } else {
            loop.counters().add(status, client.clientSynData(), upstreamConnection(), upstreamSynData(), retries);
        }
    }

    private void releaseQueues() {
        ByteBuf buf;
        while ((buf = toUpstream.pollFirst()) != null) {
            buf.release();
        }
    }

    private void releaseReplay() {
        if (replay != null) {
            replay.forEach(ByteBuf::release);
            replay = null;
        }
    }

    private UpstreamConnection upstreamConnection() {
        return endpointIndex < 0 || cluster == null ? UpstreamConnection.NONE
                : upstreamNew ? UpstreamConnection.NEW : UpstreamConnection.REUSED;
    }

    private SynData upstreamSynData() {
        return !upstreamNew || fastOpen == FastOpenOutcome.UNKNOWN ? SynData.UNKNOWN
                : fastOpen.synData() ? SynData.YES : SynData.NO;
    }

    /** The access log's view of this exchange; built only when a log or observer wants it. */
    private AccessRecord record() {
        Endpoint endpoint = endpointIndex >= 0 && cluster != null ? cluster.endpoint(endpointIndex) : null;
        UpstreamConnection connection = upstreamConnection();
        SynData upstreamSyn = upstreamSynData();
        return new AccessRecord(startMillis, client.clientAddress(), client.clientPort(), client.listener().name(),
                request.method().name(), target, request.version() == HttpVersion.HTTP_1_0 ? "HTTP/1.0" : "HTTP/1.1",
                status, bytesFromClient, bytesToClient, referer, userAgent, (System.nanoTime() - startNanos) / 1000,
                connectMicros, firstByteMicros, route == null ? null : route.name(),
                cluster == null ? null : cluster.name(), endpoint == null ? null : endpoint.name(),
                client.clientSynData(), connection, upstreamSyn, retries, termination);
    }


}
