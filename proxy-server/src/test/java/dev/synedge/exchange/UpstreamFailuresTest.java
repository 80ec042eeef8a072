package dev.synedge.exchange;

import dev.synedge.accesslog.Termination;
import static org.assertj.core.api.Assertions.assertThat;

import dev.synedge.accesslog.AccessRecord;
import dev.synedge.accesslog.UpstreamConnection;
import dev.synedge.testing.Canned;
import dev.synedge.testing.LogCapture;
import dev.synedge.testing.RawClient;
import dev.synedge.testing.RecordingUpstream;
import dev.synedge.testing.RecordingUpstream.Action;
import dev.synedge.testing.TestProxy;
import dev.synedge.testkit.KernelRequirement;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Upstream trouble before a response: replay-safe requests are retried once on a new
 * connection, anything else is never sent twice; what cannot be retried is answered 502, 503
 * or 504 with a short body and a log line saying why.
 */
class UpstreamFailuresTest {

    private static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

    private static TestProxy proxy(String endpoints, String clusterSettings, String routeSettings) throws Exception {
        return TestProxy.start("""
                synedge.event-loops = 1
                synedge.listeners = [ { name = main, address = "127.0.0.1", port = 0 } ]
                synedge.routes = [ { name = all, cluster = up, %s } ]
                synedge.clusters.up { endpoints = [ %s ], %s }
                """.formatted(routeSettings, endpoints, clusterSettings));
    }

    /** A loopback port nothing listens on. */
    private static int deadPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @ParameterizedTest(name = "fastopen = {0}")
    @ValueSource(strings = {"off", "on"})
    void aRefusingEndpointIsSkippedByARetryAndEveryGetSucceeds(String fastopen) throws Exception {
        try (RecordingUpstream live = RecordingUpstream.start(r -> Action.respond(OK));
             TestProxy proxy = proxy("\"127.0.0.1:%d\", \"127.0.0.1:%d\"".formatted(live.port(), deadPort()),
                     "fastopen = " + fastopen, "x-forwarded = off");
             RawClient client = RawClient.connect(proxy.address())) {
            for (int i = 0; i < 6; i++) {
                client.send("GET /r" + i + " HTTP/1.1\r\nHost: a.example\r\n\r\n");
                assertThat(client.read().bodyText()).isEqualTo("ok");
            }
            int retries = 0;
            for (int i = 0; i < 6; i++) {
                AccessRecord record = proxy.nextExchange();
                assertThat(record.status()).isEqualTo(200);
                assertThat(record.endpoint()).isEqualTo("127.0.0.1:" + live.port());
                assertThat(record.retries()).isBetween(0, 1);
                retries += record.retries();
            }
            assertThat(retries).as("round robin sent every other request to the dead endpoint first").isEqualTo(3);
            assertThat(live.requests()).hasSize(6);
        }
    }

