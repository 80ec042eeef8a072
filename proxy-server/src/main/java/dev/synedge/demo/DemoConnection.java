package dev.synedge.demo;

import dev.synedge.http.BodyDecoder;
import dev.synedge.http.BodyKind;
import dev.synedge.http.ErrorResponse;
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
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * One connection to the demo origin: reads requests in order with the codec's strict
 * {@link RequestHeadParser} and {@link BodyDecoder}, answers each once its body is read, and
 * keeps the connection for the next one unless the request, or a refusal, ends it. Pipelined
 * requests wait in the input buffer while the client is slow to take the responses before
 * them. Runs on the channel's event loop only.
 */
final class DemoConnection extends ChannelInboundHandlerAdapter {

    /** Roomier than the proxy's defaults, so that whatever the proxy forwards fits. */
    private static final HttpLimits LIMITS = new HttpLimits(8 * 1024, 64 * 1024, 1000, 4 * 1024, 16 * 1024);
    /** The largest request {@code /echo} sends back, head and body; a larger one gets 413. */
    static final int MAX_ECHO = 1 << 20;
    /**
     * How long a refused request's connection goes on reading after the refusal: closing with
     * unread input sends an RST, which can destroy the refusal before the client reads it.
     */
    private static final long LINGER_SECONDS = 2;

    private enum Page { HELLO, MEGABYTE, ECHO, NOT_FOUND, METHOD_NOT_ALLOWED }

    private final ByteBuf megabyte;
    private final RequestHeadParser parser = new RequestHeadParser(LIMITS);
    private final RequestHead head = new RequestHead();
    private final BodyDecoder body = new BodyDecoder(LIMITS);

    private ChannelHandlerContext ctx;
    /** Bytes read and not yet consumed; owned here. */
    private ByteBuf input;
    /** What the request being read will get, once its head is parsed; null between requests. */
    private Page page;
    private boolean headOnly;
    private Responses.Persistence persistence;
    /** For {@code /echo}: the request as received so far; owned here until written. */
    private ByteBuf echo;
    private ChannelFuture lastWrite;
    private boolean processing;
    /** Not reading until the client has taken what was written. */
    private boolean paused;
    private boolean inputClosed;
    /** The connection is closing: input is dropped and no request is read any more. */
    private boolean ending;

