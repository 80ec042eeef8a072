package dev.synedge.loadtest.generator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synedge.loadtest.OriginProcess;
import dev.synedge.loadtest.http.RequestSpec;
import dev.synedge.origin.Origin;
import dev.synedge.origin.OriginOptions;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Latency figures against delays the origin injects or the test causes: a fixed delay shows
 * up in the percentiles, and in open loop a stalled target shows as queueing delay, measured
 * from when each request should have been sent.
 */
class LatencyTest {

    private static URI url(Origin origin) {
        return URI.create("http://127.0.0.1:" + origin.port());
    }

    @Test
    void injectedDelayShowsInThePercentiles() {
        try (Origin origin = Origin.start(OriginOptions.defaults())) {
            LoadSpec spec = LoadSpec.builder().connections(4).requests(40).build();
            LoadResult result = LoadGenerator.run(url(origin), spec, List.of(RequestSpec.get("/hello?delay=50")),
                    PhaseListener.NONE);
            assertThat(result.errors()).isEmpty();
            assertThat(result.latency().getMinValue()).isGreaterThanOrEqualTo(50_000);
            assertThat(LoadResult.millis(result.latency(), 50)).isBetween(50.0, 100.0);
            assertThat(LoadResult.millis(result.ttfb(), 50)).isBetween(50.0, 100.0);
        }
    }

    @Test
    void openLoopOpensConnectionsSoSlowResponsesDoNotDelayTheSchedule() {
        try (Origin origin = Origin.start(OriginOptions.defaults())) {
            // 200 requests per second of 50 ms each need about 10 connections at a time.
            LoadSpec spec = LoadSpec.builder().mode(Mode.OPEN).rate(200).connections(1).requests(100).build();
            LoadResult result = LoadGenerator.run(url(origin), spec, List.of(RequestSpec.get("/hello?delay=50")),
                    PhaseListener.NONE);
            assertThat(result.errors()).isEmpty();
            assertThat(result.requests()).isEqualTo(100);
            assertThat(result.connectionsOpened()).isBetween(8L, 60L);
            assertThat(LoadResult.millis(result.latency(), 50)).isBetween(50.0, 100.0);
        }
    }

    @Test
    void openLoopCountsQueueingBehindAConnectionLimit() {
        try (Origin origin = Origin.start(OriginOptions.defaults())) {
            // One connection, a request every 10 ms, each answered after 30 ms: the queue grows
            // by 20 ms per request, so the 50th waits about a second from its intended start.
            LoadSpec spec = LoadSpec.builder().mode(Mode.OPEN).rate(100).connections(1).maxConnections(1)
                    .requests(50).build();
            LoadResult result = LoadGenerator.run(url(origin), spec, List.of(RequestSpec.get("/hello?delay=30")),
                    PhaseListener.NONE);
            assertThat(result.errors()).isEmpty();
            assertThat(result.requests()).isEqualTo(50);
            assertThat(result.latency().getMinValue()).isGreaterThanOrEqualTo(30_000);
            assertThat(LoadResult.millis(result.latency(), 99)).isGreaterThan(800.0);
            assertThat(LoadResult.millis(result.latency(), 50)).isGreaterThan(400.0);
            assertThat(result.lateStarts()).isGreaterThanOrEqualTo(45);
        }
    }

    @Test
    void openLoopRecordsAStalledTarget() throws Exception {
        try (OriginProcess origin = OriginProcess.start()) {
            List<RequestSpec> hello = List.of(RequestSpec.get("/hello"));
            // Let the origin's JIT settle so the stall is the only slow thing in the run.
            LoadGenerator.run(origin.url(), LoadSpec.builder().connections(4).requests(5_000).build(), hello,
                    PhaseListener.NONE);
            LoadSpec spec = LoadSpec.builder().mode(Mode.OPEN).rate(500).connections(8)
                    .duration(Duration.ofSeconds(2)).build();
            Thread pauser = new Thread(() -> {
                try {
                    Thread.sleep(800);
                    origin.signal("STOP");
                    Thread.sleep(400);
                    origin.signal("CONT");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            pauser.start();
            LoadResult result = LoadGenerator.run(origin.url(), spec, hello, PhaseListener.NONE);
            pauser.join();
            assertThat(result.errors()).isEmpty();
            assertThat(result.requests()).isBetween(900L, 1001L);
            // Requests due during the 400 ms pause waited up to its end: ~200 of them, spread
            // from 0 to 400 ms. A closed-loop client would have recorded one slow request per
            // connection instead.
            long slow = result.latency().getCountBetweenValues(100_000, 2_000_000);
            assertThat(slow).isGreaterThanOrEqualTo(100);
            assertThat(LoadResult.millis(result.latency(), 99)).isBetween(300.0, 1000.0);
            assertThat(LoadResult.millis(result.latency(), 50)).isLessThan(100.0);
        }
    }
}
