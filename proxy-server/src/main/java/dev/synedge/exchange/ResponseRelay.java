package dev.synedge.exchange;

import dev.synedge.body.BodyCounters;
import dev.synedge.body.BodyPath;
import dev.synedge.body.BodyPolicy;
import dev.synedge.body.MappedWindow;
import dev.synedge.http.BodyDecoder;
import dev.synedge.http.BodyKind;
import dev.synedge.http.ChunkEncoder;
import dev.synedge.http.HttpError;
import dev.synedge.http.ParseProgress;
import dev.synedge.http.ParseResult;
import dev.synedge.http.RelayFraming;
import dev.synedge.http.RequestHead;
import dev.synedge.http.ResponseHead;
import dev.synedge.http.ResponseHeadParser;
import dev.synedge.http.ResponseHeadWriter;
import dev.synedge.net.LinuxSocket;
import dev.synedge.net.NativeException;
import dev.synedge.upstream.UpstreamSocket;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;

/**
 * The response's way down: reads the upstream socket, parses the head (relaying interim
 * responses), writes the client's head, and relays the body with the framing the client
 * needs (re-chunked where the decoder says so), as fast as the client takes it.
 *
 * <p>Heads, chunk framing, trailers and any body data no fast path takes are read into
 * {@link #input} and relayed from there: the copy path. For a body {@link BodyPolicy} sends
 * another way, a {@link BodyPump} takes the data bytes the decoder says come next, once all
 * bytes read before them are relayed.
 *
 * <p>The client's head for a response with a body is held back (in {@link ClientOutput}) until
 * the end of the read that brought it or until body bytes follow: an invalid first chunk line,
 * or a close or reset, in that same read can then still be answered 502 instead of cutting off
 * a response the client started to receive.
 *
 * <p>ByteBuf ownership: {@link #input} is this relay's read buffer; its retained slices go to
 * the client channel, which releases them once written. {@link #release} frees it, and the
 * head still held back.
 */
final class ResponseRelay {

    private static final int READ_BUFFER = 16 * 1024;
    private static final int LARGE_READ_BUFFER = 64 * 1024;

    private final Exchange exchange;
    private final ChannelHandlerContext ctx;
    private final LoopContext loop;
    private final RequestHead request;
    private final ResponseHead response;
    private final ResponseHeadParser parser;
    private final BodyDecoder body;
    private final ClientOutput output;
    private ResponseHeadWriter writer;
    private BodyCounters counters;
    private ByteBuf input;
    private RelayFraming framing;
    /** The status of the final response head, 0 before. */
    private int status;
    /** The client connection closes after this response. */
    private boolean closesClient;
    /** The fast path for this response's body; null for the copy path. */
    private BodyPump pump;
    /** The upstream was not read to its end because the client could take no more. */
    private boolean readPending;
    private long lastUpstreamActivity;
    /**
     * Upstream bytes known to be queued past what was relayed (a mapping's receipt counts them):
     * if the response ends while any are, the upstream sent more than its response.
     */
    private long upstreamQueued;
    /** The upstream showed, after a spliced body, that its connection cannot carry another exchange. */
    private boolean upstreamSpent;

    ResponseRelay(Exchange exchange, ChannelHandlerContext ctx, ClientOutput output, LoopContext loop,
                  RequestHead request, ResponseHead response, ResponseHeadParser parser, BodyDecoder body) {
        this.exchange = exchange;
        this.ctx = ctx;
        this.output = output;
        this.loop = loop;
        this.request = request;
        this.response = response;
        this.parser = parser;
        this.body = body;
    }

    /** Before the first read: how the client's heads are written, and where body bytes are counted. */
    void prepare(ResponseHeadWriter writer, BodyCounters counters) {
        this.writer = writer;
        this.counters = counters;
    }

    // ---------------------------------------------------------------- reading

