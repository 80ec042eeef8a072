package dev.synedge.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.synedge.accesslog.AccessRecord;
import dev.synedge.accesslog.Termination;
import dev.synedge.testing.RawClient;
import dev.synedge.testing.RecordingUpstream;
import dev.synedge.testing.RecordingUpstream.Action;
import dev.synedge.testing.TestProxy;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A graceful stop: nothing new is accepted, idle keep-alive connections close at once,
 * exchanges in flight (slow heads, chunked bodies mid-way, a request head still arriving)
 * finish whole with {@code Connection: close} where their head is still to come, and what is
 * left after the drain timeout, or at {@code cutNow}, is cut and counted.
 */
class DrainTest {

    private static final String CHUNKED_HEAD = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";

    /** Lets the upstream answer /slow. */
    private final CountDownLatch slowMayAnswer = new CountDownLatch(1);

    /**
     * /slow answers once {@link #slowMayAnswer} is open; /chunked sends a chunk at once and two
     * more 300 ms apart; /hang never answers.
     */
    private RecordingUpstream upstream() throws IOException {
        return RecordingUpstream.start(request -> {
            String text = request.text();
            if (text.startsWith("GET /slow")) {
                awaitUninterruptibly(slowMayAnswer);
                return Action.respond("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nslow");
            }
            if (text.startsWith("GET /chunked")) {
                return Action.pieces(300, CHUNKED_HEAD + "5\r\nfirst\r\n", "6\r\nsecond\r\n", "5\r\nthird\r\n0\r\n\r\n");
            }
            if (text.startsWith("GET /hang")) {
                return new Action.Silence();
            }
            return RecordingUpstream.OK.answer(request);
        });
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static TestProxy proxy(RecordingUpstream upstream, String extra) throws Exception {
        return TestProxy.start("""
                synedge.access-log.enabled = true
                synedge.listeners = [ { name = main, address = "127.0.0.1", port = 0, header-read-timeout = 1s } ]
                synedge.routes = [ { name = all, match.hosts = ["a.example"], cluster = up } ]
                synedge.clusters.up.endpoints = [ "127.0.0.1:%d" ]
                %s
                """.formatted(upstream.port(), extra));
    }

    private static RawClient request(TestProxy proxy, String path) throws IOException {
        return RawClient.connect(proxy.address()).send("GET " + path + " HTTP/1.1\r\nHost: a.example\r\n\r\n");
    }

    private static CompletableFuture<Integer> drain(TestProxy proxy, Duration timeout) {
        return CompletableFuture.supplyAsync(() -> proxy.server().drain(timeout));
    }

    /** Waits until connecting to {@code address} is refused: the listener is closed. */
    private static void awaitRefused(InetSocketAddress address) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (System.nanoTime() - deadline < 0) {
            try (Socket probe = new Socket(address.getAddress(), address.getPort())) {
                Thread.sleep(10);
            } catch (ConnectException refused) {
                return;
            } catch (SocketException reset) {
                // a probe caught in the accept queue as its socket closed: the listener is closing
                continue;
            }
        }
        throw new AssertionError("still accepting on " + address);
    }

