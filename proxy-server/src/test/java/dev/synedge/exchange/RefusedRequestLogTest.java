package dev.synedge.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synedge.accesslog.AccessRecord;
import dev.synedge.accesslog.Termination;
import dev.synedge.accesslog.UpstreamConnection;
import dev.synedge.testing.RawClient;
import dev.synedge.testing.TestProxy;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Requests refused before they became exchanges still leave an access record, with their
 * method, target and version when the request line was read whole and valid before the head
 * failed; with none of them when the request line itself was not one.
 */
class RefusedRequestLogTest {

    private static final String CONFIG = """
            synedge.listeners = [ { name = edge, address = "127.0.0.1", port = 0, header-read-timeout = 200ms } ]
            synedge.routes = [ { name = all, cluster = up } ]
            synedge.clusters.up.endpoints = [ "127.0.0.1:9" ]
            synedge.http { max-request-line = 64, max-header-bytes = 256 }
            """;

    /** What the client got, and the access record of it. */
    private static AccessRecord refused(String bytes, int status) throws Exception {
        try (TestProxy proxy = TestProxy.start(CONFIG);
             RawClient client = RawClient.connect(proxy.address())) {
            assertThat(client.send(bytes).read().status()).isEqualTo(status);
            AccessRecord record = proxy.nextExchange();
            assertThat(record.status()).isEqualTo(status);
            assertThat(record.listener()).isEqualTo("edge");
            assertThat(record.upstreamConnection()).isEqualTo(UpstreamConnection.NONE);
            assertThat(record.route()).isNull();
            return record;
        }
    }

    private static String request(AccessRecord r) {
        return r.method() + " " + (r.target() == null ? null : new String(r.target(), StandardCharsets.ISO_8859_1))
                + " " + r.httpVersion();
    }

    @Test
    void aMalformedHeadIsLoggedWithItsStatusAndRequestLine() throws Exception {
        AccessRecord record = refused("GET /a?b=1 HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400);
        assertThat(record.termination()).isEqualTo(Termination.CLIENT_PROTOCOL_ERROR);
        assertThat(record.bytesSent()).isPositive();
        assertThat(request(record)).isEqualTo("GET /a?b=1 HTTP/1.1");
    }

    @Test
    void aMethodSynedgeDoesNotKnowIsLoggedAsSent() throws Exception {
        AccessRecord record = refused("PURGE http://a.example/x HTTP/1.0\r\nBad@Field: 1\r\n\r\n", 400);
        assertThat(request(record)).isEqualTo("PURGE http://a.example/x HTTP/1.0");
    }

    @Test
    void aHeadThatNeverCompletesIsLoggedAs408WithItsRequestLine() throws Exception {
        AccessRecord record = refused("GET /slow HTTP/1.1\r\nHost: a\r\n", 408);
        assertThat(record.termination()).isEqualTo(Termination.CLIENT_TIMEOUT);
        assertThat(record.bytesReceived()).isEqualTo("GET /slow HTTP/1.1\r\nHost: a\r\n".length());
        assertThat(request(record)).isEqualTo("GET /slow HTTP/1.1");
    }

    @Test
    void aHeadTooLargeIsLoggedAs431WithItsRequestLine() throws Exception {
        AccessRecord record = refused("GET /big HTTP/1.1\r\nHost: a\r\nX: " + "v".repeat(300) + "\r\n\r\n", 431);
        assertThat(request(record)).isEqualTo("GET /big HTTP/1.1");
    }

    /** Bytes that never made a valid request line are not logged as one, however they begin. */
    @Test
    void withoutAValidRequestLineNothingOfItIsLogged() throws Exception {
        assertThat(request(refused("GET /unfinished", 408))).isEqualTo("null null null");
        assertThat(request(refused("GET /" + "x".repeat(80) + " HTTP/1.1\r\nHost: a\r\n\r\n", 414)))
                .isEqualTo("null null null");
        assertThat(request(refused("G@T / HTTP/1.1\r\nHost: a\r\n\r\n", 400))).isEqualTo("null null null");
        assertThat(request(refused("GET /a/../etc/passwd HTTP/1.1\r\nHost: a\r\n\r\n", 400)))
                .isEqualTo("null null null");
        assertThat(request(refused("SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n", 400))).isEqualTo("null null null");
    }
}
