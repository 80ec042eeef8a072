package dev.synedge.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synedge.accesslog.AccessRecord;
import dev.synedge.accesslog.UpstreamConnection;
import dev.synedge.origin.Origin;
import dev.synedge.origin.OriginOptions;
import dev.synedge.testing.Curl;
import dev.synedge.testing.RawClient;
import dev.synedge.testing.RecordingUpstream;
import dev.synedge.testing.TestProxy;
import org.junit.jupiter.api.Test;

/** One request through synedge to the test origin with curl, keep-alive reuse, and the method as logged. */
class ProxySmokeTest {

    @Test
    void curlGetsTheOriginsBodyAndTheSecondRequestReusesTheUpstreamConnection() throws Exception {
        try (Origin origin = Origin.start(OriginOptions.defaults());
             TestProxy proxy = TestProxy.start("""
                     synedge.event-loops = 1
                     synedge.listeners = [ { name = main, address = "127.0.0.1", port = 0 } ]
                     synedge.routes = [ { name = all, cluster = up } ]
                     synedge.clusters.up.endpoints = [ "127.0.0.1:%d" ]
                     """.formatted(origin.port()))) {
            Curl.Result first = Curl.run(proxy.url("/hello"));
            assertThat(first.exit()).as(first.stderr()).isZero();
            assertThat(first.body()).isEqualTo("hello");
            AccessRecord one = proxy.nextExchange();
            assertThat(one.status()).isEqualTo(200);
            assertThat(one.route()).isEqualTo("all");
            assertThat(one.upstreamConnection()).isEqualTo(UpstreamConnection.NEW);

            Curl.Result second = Curl.run("-o", "/dev/null", "-w", "%{http_code} %{size_download}", proxy.url("/64k"));
            assertThat(second.body()).isEqualTo("200 65536");
            assertThat(proxy.nextExchange().upstreamConnection()).isEqualTo(UpstreamConnection.REUSED);
            assertThat(origin.stats().connectionsAccepted()).isEqualTo(1);
        }
    }

    /** Pipelined, so that the client input has moved on to the next request when the first one ends. */
    @Test
    void aMethodSynedgeDoesNotKnowIsLoggedAsSent() throws Exception {
        try (RecordingUpstream upstream = RecordingUpstream.start(RecordingUpstream.OK);
             TestProxy proxy = TestProxy.start("""
                     synedge.listeners = [ { name = main, address = "127.0.0.1", port = 0 } ]
                     synedge.routes = [ { name = all, cluster = up } ]
                     synedge.clusters.up.endpoints = [ "127.0.0.1:%d" ]
                     """.formatted(upstream.port()));
             RawClient client = RawClient.connect(proxy.address())) {
            client.send("PURGE /cached HTTP/1.1\r\nHost: a\r\n\r\nGET /next HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(client.read().status()).isEqualTo(200);
            assertThat(client.read().status()).isEqualTo(200);
            assertThat(proxy.nextExchange().method()).isEqualTo("PURGE");
            assertThat(proxy.nextExchange().method()).isEqualTo("GET");
        }
    }
}