    /** The upstream has input (or closed): read and relay until it would block, the client is full or the exchange ends. */
    void upstreamReadable() {
        try {
            if (pump != null && pump.drivesInput()) {
                pump.pump();
                return;
            }
            if (clientBlocked()) {
                readPending = true;
                return;
            }
            readPending = false;
            while (!exchange.done()) {
                boolean more = fastPathNext() ? pump.pump() : readAndRelay();
                if (!more) {
                    break;
                }
                if (!output.writable()) {
                    readPending = true;
                    break;
                }
            }
        } catch (NativeException e) {
            exchange.upstreamIoFailed(e);
        }
        output.writeHeld();
        ctx.flush();
    }

    /**
     * Whether the next body bytes take the fast path: everything read so far is relayed (an
     * unfinished framing element in {@link #input} is completed by copy first).
     */
    private boolean fastPathNext() {
        return pump != null && exchange.phase() == Phase.RESPONSE_BODY && !body.isComplete()
                && !input.isReadable();
    }

    /** One read into {@link #input}, and what it brought relayed; false when reading stops here. */
    private boolean readAndRelay() throws NativeException {
        ensureInput();
        int n = exchange.upstream().read(input);
        if (n == LinuxSocket.WOULD_BLOCK) {
            return false;
        }
        if (n == LinuxSocket.EOF) {
            exchange.upstreamEof();
            return false;
        }
        lastUpstreamActivity = System.nanoTime();
        if (!exchange.phase().responseStarted()) {
            exchange.firstResponseBytes();
        }
        if (exchange.phase() == Phase.TUNNEL) {
            relayTunnel();
        } else {
            relayResponse();
        }
        return true;
    }

    /** Makes sure {@link #input} exists, is this relay's alone and has room to read into. */
    void ensureInput() {
        if (input != null && input.refCnt() == 1 && !input.isReadable()) {
            input.clear();
        }
        if (input != null && input.writableBytes() > 0 && input.refCnt() == 1) {
            return;
        }
        int size = exchange.phase().headParsed() && body.dataRemaining() > READ_BUFFER ? LARGE_READ_BUFFER : READ_BUFFER;
        int unread = input == null ? 0 : input.readableBytes();
        ByteBuf next = ctx.alloc().directBuffer(unread + size);
        if (input != null) {
            next.writeBytes(input);
            input.release();
        }
        input = next;
    }

    ByteBuf input() {
        return input;
    }

    /** Reads exactly {@code max} bytes or fewer by copy: what zero-copy receive left to be copied. */
    int readInto(int max) throws NativeException {
        ensureInput();
        return exchange.upstream().read(input, max);
    }

    // ---------------------------------------------------------------- head

    /** Parses what {@link #input} holds: the head first, then the body. */
    void relayResponse() {
        while (!exchange.done() && exchange.phase() != Phase.TUNNEL) {
            if (exchange.phase() == Phase.RESPONSE_HEAD) {
                if (!input.isReadable()) {
                    return;
                }
                ParseResult result = parser.parse(input, response, request.method());
                if (result == ParseProgress.NEED_MORE) {
                    return;
                }
                if (result instanceof HttpError error) {
                    exchange.upstreamProtocolError(error.reason());
                    return;
                }
                if (!responseHead()) {
                    return;
                }
                continue;
            }
            relayBody(input, false);
            return;
        }
    }

