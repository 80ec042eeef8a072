package dev.synedge.origin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The counters agree with what the clients received. */
class StatsTest {

    private Origin origin;

    @BeforeEach
    void start() {
        origin = Origin.start(OriginOptions.defaults());
    }

    @AfterEach
    void stop() {
        origin.close();
    }

    private String url(String path) {
        return "http://127.0.0.1:" + origin.port() + path;
    }

    @Test
    void countersMatchWhatClientsReceived() throws Exception {
        long bodyBytes = 0;
        try (RawConnection c = new RawConnection(origin.port())) {
            c.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\nGET /1k HTTP/1.1\r\nHost: t\r\n\r\nGET /0 HTTP/1.1\r\nHost: t\r\n\r\n");
            for (int i = 0; i < 3; i++) {
                bodyBytes += c.read().body().length;
            }
        }
        Process curl = Curl.start(url("/64k"));
        try (InputStream in = curl.getInputStream()) {
            bodyBytes += in.readAllBytes().length;
        }
        assertThat(Curl.finish(curl, new byte[0]).exitCode()).isZero();
        try (RawConnection c = new RawConnection(origin.port())) {
            bodyBytes += c.send("GET /100?chunked=30 HTTP/1.1\r\nHost: t\r\n\r\n").read().body().length;
        }
        try (RawConnection c = new RawConnection(origin.port())) {
            c.send("POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\n0123456789");
            bodyBytes += c.read().body().length;
        }
        try (RawConnection c = new RawConnection(origin.port())) {
            c.send("GET /1m?fault=close-mid-body HTTP/1.1\r\nHost: t\r\n\r\n");
            String line;
            while (!(line = c.readLine()).isEmpty()) {
                assertThat(line).doesNotStartWith("HTTP/1.1 5");
            }
            bodyBytes += c.readToEnd().length;
        }
        try (RawConnection c = new RawConnection(origin.port())) {
            bodyBytes += c.send("GET /hello HTTP/1.1\r\n\r\n").read().body().length;
            c.readToEnd();
        }

        OriginStats s = origin.stats();
        assertThat(s.connectionsAccepted()).isEqualTo(6);
        assertThat(s.requests()).as("hello, 1k, 0, 64k, chunked, upload, fault").isEqualTo(7);
        assertThat(s.responses()).as("all but the faulted one, plus the 400").isEqualTo(7);
        assertThat(s.responseBodyBytes()).isEqualTo(bodyBytes);
        assertThat(s.requestBodyBytes()).isEqualTo(10);
        assertThat(s.faults()).isEqualTo(1);
        assertThat(s.badRequests()).isEqualTo(1);
        assertThat(s.webSocketUpgrades()).isZero();
    }

    @Test
    void statsEndpointReportsWithoutCountingItself() throws Exception {
        Curl.run("-o", "/dev/null", url("/1k"));
        Curl.Result first = Curl.run(url("/stats"));
        Curl.Result second = Curl.run(url("/stats"));
        assertThat(first.out()).isEqualTo(
                "{\"connectionsAccepted\":2,\"connectionsWithSynData\":" + origin.stats().connectionsWithSynData()
                        + ",\"requests\":1,\"responses\":1,\"responseBodyBytes\":1024,\"requestBodyBytes\":0,"
                        + "\"faults\":0,\"badRequests\":0,\"webSocketUpgrades\":0}\n");
        assertThat(second.out()).contains("\"connectionsAccepted\":3,").contains("\"responseBodyBytes\":1024,");
        assertThat(second.out()).isEqualTo(origin.stats().toJson() + "\n");
    }

    @Test
    void resetZeroesTheCounters() throws Exception {
        Curl.run("-o", "/dev/null", url("/1k"));
        assertThat(origin.stats().responses()).isEqualTo(1);
        origin.resetStats();
        assertThat(origin.stats()).isEqualTo(new OriginStats(0, 0, 0, 0, 0, 0, 0, 0, 0));

        Curl.run("-o", "/dev/null", url("/1k"));
        Curl.Result reset = Curl.run(url("/stats?reset=1"));
        assertThat(reset.out()).contains("\"responseBodyBytes\":1024,");
        assertThat(origin.stats().responseBodyBytes()).isZero();
    }
}