    /** The upstream closes (or resets) a pooled connection just as the proxy reuses it. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"close", "reset"})
    void aReusedConnectionTheUpstreamDroppedIsRetriedForGet(String how) throws Exception {
        try (RecordingUpstream upstream = RecordingUpstream.start(r -> r.connection() == 0 && r.index() == 1
                    ? (how.equals("close") ? new Action.Close() : new Action.Reset()) : Action.respond(OK));
             TestProxy proxy = proxy("\"127.0.0.1:%d\"".formatted(upstream.port()), "", "x-forwarded = off");
             RawClient client = RawClient.connect(proxy.address())) {
            client.send("GET /1 HTTP/1.1\r\nHost: a.example\r\n\r\n");
            assertThat(client.read().bodyText()).isEqualTo("ok");
            client.send("GET /2 HTTP/1.1\r\nHost: a.example\r\n\r\n");
            assertThat(client.read().bodyText()).isEqualTo("ok");
            proxy.nextExchange();
            AccessRecord second = proxy.nextExchange();
            assertThat(second.retries()).isEqualTo(1);
            assertThat(second.upstreamConnection()).isEqualTo(UpstreamConnection.NEW);
            assertThat(upstream.requests()).extracting(r -> r.connection() + " " + r.head().substring(0, 6))
                    .containsExactly("0 GET /1", "0 GET /2", "1 GET /2");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"close", "reset"})
    void aPostIsNeverSentTwiceAndGets502WhenItsConnectionFails(String how) throws Exception {
        try (LogCapture log = LogCapture.of("dev.synedge.exchange");
             RecordingUpstream upstream = RecordingUpstream.start(r -> r.connection() == 0 && r.index() == 1
                    ? (how.equals("close") ? new Action.Close() : new Action.Reset()) : Action.respond(OK));
             TestProxy proxy = proxy("\"127.0.0.1:%d\"".formatted(upstream.port()), "", "x-forwarded = off");
             RawClient client = RawClient.connect(proxy.address())) {
            client.send("GET /1 HTTP/1.1\r\nHost: a.example\r\n\r\n");
            assertThat(client.read().bodyText()).isEqualTo("ok");
            client.send("POST /2 HTTP/1.1\r\nHost: a.example\r\nContent-Length: 4\r\n\r\ndata");
            assertThat(client.read().rawText()).isEqualTo(Canned.keepAlive(502));
            proxy.nextExchange();
            AccessRecord post = proxy.nextExchange();
            assertThat(post.status()).isEqualTo(502);
            assertThat(post.retries()).isZero();
            assertThat(post.termination()).isEqualTo(Termination.UPSTREAM_RESET);
            Thread.sleep(100);
            assertThat(upstream.requests()).extracting(r -> r.head().substring(0, 7))
                    .containsExactly("GET /1 ", "POST /2");
            assertThat(upstream.connectionCount()).isEqualTo(1);
            log.await("WARN POST all -> 502", "127.0.0.1:" + upstream.port());
        }
    }

    @Test
    void aPostOnAnIdempotentRouteIsRetried() throws Exception {
        try (RecordingUpstream upstream = RecordingUpstream.start(r -> r.connection() == 0 && r.index() == 1
                    ? new Action.Close() : Action.respond(OK));
             TestProxy proxy = proxy("\"127.0.0.1:%d\"".formatted(upstream.port()), "", "idempotent = true");
             RawClient client = RawClient.connect(proxy.address())) {
            client.send("GET /1 HTTP/1.1\r\nHost: a.example\r\n\r\n");
            assertThat(client.read().bodyText()).isEqualTo("ok");
            client.send("POST /2 HTTP/1.1\r\nHost: a.example\r\nContent-Length: 4\r\n\r\ndata");
            assertThat(client.read().bodyText()).isEqualTo("ok");
            proxy.nextExchange();
            assertThat(proxy.nextExchange().retries()).isEqualTo(1);
            assertThat(upstream.requests()).extracting(r -> r.connection() + " " + r.body())
                    .containsExactly("0 ", "0 data", "1 data");
        }
    }

    @Test
    void aRefusingSingleEndpointGets502() throws Exception {
        int dead = deadPort();
        try (LogCapture log = LogCapture.of("dev.synedge.exchange");
             TestProxy proxy = proxy("\"127.0.0.1:%d\"".formatted(dead), "", "");
             RawClient client = RawClient.connect(proxy.address())) {
            client.send("GET /x HTTP/1.1\r\nHost: a.example\r\n\r\n");
            assertThat(client.read().rawText()).isEqualTo(Canned.keepAlive(502));
            AccessRecord record = proxy.nextExchange();
            assertThat(record.termination()).isEqualTo(Termination.UPSTREAM_REFUSED);
            assertThat(record.retries()).isEqualTo(1);
            client.send("POST /x HTTP/1.1\r\nHost: a.example\r\nContent-Length: 1\r\n\r\nx");
            assertThat(client.read().rawText()).isEqualTo(Canned.keepAlive(502));
            assertThat(proxy.nextExchange().retries()).as("a refused POST reached nothing: retried too").isEqualTo(1);
            assertThat(log.await("WARN GET all -> 502", "127.0.0.1:" + dead)).containsIgnoringCase("refused");
        }
    }

    @Test
    void noEndpointWithRoomAndNoQueueGets503() throws Exception {
        try (LogCapture log = LogCapture.of("dev.synedge.exchange");
             RecordingUpstream upstream = RecordingUpstream.start(r -> r.head().startsWith("GET /hang")
                    ? new Action.Silence() : Action.respond(OK));
             TestProxy proxy = proxy("\"127.0.0.1:%d\"".formatted(upstream.port()),
                     "max-connections-per-endpoint = 1, queue.size = 0", "");
             RawClient holder = RawClient.connect(proxy.address());
             RawClient client = RawClient.connect(proxy.address())) {
            holder.send("GET /hang HTTP/1.1\r\nHost: a.example\r\n\r\n");
            upstream.nextRequest();
            client.send("GET /x HTTP/1.1\r\nHost: a.example\r\n\r\n");
            assertThat(client.read().rawText()).isEqualTo(Canned.keepAlive(503));
            AccessRecord record = proxy.nextExchange();
            assertThat(record.status()).isEqualTo(503);
            assertThat(record.termination()).isEqualTo(Termination.OVERLOADED);
            log.await("WARN GET all -> 503", "every endpoint of cluster up is at max-connections-per-endpoint");
            assertThat(upstream.connectionCount()).isEqualTo(1);
        }
    }

    @Test
    void aSlowResponseHeadGets504AndItsConnectionIsDropped() throws Exception {
        try (LogCapture log = LogCapture.of("dev.synedge.exchange");
             RecordingUpstream upstream = RecordingUpstream.start(r -> r.head().startsWith("GET /slow")
                    ? new Action.Respond(OK.getBytes(), false, 800) : Action.respond(OK));
             TestProxy proxy = proxy("\"127.0.0.1:%d\"".formatted(upstream.port()), "timeouts.response-head = 300ms", "");
             RawClient client = RawClient.connect(proxy.address())) {
            long start = System.nanoTime();
            client.send("GET /slow HTTP/1.1\r\nHost: a.example\r\n\r\n");
            assertThat(client.read().rawText()).isEqualTo(Canned.keepAlive(504));
            assertThat((System.nanoTime() - start) / 1_000_000).isBetween(250L, 2000L);
            AccessRecord record = proxy.nextExchange();
            assertThat(record.termination()).isEqualTo(Termination.UPSTREAM_TIMEOUT);
            assertThat(record.retries()).as("a sent request that timed out is not retried").isZero();
            log.await("response head timeout");
            // the recording upstream notices the close once its 800 ms pause is over
            assertThat(upstream.awaitPeerClosed(0, 3000)).isTrue();
            client.send("GET /next HTTP/1.1\r\nHost: a.example\r\n\r\n");
            assertThat(client.read().bodyText()).isEqualTo("ok");
            assertThat(proxy.nextExchange().upstreamConnection()).isEqualTo(UpstreamConnection.NEW);
        }
    }

    @Test
    void anUpstreamSilentMidBodyCutsTheClientOffAfterTheIdleTimeout() throws Exception {
        String first = "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello";
        try (LogCapture log = LogCapture.of("dev.synedge.exchange");
             RecordingUpstream upstream = RecordingUpstream.start(r -> Action.pieces(1500, first, "world"));
             TestProxy proxy = proxy("\"127.0.0.1:%d\"".formatted(upstream.port()), "timeouts.idle = 300ms", "");
             RawClient client = RawClient.connect(proxy.address())) {
            long start = System.nanoTime();
            client.send("GET /x HTTP/1.1\r\nHost: a.example\r\n\r\n");
            assertThat(new String(client.readToEnd())).isEqualTo(first);
            assertThat((System.nanoTime() - start) / 1_000_000).isBetween(250L, 1400L);
            assertThat(proxy.nextExchange().termination()).isEqualTo(Termination.UPSTREAM_TIMEOUT);
            log.await("silent for");
        }
    }

    /** A client that does not read makes the upstream wait; that is not upstream silence. */
    @Test
    void aStalledClientIsNotTakenForASilentUpstream() throws Exception {
        try (dev.synedge.origin.Origin origin = dev.synedge.origin.Origin.start(dev.synedge.origin.OriginOptions.defaults());
             TestProxy proxy = proxy("\"127.0.0.1:%d\"".formatted(origin.port()), "timeouts.idle = 300ms", "");
             RawClient client = RawClient.connect(proxy.address())) {
            client.socket().setReceiveBufferSize(16 * 1024);
            client.send("GET /16m HTTP/1.1\r\nHost: a.example\r\n\r\n");
            Thread.sleep(1200);
            RawClient.Response response = client.read();
            assertThat(response.body()).hasSize(16 << 20);
            assertThat(proxy.nextExchange().termination()).isEqualTo(Termination.COMPLETED);
        }
    }