    /**
     * A complete response head: relays an interim response, starts a tunnel on 101, and for
     * the final response writes the client's head and sets up the body. Returns false when the
     * exchange cannot go on here (it failed, or it is a tunnel now).
     */
    private boolean responseHead() {
        int length = response.length();
        if (response.isInterim()) {
            ByteBuf out = ctx.alloc().directBuffer(length + 16);
            if (writer.writeInterim(response, request, out) > 0) {
                output.write(out);
                ctx.flush();
            } else {
                out.release();
            }
            input.skipBytes(length);
            parser.reset();
            return true;
        }
        if (response.isSwitchingProtocols() && !exchange.tunnelRequested()) {
            exchange.upstreamProtocolError("101 to a request that asked for no upgrade");
            return false;
        }
        if (response.isSwitchingProtocols() && response.upgradeNamesH2c()) {
            exchange.upstreamProtocolError("101 to h2c, which synedge never offers upstream");
            return false;
        }
        if (exchange.retriedOn(response.status())) {
            return false;
        }
        status = response.status();
        framing = response.isSwitchingProtocols() ? RelayFraming.NONE : RelayFraming.of(response, request);
        // A client whose request body is not all read cannot send another request here; a
        // draining server takes none.
        closesClient = !exchange.requestComplete() || exchange.clientDraining();
        ByteBuf out = ctx.alloc().directBuffer(length + 256);
        writer.write(response, request, framing, closesClient, out);
        closesClient = closesClient || RelayFraming.closesClient(response, request);
        input.skipBytes(length);
        parser.reset();
        if (framing == RelayFraming.NONE) {
            output.write(out);
        } else {
            output.hold(out);
        }
        if (response.isSwitchingProtocols()) {
            exchange.startTunnel();
            return false;
        }
        exchange.headParsed(status);
        body.reset(response);
        chooseBodyPath();
        return true;
    }

    private void chooseBodyPath() {
        pump = null;
        if (body.isComplete()) {
            return;
        }
        UpstreamSocket upstream = exchange.upstream();
        BodyPath path = BodyPolicy.choose(exchange.cluster().config().responseBody(), framing,
                response.contentLength(), loop.zeroCopyProbe().worthTrying(), upstream.mappable());
        switch (path) {
            case MAPPED -> {
                MappedWindow window = upstream.mappedWindow(counters);
                pump = window == null ? null : new MappedPump(exchange, this, output, loop, window);
            }
            case SPLICE -> pump = new SplicePump(exchange, this, output, loop, ctx, body, counters);
            case COPY -> pump = null;
        }
    }

    /**
     * The response will not be relayed (its status is retried elsewhere): what was read of it
     * goes, and the next response is parsed from scratch.
     */
    void discardResponse() {
        if (input != null) {
            input.release();
            input = null;
        }
        parser.reset();
    }

    /** The fast path cannot go on (no pipe for a splice): the rest of the body is copied. */
    void copyInstead() {
        pump = null;
        upstreamReadable();
    }

    // ---------------------------------------------------------------- body

    /**
     * Relays the body bytes in {@code in} ({@link #input}, or a mapping when {@code mapped}):
     * data as retained slices, framing through the decoder. An unfinished framing element is
     * left unread; so are bytes after the body's end, which a mapping first hands to
     * {@link #input} (where the exchange looks for them before pooling the connection).
     */
    void relayBody(ByteBuf in, boolean mapped) {
        while (!exchange.done()) {
            if (body.isComplete()) {
                if (in != input && in.isReadable()) {
                    keepUnread(in);
                }
                exchange.responseComplete();
                return;
            }
            long remaining = body.dataRemaining();
            if (remaining > 0) {
                int n = (int) Math.min(remaining, in.readableBytes());
                if (n == 0) {
                    return;
                }
                ByteBuf data = in.readRetainedSlice(n);
                body.dataConsumed(n);
                if (mapped) {
                    counters.mapped(n);
                } else {
                    counters.copied(n);
                }
                if (framing == RelayFraming.CHUNK) {
                    ByteBuf chunkHead = ctx.alloc().directBuffer(20);
                    ChunkEncoder.writeChunkHeader(chunkHead, n);
                    output.write(chunkHead);
                    output.write(data);
                    ByteBuf end = ctx.alloc().directBuffer(2);
                    ChunkEncoder.writeDataEnd(end);
                    output.write(end);
                } else {
                    output.write(data);
                }
                continue;
            }
            if (!in.isReadable()) {
                return;
            }
            ByteBuf framingOut = framing == RelayFraming.CHUNKED ? ctx.alloc().directBuffer(64) : null;
            ParseResult result = body.readFraming(in, framingOut);
            if (framingOut != null) {
                if (framingOut.isReadable()) {
                    output.write(framingOut);
                } else {
                    framingOut.release();
                }
            }
            if (result instanceof HttpError error) {
                exchange.upstreamProtocolError(error.reason());
                return;
            }
            if (result == ParseProgress.NEED_MORE) {
                return;
            }
        }
    }