    @Test
    void exchangesInFlightFinishWholeAndIdleConnectionsCloseAtOnce() throws Exception {
        try (RecordingUpstream upstream = upstream()) {
            TestProxy proxy = proxy(upstream, "");
            try (proxy; RawClient idle = request(proxy, "/ok")) {
                assertThat(idle.read().bodyText()).isEqualTo("ok");
                assertThat(proxy.nextExchange().termination()).isEqualTo(Termination.COMPLETED);
                List<RawClient> slow = new ArrayList<>();
                List<RawClient> chunked = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    slow.add(request(proxy, "/slow"));
                    chunked.add(request(proxy, "/chunked"));
                }
                for (int i = 0; i < 6; i++) {
                    upstream.nextRequest();
                }
                RawClient partial = RawClient.connect(proxy.address()).send("GET /none HTTP/1.1\r\nHo");
                Thread.sleep(50);

                CompletableFuture<Integer> drained = drain(proxy, Duration.ofSeconds(10));

                assertThat(idle.closedByPeer(2000)).as("idle keep-alive connection closed after the grace").isTrue();
                awaitRefused(proxy.address());
                slowMayAnswer.countDown();
                partial.send("st: b.example\r\n\r\n");
                RawClient.Response notFound = partial.read();
                assertThat(notFound.status()).isEqualTo(404);
                assertThat(notFound.header("Connection")).isEqualTo("close");
                assertThat(partial.closedByPeer(1000)).isTrue();
                for (RawClient client : slow) {
                    RawClient.Response response = client.read();
                    assertThat(response.bodyText()).isEqualTo("slow");
                    assertThat(response.header("Connection")).as("head written during the drain").isEqualTo("close");
                    assertThat(client.closedByPeer(1000)).isTrue();
                }
                for (RawClient client : chunked) {
                    assertThat(client.read().bodyText()).isEqualTo("firstsecondthird");
                    assertThat(client.closedByPeer(1000)).isTrue();
                }
                assertThat(drained.get(5, TimeUnit.SECONDS)).as("exchanges cut").isZero();
                assertThat(proxy.server().state()).isEqualTo(ProxyServer.State.STOPPED);
                List<AccessRecord> records = proxy.drainExchanges(Duration.ofMillis(100));
                assertThat(records).hasSize(7).allMatch(r -> r.termination() == Termination.COMPLETED);
                slow.forEach(DrainTest::closeQuietly);
                chunked.forEach(DrainTest::closeQuietly);
                closeQuietly(partial);
            }
        }
    }

    /** A closed-loop client sends its next request as soon as it has a response: it must not be reset. */
    @Test
    void aRequestOnItsWayOnAKeepAliveConnectionIsAnsweredWithConnectionClose() throws Exception {
        try (RecordingUpstream upstream = upstream()) {
            TestProxy proxy = proxy(upstream, "");
            try (proxy; RawClient client = request(proxy, "/ok")) {
                assertThat(client.read().bodyText()).isEqualTo("ok");

                CompletableFuture<Integer> drained = drain(proxy, Duration.ofSeconds(10));
                awaitRefused(proxy.address());
                client.send("GET /ok HTTP/1.1\r\nHost: a.example\r\n\r\n");

                RawClient.Response response = client.read();
                assertThat(response.bodyText()).isEqualTo("ok");
                assertThat(response.header("Connection")).isEqualTo("close");
                assertThat(client.closedByPeer(1000)).isTrue();
                assertThat(drained.get(5, TimeUnit.SECONDS)).isZero();
            }
        }
    }

    @Test
    void whatIsLeftAfterTheTimeoutIsCutAndCounted() throws Exception {
        try (RecordingUpstream upstream = upstream()) {
            TestProxy proxy = proxy(upstream, "");
            try (proxy; RawClient hanging = request(proxy, "/hang")) {
                upstream.nextRequest();
                long start = System.nanoTime();

                assertThat(proxy.server().drain(Duration.ofMillis(300))).isEqualTo(1);

                assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(250L, 3000L);
                assertThat(hanging.closedByPeer(1000)).isTrue();
                assertThat(proxy.nextExchange().termination()).isEqualTo(Termination.SHUTDOWN);
                assertThat(upstream.awaitPeerClosed(0, 2000)).as("upstream connection closed").isTrue();
            }
        }
    }

    @Test
    void cutNowEndsADrainAtOnce() throws Exception {
        try (RecordingUpstream upstream = upstream()) {
            TestProxy proxy = proxy(upstream, "");
            try (proxy; RawClient hanging = request(proxy, "/hang")) {
                upstream.nextRequest();
                CompletableFuture<Integer> drained = drain(proxy, Duration.ofMinutes(1));
                awaitRefused(proxy.address());
                assertThat(drained).isNotDone();

                proxy.server().cutNow();

                assertThat(drained.get(2, TimeUnit.SECONDS)).isEqualTo(1);
                assertThat(hanging.closedByPeer(1000)).isTrue();
            }
        }
    }

    @Test
    void aNewConnectionThatSendsNothingGetsTheHeaderReadTimeout() throws Exception {
        try (RecordingUpstream upstream = upstream()) {
            TestProxy proxy = proxy(upstream, "");
            try (proxy; RawClient silent = RawClient.connect(proxy.address())) {
                Thread.sleep(50);
                long start = System.nanoTime();

                assertThat(proxy.server().drain(Duration.ofSeconds(10))).isZero();

                // header-read-timeout = 1s, not the 60 s idle timeout
                assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(500L, 3000L);
                assertThat(silent.closedByPeer(1000)).isTrue();
            }
        }
    }

    @Test
    void aSecondDrainDoesNothing() throws Exception {
        try (RecordingUpstream upstream = upstream()) {
            TestProxy proxy = proxy(upstream, "");
            try (proxy) {
                assertThat(proxy.server().drain(Duration.ofSeconds(1))).isZero();
                assertThat(proxy.server().drain(Duration.ofSeconds(1))).isZero();
                assertThatThrownBy(() -> request(proxy, "/ok").read()).isInstanceOf(IOException.class);
            }
        }
    }

    private static void closeQuietly(RawClient client) {
        try {
            client.close();
        } catch (IOException ignored) {
            // closed by the peer already
        }
    }
}
