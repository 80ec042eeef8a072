package dev.synedge.loadtest.jmh;

import dev.synedge.http.ClientHop;
import dev.synedge.http.ForwardedMode;
import dev.synedge.http.HeaderEdits;
import dev.synedge.http.HttpLimits;
import dev.synedge.http.ParseProgress;
import dev.synedge.http.RequestHead;
import dev.synedge.http.RequestHeadParser;
import dev.synedge.http.RequestHeadWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Writing the forwarded head (hop-by-hop removed, Via and X-Forwarded-* and Forwarded added) for
 * the heads of {@link RequestHeadParseBenchmark}: {@code write} is {@link RequestHeadWriter}
 * alone on a parsed head; {@code parseAndWrite} is the proxy's whole per-request head cost; and
 * {@code nettyDecodeRewriteEncode} does the same job the way a proxy built on Netty's codec
 * would: decode, edit the headers object, encode.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class HeadRewriteBenchmark {

    @Param({"api-200", "browser-700", "cookies-2k"})
    public String head;

    private ByteBuf in;
    private ByteBuf out;
    private final RequestHeadParser parser = new RequestHeadParser(HttpLimits.DEFAULTS);
    private final RequestHead parsed = new RequestHead();
    private final RequestHeadWriter writer = new RequestHeadWriter("synedge", ForwardedMode.APPEND,
            ForwardedMode.OFF, HeaderEdits.NONE);
    private ClientHop client;

    private EmbeddedChannel channel;
    private NettyCodec codec;
    private final List<Object> decoded = new ArrayList<>();
    private final List<Object> encoded = new ArrayList<>();

    /** Netty's request decoder and encoder with their protected methods reachable. */
    static final class NettyCodec {
        final Decoder decoder = new Decoder();
        final Encoder encoder = new Encoder();

        static final class Decoder extends HttpRequestDecoder {
            void decodeOnce(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
                decode(ctx, in, out);
            }
        }

        static final class Encoder extends HttpRequestEncoder {
            void encodeOnce(ChannelHandlerContext ctx, Object msg, List<Object> out) throws Exception {
                encode(ctx, msg, out);
            }
        }
    }

    @Setup(Level.Trial)
    public void setUp() throws UnknownHostException {
        in = PooledByteBufAllocator.DEFAULT.directBuffer(4096);
        in.writeBytes(RequestHeadParseBenchmark.Heads.of(head).getBytes(StandardCharsets.ISO_8859_1));
        out = PooledByteBufAllocator.DEFAULT.directBuffer(4096);
        client = ClientHop.of(InetAddress.getByName("192.0.2.1"), false, false);
        if (parser.parse(in, parsed) != ParseProgress.DONE) {
            throw new IllegalStateException("benchmark head does not parse: " + head);
        }
        codec = new NettyCodec();
        channel = new EmbeddedChannel(codec.decoder, codec.encoder);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        in.release();
        out.release();
        channel.finishAndReleaseAll();
    }

    @Benchmark
    public int write() {
        out.clear();
        return writer.write(parsed, client, false, out);
    }

    @Benchmark
    public int parseAndWrite() {
        in.readerIndex(0);
        parser.parse(in, parsed);
        out.clear();
        return writer.write(parsed, client, false, out);
    }

    @Benchmark
    public int nettyDecodeRewriteEncode() throws Exception {
        in.readerIndex(0);
        codec.decoder.decodeOnce(channel.pipeline().context(codec.decoder), in, decoded);
        HttpRequest request = (HttpRequest) decoded.get(0);
        HttpHeaders headers = request.headers();
        String connection = headers.get(HttpHeaderNames.CONNECTION);
        if (connection != null) {
            for (String token : connection.split(",")) {
                headers.remove(token.trim());
            }
        }
        headers.remove(HttpHeaderNames.CONNECTION);
        headers.remove(HttpHeaderNames.KEEP_ALIVE);
        headers.remove("Proxy-Connection");
        headers.remove(HttpHeaderNames.TE);
        headers.remove(HttpHeaderNames.UPGRADE);
        headers.add(HttpHeaderNames.VIA, "1.1 synedge");
        headers.add("X-Forwarded-For", "192.0.2.1");
        headers.add("X-Forwarded-Proto", "http");
        headers.add("X-Forwarded-Host", headers.get(HttpHeaderNames.HOST));
        int bytes = 0;
        ChannelHandlerContext ctx = channel.pipeline().context(codec.encoder);
        for (int i = 0; i < decoded.size(); i++) {
            codec.encoder.encodeOnce(ctx, decoded.get(i), encoded);
        }
        for (int i = 0; i < encoded.size(); i++) {
            Object o = encoded.get(i);
            if (o instanceof ByteBuf b) {
                bytes += b.readableBytes();
            }
            ReferenceCountUtil.release(o);
        }
        for (int i = 0; i < decoded.size(); i++) {
            ReferenceCountUtil.release(decoded.get(i));
        }
        decoded.clear();
        encoded.clear();
        return bytes;
    }
}
