package dev.synedge.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synedge.testing.LogCapture;
import dev.synedge.testing.RawClient;
import dev.synedge.testing.RecordingUpstream;
import dev.synedge.testing.RecordingUpstream.Action;
import dev.synedge.testing.TestProxy;
import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Active health checks against real upstreams: an endpoint whose checks fail gets no new
 * exchanges until its checks pass again, one checker per endpoint whatever the event loops,
 * and a cluster with no healthy endpoint still serves (panic).
 */
class HealthCheckTest {

    /** Answers GET /healthz with 200 while healthy, 503 otherwise; everything else with its name. */
    private static RecordingUpstream upstream(String name, AtomicBoolean healthy, AtomicInteger checks) throws Exception {
        return RecordingUpstream.start(request -> {
            if (request.head().startsWith("GET /healthz ")) {
                checks.incrementAndGet();
                return Action.respond(healthy.get() ? "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"
                        : "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n");
            }
            return Action.respond("HTTP/1.1 200 OK\r\nContent-Length: " + name.length() + "\r\n\r\n" + name);
        });
    }

    private static TestProxy proxy(int a, int b) throws Exception {
        return TestProxy.start("""
                synedge.event-loops = 2
                synedge.listeners = [ { name = main, address = "127.0.0.1", port = 0 } ]
                synedge.routes = [ { name = all, cluster = up } ]
                synedge.clusters.up {
                  endpoints = [ "127.0.0.1:%d", "127.0.0.1:%d" ]
                  health-check { enabled = true, interval = 100ms, jitter = 10ms, timeout = 500ms,
                                 path = "/healthz", rise = 2, fall = 2 }
                }
                """.formatted(a, b));
    }

    private static Set<String> answering(InetSocketAddress proxy, int requests) throws Exception {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < requests; i++) {
            try (RawClient client = RawClient.connect(proxy)) {
                client.send("GET /x HTTP/1.1\r\nHost: a.example\r\n\r\n");
                RawClient.Response response = client.read();
                assertThat(response.status()).isEqualTo(200);
                names.add(response.bodyText());
            }
        }
        return names;
    }

    @Test
    void anEndpointFailingItsChecksIsLeftOutUntilTheyPassAgain() throws Exception {
        AtomicBoolean aHealthy = new AtomicBoolean(true);
        AtomicInteger aChecks = new AtomicInteger();
        try (LogCapture log = LogCapture.of("dev.synedge.health");
             RecordingUpstream a = upstream("a", aHealthy, aChecks);
             RecordingUpstream b = upstream("b", new AtomicBoolean(true), new AtomicInteger());
             TestProxy proxy = proxy(a.port(), b.port())) {
            assertThat(answering(proxy.address(), 6)).containsExactlyInAnyOrder("a", "b");

            aHealthy.set(false);
            log.await("endpoint 127.0.0.1:" + a.port(), "is unhealthy", "2 check(s) failed", "status 503");
            assertThat(answering(proxy.address(), 10)).containsExactly("b");

            aHealthy.set(true);
            log.await("endpoint 127.0.0.1:" + a.port(), "is healthy again");
            assertThat(answering(proxy.address(), 6)).containsExactlyInAnyOrder("a", "b");

            int before = aChecks.get();
            Thread.sleep(1000);
            assertThat(aChecks.get() - before).as("one checker for the endpoint, not one per loop: ~10 a second")
                    .isBetween(5, 14);
        }
    }

    @Test
    void withNoHealthyEndpointExchangesGoToAllOfThem() throws Exception {
        AtomicBoolean down = new AtomicBoolean(false);
        try (LogCapture log = LogCapture.of("dev.synedge.health");
             RecordingUpstream a = upstream("a", down, new AtomicInteger());
             RecordingUpstream b = upstream("b", down, new AtomicInteger());
             TestProxy proxy = proxy(a.port(), b.port())) {
            log.await("endpoint 127.0.0.1:" + a.port(), "is unhealthy");
            log.await("endpoint 127.0.0.1:" + b.port(), "is unhealthy");

            assertThat(answering(proxy.address(), 6)).containsExactlyInAnyOrder("a", "b");
            log.await("cluster up: no healthy endpoint; sending exchanges to all of them regardless");
        }
    }
}