    @Test
    void aClientTakingNothingForTheListenersIdleTimeoutIsCutOff() throws Exception {
        try (dev.synedge.origin.Origin origin = dev.synedge.origin.Origin.start(dev.synedge.origin.OriginOptions.defaults());
             TestProxy proxy = TestProxy.start("""
                     synedge.event-loops = 1
                     synedge.listeners = [ { name = main, address = "127.0.0.1", port = 0, idle-timeout = 500ms } ]
                     synedge.routes = [ { name = all, cluster = up } ]
                     synedge.clusters.up { endpoints = [ "127.0.0.1:%d" ], timeouts.idle = 200ms }
                     """.formatted(origin.port()));
             RawClient client = RawClient.connect(proxy.address())) {
            client.socket().setReceiveBufferSize(16 * 1024);
            client.send("GET /16m HTTP/1.1\r\nHost: a.example\r\n\r\n");
            AccessRecord record = proxy.nextExchange();
            assertThat(record.termination()).isEqualTo(Termination.CLIENT_TIMEOUT);
            assertThat(record.bytesSent()).isLessThan(16L << 20);
        }
    }

    /** An upstream that takes the head but never the body does not hold the exchange for ever. */
    @Test
    void anUpstreamThatStopsTakingTheRequestBodyGets504AfterTheIdleTimeout() throws Exception {
        try (LogCapture log = LogCapture.of("dev.synedge.exchange");
             RecordingUpstream stuck = RecordingUpstream.startSlowReader(RecordingUpstream.OK, 30_000);
             TestProxy proxy = proxy("\"127.0.0.1:%d\"".formatted(stuck.port()), "timeouts.idle = 400ms", "");
             RawClient client = RawClient.connect(proxy.address())) {
            long start = System.nanoTime();
            Thread writer = Thread.ofPlatform().daemon().start(() -> {
                try {
                    client.send("POST /up HTTP/1.1\r\nHost: a.example\r\nContent-Length: " + (64 << 20) + "\r\n\r\n");
                    client.send(new byte[64 << 20]);
                } catch (IOException stopped) {
                    // the proxy gave up on the request and closed
                }
            });
            assertThat(client.read().rawText()).isEqualTo(Canned.closing(504));
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(3000L);
            assertThat(proxy.nextExchange().termination()).isEqualTo(Termination.UPSTREAM_TIMEOUT);
            log.await("took none of the request body");
            writer.join(3000);
        }
    }

