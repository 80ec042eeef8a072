package dev.synedge.origin;

import dev.synedge.http.BodyDecoder;
import dev.synedge.http.BodyKind;
import dev.synedge.http.HttpError;
import dev.synedge.http.HttpLimits;
import dev.synedge.http.HttpVersion;
import dev.synedge.http.Method;
import dev.synedge.http.ParseProgress;
import dev.synedge.http.ParseResult;
import dev.synedge.http.RequestHead;
import dev.synedge.http.RequestHeadParser;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One HTTP/1.1 connection: reads requests in order (pipelined bytes wait in the cumulation until
 * the response before them is issued) with the codec's strict {@link RequestHeadParser} and
 * {@link BodyDecoder}, streams each body into its sink (the raw bytes, chunk framing included,
 * and the data), answers through a {@link ResponseWriter}, and closes the way the response
 * asks. Runs on the channel's event loop only.
 *
 * <p>Ownership: the cumulation belongs to this handler; bytes lent to sinks are copied by them
 * if kept; a response's content belongs to its writer.
 */
final class ConnectionHandler extends ChannelInboundHandlerAdapter implements ResponseWriter.Owner {

    /** Stop reading while a response is in progress and this much is already buffered. */
    private static final int PAUSE_READING_AT = 1 << 20;
    /** How long a connection closed with unread input keeps draining it (lingering close). */
    private static final long LINGER_MS = 2000;
    private static final int TCPI_OPT_SYN_DATA = 0x20;
    /**
     * Request line 8 KiB (414), head 64 KiB (431), fields bounded by the head size alone (a
     * field line takes at least 4 bytes), chunk lines 4 KiB, trailers 16 KiB: roomier than the
     * proxy's defaults, so that a proxy test hits the proxy's limits, not the origin's.
     */
    static final HttpLimits LIMITS = new HttpLimits(8 * 1024, 64 * 1024, 64 * 1024 / 4, 4 * 1024, 16 * 1024);
    private static final Response.RequestFacts UNKNOWN_REQUEST = new Response.RequestFacts(false, true, false, true);
    private static final byte[] SWITCHING = HeadEncoder.ascii(
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ");

    private enum Phase { HEAD, BODY, RESPONDING, CLOSING, UPGRADED }

    private final OriginRuntime runtime;
    private final Counters counters;
    private final RequestHeadParser parser = new RequestHeadParser(LIMITS);
    private final RequestHead head = new RequestHead();
    private final BodyDecoder body = new BodyDecoder(LIMITS);
    /** Data bytes of the current request body read so far. */
    private long bodyBytes;

    private ChannelHandlerContext ctx;
    private ByteBuf cumulation;
    private Phase phase = Phase.HEAD;
    private Exchange exchange;
    private Response.RequestFacts facts;
    private ResponseWriter writer;
    private ChannelFuture lastWrite;
    private boolean processing;
    private boolean inputClosed;

    ConnectionHandler(OriginRuntime runtime) {
        this.runtime = runtime;
        this.counters = runtime.counters;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        counters.connectionsAccepted.increment();
        if (ctx.channel() instanceof EpollSocketChannel ch && (ch.tcpInfo().options() & TCPI_OPT_SYN_DATA) != 0) {
            counters.connectionsWithSynData.increment();
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf in) || phase == Phase.CLOSING || phase == Phase.UPGRADED) {
            ReferenceCountUtil.release(msg);
            return;
        }
        cumulation = cumulation == null ? in : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ctx.alloc(), cumulation, in);
        process();
        if (phase == Phase.RESPONDING && cumulation != null && cumulation.readableBytes() >= PAUSE_READING_AT) {
            ctx.channel().config().setAutoRead(false);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (writer != null && ctx.channel().isWritable()) {
            writer.onWritable();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            inputClosed = true;
            switch (phase) {
                case HEAD, BODY -> process();
                case CLOSING -> ctx.close();
                default -> {
                    // A response is in progress; what follows it is decided when it is issued.
                }
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cleanUp();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cleanUp();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!(cause instanceof IOException)) {
            ctx.fireExceptionCaught(cause);
        }
        ctx.close();
    }

    private void process() {
        if (processing) {
            return;
        }
        processing = true;
        try {
            boolean progress = true;
            while (progress) {
                progress = switch (phase) {
                    case HEAD -> readHead();
                    case BODY -> readBody();
                    default -> false;
                };
            }
        } catch (RequestRejected e) {
            reject(e);
        } finally {
            processing = false;
        }
        compact();
    }

    private boolean readHead() throws RequestRejected {
        ParseResult result = cumulation == null || !cumulation.isReadable()
                ? ParseProgress.NEED_MORE : parser.parse(cumulation, head);
        if (result == ParseProgress.NEED_MORE) {
            if (inputClosed) {
                closeAfterWrites();
            }
            return false;
        }
        if (result instanceof HttpError error) {
            throw new RequestRejected(error.status(), error.reason());
        }
        // empty lines before the request line are part of head.length() but not of the request
        int start = head.start();
        int end = cumulation.readerIndex() + head.length();
        facts = new Response.RequestFacts(head.method() == Method.HEAD, head.version() == HttpVersion.HTTP_1_1,
                head.connectionKeepAlive(), head.connectionClose());
        if (head.version() == HttpVersion.HTTP_1_1 && !onlyContinueExpected(head)) {
            throw new RequestRejected(417, "only 100-continue is a known expectation");
        }
        Router.Route route = Router.route(head);
        if (route.endpoint() == Endpoint.WEBSOCKET) {
            cumulation.readerIndex(end);
            upgrade();
            return false;
        }
        BodySink sink = switch (route.endpoint()) {
            case ECHO -> {
                if (head.contentLength() > EchoCapture.MAX_BYTES) {
                    throw new RequestRejected(413, "echo takes requests up to " + EchoCapture.MAX_BYTES + " bytes");
                }
                yield new EchoCapture(ctx.alloc(), cumulation, start, end - start, head.contentLength());
            }
            case UPLOAD -> new UploadDigest();
            default -> BodySink.DISCARD;
        };
        exchange = new Exchange(route.endpoint(), route.size(), route.options(), facts, sink);
        cumulation.readerIndex(end);
        body.reset(head);
        bodyBytes = 0;
        phase = Phase.BODY;
        if (head.expectContinue() && hasBody(head)) {
            switch (route.options().expect()) {
                case CONTINUE -> ctx.writeAndFlush(Unpooled.wrappedBuffer(HeadEncoder.CONTINUE));
                case IGNORE -> {
                    // The client sends its body after its own timeout.
                }
                case REJECT -> {
                    exchange.sink().discard();
                    exchange = null;
                    startResponse(textResponse(417, "expectation refused on request (expect=417)\n", true));
                    return false;
                }
            }
        }
        return true;
    }

    /** Every Expect field says 100-continue (S §10.1.1: a server may refuse others with 417). */
    private static boolean onlyContinueExpected(RequestHead head) {
        for (int i = head.indexOf("expect"); i >= 0; i = head.indexOf("expect", i + 1)) {
            if (!head.valueEqualsIgnoreCase(i, "100-continue")) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasBody(RequestHead head) {
        return head.bodyKind() == BodyKind.CHUNKED || head.contentLength() > 0;
    }

    private boolean readBody() throws RequestRejected {
        if (!readBodyBytes()) {
            if (inputClosed) {
                closeAfterWrites();
            }
            return false;
        }
        Exchange x = exchange;
        if (x.endpoint() != Endpoint.STATS) {
            counters.requests.increment();
            counters.requestBodyBytes.add(bodyBytes);
        }
        startResponse(respond(x));
        return true;
    }

    /**
     * Moves what the cumulation holds of the body into the sink: data bytes as they are, and
     * the framing bytes the decoder consumed (chunk lines, CRLFs, trailers) as raw bytes only.
     * True once the body is complete; the bytes after it stay in the cumulation.
     */
    private boolean readBodyBytes() throws RequestRejected {
        BodySink sink = exchange.sink();
        while (!body.isComplete()) {
            if (cumulation == null || !cumulation.isReadable()) {
                return false;
            }
            int from = cumulation.readerIndex();
            long data = body.dataRemaining();
            if (data > 0) {
                int n = (int) Math.min(data, cumulation.readableBytes());
                sink.raw(cumulation, from, n);
                sink.data(cumulation, from, n);
                cumulation.skipBytes(n);
                body.dataConsumed(n);
                bodyBytes += n;
                continue;
            }
            ParseResult result = body.readFraming(cumulation, null);
            int framing = cumulation.readerIndex() - from;
            if (framing > 0) {
                sink.raw(cumulation, from, framing);
            }
            if (result instanceof HttpError error) {
                throw new RequestRejected(error.status(), error.reason());
            }
            if (result == ParseProgress.NEED_MORE) {
                return false;
            }
        }
        return true;
    }

    private Response respond(Exchange x) {
        ResponseOptions o = x.options();
        int status = o.status() != 0 ? o.status() : 200;
        return switch (x.endpoint()) {
            case HELLO -> Response.plan(x.facts(), o, status, ContentType.TEXT,
                    new Content.Bytes(runtime.hello.retainedDuplicate()), true, OriginRuntime.HELLO_CRC,
                    List.of(), false, true);
            case SIZED -> Response.plan(x.facts(), o, status, ContentType.OCTET_STREAM,
                    new Content.Pattern(runtime.block, x.size()), true, BodyPattern.crc32c(x.size()),
                    List.of(), false, true);
            case ECHO -> {
                ByteBuf captured = ((EchoCapture) x.sink()).take();
                yield Response.plan(x.facts(), o, status, ContentType.OCTET_STREAM,
                        new Content.Bytes(captured), true, EchoCapture.crc32c(captured), List.of(), false, true);
            }
            case UPLOAD -> {
                UploadDigest digest = (UploadDigest) x.sink();
                String crc = HexFormat.of().toHexDigits(digest.crc32c());
                List<byte[]> headers = List.of(
                        HeadEncoder.ascii("X-Upload-Length: " + digest.length() + "\r\n"),
                        HeadEncoder.ascii("X-Upload-Checksum: " + crc + "\r\n"));
                yield Response.plan(x.facts(), o, status, ContentType.JSON,
                        text("{\"length\":" + digest.length() + ",\"crc32c\":\"" + crc + "\"}\n"), false, 0,
                        headers, false, true);
            }
            case STATS -> {
                OriginStats stats = counters.snapshot();
                if (o.resetStats()) {
                    counters.reset();
                }
                yield Response.plan(x.facts(), ResponseOptions.DEFAULTS, 200, ContentType.JSON,
                        text(stats.toJson() + "\n"), false, 0, List.of(), false, false);
            }
            case NOT_FOUND -> Response.plan(x.facts(), o, 404, ContentType.TEXT, text("not found\n"), false, 0,
                    List.of(), false, true);
            case WEBSOCKET -> throw new IllegalStateException("upgrades are answered when their head is read");
        };
    }

    private Content text(String s) {
        ByteBuf buf = ctx.alloc().directBuffer(s.length() * 3);
        buf.writeCharSequence(s, StandardCharsets.UTF_8);
        return new Content.Bytes(buf);
    }

    private Response textResponse(int status, String message, boolean close) {
        return Response.plan(facts == null ? UNKNOWN_REQUEST : facts, ResponseOptions.DEFAULTS, status,
                ContentType.TEXT_UTF8, text(message), false, 0, List.of(), close, true);
    }

    private void startResponse(Response r) {
        phase = Phase.RESPONDING;
        writer = new ResponseWriter(ctx, r, runtime, this);
        writer.start();
    }

    @Override
    public void responseIssued(ChannelFuture last, boolean closeAfter) {
        writer = null;
        exchange = null;
        facts = null;
        lastWrite = last;
        if (closeAfter) {
            closeAfterResponse(last);
            return;
        }
        phase = Phase.HEAD;
        if (!ctx.channel().config().isAutoRead()) {
            ctx.channel().config().setAutoRead(true);
        }
        process();
    }

    @Override
    public void responseAborted() {
        writer = null;
        exchange = null;
        phase = Phase.CLOSING;
        releaseCumulation();
    }

    private void reject(RequestRejected e) {
        counters.badRequests.increment();
        if (exchange != null) {
            exchange.sink().discard();
            exchange = null;
        }
        startResponse(textResponse(e.status(), e.getMessage() + "\n", true));
    }

    /**
     * Closes after {@code last}. When input may still be arriving (an unread body, pipelined
     * requests), closing at once would make the kernel answer it with an RST that can destroy
     * the response in the client's receive queue; so the output is shut (FIN) and the input is
     * drained until the client closes or {@link #LINGER_MS} passes.
     */
    private void closeAfterResponse(ChannelFuture last) {
        phase = Phase.CLOSING;
        boolean unread = (cumulation != null && cumulation.isReadable()) || !body.isComplete();
        releaseCumulation();
        if (!unread || inputClosed) {
            last.addListener(ChannelFutureListener.CLOSE);
            return;
        }
        Channel channel = ctx.channel();
        channel.config().setAutoRead(true);
        last.addListener(f -> {
            if (!f.isSuccess() || !channel.isActive()) {
                channel.close();
                return;
            }
            ((DuplexChannel) channel).shutdownOutput();
            channel.eventLoop().schedule(() -> channel.close(), LINGER_MS, TimeUnit.MILLISECONDS);
        });
    }

    private void closeAfterWrites() {
        phase = Phase.CLOSING;
        releaseCumulation();
        if (lastWrite != null && !lastWrite.isDone()) {
            lastWrite.addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.close();
        }
    }

    private void upgrade() throws RequestRejected {
        if (head.method() != Method.GET || !head.upgradeRequested() || !upgradesToWebSocket(head)) {
            throw RequestRejected.badRequest("/ws needs GET with Upgrade: websocket and Connection: Upgrade");
        }
        if (!"13".equals(head.value("sec-websocket-version"))) {
            throw RequestRejected.badRequest("/ws needs Sec-WebSocket-Version: 13");
        }
        String key = head.value("sec-websocket-key");
        if (!WebSocketEcho.validKey(key)) {
            throw RequestRejected.badRequest("/ws needs a Sec-WebSocket-Key of 16 bytes in base64");
        }
        if (hasBody(head)) {
            throw RequestRejected.badRequest("a WebSocket handshake has no body");
        }
        counters.requests.increment();
        counters.webSocketUpgrades.increment();
        phase = Phase.UPGRADED;
        ByteBuf response = ctx.alloc().directBuffer(160);
        response.writeBytes(SWITCHING);
        response.writeCharSequence(WebSocketEcho.accept(key), StandardCharsets.US_ASCII);
        response.writeBytes(HeadEncoder.ascii("\r\n\r\n"));
        counters.responses.increment();
        ctx.writeAndFlush(response).addListener(runtime.uncountFailedResponse);
        WebSocketEcho.install(ctx.pipeline(), ctx.name());
        ByteBuf rest = cumulation;
        cumulation = null;
        if (rest.isReadable()) {
            ctx.fireChannelRead(rest);
        } else {
            rest.release();
        }
        ctx.pipeline().remove(this);
    }

    /** An Upgrade field lists websocket (the codec has checked that the values are token lists). */
    private static boolean upgradesToWebSocket(RequestHead head) {
        for (int i = head.indexOf("upgrade"); i >= 0; i = head.indexOf("upgrade", i + 1)) {
            for (String protocol : head.value(i).split(",")) {
                if (protocol.strip().equalsIgnoreCase("websocket")) {
                    return true;
                }
            }
        }
        return false;
    }

    private void compact() {
        if (cumulation != null) {
            if (!cumulation.isReadable()) {
                releaseCumulation();
            } else {
                cumulation.discardSomeReadBytes();
            }
        }
    }

    private void releaseCumulation() {
        if (cumulation != null) {
            cumulation.release();
            cumulation = null;
        }
    }

    private void cleanUp() {
        if (writer != null) {
            writer.abort();
            writer = null;
        }
        if (exchange != null) {
            exchange.sink().discard();
            exchange = null;
        }
        releaseCumulation();
        if (phase != Phase.UPGRADED) {
            phase = Phase.CLOSING;
        }
    }
}
