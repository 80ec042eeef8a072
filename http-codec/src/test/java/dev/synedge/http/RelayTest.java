package dev.synedge.http;

import static dev.synedge.http.RequestHeadParserTest.req;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Whole exchanges through the codec, driven the way the proxy drives it (parse, write the
 * forwarded head, move the body with a BodyDecoder in small reads, re-frame where needed), with
 * what goes upstream and what goes to the client decoded by Netty's decoders: the output must be
 * valid HTTP/1.1 carrying the same content (and trailers where they are forwarded).
 */
class RelayTest {

    private static final HttpLimits LIMITS = HttpLimits.DEFAULTS;
    private static final RequestHeadWriter REQUESTS = new RequestHeadWriter("synedge", ForwardedMode.REPLACE,
            ForwardedMode.OFF, HeaderEdits.NONE);
    private static final ResponseHeadWriter RESPONSES = new ResponseHeadWriter("synedge", HeaderEdits.NONE);
    private static final int READ = 7;

    /** Moves the body after {@code head} from {@code in} (fed in READ-byte pieces) to {@code out}. */
    private static void relayBody(BodyDecoder decoder, byte[] wire, int at, ByteBuf out, RelayFraming framing) {
        ByteBuf in = Wire.buffer(true);
        try {
            int fed = at;
            while (!decoder.isComplete()) {
                long n = decoder.dataRemaining();
                if (n > 0 && in.isReadable()) {
                    int k = (int) Math.min(n, in.readableBytes());
                    if (framing == RelayFraming.CHUNK) {
                        ChunkEncoder.writeChunkHeader(out, k);
                    }
                    out.writeBytes(in, k);
                    if (framing == RelayFraming.CHUNK) {
                        ChunkEncoder.writeDataEnd(out);
                    }
                    decoder.dataConsumed(k);
                    continue;
                }
                if (n == 0) {
                    ParseResult r = decoder.readFraming(in, framing == RelayFraming.CHUNKED ? out : null);
                    assertThat(r).isNotInstanceOf(HttpError.class);
                    if (r == ParseProgress.DONE) {
                        continue;
                    }
                }
                if (fed == wire.length) {
                    assertThat(decoder.endOfInput()).isEqualTo(ParseProgress.DONE);
                    if (framing == RelayFraming.CHUNK) {
                        ChunkEncoder.writeLastChunk(out);
                    }
                    break;
                }
                in.discardReadBytes();
                int k = Math.min(READ, wire.length - fed);
                in.writeBytes(wire, fed, k);
                fed += k;
            }
        } finally {
            in.release();
        }
    }

    /** Proxies one exchange; returns {upstream bytes, client bytes}. */
    private static String[] exchange(String request, String response) throws Exception {
        byte[] requestWire = Wire.bytes(request);
        ByteBuf requestBuf = Wire.buffer(true).writeBytes(requestWire);
        ByteBuf upstream = Unpooled.buffer();
        ByteBuf client = Unpooled.buffer();
        ByteBuf responseBuf = Wire.buffer(true).writeBytes(Wire.bytes(response));
        try {
            RequestHead req = new RequestHead();
            assertThat(new RequestHeadParser(LIMITS).parse(requestBuf, req)).isEqualTo(ParseProgress.DONE);
            REQUESTS.write(req, ClientHop.of(InetAddress.getByName("192.0.2.7"), false, false), false, upstream);
            BodyDecoder decoder = new BodyDecoder(LIMITS);
            decoder.reset(req);
            relayBody(decoder, requestWire, req.length(), upstream,
                    req.bodyKind() == BodyKind.CHUNKED ? RelayFraming.CHUNKED : RelayFraming.CONTENT_LENGTH);

            ResponseHeadParser parser = new ResponseHeadParser(LIMITS);
            ResponseHead resp = new ResponseHead();
            while (true) {
                assertThat(parser.parse(responseBuf, resp, req.method())).isEqualTo(ParseProgress.DONE);
                if (!resp.isInterim()) {
                    break;
                }
                RESPONSES.writeInterim(resp, req, client);
                responseBuf.skipBytes(resp.length());
            }
            RelayFraming framing = RelayFraming.of(resp, req);
            RESPONSES.write(resp, req, framing, false, client);
            byte[] rest = new byte[responseBuf.readableBytes() - resp.length()];
            responseBuf.getBytes(responseBuf.readerIndex() + resp.length(), rest);
            decoder.reset(resp);
            relayBody(decoder, rest, 0, client, framing);
            return new String[] {Wire.string(upstream), Wire.string(client)};
        } finally {
            requestBuf.release();
            responseBuf.release();
            upstream.release();
            client.release();
        }
    }