    /**
     * A listener whose accept queue is full drops further SYNs, so connecting to it hangs: the
     * loopback stand-in for an unreachable endpoint.
     */
    private static final class Blackhole implements AutoCloseable {
        final ServerSocket server;
        final List<Socket> fillers = new ArrayList<>();

        Blackhole() throws IOException {
            server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
            for (int i = 0; i < 4; i++) {
                Socket s = new Socket();
                try {
                    s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()), 300);
                    fillers.add(s);
                } catch (SocketTimeoutException e) {
                    s.close();
                    return;
                }
            }
            KernelRequirement.require(false, "a full accept queue dropping SYNs",
                    "connects to a listener with a full backlog did not hang");
        }

        int port() {
            return server.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            for (Socket s : fillers) {
                s.close();
            }
            server.close();
        }
    }

    @Test
    void aConnectTimeoutGets504AfterOneRetryWhateverTheMethod() throws Exception {
        try (LogCapture log = LogCapture.of("dev.synedge.exchange");
             Blackhole blackhole = new Blackhole();
             TestProxy proxy = proxy("\"127.0.0.1:%d\"".formatted(blackhole.port()), "timeouts.connect = 300ms", "");
             RawClient client = RawClient.connect(proxy.address())) {
            long start = System.nanoTime();
            client.send("GET /x HTTP/1.1\r\nHost: a.example\r\n\r\n");
            assertThat(client.read().rawText()).isEqualTo(Canned.keepAlive(504));
            assertThat((System.nanoTime() - start) / 1_000_000).as("two connect timeouts").isBetween(550L, 3000L);
            AccessRecord get = proxy.nextExchange();
            assertThat(get.termination()).isEqualTo(Termination.UPSTREAM_TIMEOUT);
            assertThat(get.retries()).isEqualTo(1);

            start = System.nanoTime();
            client.send("POST /x HTTP/1.1\r\nHost: a.example\r\nContent-Length: 1\r\n\r\nx");
            assertThat(client.read().rawText()).isEqualTo(Canned.keepAlive(504));
            assertThat((System.nanoTime() - start) / 1_000_000).as("two connect timeouts: nothing reached the endpoint")
                    .isBetween(550L, 3000L);
            assertThat(proxy.nextExchange().retries()).isEqualTo(1);
            log.await("WARN POST all -> 504", "ETIMEDOUT");
        }
    }
}