    /**
     * Puts what a mapping holds beyond what could be relayed (an unfinished framing element)
     * into {@link #input}, before the bytes already there: in the stream they come first.
     */
    void keepUnread(ByteBuf in) {
        int unread = in.readableBytes();
        ByteBuf next = ctx.alloc().directBuffer(unread + input.readableBytes() + READ_BUFFER);
        next.writeBytes(in);
        next.writeBytes(input);
        input.release();
        input = next;
    }

    /**
     * The upstream closed: a close-delimited body ends here (re-chunked, it gets its last
     * chunk). Returns whether that made the response complete.
     */
    boolean endOfInput() {
        if (!exchange.phase().headParsed() || body.kind() != BodyKind.CLOSE_DELIMITED) {
            return false;
        }
        relayResponse();
        body.endOfInput();
        if (framing == RelayFraming.CHUNK) {
            ByteBuf last = ctx.alloc().directBuffer(8);
            ChunkEncoder.writeLastChunk(last);
            output.write(last);
        }
        closesClient = closesClient || framing.closesClient();
        return true;
    }

    /** Whether the body's last byte was relayed. */
    boolean bodyComplete() {
        return exchange.phase().headParsed() && body.isComplete();
    }

    /** Whether the upstream connection is clean for another exchange as far as the response goes. */
    boolean upstreamReusable() {
        return response.keepAlive() && !input.isReadable() && upstreamQueued == 0 && !upstreamSpent;
    }

    // ---------------------------------------------------------------- tunnel

    /** In a tunnel: what the upstream sent goes to the client as it is. */
    void relayTunnel() {
        if (input.isReadable()) {
            output.write(input.readRetainedSlice(input.readableBytes()));
        }
    }

    // ---------------------------------------------------------------- client side

    /** Whether any of the upstream's response went to the client (not just parsed). */
    boolean relayStarted() {
        return exchange.phase().headParsed() && !output.holdsHead();
    }

    /** Whether the client takes no more response bytes now: its channel is full, or the fast path waits for it. */
    boolean clientBlocked() {
        return !output.writable() || (pump != null && pump.waiting());
    }

    void clientWritabilityChanged(boolean writable) {
        output.writabilityChanged(writable);
        if (!writable) {
            return;
        }
        // the upstream was not read while the client was blocked: its silence counts from now
        lastUpstreamActivity = System.nanoTime();
        UpstreamSocket upstream = exchange.upstream();
        if (readPending && upstream != null && upstream.isOpen()) {
            upstreamReadable();
        }
    }

    /**
     * The fast path stopped for the client (a full zero-copy window waits for it to take pages):
     * reading resumes when the pump says so.
     */
    void waitingForClient() {
        readPending = true;
        output.waitedFor();
    }

    // ---------------------------------------------------------------- figures

    void upstreamActive() {
        lastUpstreamActivity = System.nanoTime();
    }

    long lastUpstreamActivity() {
        return lastUpstreamActivity;
    }

    void upstreamQueued(long bytes) {
        upstreamQueued = bytes;
    }

    void upstreamSpent(boolean spent) {
        upstreamSpent = spent;
    }

    int status() {
        return status;
    }

    boolean closesClient() {
        return closesClient;
    }

    /** Frees the buffers and the fast path's resources. */
    void release() {
        output.dropHeld();
        if (pump != null) {
            pump.close();
        }
        if (input != null) {
            input.release();
            input = null;
        }
    }
}
