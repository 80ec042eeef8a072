package dev.synedge.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synedge.testing.RawClient;
import dev.synedge.testing.RecordingUpstream;
import dev.synedge.testing.RecordingUpstream.Action;
import dev.synedge.testing.TestProxy;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A client that pipelines far ahead of its answers is read only so far ahead: the rest waits
 * in its socket, not in synedge's memory; and every request still gets its answer, in order.
 */
class PipelineBackpressureTest {

    private static final String PADDED = "GET /p%d HTTP/1.1\r\nHost: a.example\r\nX-Pad: " + "p".repeat(8000) + "\r\n\r\n";

    private static TestProxy proxy(RecordingUpstream upstream) throws Exception {
        return TestProxy.start("""
                synedge.event-loops = 1
                synedge.listeners = [ { name = main, address = "127.0.0.1", port = 0 } ]
                synedge.routes = [ { name = all, cluster = up } ]
                synedge.clusters.up.endpoints = [ "127.0.0.1:%d" ]
                """.formatted(upstream.port()));
    }

    private static long directMemory() {
        return ((ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT).metric().usedDirectMemory();
    }

    @Test
    void pipelinedRequestsBehindASlowExchangeAreNotReadWithoutBound() throws Exception {
        try (RecordingUpstream upstream = RecordingUpstream.start(r -> r.head().startsWith("GET /slow")
                    ? new Action.Respond("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(), false, 2000)
                    : Action.respond("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
             TestProxy proxy = proxy(upstream);
             RawClient client = RawClient.connect(proxy.address())) {
            long memoryBefore = directMemory();
            client.send("GET /slow HTTP/1.1\r\nHost: a.example\r\n\r\n");
            upstream.nextRequest();
            AtomicLong written = new AtomicLong();
            Thread writer = Thread.ofPlatform().daemon().start(() -> {
                try {
                    for (int i = 0; ; i++) {
                        byte[] request = PADDED.formatted(i).getBytes(StandardCharsets.ISO_8859_1);
                        client.send(request);
                        written.addAndGet(request.length);
                    }
                } catch (Exception stopped) {
                    // the socket closed at the end of the test
                }
            });
            long peak = 0;
            for (int i = 0; i < 10; i++) {
                Thread.sleep(100);
                peak = Math.max(peak, directMemory() - memoryBefore);
            }
            assertThat(written.get()).as("bytes the client could push while its first request waited")
                    .isLessThan(16L << 20);
            assertThat(peak).as("direct memory growth").isLessThan(8L << 20);
            client.close();
            writer.join(2000);
        }
    }

    /** Each of these is answered by synedge itself (no route: 404) as soon as it is parsed. */
    @Test
    void thousandsOfPipelinedRequestsAnsweredAtOnceAreAllAnswered() throws Exception {
        int count = 20_000;
        try (TestProxy proxy = TestProxy.start("""
                synedge.event-loops = 1
                synedge.listeners = [ { name = main, address = "127.0.0.1", port = 0 } ]
                synedge.routes = [ { name = b, cluster = up, match.hosts = [ b.example ] } ]
                synedge.clusters.up.endpoints = [ "127.0.0.1:1" ]
                """);
             RawClient client = RawClient.connect(proxy.address())) {
            Thread writer = Thread.ofPlatform().daemon().start(() -> {
                try {
                    client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n".repeat(count));
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            for (int i = 0; i < count; i++) {
                assertThat(client.read().status()).isEqualTo(404);
            }
            writer.join(5000);
        }
    }

    @Test
    void manyPaddedPipelinedRequestsAreAllAnsweredInOrder() throws Exception {
        int count = 500;
        try (RecordingUpstream upstream = RecordingUpstream.start(r -> {
                String path = r.head().substring(4, r.head().indexOf(' ', 4));
                return Action.respond("HTTP/1.1 200 OK\r\nContent-Length: " + path.length() + "\r\n\r\n" + path);
            });
             TestProxy proxy = proxy(upstream);
             RawClient client = RawClient.connect(proxy.address())) {
            Thread writer = Thread.ofPlatform().daemon().start(() -> {
                try {
                    StringBuilder all = new StringBuilder();
                    for (int i = 0; i < count; i++) {
                        all.append(PADDED.formatted(i));
                    }
                    client.send(all.toString());
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            for (int i = 0; i < count; i++) {
                assertThat(client.read().bodyText()).isEqualTo("/p" + i);
            }
            writer.join(5000);
            assertThat(upstream.requests()).hasSize(count);
        }
    }
}
