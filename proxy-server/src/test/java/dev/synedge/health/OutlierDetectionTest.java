package dev.synedge.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synedge.accesslog.AccessRecord;
import dev.synedge.testing.Blackhole;
import dev.synedge.testing.LogCapture;
import dev.synedge.testing.RawClient;
import dev.synedge.testing.RecordingUpstream;
import dev.synedge.testing.TestProxy;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Passive outlier detection with real faults: a blackholed endpoint (its SYNs dropped) costs a
 * few requests a connect timeout, then is ejected and costs none; a refused endpoint loses no
 * request, whatever the method, since nothing reached it.
 */
class OutlierDetectionTest {

    private static TestProxy proxy(int live, int dead, String extra) throws Exception {
        return TestProxy.start("""
                synedge.event-loops = 1
                synedge.listeners = [ { name = main, address = "127.0.0.1", port = 0 } ]
                synedge.routes = [ { name = all, cluster = up } ]
                synedge.clusters.up {
                  endpoints = [ "127.0.0.1:%d", "127.0.0.1:%d" ]
                  timeouts.connect = 300ms
                  %s
                }
                """.formatted(dead, live, extra));
    }

    private static long millis(RawClient client, String request) throws IOException {
        long start = System.nanoTime();
        client.send(request);
        assertThat(client.read().bodyText()).isEqualTo("ok");
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    @Test
    void aBlackholedEndpointCostsAtMostThreeSlowRequestsThenNone() throws Exception {
        try (Blackhole blackhole = Blackhole.open();
             LogCapture log = LogCapture.of("dev.synedge.health");
             RecordingUpstream live = RecordingUpstream.start(RecordingUpstream.OK);
             TestProxy proxy = proxy(live.port(), blackhole.port(), "");
             RawClient client = RawClient.connect(proxy.address())) {
            List<Long> times = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                String request = i % 2 == 0 ? "GET /g HTTP/1.1\r\nHost: a.example\r\n\r\n"
                        : "POST /p HTTP/1.1\r\nHost: a.example\r\nContent-Length: 2\r\n\r\nhi";
                times.add(millis(client, request));
            }

            List<Long> slow = times.stream().filter(t -> t >= 250).toList();
            System.out.println("outlier detection, blackhole: request times (ms) " + times);
            assertThat(slow).as("requests that paid a connect timeout").hasSizeLessThanOrEqualTo(3);
            int lastSlow = IntStream.range(0, times.size()).filter(i -> times.get(i) >= 250).max().orElse(-1);
            assertThat(times.subList(lastSlow + 1, times.size()))
                    .as("after the ejection").allMatch(t -> t < 250);
            assertThat(log.await("ejected for PT30S", "127.0.0.1:" + blackhole.port())).contains("3 failures in a row");
            assertThat(live.requests()).hasSize(12);
        }
    }

    @Test
    void aRefusedEndpointLosesNoPost() throws Exception {
        int dead;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            dead = probe.getLocalPort();
        }
        try (RecordingUpstream live = RecordingUpstream.start(RecordingUpstream.OK);
             TestProxy proxy = proxy(live.port(), dead, "");
             RawClient client = RawClient.connect(proxy.address())) {
            int failures = 0;
            for (int i = 0; i < 20; i++) {
                client.send("POST /p" + i + " HTTP/1.1\r\nHost: a.example\r\nContent-Length: 2\r\n\r\nhi");
                if (client.read().status() != 200) {
                    failures++;
                }
            }
            int retries = 0;
            for (int i = 0; i < 20; i++) {
                AccessRecord record = proxy.nextExchange();
                retries += record.retries();
            }
            System.out.println("outlier detection, refused endpoint: 20 POSTs, " + failures + " failed, " + retries
                    + " retried");
            assertThat(failures).isZero();
            assertThat(retries).as("the dead endpoint is ejected after three refusals").isEqualTo(3);
            assertThat(live.requests()).hasSize(20).allMatch(r -> r.body().equals("hi"));
        }
    }

    @Test
    void withDetectionOffTheDeadEndpointKeepsItsShare() throws Exception {
        int dead;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            dead = probe.getLocalPort();
        }
        try (RecordingUpstream live = RecordingUpstream.start(RecordingUpstream.OK);
             TestProxy proxy = proxy(live.port(), dead, "outlier-detection.consecutive-failures = 0");
             RawClient client = RawClient.connect(proxy.address())) {
            int retries = 0;
            for (int i = 0; i < 10; i++) {
                client.send("GET /g HTTP/1.1\r\nHost: a.example\r\n\r\n");
                assertThat(client.read().status()).isEqualTo(200);
                retries += proxy.nextExchange().retries();
            }
            assertThat(retries).as("every other request tries the dead endpoint first").isEqualTo(5);
        }
    }
}
