package dev.synedge.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synedge.accesslog.AccessRecord;
import dev.synedge.accesslog.Termination;
import dev.synedge.testing.RawClient;
import dev.synedge.testing.RecordingUpstream;
import dev.synedge.testing.TestProxy;
import org.junit.jupiter.api.Test;

/**
 * A client that leaves before any response status reached it is logged with nginx's 499; one
 * that leaves mid-response keeps that response's status (StreamingTest, RequestBodyErrorsTest).
 */
class ClientAbortTest {

    @Test
    void aClientLeavingWhileTheUpstreamThinksIsLoggedAs499() throws Exception {
        try (RecordingUpstream upstream = RecordingUpstream.start(request -> new RecordingUpstream.Action.Silence());
             TestProxy proxy = TestProxy.start("""
                     synedge.listeners = [ { name = main, address = "127.0.0.1", port = 0 } ]
                     synedge.routes = [ { name = all, cluster = up } ]
                     synedge.clusters.up.endpoints = [ "127.0.0.1:%d" ]
                     """.formatted(upstream.port()))) {
            try (RawClient client = RawClient.connect(proxy.address())) {
                client.send("GET /slow HTTP/1.1\r\nHost: a.example\r\n\r\n");
                upstream.nextRequest();
            }
            AccessRecord record = proxy.nextExchange();
            assertThat(record.termination()).isEqualTo(Termination.CLIENT_CLOSED);
            assertThat(record.status()).isEqualTo(499);
            assertThat(record.bytesSent()).isZero();
            assertThat(record.method()).isEqualTo("GET");
        }
    }
}