    /** Decodes {@code wire} with Netty: "head-line|fields|content|trailers" per message. */
    private static List<String> decode(boolean request, String wire, boolean closeAtEnd) {
        EmbeddedChannel channel = new EmbeddedChannel(request ? new HttpRequestDecoder() : new HttpResponseDecoder());
        List<String> messages = new ArrayList<>();
        try {
            channel.writeInbound(Unpooled.wrappedBuffer(Wire.bytes(wire)));
            if (closeAtEnd) {
                channel.finish();
            }
            StringBuilder current = null;
            Object o;
            while ((o = channel.readInbound()) != null) {
                HttpObject object = (HttpObject) o;
                assertThat(object.decoderResult().isSuccess()).as("%s", object.decoderResult()).isTrue();
                if (object instanceof HttpMessage m) {
                    current = new StringBuilder(m.toString().lines().findFirst().orElse("")).append('|');
                    current.append(m.headers().names()).append('|');
                }
                if (object instanceof HttpContent c) {
                    current.append(c.content().toString(StandardCharsets.ISO_8859_1));
                }
                if (object instanceof LastHttpContent last) {
                    current.append('|').append(last.trailingHeaders().entries());
                    messages.add(current.toString());
                }
                ReferenceCountUtil.release(o);
            }
        } finally {
            channel.finishAndReleaseAll();
        }
        return messages;
    }

    @Test
    void chunkedRequestBodyIsForwardedNormalizedWithItsTrailers() throws Exception {
        String[] out = exchange("POST /up HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nTrailer: X-Sum\r\n\r\n"
                        + "5;ext=\"a b\"\r\nhello\r\n6\r\n world\r\n0\r\nX-Sum: 42\r\n\r\n",
                req("HTTP/1.1 204 No Content"));
        assertThat(out[0]).endsWith("Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\nX-Sum: 42\r\n\r\n");
        assertThat(decode(true, out[0], false)).singleElement().asString()
                .endsWith("|hello world|[X-Sum=42]");
    }

    @Test
    void chunkedResponseToHttp11ClientStaysChunked() throws Exception {
        String[] out = exchange(req("GET / HTTP/1.1", "Host: h"), "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"
                + "Trailer: X-Sum\r\n\r\n3;x=y\r\nabc\r\n00A\r\n0123456789\r\n0\r\nX-Sum: 1\r\n\r\n");
        assertThat(out[1]).isEqualTo("HTTP/1.1 200 OK\r\nTrailer: X-Sum\r\nVia: 1.1 synedge\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "3\r\nabc\r\na\r\n0123456789\r\n0\r\nX-Sum: 1\r\n\r\n");
        assertThat(decode(false, out[1], false)).singleElement().asString().endsWith("|abc0123456789|[X-Sum=1]");
    }

    @Test
    void chunkedResponseToHttp10ClientIsDechunkedAndClosed() throws Exception {
        String[] out = exchange(req("GET / HTTP/1.0", "Connection: keep-alive"), "HTTP/1.1 200 OK\r\n"
                + "Transfer-Encoding: chunked\r\nTrailer: X-Sum\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\nX-Sum: 1\r\n\r\n");
        assertThat(out[1]).isEqualTo("HTTP/1.1 200 OK\r\nVia: 1.1 synedge\r\nConnection: close\r\n\r\nabcde");
        assertThat(decode(false, out[1], true)).singleElement().asString().endsWith("|abcde|[]");
    }

    @Test
    void closeDelimitedResponseIsChunkedForAKeepAliveClient() throws Exception {
        String[] out = exchange(req("GET / HTTP/1.1", "Host: h"), "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\n"
                + "a body that ends when upstream closes");
        assertThat(out[1]).startsWith("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nVia: 1.1 synedge\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n7\r\na body \r\n").endsWith("\r\n0\r\n\r\n");
        // complete without the connection closing
        assertThat(decode(false, out[1], false)).singleElement().asString()
                .endsWith("|a body that ends when upstream closes|[]");
    }

    @Test
    void interimResponsesThenContentLength() throws Exception {
        String[] out = exchange(req("PUT /x HTTP/1.1", "Host: h", "Expect: 100-continue", "Content-Length: 4") + "data",
                req("HTTP/1.1 100 Continue") + req("HTTP/1.1 201 Created", "Content-Length: 2") + "ok");
        assertThat(out[0]).endsWith("Expect: 100-continue\r\nVia: 1.1 synedge\r\nX-Forwarded-For: 192.0.2.7\r\n"
                + "X-Forwarded-Proto: http\r\nX-Forwarded-Host: h\r\nContent-Length: 4\r\n\r\ndata");
        assertThat(decode(true, out[0], false)).singleElement().asString().endsWith("|data|[]");
        assertThat(out[1]).isEqualTo("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nVia: 1.1 synedge\r\n"
                + "Content-Length: 2\r\n\r\nok");
        assertThat(decode(false, out[1], false)).hasSize(2).last().asString().endsWith("|ok|[]");
    }

    @Test
    void chunkEncoderWritesNormalizedFraming() {
        ByteBuf out = Unpooled.buffer();
        try {
            ChunkEncoder.writeChunkHeader(out, 26);
            ChunkEncoder.writeDataEnd(out);
            ChunkEncoder.writeChunkHeader(out, Long.MAX_VALUE);
            ChunkEncoder.writeLastChunk(out);
            assertThat(Wire.string(out)).isEqualTo("1a\r\n\r\n7fffffffffffffff\r\n0\r\n\r\n");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> ChunkEncoder.writeChunkHeader(out, 0))
                    .isInstanceOf(IllegalArgumentException.class);
        } finally {
            out.release();
        }
    }
}
