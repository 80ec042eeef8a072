package dev.synedge.loadtest.generator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synedge.loadtest.http.RequestSpec;
import dev.synedge.origin.Origin;
import dev.synedge.origin.OriginOptions;
import dev.synedge.origin.OriginStats;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The generator's counts against what the origin says it served: requests, responses, body
 * bytes and connections must agree exactly, in every way of sending.
 */
class GroundTruthTest {

    private static final List<RequestSpec> MIX = List.of(
            RequestSpec.get("/hello").withExpectLength(5).withWeight(3),
            RequestSpec.get("/64k").withExpectLength(65536),
            RequestSpec.get("/1k.bin").withExpectLength(1024));

    private static URI url(Origin origin) {
        return URI.create("http://127.0.0.1:" + origin.port());
    }

    private static void assertAgrees(LoadResult result, OriginStats stats, long requests) {
        assertThat(result.errors()).isEmpty();
        assertThat(result.requests()).isEqualTo(requests);
        assertThat(stats.requests()).isEqualTo(requests);
        assertThat(stats.responses()).isEqualTo(requests);
        assertThat(result.bodyBytes()).isEqualTo(stats.responseBodyBytes()).isPositive();
        assertThat(result.latency().getTotalCount()).isEqualTo(requests);
        assertThat(result.ttfb().getTotalCount()).isEqualTo(requests);
    }

    @Test
    void keepAliveClosedLoop() {
        try (Origin origin = Origin.start(OriginOptions.defaults())) {
            LoadSpec spec = LoadSpec.builder().connections(8).threads(2).requests(6000).build();
            LoadResult result = LoadGenerator.run(url(origin), spec, MIX, PhaseListener.NONE);
            OriginStats stats = origin.stats();
            assertAgrees(result, stats, 6000);
            assertThat(stats.connectionsAccepted()).isEqualTo(8);
            assertThat(result.connectionsOpened()).isEqualTo(8);
            // 3 of every 5 requests are /hello, 1 is 64 KiB, 1 is 1 KiB: the table keeps the weights.
            assertThat(result.bodyBytes()).isEqualTo(6000 / 5 * (3 * 5 + 65536 + 1024));
        }
    }

    @Test
    void pipelinedKeepAlive() {
        try (Origin origin = Origin.start(OriginOptions.defaults())) {
            LoadSpec spec = LoadSpec.builder().connections(3).pipeline(16).requests(4000).build();
            LoadResult result = LoadGenerator.run(url(origin), spec, MIX, PhaseListener.NONE);
            assertAgrees(result, origin.stats(), 4000);
            assertThat(origin.stats().connectionsAccepted()).isEqualTo(3);
        }
    }

    @Test
    void connectionPerRequest() {
        try (Origin origin = Origin.start(OriginOptions.defaults())) {
            LoadSpec spec = LoadSpec.builder().connections(4).connectionPerRequest(true).requests(600).build();
            LoadResult result = LoadGenerator.run(url(origin), spec, MIX, PhaseListener.NONE);
            OriginStats stats = origin.stats();
            assertAgrees(result, stats, 600);
            assertThat(stats.connectionsAccepted()).isEqualTo(600);
            assertThat(result.connectionsOpened()).isEqualTo(600);
            assertThat(result.connect().getTotalCount()).isEqualTo(600);
        }
    }

    @Test
    void openLoopByCount() {
        try (Origin origin = Origin.start(OriginOptions.defaults())) {
            LoadSpec spec = LoadSpec.builder().mode(Mode.OPEN).rate(2000).connections(4).requests(1000).build();
            LoadResult result = LoadGenerator.run(url(origin), spec, MIX, PhaseListener.NONE);
            assertAgrees(result, origin.stats(), 1000);
            // The last of 1000 requests at 2000/s is due after 0.4995 s: the run cannot be shorter.
            assertThat(result.seconds()).isBetween(0.4995, 10.0);
        }
    }

    @Test
    void warmupRequestsAreServedButNotCounted() {
        try (Origin origin = Origin.start(OriginOptions.defaults())) {
            LoadSpec spec = LoadSpec.builder().connections(2).warmup(java.time.Duration.ofMillis(300)).requests(500).build();
            LoadResult result = LoadGenerator.run(url(origin), spec, List.of(RequestSpec.get("/hello")), PhaseListener.NONE);
            OriginStats stats = origin.stats();
            assertThat(result.errors()).isEmpty();
            assertThat(result.requests()).isEqualTo(500);
            assertThat(result.warmupRequests()).isPositive();
            assertThat(stats.requests()).isEqualTo(500 + result.warmupRequests());
        }
    }
}
