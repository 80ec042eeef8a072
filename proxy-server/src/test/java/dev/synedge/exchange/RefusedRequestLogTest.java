package dev.synedge.exchange;

import dev.synedge.accesslog.Termination;
import static org.assertj.core.api.Assertions.assertThat;

import dev.synedge.accesslog.AccessRecord;
import dev.synedge.accesslog.UpstreamConnection;
import dev.synedge.testing.RawClient;
import dev.synedge.testing.TestProxy;
import org.junit.jupiter.api.Test;

/** Requests refused before they became exchanges still leave an access record. */
class RefusedRequestLogTest {

    private static final String CONFIG = """
            synedge.listeners = [ { name = edge, address = "127.0.0.1", port = 0, header-read-timeout = 200ms } ]
            synedge.routes = [ { name = all, cluster = up } ]
            synedge.clusters.up.endpoints = [ "127.0.0.1:9" ]
            """;

    @Test
    void aMalformedHeadIsLoggedWithItsStatus() throws Exception {
        try (TestProxy proxy = TestProxy.start(CONFIG);
             RawClient client = RawClient.connect(proxy.address())) {
            assertThat(client.send("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n").read().status()).isEqualTo(400);
            AccessRecord record = proxy.nextExchange();
            assertThat(record.status()).isEqualTo(400);
            assertThat(record.listener()).isEqualTo("edge");
            assertThat(record.termination()).isEqualTo(Termination.CLIENT_PROTOCOL_ERROR);
            assertThat(record.upstreamConnection()).isEqualTo(UpstreamConnection.NONE);
            assertThat(record.bytesSent()).isPositive();
        }
    }

    @Test
    void aHeadThatNeverCompletesIsLoggedAs408() throws Exception {
        try (TestProxy proxy = TestProxy.start(CONFIG);
             RawClient client = RawClient.connect(proxy.address())) {
            assertThat(client.send("GET / HTTP/1.1\r\nHost: a\r\n").read().status()).isEqualTo(408);
            AccessRecord record = proxy.nextExchange();
            assertThat(record.status()).isEqualTo(408);
            assertThat(record.termination()).isEqualTo(Termination.CLIENT_TIMEOUT);
            assertThat(record.bytesReceived()).isEqualTo("GET / HTTP/1.1\r\nHost: a\r\n".length());
        }
    }
}
