package dev.synedge.http;

import static dev.synedge.http.RequestHeadParserTest.req;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Our parsers against Netty's decoders on valid messages: method, target, version and the
 * fields in order (names as sent, values without surrounding whitespace) must agree. Netty is
 * an oracle for valid messages only ({@code HTTP-RULES.md} in this module lists what it accepts).
 */
class NettyDifferentialTest {

    static Stream<String> requestCorpus() {
        List<String> corpus = new ArrayList<>(List.of(
                req("GET / HTTP/1.1", "Host: example.com"),
                req("GET /index.html?utm_source=x&y=%20z HTTP/1.1",
                        "Host: www.example.com",
                        "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36",
                        "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8",
                        "Accept-Language: en-US,en;q=0.5",
                        "Accept-Encoding: gzip, deflate, br, zstd",
                        "Connection: keep-alive",
                        "Cookie: session=abc123; theme=dark; _ga=GA1.2.3.4",
                        "Upgrade-Insecure-Requests: 1",
                        "Sec-Fetch-Dest: document",
                        "Sec-Fetch-Mode: navigate",
                        "Sec-Fetch-Site: none",
                        "Sec-Fetch-User: ?1",
                        "Priority: u=0, i"),
                req("POST /api/v1/orders HTTP/1.1", "Host: api.example.com:8443", "Content-Type: application/json",
                        "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig", "Content-Length: 27",
                        "X-Request-Id: 4f0c6d2e-9c1b-4b8e-8f4a-1c2d3e4f5a6b"),
                req("PUT /upload HTTP/1.1", "Host: h", "Transfer-Encoding: chunked", "Expect: 100-continue"),
                req("GET http://example.com:8080/p?q=1 HTTP/1.1", "Host: example.com:8080"),
                req("OPTIONS * HTTP/1.1", "Host: h"),
                req("GET /old HTTP/1.0", "User-Agent: ancient/1.0"),
                req("GET / HTTP/1.1", "Host: h", "Accept: a", "accept: b", "ACCEPT: c"),
                req("GET / HTTP/1.1", "Host: h", "X-Empty:", "X-Spaces:   padded value \t ", "X-Tab:\tv"),
                req("GET / HTTP/1.1", "Host: h", "X-Obs-Text: caf\u00e9 \u00ff", "X-Quotes: \"a, b\" (comment) <x>"),
                req("DELETE /items/42 HTTP/1.1", "Host: [2001:db8::1]:443", "If-Match: \"etag\""),
                req("PROPFIND /dav/ HTTP/1.1", "Host: dav", "Depth: 1", "Content-Length: 0"),
                req("GET /ws HTTP/1.1", "Host: h", "Connection: Upgrade", "Upgrade: websocket",
                        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version: 13"),
                req("GET / HTTP/1.1", "Host: h", "!#$%&'*+-.^_`|~: tchars")));
        Random random = new Random(7);
        IntStream.range(0, 300).forEach(i -> corpus.add(randomRequest(random)));
        return corpus.stream();
    }

    private static final String TCHARS = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private static final String PATH = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:@/";

    private static String randomRequest(Random r) {
        String[] methods = {"GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "PURGE", "X-CUSTOM"};
        StringBuilder target = new StringBuilder("/");
        for (int i = r.nextInt(30); i > 0; i--) {
            target.append(PATH.charAt(r.nextInt(PATH.length())));
        }
        if (r.nextBoolean()) {
            target.append('?');
            for (int i = r.nextInt(30); i > 0; i--) {
                target.append(PATH.charAt(r.nextInt(PATH.length())));
            }
        }
        List<String> fields = new ArrayList<>();
        fields.add("Host: host-" + r.nextInt(100) + ".example" + (r.nextBoolean() ? ":" + (1 + r.nextInt(65535)) : ""));
        for (int f = r.nextInt(25); f > 0; f--) {
            String name;
            do {
                StringBuilder n = new StringBuilder();
                for (int i = 1 + r.nextInt(20); i > 0; i--) {
                    n.append(TCHARS.charAt(r.nextInt(TCHARS.length())));
                }
                name = n.toString();
            } while (FieldKind.of(Wire.bytes(name), 0, name.length()) != FieldKind.OTHER);
            StringBuilder v = new StringBuilder();
            v.append(r.nextInt(4) == 0 ? " \t" : r.nextBoolean() ? " " : "");
            for (int i = r.nextInt(60); i > 0; i--) {
                int c = r.nextInt(10) == 0 ? 0x80 + r.nextInt(128) : 0x20 + r.nextInt(0x5F);
                v.append((char) c);
            }
            v.append(r.nextInt(4) == 0 ? "\t " : "");
            fields.add(name + ":" + v);
        }
        return req(methods[r.nextInt(methods.length)] + " " + target + (r.nextInt(5) == 0 ? " HTTP/1.0" : " HTTP/1.1"),
                fields.toArray(String[]::new));
    }

    @ParameterizedTest
    @MethodSource("requestCorpus")
    void requestHeadsAgreeWithNetty(String message) {
        String ours;
        ByteBuf buf = Unpooled.wrappedBuffer(Wire.bytes(message));
        try {
            RequestHead head = new RequestHead();
            assertThat(new RequestHeadParser(HttpLimits.DEFAULTS).parse(buf, head)).isEqualTo(ParseProgress.DONE);
            ours = head.buffer().toString(head.methodStart(), head.methodEnd() - head.methodStart(),
                    java.nio.charset.StandardCharsets.ISO_8859_1)
                    + " " + head.target() + " " + (head.version() == HttpVersion.HTTP_1_0 ? "HTTP/1.0" : "HTTP/1.1")
                    + fields(head);
        } finally {
            buf.release();
        }
        HttpRequest request = (HttpRequest) netty(new HttpRequestDecoder(), message);
        String theirs = request.method().name() + " " + request.uri() + " " + request.protocolVersion().text() + fields(request);
        assertThat(ours).isEqualTo(theirs);
    }

    static Stream<String> responseCorpus() {
        return Stream.of(
                req("HTTP/1.1 200 OK", "Content-Type: text/html; charset=utf-8", "Content-Length: 0",
                        "Cache-Control: max-age=0, private, must-revalidate", "Set-Cookie: a=1; Path=/; HttpOnly",
                        "Set-Cookie: b=2; Secure", "Date: Tue, 01 Apr 2025 12:00:00 GMT", "ETag: W/\"abc\""),
                req("HTTP/1.1 404 Not Found", "Content-Length: 0"),
                req("HTTP/1.0 302 Found", "Location: http://example.com/x", "Content-Length: 0"),
                req("HTTP/1.1 204 No Content", "X-Empty:"),
                req("HTTP/1.1 500 Internal  Server Error", "Content-Length: 0", "X: \t padded \t"),
                req("HTTP/1.1 200 OK", "Transfer-Encoding: chunked", "Trailer: X-Sum"),
                req("HTTP/1.1 301 Moved Permanently", "Location: /new", "Content-Length: 0", "Via: 1.1 cdn"));
    }

    @ParameterizedTest
    @MethodSource("responseCorpus")
    void responseHeadsAgreeWithNetty(String message) {
        String ours;
        ByteBuf buf = Unpooled.wrappedBuffer(Wire.bytes(message));
        try {
            ResponseHead head = new ResponseHead();
            assertThat(new ResponseHeadParser(HttpLimits.DEFAULTS).parse(buf, head, Method.GET)).isEqualTo(ParseProgress.DONE);
            ours = (head.version() == HttpVersion.HTTP_1_0 ? "HTTP/1.0" : "HTTP/1.1") + " " + head.status() + " "
                    + Wire.range(head.buffer(), head.reasonStart(), head.reasonEnd()) + fields(head);
        } finally {
            buf.release();
        }
        HttpResponse response = (HttpResponse) netty(new HttpResponseDecoder(), message);
        String theirs = response.protocolVersion().text() + " " + response.status().code() + " "
                + response.status().reasonPhrase() + fields(response);
        assertThat(ours).isEqualTo(theirs);
    }

    @Test
    void corpusIsLargeAndVaried() {
        assertThat(requestCorpus().count()).isGreaterThan(300);
        assertThat(requestCorpus().filter(m -> m.contains("HTTP/1.0")).count()).isGreaterThan(20);
    }

    /**
     * Messages Netty's decoders take as valid and synedge refuses (HTTP-RULES.md, "Netty's
     * decoder"): Netty cannot judge these, which is why it is an oracle for valid messages only.
     * A case that fails here after a Netty upgrade means that list needs updating.
     */
    static Stream<Arguments> nettyAcceptsWeRefuse() {
        String h = "Host: a.example\r\n";
        return Stream.of(
                Arguments.of("duplicate Host", req("GET / HTTP/1.1", "Host: a.example", "Host: b.example"),
                        HttpError.DUPLICATE_HOST),
                Arguments.of("missing Host", req("GET / HTTP/1.1"), HttpError.MISSING_HOST),
                Arguments.of("Host with a path", req("GET / HTTP/1.1", "Host: a.example/x"), HttpError.BAD_HOST),
                Arguments.of("Host empty", "GET / HTTP/1.1\r\nHost: \r\n\r\n", HttpError.BAD_HOST),
                Arguments.of("Host port over 65535", req("GET / HTTP/1.1", "Host: a.example:99999"),
                        HttpError.BAD_HOST),
                Arguments.of("obs-fold", "GET / HTTP/1.1\r\n" + h + "X-A: b\r\n c\r\n\r\n", HttpError.OBS_FOLD),
                Arguments.of("dot-segment", req("GET /a/../b HTTP/1.1", "Host: a.example"), HttpError.DOT_SEGMENT),
                Arguments.of("backslash", req("GET /a\\b HTTP/1.1", "Host: a.example"), HttpError.BAD_TARGET),
                Arguments.of("invalid escape", req("GET /a%zz HTTP/1.1", "Host: a.example"), HttpError.BAD_TARGET),
                Arguments.of("fragment", req("GET /a#b HTTP/1.1", "Host: a.example"), HttpError.BAD_TARGET),
                Arguments.of("userinfo", req("GET http://u@a.example/ HTTP/1.1", "Host: a.example"),
                        HttpError.BAD_TARGET),
                Arguments.of("two spaces", req("GET  / HTTP/1.1", "Host: a.example"), HttpError.BAD_REQUEST_LINE),
                Arguments.of("lower-case version", req("GET / http/1.1", "Host: a.example"), HttpError.BAD_VERSION),
                Arguments.of("HTTP/2.0", req("GET / HTTP/2.0", "Host: a.example"), HttpError.VERSION_NOT_SUPPORTED),
                Arguments.of("CONNECT", req("CONNECT a.example:443 HTTP/1.1", "Host: a.example"),
                        HttpError.CONNECT_NOT_SUPPORTED),
                Arguments.of("gzip, chunked", "POST / HTTP/1.1\r\n" + h
                        + "Transfer-Encoding: gzip, chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n", HttpError.TE_NOT_IMPLEMENTED),
                Arguments.of("malformed chunk extension", "POST / HTTP/1.1\r\n" + h
                        + "Transfer-Encoding: chunked\r\n\r\n3;\r\nabc\r\n0\r\n\r\n", HttpError.BAD_CHUNK_EXTENSION));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nettyAcceptsWeRefuse")
    void nettyAcceptsWhatWeRefuse(String name, String message, HttpError refusal) {
        assertThat(nettyDecodesWhole(new HttpRequestDecoder(), message)).as("Netty takes it").isTrue();
        RequestHead head = new RequestHead();
        assertThat(verdict(message, buf -> new RequestHeadParser(HttpLimits.DEFAULTS).parse(buf, head), head))
                .isEqualTo(refusal);
    }

    static Stream<Arguments> nettyAcceptsWeRefuseFromUpstream() {
        return Stream.of(
                Arguments.of("obs-fold", "HTTP/1.1 200 OK\r\nX-A: b\r\n c\r\nContent-Length: 2\r\n\r\nok",
                        HttpError.OBS_FOLD),
                Arguments.of("HTTP/2.0", req("HTTP/2.0 200 OK", "Content-Length: 0"), HttpError.VERSION_NOT_SUPPORTED),
                Arguments.of("final coding not chunked", "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nabc",
                        HttpError.TE_NOT_CHUNKED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nettyAcceptsWeRefuseFromUpstream")
    void nettyAcceptsResponsesWeRefuse(String name, String message, HttpError refusal) {
        assertThat(nettyDecodesWhole(new HttpResponseDecoder(), message)).as("Netty takes it").isTrue();
        ResponseHead head = new ResponseHead();
        assertThat(verdict(message, buf -> new ResponseHeadParser(HttpLimits.DEFAULTS).parse(buf, head, Method.GET),
                head)).isEqualTo(refusal);
    }

    /** Our parse of the whole message: the head's error, else the body's, else DONE. */
    private static ParseResult verdict(String message, Function<ByteBuf, ParseResult> parseHead,
            MessageHead head) {
        ByteBuf buf = Unpooled.wrappedBuffer(Wire.bytes(message));
        try {
            ParseResult result = parseHead.apply(buf);
            if (result != ParseProgress.DONE) {
                return result;
            }
            buf.skipBytes(head.length());
            BodyDecoder body = new BodyDecoder(HttpLimits.DEFAULTS);
            body.reset(head);
            while (!body.isComplete() && buf.isReadable()) {
                long data = Math.min(body.dataRemaining(), buf.readableBytes());
                if (data > 0) {
                    buf.skipBytes((int) data);
                    body.dataConsumed(data);
                    continue;
                }
                result = body.readFraming(buf, null);
                if (result != ParseProgress.DONE) {
                    return result;
                }
            }
            return ParseProgress.DONE;
        } finally {
            buf.release();
        }
    }

    /** Netty decodes the whole message, through its last content, without a failure. */
    private static boolean nettyDecodesWhole(Object decoder, String message) {
        EmbeddedChannel channel = new EmbeddedChannel((io.netty.channel.ChannelHandler) decoder);
        boolean ok = true;
        boolean last = false;
        try {
            channel.writeInbound(Unpooled.wrappedBuffer(Wire.bytes(message)));
            channel.finish();
            HttpObject object;
            while ((object = channel.readInbound()) != null) {
                ok &= object.decoderResult().isSuccess();
                last |= object instanceof LastHttpContent;
                ReferenceCountUtil.release(object);
            }
        } finally {
            channel.finishAndReleaseAll();
        }
        return ok && last;
    }

    private static HttpMessage netty(Object decoder, String message) {
        EmbeddedChannel channel = new EmbeddedChannel((io.netty.channel.ChannelHandler) decoder);
        try {
            channel.writeInbound(Unpooled.wrappedBuffer(Wire.bytes(message)));
            HttpObject first = channel.readInbound();
            assertThat(first).isInstanceOf(HttpMessage.class);
            assertThat(first.decoderResult().isSuccess()).as("Netty decoded %s: %s", message, first.decoderResult()).isTrue();
            return (HttpMessage) first;
        } finally {
            Object rest;
            while ((rest = channel.readInbound()) != null) {
                ReferenceCountUtil.release(rest);
            }
            channel.finishAndReleaseAll();
        }
    }

    private static String fields(MessageHead head) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < head.fieldCount(); i++) {
            sb.append("\n").append(head.name(i)).append(": ").append(head.value(i));
        }
        return sb.toString();
    }

    private static String fields(HttpMessage message) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : message.headers()) {
            sb.append("\n").append(e.getKey()).append(": ").append(e.getValue());
        }
        return sb.toString();
    }
}
