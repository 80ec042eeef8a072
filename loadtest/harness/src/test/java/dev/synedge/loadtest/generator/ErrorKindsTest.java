package dev.synedge.loadtest.generator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synedge.loadtest.http.RequestSpec;
import dev.synedge.origin.Origin;
import dev.synedge.origin.OriginOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each way a response can go wrong, produced by the origin's faults and parameters, is counted
 * under its own kind, and nothing else is.
 */
class ErrorKindsTest {

    private static LoadResult run(URI url, RequestSpec request, boolean perRequest) {
        LoadSpec spec = LoadSpec.builder().connections(2).connectionPerRequest(perRequest).requests(20)
                .timeout(Duration.ofSeconds(2)).build();
        return LoadGenerator.run(url, spec, List.of(request), PhaseListener.NONE);
    }

    private static Map<ErrorKind, Long> errors(Origin origin, String path, boolean perRequest) {
        LoadResult result = run(URI.create("http://127.0.0.1:" + origin.port()), RequestSpec.get(path), perRequest);
        assertThat(result.requests()).isZero();
        return result.errors();
    }

    @Test
    void eachFaultHasItsKind() {
        try (Origin origin = Origin.start(OriginOptions.defaults())) {
            assertThat(errors(origin, "/1k?status=503", false)).containsExactly(Map.entry(ErrorKind.BAD_STATUS, 20L));
            assertThat(errors(origin, "/1m?fault=close-mid-body", false)).containsExactly(Map.entry(ErrorKind.SHORT_BODY, 20L));
            assertThat(errors(origin, "/1k?fault=close-before-response", false)).containsExactly(Map.entry(ErrorKind.CLOSED, 20L));
            assertThat(errors(origin, "/1k?fault=reset-before-response", true)).containsExactly(Map.entry(ErrorKind.RESET, 20L));
            // The origin's own checksum comes first; the one added by header= is the last word.
            assertThat(errors(origin, "/4k?header=X-Body-Checksum:00000000", false))
                    .containsExactly(Map.entry(ErrorKind.CHECKSUM_MISMATCH, 20L));
            LoadResult clean = run(URI.create("http://127.0.0.1:" + origin.port()),
                    RequestSpec.get("/4k?header=X-Extra:1").withExpectLength(4096), false);
            assertThat(clean.errors()).isEmpty();
            assertThat(clean.requests()).isEqualTo(20);
        }
    }

    @Test
    void unexpectedLengthIsCounted() {
        try (Origin origin = Origin.start(OriginOptions.defaults())) {
            LoadResult result = run(URI.create("http://127.0.0.1:" + origin.port()),
                    RequestSpec.get("/1000").withExpectLength(1024), false);
            assertThat(result.errors()).containsExactly(Map.entry(ErrorKind.LENGTH_MISMATCH, 20L));
        }
    }

    @Test
    void chunkedAndCloseDelimitedBodiesAreFramed() {
        try (Origin origin = Origin.start(OriginOptions.defaults())) {
            URI url = URI.create("http://127.0.0.1:" + origin.port());
            LoadResult chunked = run(url, RequestSpec.get("/100k?chunked=7k&trailers=1").withExpectLength(100 * 1024), false);
            assertThat(chunked.errors()).isEmpty();
            assertThat(chunked.requests()).isEqualTo(20);
            LoadResult untilClose = run(url, RequestSpec.get("/50k?close-delimited=1").withExpectLength(50 * 1024), false);
            assertThat(untilClose.errors()).isEmpty();
            assertThat(untilClose.requests()).isEqualTo(20);
            assertThat(untilClose.serverCloses()).isGreaterThanOrEqualTo(19);
        }
    }

    @Test
    void refusedConnectionsAreCountedAndRetried() throws IOException {
        int port;
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress("127.0.0.1", 0));
            port = probe.getLocalPort();
        }
        LoadSpec spec = LoadSpec.builder().connections(2).duration(Duration.ofMillis(300)).build();
        LoadResult result = LoadGenerator.run(URI.create("http://127.0.0.1:" + port), spec,
                List.of(RequestSpec.get("/hello")), PhaseListener.NONE);
        assertThat(result.requests()).isZero();
        assertThat(result.errors()).containsOnlyKeys(ErrorKind.CONNECT_REFUSED);
        // Retried after a pause, not in a tight loop: about 2 connections x 300 ms / 10 ms.
        assertThat(result.errors().get(ErrorKind.CONNECT_REFUSED)).isBetween(2L, 200L);
    }
}
