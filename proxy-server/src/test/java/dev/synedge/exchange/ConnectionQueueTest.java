package dev.synedge.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synedge.accesslog.Termination;
import dev.synedge.testing.RawClient;
import dev.synedge.testing.RecordingUpstream;
import dev.synedge.testing.TestProxy;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * At max-connections-per-endpoint, exchanges wait in the cluster's queue for a connection,
 * first come first served: one that finds the queue full, or waits past its timeout, gets 503.
 */
class ConnectionQueueTest {

    /** An upstream that answers GET /hold only once {@code answer} opens, anything else at once. */
    private static RecordingUpstream holdingUpstream(CountDownLatch answer) throws Exception {
        return RecordingUpstream.start(request -> {
            if (request.head().startsWith("GET /hold")) {
                try {
                    answer.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return RecordingUpstream.OK.answer(request);
        });
    }

    /** One endpoint taking one connection per loop, with the cluster's {@code queue} settings. */
    private static TestProxy proxy(int port, String queue) throws Exception {
        return TestProxy.start("""
                synedge.event-loops = 1
                synedge.listeners = [ { name = main, address = "127.0.0.1", port = 0 } ]
                synedge.routes = [ { name = all, cluster = up } ]
                synedge.clusters.up {
                  endpoints = [ "127.0.0.1:%d" ]
                  max-connections-per-endpoint = 1
                  queue { %s }
                }
                """.formatted(port, queue));
    }

    @Test
    void atTheCapExchangesQueueAndTheRestGet503() throws Exception {
        CountDownLatch answer = new CountDownLatch(1);
        try (RecordingUpstream upstream = holdingUpstream(answer);
             TestProxy proxy = proxy(upstream.port(), "size = 1, timeout = 10s");
             RawClient holding = RawClient.connect(proxy.address());
             RawClient waiting = RawClient.connect(proxy.address());
             RawClient refused = RawClient.connect(proxy.address())) {
            holding.send("GET /hold HTTP/1.1\r\nHost: a.example\r\n\r\n");
            upstream.nextRequest();
            waiting.send("GET /next HTTP/1.1\r\nHost: a.example\r\n\r\n");
            Thread.sleep(100);

            refused.send("GET /more HTTP/1.1\r\nHost: a.example\r\n\r\n");
            assertThat(refused.read().status()).as("the queue is full").isEqualTo(503);
            assertThat(proxy.nextExchange().termination()).isEqualTo(Termination.OVERLOADED);
            assertThat(upstream.connectionCount()).as("the cap").isEqualTo(1);

            answer.countDown();
            assertThat(holding.read().status()).isEqualTo(200);
            assertThat(waiting.read().status()).as("served once the connection came free").isEqualTo(200);
            assertThat(upstream.connectionCount()).as("on the same connection").isEqualTo(1);
        }
    }

    @Test
    void anExchangeWaitingPastTheQueueTimeoutGets503() throws Exception {
        CountDownLatch answer = new CountDownLatch(1);
        try (RecordingUpstream upstream = holdingUpstream(answer);
             TestProxy proxy = proxy(upstream.port(), "size = 8, timeout = 400ms");
             RawClient holding = RawClient.connect(proxy.address());
             RawClient waiting = RawClient.connect(proxy.address())) {
            holding.send("GET /hold HTTP/1.1\r\nHost: a.example\r\n\r\n");
            upstream.nextRequest();
            long start = System.nanoTime();
            waiting.send("GET /next HTTP/1.1\r\nHost: a.example\r\n\r\n");

            assertThat(waiting.read().status()).isEqualTo(503);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(350L, 3000L);
            assertThat(proxy.nextExchange().termination()).isEqualTo(Termination.OVERLOADED);
            answer.countDown();
            assertThat(holding.read().status()).isEqualTo(200);
        }
    }
}