    DemoConnection(ByteBuf megabyte) {
        this.megabyte = megabyte;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf in) || ending) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (input == null) {
            input = in;
        } else {
            try {
                input.ensureWritable(in.readableBytes()).writeBytes(in);
            } finally {
                in.release();
            }
        }
        process();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            inputClosed = true;
            if (ending) {
                ctx.close();
            } else {
                process();
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (paused && ctx.channel().isWritable()) {
            paused = false;
            ctx.channel().config().setAutoRead(true);
            process();
        }
        ctx.fireChannelWritabilityChanged();
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
        // A client that goes away is no news; anything else is a bug worth Netty's warning.
        if (!(cause instanceof IOException)) {
            ctx.fireExceptionCaught(cause);
        }
        ctx.close();
    }

    /**
     * Answers every complete request in the input, in order, then flushes. Flushing can make
     * the channel writable again and so call back in here: the guard is down by then.
     */
    private void process() {
        if (processing) {
            return;
        }
        processing = true;
        try {
            while (!ending && !paused) {
                if (page == null) {
                    if (!ctx.channel().isWritable()) {
                        paused = true;
                        ctx.channel().config().setAutoRead(false);
                        break;
                    }
                    if (!readHead()) {
                        break;
                    }
                }
                if (!readBody()) {
                    break;
                }
                respond();
            }
            if (inputClosed && !paused && !ending) {
                // Nothing more can arrive: what was answered goes out, the rest was cut short.
                ending = true;
                if (lastWrite == null || lastWrite.isDone()) {
                    ctx.close();
                } else {
                    lastWrite.addListener(ChannelFutureListener.CLOSE);
                }
            }
        } finally {
            processing = false;
        }
        compact();
        ctx.flush();
    }

    private boolean readHead() {
        if (input == null || !input.isReadable()) {
            return false;
        }
        ParseResult result = parser.parse(input, head);
        if (result == ParseProgress.NEED_MORE) {
            return false;
        }
        if (result instanceof HttpError error) {
            refuse(error.status());
            return false;
        }
        int end = input.readerIndex() + head.length();
        boolean hasBody = head.bodyKind() == BodyKind.CHUNKED || head.contentLength() > 0;
        page = route(head);
        headOnly = head.method() == Method.HEAD;
        persistence = !head.keepAlive() ? Responses.Persistence.CLOSE
                : head.version() == HttpVersion.HTTP_1_0 ? Responses.Persistence.KEEP_ALIVE
                : Responses.Persistence.DEFAULT;
        if (page == Page.ECHO) {
            // Empty lines before the request line were skipped by the parser and are not echoed.
            int length = end - head.start();
            if (head.contentLength() > MAX_ECHO - length) {
                refuse(413);
                return false;
            }
            echo = ctx.alloc().directBuffer(length + (int) Math.max(head.contentLength(), 0), MAX_ECHO);
            echo.writeBytes(input, head.start(), length);
        }
        if (head.expectContinue() && hasBody) {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(Responses.CONTINUE));
        }
        input.readerIndex(end);
        body.reset(head);
        return true;
    }

    private static Page route(RequestHead head) {
        ByteBuf buf = head.buffer();
        int start = head.pathStart();
        int length = head.queryStart() - start;
        if (is(buf, start, length, "/echo")) {
            return Page.ECHO;
        }
        boolean hello = is(buf, start, length, "/hello");
        if (!hello && !is(buf, start, length, "/1m")) {
            return Page.NOT_FOUND;
        }
        if (head.method() != Method.GET && head.method() != Method.HEAD) {
            return Page.METHOD_NOT_ALLOWED;
        }
        return hello ? Page.HELLO : Page.MEGABYTE;
    }

    private static boolean is(ByteBuf buf, int start, int length, String path) {
        if (length != path.length()) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (buf.getByte(start + i) != path.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Reads the body in the input, dropping it, or keeping it with its framing for
     * {@code /echo}. True once the body is complete.
     */
    private boolean readBody() {
        while (!body.isComplete()) {
            if (input == null) {
                return false;
            }
            int from = input.readerIndex();
            long data = body.dataRemaining();
            ParseResult result = ParseProgress.DONE;
            if (data > 0) {
                input.skipBytes((int) Math.min(data, input.readableBytes()));
                body.dataConsumed(input.readerIndex() - from);
            } else {
                result = body.readFraming(input, null);
            }
            int consumed = input.readerIndex() - from;
            if (echo != null && consumed > 0) {
                if (echo.readableBytes() + consumed > MAX_ECHO) {
                    refuse(413);
                    return false;
                }
                echo.writeBytes(input, from, consumed);
            }
            if (result instanceof HttpError error) {
                refuse(error.status());
                return false;
            }
            if (result == ParseProgress.NEED_MORE || data > 0 && consumed == 0) {
                return false;
            }
        }
        return true;
    }

    private void respond() {
        ByteBuf out = ctx.alloc().directBuffer(256);
        ByteBuf content = null;
        switch (page) {
            case HELLO -> {
                Responses.head(out, Responses.OK, Responses.TEXT, Responses.HELLO_BODY.length, Responses.NO_FIELDS, persistence);
                if (!headOnly) {
                    out.writeBytes(Responses.HELLO_BODY);
                }
            }
            case MEGABYTE -> {
                Responses.head(out, Responses.OK, Responses.OCTET_STREAM, Responses.MEGABYTE, Responses.NO_FIELDS, persistence);
                if (!headOnly) {
                    content = megabyte.retainedDuplicate();
                }
            }
            case ECHO -> {
                Responses.head(out, Responses.OK, Responses.OCTET_STREAM, echo.readableBytes(), Responses.NO_FIELDS, persistence);
                if (headOnly) {
                    echo.release();
                } else {
                    content = echo;
                }
                echo = null;
            }
            case NOT_FOUND -> {
                Responses.head(out, Responses.NOT_FOUND, Responses.TEXT, Responses.NOT_FOUND_BODY.length, Responses.NO_FIELDS,
                        persistence);
                if (!headOnly) {
                    out.writeBytes(Responses.NOT_FOUND_BODY);
                }
            }
            case METHOD_NOT_ALLOWED -> {
                Responses.head(out, Responses.METHOD_NOT_ALLOWED, Responses.TEXT,
                        Responses.METHOD_NOT_ALLOWED_BODY.length, Responses.ALLOW_GET_HEAD, persistence);
                if (!headOnly) {
                    out.writeBytes(Responses.METHOD_NOT_ALLOWED_BODY);
                }
            }
        }
        page = null;
        lastWrite = ctx.write(out);
        if (content != null) {
            lastWrite = ctx.write(content);
        }
        if (persistence == Responses.Persistence.CLOSE) {
            ending = true;
            lastWrite.addListener(ChannelFutureListener.CLOSE);
        }
    }

    /**
     * Answers {@code status} with the codec's canned response and closes: the request cannot
     * be read on, so neither can what follows it. The client's input is drained for a while
     * before the close, so that the refusal reaches it.
     */
    private void refuse(int status) {
        ending = true;
        page = null;
        releaseEcho();
        ByteBuf out = ctx.alloc().directBuffer(256);
        ErrorResponse.write(out, status, null, true);
        ctx.writeAndFlush(out).addListener((ChannelFuture written) -> {
            Channel channel = written.channel();
            if (!written.isSuccess() || inputClosed || !(channel instanceof DuplexChannel duplex)) {
                channel.close();
                return;
            }
            duplex.shutdownOutput();
            channel.eventLoop().schedule(() -> {
                channel.close();
            }, LINGER_SECONDS, TimeUnit.SECONDS);
        });
    }

    private void compact() {
        if (input == null) {
            return;
        }
        if (!input.isReadable()) {
            input.release();
            input = null;
        } else {
            input.discardSomeReadBytes();
        }
    }

    private void releaseEcho() {
        if (echo != null) {
            echo.release();
            echo = null;
        }
    }

    private void cleanUp() {
        releaseEcho();
        if (input != null) {
            input.release();
            input = null;
        }
    }
}
