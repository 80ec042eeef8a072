package dev.synedge.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synedge.config.ConfigLoader;
import dev.synedge.origin.Origin;
import dev.synedge.origin.OriginOptions;
import dev.synedge.server.ProxyServer;
import dev.synedge.testing.TestProxy;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The admin API's resources through a real HTTP client: the token, the answers to wrong paths
 * and methods, the probes (readiness through a drain), what {@code /endpoints} and
 * {@code /config} say.
 */
class AdminApiTest {

    private static final String TOKEN = "t0ken-for_tests.~+/==";

    private static String config(int originPort) {
        return """
                synedge.admin.enabled = true
                synedge.listeners = [ { name = main, address = "127.0.0.1", port = 0 } ]
                synedge.routes = [ { name = r, cluster = up } ]
                synedge.clusters.up.endpoints = [ "127.0.0.1:%d" ]
                """.formatted(originPort);
    }

    @Test
    void withATokenEveryRequestNeedsItAndTheWrongOneIs401() throws Exception {
        try (Origin origin = Origin.start(OriginOptions.defaults());
             TestProxy proxy = TestProxy.start(config(origin.port()) + "synedge.admin.token = \"" + TOKEN + "\"\n")) {
            for (String path : new String[] {"/metrics", "/ready", "/live", "/endpoints", "/config", "/nowhere"}) {
                HttpResponse<String> none = AdminClient.get(proxy.adminUrl(path));
                assertThat(none.statusCode()).as(path + " without a token").isEqualTo(401);
                assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"synedge admin\"");
                assertThat(AdminClient.get(proxy.adminUrl(path), "Authorization", "Bearer " + TOKEN + "x")
                        .statusCode()).as(path + " with a wrong token").isEqualTo(401);
                assertThat(AdminClient.get(proxy.adminUrl(path), "Authorization", "Basic " + TOKEN).statusCode())
                        .as(path + " with another scheme").isEqualTo(401);
            }
            assertThat(AdminClient.post(proxy.adminUrl("/drain")).statusCode()).isEqualTo(401);
            assertThat(proxy.server().state()).as("an unauthorized drain did nothing")
                    .isEqualTo(ProxyServer.State.RUNNING);

            HttpResponse<String> live = AdminClient.get(proxy.adminUrl("/live"), "Authorization", "Bearer " + TOKEN);
            assertThat(live.statusCode()).isEqualTo(200);
            assertThat(AdminClient.get(proxy.adminUrl("/metrics"), "Authorization", "bearer " + TOKEN).statusCode())
                    .as("the scheme is case-insensitive").isEqualTo(200);
            HttpResponse<String> config = AdminClient.get(proxy.adminUrl("/config"), "Authorization",
                    "Bearer " + TOKEN);
            assertThat(config.statusCode()).isEqualTo(200);
            assertThat(config.body()).contains("\"token\": \"<redacted>\"").doesNotContain("t0ken");

            proxy.server().reload(ConfigLoader.load(config(origin.port()) + "synedge.admin.token = next\n", "reload"));
            assertThat(AdminClient.get(proxy.adminUrl("/live"), "Authorization", "Bearer " + TOKEN).statusCode())
                    .as("a reload replaced the token").isEqualTo(401);
            assertThat(AdminClient.get(proxy.adminUrl("/live"), "Authorization", "Bearer next").statusCode())
                    .isEqualTo(200);
        }
    }

    @Test
    void unknownPathsAre404AndOtherMethods405WithAllow() throws Exception {
        try (Origin origin = Origin.start(OriginOptions.defaults());
             TestProxy proxy = TestProxy.start(config(origin.port()))) {
            assertThat(AdminClient.get(proxy.adminUrl("/nowhere")).statusCode()).isEqualTo(404);
            assertThat(AdminClient.get(proxy.adminUrl("/metrics/extra")).statusCode()).isEqualTo(404);
            assertThat(AdminClient.get(proxy.adminUrl("/")).statusCode()).isEqualTo(404);

            HttpResponse<String> post = AdminClient.post(proxy.adminUrl("/metrics"));
            assertThat(post.statusCode()).isEqualTo(405);
            assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
            HttpResponse<String> delete = AdminClient.send("DELETE", proxy.adminUrl("/config"));
            assertThat(delete.statusCode()).isEqualTo(405);
            HttpResponse<String> get = AdminClient.get(proxy.adminUrl("/drain"));
            assertThat(get.statusCode()).isEqualTo(405);
            assertThat(get.headers().firstValue("Allow")).hasValue("POST");
            assertThat(proxy.server().state()).isEqualTo(ProxyServer.State.RUNNING);

            HttpResponse<String> head = AdminClient.send("HEAD", proxy.adminUrl("/ready"));
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.body()).isEmpty();
        }
    }

    @Test
    void readyIs503WhileADrainLetsAnExchangeFinishAndLiveStays200() throws Exception {
        try (Origin origin = Origin.start(OriginOptions.defaults());
             TestProxy proxy = TestProxy.start(config(origin.port()))) {
            HttpResponse<String> ready = AdminClient.get(proxy.adminUrl("/ready"));
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(ready.body()).isEqualTo("ready\n");
            CompletableFuture<HttpResponse<String>> slow = CompletableFuture.supplyAsync(() -> {
                try {
                    return AdminClient.get(proxy.url("/hello?delay=1500"));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            awaitInFlight(proxy);

            long start = System.nanoTime();
            HttpResponse<String> drain = AdminClient.post(proxy.adminUrl("/drain"));
            assertThat(drain.statusCode()).isEqualTo(202);
            assertThat(drain.body()).isEqualTo("draining (at most 30s)\n");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("answered at once, not after the drain")
                    .isLessThan(Duration.ofMillis(1000));

            HttpResponse<String> draining = AdminClient.get(proxy.adminUrl("/ready"));
            assertThat(draining.statusCode()).isEqualTo(503);
            assertThat(draining.body()).isEqualTo("draining\n");
            assertThat(AdminClient.get(proxy.adminUrl("/live")).statusCode()).isEqualTo(200);
            assertThat(AdminClient.post(proxy.adminUrl("/drain")).body()).isEqualTo("already draining\n");
            assertThat(new Samples(AdminClient.get(proxy.adminUrl("/metrics")).body())
                    .value("synedge_server_state", "state", "draining")).isEqualTo(1);

            HttpResponse<String> finished = slow.get(10, TimeUnit.SECONDS);
            assertThat(finished.statusCode()).as("the exchange in flight finished").isEqualTo(200);
            assertThat(finished.body()).isEqualTo("hello");
            proxy.server().awaitStopped();

            HttpResponse<String> stopped = AdminClient.get(proxy.adminUrl("/ready"));
            assertThat(stopped.statusCode()).isEqualTo(503);
            assertThat(stopped.body()).isEqualTo("stopped\n");
            Samples after = new Samples(AdminClient.get(proxy.adminUrl("/metrics")).body());
            assertThat(after.value("synedge_server_state", "state", "stopped")).as("read after the loops stopped")
                    .isEqualTo(1);
            assertThat(after.value("synedge_exchanges_total", "route", "r", "status_class", "2xx")).isEqualTo(1);
            assertThat(AdminClient.post(proxy.adminUrl("/drain")).statusCode()).isEqualTo(409);
        }
    }

    private static void awaitInFlight(TestProxy proxy) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (proxy.server().load().exchanges() == 0) {
            assertThat(System.nanoTime() - deadline).as("an exchange in flight within 5 s").isNegative();
            Thread.sleep(10);
        }
    }

    @Test
    void endpointsAndConfigSayWhatTheProxyRunsWith() throws Exception {
        try (Origin origin = Origin.start(OriginOptions.defaults());
             TestProxy proxy = TestProxy.start(config(origin.port()) + """
                     synedge.clusters.up.fastopen = on
                     synedge.lifecycle.drain-timeout = 45s
                     """)) {
            for (int i = 0; i < 3; i++) {
                assertThat(AdminClient.get(proxy.url("/hello")).statusCode()).isEqualTo(200);
            }

            HttpResponse<String> endpoints = AdminClient.get(proxy.adminUrl("/endpoints"));
            assertThat(endpoints.statusCode()).isEqualTo(200);
            assertThat(endpoints.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(compact(endpoints.body())).contains(compact("""
                    "cluster": "up", "endpoint": "127.0.0.1:%d", "configured": true,
                    "health": { "available": true, "healthy": true, "ejected": false, "ejected_for_seconds": 0.0,
                                "ejections_in_a_row": 0, "ejections": 0, "failures_in_a_row": 0 },
                    "fastopen": { "enabled": true, "backoff": "clear", "failures": 0, "paused_until": null,
                    """.formatted(origin.port())))
                    .containsPattern("\"rtt_seconds\":[0-9.E-]+,")
                    .contains(compact("""
                    "connections": { "opened": 1, "reused": 2, "active": 0, "idle": 1, "retransmits": 0 }
                    """));

            HttpResponse<String> config = AdminClient.get(proxy.adminUrl("/config"));
            assertThat(config.statusCode()).isEqualTo(200);
            assertThat(config.body()).contains("\"drain-timeout\": \"45s\"")
                    .contains("\"endpoints\": [\n        {\n          \"name\": \"127.0.0.1:" + origin.port() + "\",")
                    .contains("\"token\": null");
        }
    }

    /** An endpoint that outlier detection ejected says so in /endpoints and /metrics; the others do not. */
    @Test
    void anEjectedEndpointShowsInEndpointsAndMetrics() throws Exception {
        int dead;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            dead = probe.getLocalPort();
        }
        try (Origin origin = Origin.start(OriginOptions.defaults());
             TestProxy proxy = TestProxy.start("""
                     synedge.admin.enabled = true
                     synedge.event-loops = 1
                     synedge.listeners = [ { name = main, address = "127.0.0.1", port = 0 } ]
                     synedge.routes = [ { name = r, cluster = up } ]
                     synedge.clusters.up {
                       endpoints = [ "127.0.0.1:%d", "127.0.0.1:%d" ]
                       outlier-detection { consecutive-failures = 2, ejection = 2s }
                     }
                     """.formatted(dead, origin.port()))) {
            for (int i = 0; i < 6; i++) {
                assertThat(AdminClient.get(proxy.url("/hello")).statusCode()).as("retried on the live endpoint")
                        .isEqualTo(200);
            }
            String deadName = "127.0.0.1:" + dead;
            String liveName = "127.0.0.1:" + origin.port();

            String endpoints = compact(AdminClient.get(proxy.adminUrl("/endpoints")).body());
            assertThat(endpoints).contains(compact("""
                    "endpoint": "%s", "configured": true,
                    "health": { "available": false, "healthy": true, "ejected": true, "ejected_for_seconds":
                    """.formatted(deadName)))
                    .contains(compact("""
                    "ejections_in_a_row": 1, "ejections": 1, "failures_in_a_row": 0 }
                    """));
            assertThat(endpoints).contains(compact("""
                    "endpoint": "%s", "configured": true,
                    "health": { "available": true, "healthy": true, "ejected": false
                    """.formatted(liveName)));

            Samples metrics = new Samples(AdminClient.get(proxy.adminUrl("/metrics")).body());
            assertThat(metrics.value("synedge_upstream_endpoint_ejected", "endpoint", deadName)).isEqualTo(1);
            assertThat(metrics.value("synedge_upstream_endpoint_available", "endpoint", deadName)).isZero();
            assertThat(metrics.value("synedge_upstream_endpoint_ejections_total", "endpoint", deadName)).isEqualTo(1);
            assertThat(metrics.value("synedge_upstream_endpoint_healthy", "endpoint", deadName)).isEqualTo(1);
            assertThat(metrics.value("synedge_upstream_endpoint_available", "endpoint", liveName)).isEqualTo(1);
            assertThat(metrics.value("synedge_upstream_endpoint_ejections_total", "endpoint", liveName)).isZero();
        }
    }

    /** JSON without its layout, to compare content. */
    private static String compact(String json) {
        return json.replaceAll("\\s+", "");
    }
}
