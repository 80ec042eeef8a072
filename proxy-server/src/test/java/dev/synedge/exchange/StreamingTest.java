package dev.synedge.exchange;

import dev.synedge.accesslog.Termination;
import static org.assertj.core.api.Assertions.assertThat;

import dev.synedge.accesslog.AccessRecord;
import dev.synedge.accesslog.UpstreamConnection;
import dev.synedge.origin.BodyPattern;
import dev.synedge.origin.Origin;
import dev.synedge.origin.OriginOptions;
import dev.synedge.testing.RawClient;
import dev.synedge.testing.TestProxy;
import dev.synedge.testkit.SocketBuffers;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Long and large exchanges through synedge to the test origin: WebSocket tunnels, big bodies
 * both ways, slow and vanishing clients, upstreams that break mid-body.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StreamingTest {

    private Origin origin;
    private TestProxy proxy;
    private HttpClient http;

    @BeforeAll
    void start() throws Exception {
        origin = Origin.start(OriginOptions.defaults());
        proxy = TestProxy.start("""
                synedge.event-loops = 1
                synedge.listeners = [ { name = main, address = "127.0.0.1", port = 0 } ]
                synedge.routes = [ { name = all, cluster = up } ]
                synedge.clusters.up.endpoints = [ "127.0.0.1:%d" ]
                """.formatted(origin.port()));
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    @AfterAll
    void stop() {
        http.close();
        proxy.close();
        origin.close();
    }

    @BeforeEach
    void forgetEarlierExchanges() throws Exception {
        proxy.drainExchanges(Duration.ZERO);
    }

    @Test
    void webSocketEchoesThroughTheTunnel() throws Exception {
        LinkedBlockingQueue<Object> received = new LinkedBlockingQueue<>();
        CompletableFuture<Integer> closed = new CompletableFuture<>();
        WebSocket.Listener listener = new WebSocket.Listener() {
            private final StringBuilder text = new StringBuilder();
            private final ByteArrayOutputStream binary = new ByteArrayOutputStream();

            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                    received.add(text.toString());
                    text.setLength(0);
                }
                ws.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
                byte[] bytes = new byte[data.remaining()];
                data.get(bytes);
                binary.writeBytes(bytes);
                if (last) {
                    received.add(binary.toByteArray());
                    binary.reset();
                }
                ws.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
                closed.complete(statusCode);
                return null;
            }
        };
        long upgrades = origin.stats().webSocketUpgrades();
        WebSocket ws = http.newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + proxy.port() + "/ws"), listener)
                .get(5, TimeUnit.SECONDS);
        ws.sendText("hello through synedge", true).get(5, TimeUnit.SECONDS);
        assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo("hello through synedge");
        byte[] big = new byte[3 << 20];
        new Random(3).nextBytes(big);
        ws.sendBinary(ByteBuffer.wrap(big), true).get(5, TimeUnit.SECONDS);
        assertThat((byte[]) received.poll(5, TimeUnit.SECONDS)).isEqualTo(big);
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
        assertThat(closed.get(5, TimeUnit.SECONDS)).isEqualTo(WebSocket.NORMAL_CLOSURE);
        assertThat(origin.stats().webSocketUpgrades() - upgrades).isEqualTo(1);
        AccessRecord record = proxy.nextExchange();
        assertThat(record.status()).isEqualTo(101);
        assertThat(record.termination()).isEqualTo(Termination.COMPLETED);
        assertThat(record.bytesReceived()).isGreaterThan(big.length);
        assertThat(record.bytesSent()).isGreaterThan(big.length);
    }

    @Test
    void a64MiBDownloadArrivesWhole() throws Exception {
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(URI.create(proxy.url("/64m"))).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        CRC32C crc = new CRC32C();
        long length = 0;
        try (InputStream body = response.body()) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = body.read(buf)) > 0) {
                crc.update(buf, 0, n);
                length += n;
            }
        }
        assertThat(length).isEqualTo(64L << 20);
        assertThat("%08x".formatted(crc.getValue())).isEqualTo(response.headers().firstValue("X-Body-Checksum").orElseThrow())
                .isEqualTo("%08x".formatted(BodyPattern.crc32c(64L << 20)));
    }

    @Test
    void a16MiBUploadArrivesWholeWithContentLengthAndChunked() throws Exception {
        byte[] body = new byte[16 << 20];
        new Random(16).nextBytes(body);
        CRC32C crc = new CRC32C();
        crc.update(body);
        String expected = "{\"length\":%d,\"crc32c\":\"%08x\"}".formatted(body.length, crc.getValue());

        HttpResponse<String> sized = http.send(HttpRequest.newBuilder(URI.create(proxy.url("/upload")))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(sized.statusCode()).isEqualTo(200);
        assertThat(sized.body().strip()).isEqualTo(expected);

        HttpResponse<String> chunked = http.send(HttpRequest.newBuilder(URI.create(proxy.url("/upload")))
                .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(chunked.statusCode()).isEqualTo(200);
        assertThat(chunked.body().strip()).isEqualTo(expected);
        AccessRecord first = proxy.nextExchange();
        AccessRecord second = proxy.nextExchange();
        assertThat(first.bytesReceived()).isGreaterThan(body.length);
        assertThat(second.bytesReceived()).isGreaterThan(body.length);
    }

    private static long directMemory() {
        return ((ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT).metric().usedDirectMemory();
    }

    /** Reads a response head from a raw stream; returns the Content-Length. */
    private static long readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("closed inside the head: " + head);
            }
            head.append((char) c);
        }
        for (String line : head.toString().split("\r\n")) {
            if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                return Long.parseLong(line.substring(15).strip());
            }
        }
        throw new IOException("no Content-Length in " + head);
    }

    /** Reads up to {@code length} body bytes, checking each against the origin's pattern; returns how many came. */
    private static long readPattern(InputStream in, long length) throws IOException {
        byte[] buf = new byte[1 << 16];
        long at = 0;
        try {
            while (at < length) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, length - at));
                if (n < 0) {
                    break;
                }
                for (int i = 0; i < n; i++) {
                    if (buf[i] != BodyPattern.byteAt(at + i)) {
                        throw new AssertionError("body byte " + (at + i) + " differs: a spliced or corrupted body");
                    }
                }
                at += n;
            }
        } catch (java.net.SocketException e) {
            // a reset ends what can be read
        }
        return at;
    }

    @Test
    void aStalledClientHoldsBackTheUpstreamAndLosesNothing() throws Exception {
        long clientBuffer = 64 * 1024;
        long proxyHeld = 8L << 20;
        long heldBound = SocketBuffers.streamHeldBound(clientBuffer, proxyHeld);
        long size = SocketBuffers.bodyLargerThan(heldBound, 64L << 20);
        try (RawClient client = RawClient.connect(proxy.address())) {
            client.socket().setReceiveBufferSize((int) clientBuffer);
            long sentBefore = origin.stats().responseBodyBytes();
            long memoryBefore = directMemory();
            client.send("GET /" + (size >> 20) + "m HTTP/1.1\r\nHost: a.example\r\n\r\n");
            long peakMemory = 0;
            for (int i = 0; i < 20; i++) {
                Thread.sleep(50);
                peakMemory = Math.max(peakMemory, directMemory() - memoryBefore);
            }
            long originSent = origin.stats().responseBodyBytes() - sentBefore;
            assertThat(originSent).as("body bytes the origin could hand over while the client read nothing")
                    .isLessThan(heldBound);
            assertThat(peakMemory).as("direct memory growth while the client read nothing").isLessThan(proxyHeld);
            InputStream in = client.socket().getInputStream();
            assertThat(readHead(in)).isEqualTo(size);
            assertThat(readPattern(in, size)).isEqualTo(size);
        }
        assertThat(proxy.nextExchange().termination()).isEqualTo(Termination.COMPLETED);
    }

    @Test
    void aClientLeavingMidResponseAbortsTheUpstreamConnection() throws Exception {
        try (RawClient client = RawClient.connect(proxy.address())) {
            client.send("GET /64m HTTP/1.1\r\nHost: a.example\r\n\r\n");
            InputStream in = client.socket().getInputStream();
            readHead(in);
            assertThat(readPattern(in, 1 << 20)).isEqualTo(1 << 20);
        }
        AccessRecord record = proxy.nextExchange();
        assertThat(record.termination()).isEqualTo(Termination.CLIENT_CLOSED);
        assertThat(record.status()).as("the status of the response cut off").isEqualTo(200);
        assertThat(record.bytesSent()).isLessThan(64L << 20);
        try (RawClient client = RawClient.connect(proxy.address())) {
            client.send("GET /hello HTTP/1.1\r\nHost: a.example\r\n\r\n");
            assertThat(client.read().bodyText()).isEqualTo("hello");
        }
        assertThat(proxy.nextExchange().upstreamConnection()).as("the aborted connection was not pooled")
                .isEqualTo(UpstreamConnection.NEW);
    }

    /**
     * The origin sends its head and part of the body, then a reset, which loses the bytes the
     * kernel still held: when the reset comes before any body byte was relayed, the client gets
     * a 502; otherwise a truncated body, never a continued one.
     */
    @Test
    void anUpstreamResetMidBodyCutsTheClientOffWithATruncatedBody() throws Exception {
        long size = 4L << 20;
        int status;
        try (RawClient client = RawClient.connect(proxy.address())) {
            client.send("GET /4m?fault=reset-mid-body HTTP/1.1\r\nHost: a.example\r\n\r\n");
            InputStream in = client.socket().getInputStream();
            long length = readHead(in);
            if (length == size) {
                status = 200;
                assertThat(readPattern(in, size)).isLessThan(size);
                assertThat(client.closedByPeer(2000)).isTrue();
            } else {
                status = 502;
                assertThat(new String(in.readNBytes((int) length), StandardCharsets.ISO_8859_1))
                        .isEqualTo("502 Bad Gateway\n");
            }
        }
        AccessRecord record = proxy.nextExchange();
        assertThat(record.termination()).isEqualTo(Termination.UPSTREAM_RESET);
        assertThat(record.status()).isEqualTo(status);
    }

    @Test
    void anUpstreamCloseMidBodyCutsTheClientOff() throws Exception {
        long size = 4L << 20;
        try (RawClient client = RawClient.connect(proxy.address())) {
            client.send("GET /4m?fault=close-mid-body HTTP/1.1\r\nHost: a.example\r\n\r\n");
            InputStream in = client.socket().getInputStream();
            assertThat(readHead(in)).isEqualTo(size);
            assertThat(readPattern(in, size)).isEqualTo(size / 2);
            assertThat(client.closedByPeer(2000)).isTrue();
        }
        assertThat(proxy.nextExchange().termination()).isEqualTo(Termination.UPSTREAM_CLOSED);
    }

    @Test
    void anUpstreamCloseMidChunkedBodyCutsTheClientOff() throws Exception {
        try (RawClient client = RawClient.connect(proxy.address())) {
            client.send("GET /1m?chunked=64k&fault=close-mid-body HTTP/1.1\r\nHost: a.example\r\n\r\n");
            String all = new String(client.readToEnd(), StandardCharsets.ISO_8859_1);
            assertThat(all).startsWith("HTTP/1.1 200 OK\r\n").contains("Transfer-Encoding: chunked\r\n")
                    .doesNotEndWith("0\r\n\r\n");
        }
        assertThat(proxy.nextExchange().termination()).isEqualTo(Termination.UPSTREAM_CLOSED);
    }
}
