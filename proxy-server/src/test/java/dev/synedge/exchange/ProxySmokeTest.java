package dev.synedge.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synedge.accesslog.AccessRecord;
import dev.synedge.accesslog.UpstreamConnection;
import dev.synedge.origin.Origin;
import dev.synedge.origin.OriginOptions;
import dev.synedge.testing.Curl;
import dev.synedge.testing.TestProxy;
import org.junit.jupiter.api.Test;

/** One request through synedge to the test origin with curl, and keep-alive reuse. */
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
}
