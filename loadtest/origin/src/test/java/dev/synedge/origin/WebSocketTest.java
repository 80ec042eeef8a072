package dev.synedge.origin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The /ws echo through the JDK's WebSocket client. */
class WebSocketTest {

    private static Origin origin;

    @BeforeAll
    static void start() {
        origin = Origin.start(OriginOptions.defaults());
    }

    @AfterAll
    static void stop() {
        origin.close();
    }

    /** Collects whole messages (fragments joined) and control events. */
    private static final class Collector implements WebSocket.Listener {
        final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
        private final StringBuilder text = new StringBuilder();
        private final java.io.ByteArrayOutputStream binary = new java.io.ByteArrayOutputStream();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                events.add(text.toString());
                text.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            byte[] b = new byte[data.remaining()];
            data.get(b);
            binary.writeBytes(b);
            if (last) {
                events.add(binary.toByteArray());
                binary.reset();
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket ws, ByteBuffer message) {
            events.add("pong:" + java.nio.charset.StandardCharsets.UTF_8.decode(message));
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            events.add("close:" + statusCode + ":" + reason);
            return null;
        }

        Object next() throws InterruptedException {
            Object e = events.poll(10, TimeUnit.SECONDS);
            assertThat(e).as("an event within 10 s").isNotNull();
            return e;
        }
    }

    @Test
    void echoRoundTrip() throws Exception {
        long upgrades = origin.stats().webSocketUpgrades();
        try (HttpClient client = HttpClient.newHttpClient()) {
            Collector collector = new Collector();
            WebSocket ws = client.newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + origin.port() + "/ws"), collector)
                    .get(10, TimeUnit.SECONDS);

            ws.sendText("hello, origin", true).get(10, TimeUnit.SECONDS);
            assertThat(collector.next()).isEqualTo("hello, origin");

            ws.sendText("frag", false).get(10, TimeUnit.SECONDS);
            ws.sendText("mented", true).get(10, TimeUnit.SECONDS);
            assertThat(collector.next()).isEqualTo("fragmented");

            byte[] payload = new byte[200_000];
            new Random(3).nextBytes(payload);
            ws.sendBinary(ByteBuffer.wrap(payload), true).get(10, TimeUnit.SECONDS);
            assertThat((byte[]) collector.next()).isEqualTo(payload);

            ws.sendPing(ByteBuffer.wrap("are you there".getBytes())).get(10, TimeUnit.SECONDS);
            assertThat(collector.next()).isEqualTo("pong:are you there");

            ws.sendClose(4001, "done").get(10, TimeUnit.SECONDS);
            assertThat(collector.next()).isEqualTo("close:4001:done");
        }
        assertThat(origin.stats().webSocketUpgrades()).isEqualTo(upgrades + 1);
    }

    @Test
    void wsWithoutUpgradeIsRefused() throws Exception {
        try (RawConnection c = new RawConnection(origin.port())) {
            RawResponse r = c.send("GET /ws HTTP/1.1\r\nHost: t\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(400);
        }
    }

    @Test
    void rawHandshakeGetsTheRfc6455AcceptValue() throws Exception {
        try (RawConnection c = new RawConnection(origin.port())) {
            // The key and accept value from RFC 6455 §1.3.
            RawResponse r = c.send("GET /ws HTTP/1.1\r\nHost: t\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").read(true);
            assertThat(r.status()).isEqualTo(101);
            assertThat(r.header("Sec-WebSocket-Accept")).isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
        }
    }
}
