package dev.synedge.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synedge.accesslog.Termination;
import dev.synedge.config.ConfigLoader;
import dev.synedge.http.HttpLimits;
import dev.synedge.http.ParseProgress;
import dev.synedge.http.RequestHead;
import dev.synedge.http.RequestHeadParser;
import dev.synedge.routing.ProxyRuntime;
import dev.synedge.routing.Route;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Which requests synedge answers itself from the head alone, and in which order the reasons
 * count. The responses' bytes and the connections around them are tested end to end
 * (LoopAndHopsTest, RequestBodyLimitTest, PipelineBackpressureTest); here, the decision.
 */
class OwnResponseTest {

    private static final String CONFIG = """
            synedge.clusters.c.endpoints = ["127.0.0.1:1"]
            synedge.routes = [ { name = api, match.path-prefix = /api, cluster = c } ]
            synedge.http.max-request-body = 1000
            synedge.http.via = edge-1
            """;

    /** What the request head {@code text} gets under {@code extra} configuration; null: it goes upstream. */
    private static OwnResponse decide(String text, String extra) throws Exception {
        ProxyRuntime runtime = ProxyRuntime.of(ConfigLoader.load(CONFIG + extra, "test.conf"));
        ByteBuf in = Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
        try {
            RequestHead head = new RequestHead();
            assertThat(new RequestHeadParser(HttpLimits.DEFAULTS).parse(in, head)).isEqualTo(ParseProgress.DONE);
            Route route = runtime.router().match(in, head.hostStart(), head.hostNameEnd(), head.pathStart(),
                    head.queryStart(), head.method());
            return OwnResponse.forHead(head, route, runtime.config().http(), runtime.via());
        } finally {
            in.release();
        }
    }

    private static OwnResponse decide(String text) throws Exception {
        return decide(text, "");
    }

    @Test
    void aRoutedRequestWithinTheLimitsGoesUpstream() throws Exception {
        assertThat(decide("GET /api/x HTTP/1.1\r\nHost: a\r\n\r\n")).isNull();
        assertThat(decide("POST /api/x HTTP/1.1\r\nHost: a\r\nContent-Length: 1000\r\n\r\n")).isNull();
        assertThat(decide("OPTIONS /api/x HTTP/1.1\r\nHost: a\r\nMax-Forwards: 1\r\n\r\n")).isNull();
        assertThat(decide("GET /api/x HTTP/1.1\r\nHost: a\r\nVia: 1.1 edge-2\r\n\r\n")).isNull();
    }

    @Test
    void noRouteIs404() throws Exception {
        assertThat(decide("GET /elsewhere HTTP/1.1\r\nHost: a\r\n\r\n"))
                .extracting(OwnResponse::status, OwnResponse::termination)
                .containsExactly(404, Termination.COMPLETED);
    }

    @Test
    void aDeclaredBodyOverTheLimitIs413ButAChunkedOneIsJudgedAsItComes() throws Exception {
        OwnResponse tooLarge = decide("POST /api/x HTTP/1.1\r\nHost: a\r\nContent-Length: 1001\r\n\r\n");
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.termination()).isEqualTo(Termination.REQUEST_TOO_LARGE);
        assertThat(tooLarge.reason()).isEqualTo("Content-Length 1001 over max-request-body 1000");
        assertThat(decide("POST /api/x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n")).isNull();
    }

    @Test
    void ourOwnViaIs508WhereverItStandsUnlessLoopDetectionIsOff() throws Exception {
        String looped = "GET /api/x HTTP/1.1\r\nHost: a\r\nVia: 1.0 first, 1.1 EDGE-1\r\n\r\n";
        assertThat(decide(looped)).extracting(OwnResponse::status, OwnResponse::termination)
                .containsExactly(508, Termination.LOOP_DETECTED);
        assertThat(decide(looped, "synedge.http.loop-detection = false")).isNull();
    }

    @Test
    void traceIsRefusedUnlessForwardedAndMaxForwardsZeroIsAnsweredHere() throws Exception {
        assertThat(decide("TRACE /api/x HTTP/1.1\r\nHost: a\r\n\r\n").status()).isEqualTo(405);
        assertThat(decide("TRACE /api/x HTTP/1.1\r\nHost: a\r\n\r\n", "synedge.http.trace = forward")).isNull();
        assertThat(decide("TRACE /api/x HTTP/1.1\r\nHost: a\r\nMax-Forwards: 0\r\n\r\n",
                "synedge.http.trace = forward").status()).isEqualTo(200);
        assertThat(decide("OPTIONS /api/x HTTP/1.1\r\nHost: a\r\nMax-Forwards: 0\r\n\r\n").status()).isEqualTo(200);
        assertThat(decide("GET /api/x HTTP/1.1\r\nHost: a\r\nMax-Forwards: 0\r\n\r\n"))
                .as("Max-Forwards means nothing to other methods").isNull();
    }

    @Test
    void aLoopCountsBeforeEverythingElseAndNoRouteBeforeTheBodyLimit() throws Exception {
        assertThat(decide("TRACE /elsewhere HTTP/1.1\r\nHost: a\r\nVia: 1.1 edge-1\r\n\r\n").status()).isEqualTo(508);
        assertThat(decide("OPTIONS /elsewhere HTTP/1.1\r\nHost: a\r\nMax-Forwards: 0\r\n\r\n").status())
                .as("the last recipient answers, route or not").isEqualTo(200);
        assertThat(decide("POST /elsewhere HTTP/1.1\r\nHost: a\r\nContent-Length: 5000\r\n\r\n").status())
                .isEqualTo(404);
    }
}
