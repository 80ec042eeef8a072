package dev.synedge.exchange;

import dev.synedge.accesslog.Termination;
import static org.assertj.core.api.Assertions.assertThat;

import dev.synedge.accesslog.AccessRecord;
import dev.synedge.testing.Canned;
import dev.synedge.testing.Curl;
import dev.synedge.testing.RawClient;
import dev.synedge.testing.RecordingUpstream;
import dev.synedge.testing.TestProxy;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** http.max-request-body: 413 for a Content-Length over it at once, for a chunked body when it grows past it. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RequestBodyLimitTest {

    private RecordingUpstream upstream;
    private TestProxy proxy;

    @BeforeAll
    void start() throws Exception {
        upstream = RecordingUpstream.start(RecordingUpstream.OK);
        proxy = TestProxy.start("""
                synedge.event-loops = 1
                synedge.http.max-request-body = 1000
                synedge.listeners = [ { name = main, address = "127.0.0.1", port = 0 } ]
                synedge.routes = [ { name = all, cluster = up, x-forwarded = off } ]
                synedge.clusters.up.endpoints = [ "127.0.0.1:%d" ]
                """.formatted(upstream.port()));
    }

    @AfterAll
    void stop() throws Exception {
        proxy.close();
        upstream.close();
    }

    @BeforeEach
    void forget() throws Exception {
        proxy.drainExchanges(java.time.Duration.ZERO);
    }

    @Test
    void aContentLengthOverTheLimitGets413BeforeAnythingIsForwarded() throws Exception {
        int before = upstream.requests().size();
        String seen = upstream.receivedText();
        try (RawClient client = RawClient.connect(proxy.address())) {
            client.send("POST /big HTTP/1.1\r\nHost: a.example\r\nContent-Length: 1001\r\n\r\n");
            assertThat(client.read().rawText()).isEqualTo(Canned.closing(413));
            assertThat(client.closedByPeer(2000)).isTrue();
        }
        AccessRecord record = proxy.nextExchange();
        assertThat(record.status()).isEqualTo(413);
        assertThat(record.termination()).isEqualTo(Termination.REQUEST_TOO_LARGE);
        assertThat(upstream.requests()).hasSize(before);
        assertThat(upstream.receivedText()).isEqualTo(seen);
    }

    /**
     * The client goes on sending the body it announced after the 413 went out: synedge reads
     * and drops it (lingering close) instead of resetting the connection, so the client reads
     * its answer and a clean end of stream.
     */
    @Test
    void aClientStillSendingAfterThe413IsNotReset() throws Exception {
        try (RawClient client = RawClient.connect(proxy.address())) {
            client.send("POST /big HTTP/1.1\r\nHost: a.example\r\nContent-Length: 100000000\r\n\r\n");
            byte[] piece = new byte[64 * 1024];
            for (int i = 0; i < 32; i++) {
                client.send(piece);
            }
            assertThat(client.read().rawText()).isEqualTo(Canned.closing(413));
            assertThat(client.readToEnd()).isEmpty();
        }
    }

    @Test
    void bodiesUpToTheLimitPass() throws Exception {
        try (RawClient client = RawClient.connect(proxy.address())) {
            client.send("POST /fits HTTP/1.1\r\nHost: a.example\r\nContent-Length: 1000\r\n\r\n" + "a".repeat(1000));
            assertThat(client.read().bodyText()).isEqualTo("ok");
            client.send("POST /fits HTTP/1.1\r\nHost: a.example\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "1f4\r\n" + "b".repeat(500) + "\r\n1f4\r\n" + "c".repeat(500) + "\r\n0\r\n\r\n");
            assertThat(client.read().bodyText()).isEqualTo("ok");
        }
    }

    @Test
    void aChunkedBodyGrowingPastTheLimitGets413AndItsUpstreamConnectionIsReset() throws Exception {
        try (RecordingUpstream own = RecordingUpstream.start(RecordingUpstream.OK);
             TestProxy p = TestProxy.start("""
                     synedge.event-loops = 1
                     synedge.http.max-request-body = 1000
                     synedge.listeners = [ { name = main, address = "127.0.0.1", port = 0 } ]
                     synedge.routes = [ { name = all, cluster = up } ]
                     synedge.clusters.up.endpoints = [ "127.0.0.1:%d" ]
                     """.formatted(own.port()));
             RawClient client = RawClient.connect(p.address())) {
            client.send("POST /grow HTTP/1.1\r\nHost: a.example\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "190\r\n" + "a".repeat(400) + "\r\n190\r\n" + "b".repeat(400) + "\r\n");
            RequestBodyErrorsTest.awaitReceived(own, "b".repeat(400));
            client.send("190\r\n" + "c".repeat(400) + "\r\n0\r\n\r\n");
            assertThat(client.read().rawText()).isEqualTo(Canned.closing(413));
            assertThat(client.closedByPeer(2000)).isTrue();
            assertThat(own.awaitPeerClosed(0, 2000)).isTrue();
            assertThat(own.requests()).isEmpty();
            assertThat(new String(own.received(0))).doesNotContain("ccc");
            assertThat(p.nextExchange().termination()).isEqualTo(Termination.REQUEST_TOO_LARGE);
        }
    }

    @Test
    void curlUploadingTooMuchSees413(@TempDir Path dir) throws Exception {
        Path body = dir.resolve("body");
        Files.write(body, new byte[4 << 20]);
        Curl.Result result = Curl.run("-o", "/dev/null", "-w", "%{http_code}", "--data-binary", "@" + body,
                proxy.url("/upload"));
        assertThat(result.body()).as(result.stderr()).isEqualTo("413");
        Curl.Result chunked = Curl.run("-o", "/dev/null", "-w", "%{http_code}", "-H", "Transfer-Encoding: chunked",
                "--data-binary", "@" + body, proxy.url("/upload"));
        assertThat(chunked.body()).as(chunked.stderr()).isEqualTo("413");
    }
}
