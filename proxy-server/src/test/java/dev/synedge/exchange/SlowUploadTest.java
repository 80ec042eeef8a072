package dev.synedge.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synedge.accesslog.Termination;
import dev.synedge.testing.LogCapture;
import dev.synedge.testing.RawClient;
import dev.synedge.testing.RecordingUpstream;
import dev.synedge.testing.TestProxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Slow uploaders: a body that trickles is cut by the request-body time, however often its
 * bytes come; with buffering on, clients still sending their bodies hold no upstream
 * connection.
 */
class SlowUploadTest {

    private static TestProxy proxy(int upstream, String requestBody) throws Exception {
        return TestProxy.start("""
                synedge.event-loops = 2
                synedge.listeners = [ { name = main, address = "127.0.0.1", port = 0, idle-timeout = 30s } ]
                synedge.routes = [ { name = all, cluster = up } ]
                synedge.clusters.up.endpoints = [ "127.0.0.1:%d" ]
                synedge.http.request-body { %s }
                """.formatted(upstream, requestBody));
    }

    @Test
    void aTricklingBodyIsCutByItsTimeNotItsIdleTimeout() throws Exception {
        try (LogCapture log = LogCapture.of("dev.synedge.exchange");
             RecordingUpstream upstream = RecordingUpstream.start(RecordingUpstream.OK);
             TestProxy proxy = proxy(upstream.port(), "timeout = 1s, min-rate = 1KiB, max-time = 10s");
             RawClient client = RawClient.connect(proxy.address())) {
            long start = System.nanoTime();
            client.send("POST /up HTTP/1.1\r\nHost: a.example\r\nContent-Length: 1000\r\n\r\n");
            RawClient.Response response = null;
            for (int i = 0; i < 40 && response == null; i++) {
                client.send("x");
                Thread.sleep(100);
                if (client.hasInput()) {
                    response = client.read();
                }
            }

            assertThat(response).as("answered while the body trickled").isNotNull();
            assertThat(response.status()).isEqualTo(408);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("a second, not the idle 30 s")
                    .isBetween(900L, 3000L);
            assertThat(proxy.nextExchange().termination()).isEqualTo(Termination.CLIENT_TIMEOUT);
            assertThat(log.await("request body bytes in", "too slowly")).isNotEmpty();
        }
    }

    @Test
    void aBodyThatKeepsComingFastEnoughIsNeverCut() throws Exception {
        try (RecordingUpstream upstream = RecordingUpstream.start(RecordingUpstream.OK);
             TestProxy proxy = proxy(upstream.port(), "timeout = 1s, min-rate = 1KiB, max-time = 10s");
             RawClient client = RawClient.connect(proxy.address())) {
            int parts = 20;
            client.send("POST /up HTTP/1.1\r\nHost: a.example\r\nContent-Length: " + parts * 2048 + "\r\n\r\n");
            for (int i = 0; i < parts; i++) {
                client.send(new byte[2048]);
                Thread.sleep(100);
            }

            assertThat(client.read().status()).as("2 s for 40 KiB at 20 KiB/s").isEqualTo(200);
        }
    }

    /** 200 clients in the middle of their bodies hold no upstream connection; then all go through. */
    @Test
    void withBufferingSlowUploadersHoldNoUpstreamConnection() throws Exception {
        int clients = 200;
        try (RecordingUpstream upstream = RecordingUpstream.start(RecordingUpstream.OK);
             TestProxy proxy = proxy(upstream.port(), "buffering = 64k")) {
            List<RawClient> uploaders = new ArrayList<>();
            try {
                for (int i = 0; i < clients; i++) {
                    uploaders.add(RawClient.connect(proxy.address())
                            .send("POST /up" + i + " HTTP/1.1\r\nHost: a.example\r\nContent-Length: 100\r\n\r\n")
                            .send(new byte[60]));
                }
                Thread.sleep(300);
                int held = upstream.connectionCount();
                System.out.println("request buffering: " + clients + " slow uploaders, " + held
                        + " upstream connection(s) held");
                assertThat(held).as("upstream connections while bodies are on their way").isZero();

                for (RawClient uploader : uploaders) {
                    uploader.send(new byte[40]);
                }
                for (RawClient uploader : uploaders) {
                    assertThat(uploader.read().status()).isEqualTo(200);
                }
                assertThat(upstream.requests()).hasSize(clients).allMatch(r -> r.body().length() == 100);
            } finally {
                for (RawClient uploader : uploaders) {
                    uploader.close();
                }
            }
        }
    }

    @Test
    void withoutBufferingEachUploaderHoldsAnUpstreamConnection() throws Exception {
        try (RecordingUpstream upstream = RecordingUpstream.start(RecordingUpstream.OK);
             TestProxy proxy = proxy(upstream.port(), "buffering = 0");
             RawClient client = RawClient.connect(proxy.address())) {
            client.send("POST /up HTTP/1.1\r\nHost: a.example\r\nContent-Length: 100\r\n\r\n").send(new byte[60]);
            Thread.sleep(300);

            assertThat(upstream.connectionCount()).isEqualTo(1);
            client.send(new byte[40]);
            assertThat(client.read().status()).isEqualTo(200);
        }
    }
}
