package dev.synedge.loadtest.jmh;

import dev.synedge.http.HttpLimits;
import dev.synedge.http.ParseProgress;
import dev.synedge.http.RequestHead;
import dev.synedge.http.RequestHeadParser;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.util.ReferenceCountUtil;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Parsing one request head from a pooled direct buffer (what an epoll read delivers): our
 * {@link RequestHeadParser} against Netty's {@link HttpRequestDecoder}, whose decode method is
 * called directly (no pipeline in between) and whose output messages are released each time.
 * Heads: a small API request (~200 B), a browser navigation (~700 B), and a browser request
 * with large cookies (~2 KB).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RequestHeadParseBenchmark {

    @Param({"api-200", "browser-700", "cookies-2k"})
    public String head;

    private ByteBuf buf;
    private final RequestHeadParser parser = new RequestHeadParser(HttpLimits.DEFAULTS);
    private final RequestHead parsed = new RequestHead();
    private EmbeddedChannel channel;
    private DirectDecoder decoder;
    private ChannelHandlerContext ctx;
    private final List<Object> out = new ArrayList<>();

    /** Netty's decoder with its decode method reachable. */
    static final class DirectDecoder extends HttpRequestDecoder {
        void decodeOnce(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
            decode(ctx, in, out);
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        buf = PooledByteBufAllocator.DEFAULT.directBuffer(4096);
        buf.writeBytes(Heads.of(head).getBytes(StandardCharsets.ISO_8859_1));
        decoder = new DirectDecoder();
        channel = new EmbeddedChannel(decoder);
        ctx = channel.pipeline().context(decoder);
        buf.readerIndex(0);
        if (parser.parse(buf, parsed) != ParseProgress.DONE || parsed.length() != buf.readableBytes()) {
            throw new IllegalStateException("benchmark head does not parse: " + head);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        buf.release();
        channel.finishAndReleaseAll();
    }

    @Benchmark
    public RequestHead synedge() {
        buf.readerIndex(0);
        parser.parse(buf, parsed);
        return parsed;
    }

    @Benchmark
    public void netty(Blackhole bh) throws Exception {
        buf.readerIndex(0);
        decoder.decodeOnce(ctx, buf, out);
        for (int i = 0; i < out.size(); i++) {
            Object o = out.get(i);
            bh.consume(o);
            ReferenceCountUtil.release(o);
        }
        out.clear();
    }

    /** The benchmark heads, shared with {@link HeadRewriteBenchmark}. */
    static final class Heads {

        private Heads() {
        }

        static String of(String name) {
            return switch (name) {
                case "api-200" -> lines(
                        "GET /api/v1/items/42?fields=id,name HTTP/1.1",
                        "Host: api.example.com",
                        "User-Agent: okhttp/4.12.0",
                        "Accept: application/json",
                        "Accept-Encoding: gzip",
                        "Authorization: Bearer 4f0c6d2e9c1b4b8e",
                        "Connection: keep-alive");
                case "browser-700" -> lines(
                        "GET /articles/2025/04/proxy-latency.html HTTP/1.1",
                        "Host: www.example.com",
                        "Connection: keep-alive",
                        "sec-ch-ua: \"Chromium\";v=\"126\", \"Google Chrome\";v=\"126\", \"Not-A.Brand\";v=\"8\"",
                        "sec-ch-ua-mobile: ?0",
                        "sec-ch-ua-platform: \"Linux\"",
                        "Upgrade-Insecure-Requests: 1",
                        "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
                        "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8",
                        "Sec-Fetch-Site: same-origin",
                        "Sec-Fetch-Mode: navigate",
                        "Sec-Fetch-User: ?1",
                        "Sec-Fetch-Dest: document",
                        "Referer: https://www.example.com/articles/",
                        "Accept-Encoding: gzip, deflate, br, zstd",
                        "Accept-Language: en-US,en;q=0.9,de;q=0.8");
                case "cookies-2k" -> lines(
                        "GET /app/dashboard?view=weekly&team=infra&sort=desc HTTP/1.1",
                        "Host: app.example.com",
                        "Connection: keep-alive",
                        "sec-ch-ua: \"Chromium\";v=\"126\", \"Google Chrome\";v=\"126\", \"Not-A.Brand\";v=\"8\"",
                        "sec-ch-ua-mobile: ?0",
                        "sec-ch-ua-platform: \"Linux\"",
                        "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
                        "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8",
                        "Sec-Fetch-Site: same-origin",
                        "Sec-Fetch-Mode: navigate",
                        "Sec-Fetch-Dest: document",
                        "Referer: https://app.example.com/app/projects/synedge/overview?tab=activity",
                        "Accept-Encoding: gzip, deflate, br, zstd",
                        "Accept-Language: en-US,en;q=0.9",
                        "Cookie: _ga=GA1.1.1234567890.1712345678; _ga_ABCDEF1234=GS1.1.1712345678.5.1.1712349999.0.0.0; "
                                + "session=eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ."
                                + "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c; csrftoken=9f8e7d6c5b4a39281706f5e4d3c2b1a0; "
                                + "theme=dark; tz=Europe%2FBerlin; consent=%7B%22analytics%22%3Atrue%2C%22ads%22%3Afalse%7D; "
                                + "recent=%5B%22synedge%22%2C%22edge%22%2C%22proxy%22%2C%22tfo%22%5D; ab_test=checkout_v2:b,search_v3:a,nav_v5:c; "
                                + "_fbp=fb.1.1712345678901.1234567890; _gcl_au=1.1.123456789.1712345678; ajs_anonymous_id=%22f1e2d3c4-b5a6-4789-8abc-def012345678%22",
                        "If-None-Match: W/\"5f2a-1b3c4d5e6f708192a3b4c5d6e7f80912\"",
                        "Baggage: sentry-environment=production,sentry-release=web%402025.04.1,"
                                + "sentry-public_key=0123456789abcdef0123456789abcdef,"
                                + "sentry-trace_id=0af7651916cd43dd8448eb211c80319c,sentry-sample_rate=0.1,sentry-sampled=false",
                        "Sentry-Trace: 0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-0",
                        "Traceparent: 00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
                        "X-Csrf-Token: 9f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a39281706f5e4d3c2b1a0",
                        "If-Modified-Since: Tue, 01 Apr 2025 12:00:00 GMT",
                        "X-Requested-With: XMLHttpRequest",
                        "X-Client-Version: 2025.04.1+build.1234",
                        "Priority: u=0, i",
                        "DNT: 1",
                        "Cache-Control: max-age=0");
                default -> throw new IllegalArgumentException("no head named " + name);
            };
        }

        private static String lines(String... lines) {
            return String.join("\r\n", lines) + "\r\n\r\n";
        }
    }
}
