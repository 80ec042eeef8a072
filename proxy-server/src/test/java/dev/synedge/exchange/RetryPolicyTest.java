package dev.synedge.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synedge.accesslog.AccessRecord;
import dev.synedge.testing.RawClient;
import dev.synedge.testing.RecordingUpstream;
import dev.synedge.testing.RecordingUpstream.Action;
import dev.synedge.testing.TestProxy;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A cluster's retry policy with real upstreams: a 503 and a silent endpoint are retried on the
 * other endpoint for replay-safe requests only, within the per-try timeout and the number of
 * tries.
 */
class RetryPolicyTest {

    private static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
    private static final String BUSY = "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 4\r\n\r\nbusy";

    private static TestProxy proxy(int first, int second, String retries) throws Exception {
        return TestProxy.start("""
                synedge.event-loops = 1
                synedge.listeners = [ { name = main, address = "127.0.0.1", port = 0 } ]
                synedge.routes = [ { name = all, cluster = up } ]
                synedge.clusters.up {
                  endpoints = [ "127.0.0.1:%d", "127.0.0.1:%d" ]
                  load-balancing = round-robin
                  outlier-detection.consecutive-failures = 0
                  retries { %s }
                }
                """.formatted(first, second, retries));
    }

    @Test
    void a503IsRetriedElsewhereForReplaySafeRequestsOnly() throws Exception {
        String retries = "on = [connect-failure, reset, 503]";
        try (RecordingUpstream busy = RecordingUpstream.start(r -> Action.respond(BUSY));
             RecordingUpstream fine = RecordingUpstream.start(r -> Action.respond(OK));
             TestProxy forGet = proxy(busy.port(), fine.port(), retries);
             TestProxy forPost = proxy(busy.port(), fine.port(), retries)) {
            RawClient.Response get = send(forGet, "GET /g HTTP/1.1\r\nHost: a.example\r\n\r\n");
            assertThat(get.bodyText()).as("round robin starts with the busy endpoint").isEqualTo("ok");
            AccessRecord record = forGet.nextExchange();
            assertThat(record.retries()).isEqualTo(1);
            assertThat(record.endpoint()).isEqualTo("127.0.0.1:" + fine.port());

            RawClient.Response post = send(forPost, "POST /p HTTP/1.1\r\nHost: a.example\r\nContent-Length: 1\r\n\r\nx");
            assertThat(post.status()).as("a POST that reached the endpoint is not sent twice").isEqualTo(503);
            assertThat(post.bodyText()).isEqualTo("busy");
            assertThat(forPost.nextExchange().retries()).isZero();
            assertThat(busy.requests()).hasSize(2);
            assertThat(fine.requests()).hasSize(1);
        }
    }

    private static RawClient.Response send(TestProxy proxy, String request) throws Exception {
        try (RawClient client = RawClient.connect(proxy.address())) {
            client.send(request);
            return client.read();
        }
    }

    @Test
    void aSilentEndpointIsRetriedAfterThePerTryTimeout() throws Exception {
        try (RecordingUpstream silent = RecordingUpstream.start(r -> new Action.Silence());
             RecordingUpstream fine = RecordingUpstream.start(r -> Action.respond(OK));
             TestProxy proxy = proxy(silent.port(), fine.port(),
                     "on = [response-head-timeout], per-try-timeout = 300ms");
             RawClient client = RawClient.connect(proxy.address())) {
            long start = System.nanoTime();
            client.send("GET /g HTTP/1.1\r\nHost: a.example\r\n\r\n");
            assertThat(client.read().bodyText()).isEqualTo("ok");
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("one per-try timeout")
                    .isBetween(250L, 3000L);
            assertThat(proxy.nextExchange().retries()).isEqualTo(1);
            assertThat(silent.awaitPeerClosed(0, 2000)).as("the silent try is abandoned").isTrue();
        }
    }

    @Test
    void triesStopAtTheMaximum() throws Exception {
        try (RecordingUpstream a = RecordingUpstream.start(r -> Action.respond(BUSY));
             RecordingUpstream b = RecordingUpstream.start(r -> Action.respond(BUSY));
             TestProxy proxy = proxy(a.port(), b.port(), "max = 2, on = [503]");
             RawClient client = RawClient.connect(proxy.address())) {
            client.send("GET /g HTTP/1.1\r\nHost: a.example\r\n\r\n");
            assertThat(client.read().status()).isEqualTo(503);
            assertThat(proxy.nextExchange().retries()).isEqualTo(2);
            assertThat(a.requests().size() + b.requests().size()).as("three tries").isEqualTo(3);
        }
    }
}
