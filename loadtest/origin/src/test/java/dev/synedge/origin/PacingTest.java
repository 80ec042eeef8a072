package dev.synedge.origin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Delays and slow heads/bodies. Timing is checked only as lower bounds (a loaded machine makes
 * things slower, never faster).
 */
class PacingTest {

    private static Origin origin;

    @BeforeAll
    static void start() {
        origin = Origin.start(OriginOptions.defaults());
    }

    @AfterAll
    static void stop() {
        origin.close();
    }

    @Test
    void delayHoldsTheHead() throws Exception {
        try (RawConnection c = new RawConnection(origin.port())) {
            long t0 = System.nanoTime();
            RawResponse r = c.send("GET /hello?delay=200 HTTP/1.1\r\nHost: t\r\n\r\n").read();
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(r.bodyText()).isEqualTo("hello");
            assertThat(ms).isGreaterThanOrEqualTo(200);
        }
    }

    @Test
    void slowHeadArrivesInPiecesWithPauses() throws Exception {
        try (RawConnection c = new RawConnection(origin.port())) {
            c.send("GET /1k?slow-head=60 HTTP/1.1\r\nHost: t\r\n\r\n");
            InputStream in = c.input();
            int first = in.read();
            long firstByte = System.nanoTime();
            assertThat(first).isEqualTo('H');
            StringBuilder head = new StringBuilder().append((char) first);
            while (!head.toString().endsWith("\r\n\r\n")) {
                int b = in.read();
                assertThat(b).isNotNegative();
                head.append((char) b);
            }
            long spreadMs = (System.nanoTime() - firstByte) / 1_000_000;
            assertThat(head.toString()).startsWith("HTTP/1.1 200 OK\r\n").contains("Content-Length: 1024\r\n");
            // Six pieces, five pauses of 60 ms between the first byte and the last.
            assertThat(spreadMs).isGreaterThanOrEqualTo(5 * 60);
            byte[] body = c.readExactly(1024);
            ExpectedBody.assertPattern(body);
        }
    }

    @Test
    void slowBodyPausesBeforeEachPiece() throws Exception {
        try (RawConnection c = new RawConnection(origin.port())) {
            long t0 = System.nanoTime();
            RawResponse r = c.send("GET /64k?slow-body=50&piece=16k HTTP/1.1\r\nHost: t\r\n\r\n").read();
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(r.body()).hasSize(65536);
            ExpectedBody.assertPattern(r.body());
            assertThat(ms).isGreaterThanOrEqualTo(4 * 50);
        }
    }

    @Test
    void slowChunkedBodyWithPiecesSmallerThanChunks() throws Exception {
        try (RawConnection c = new RawConnection(origin.port())) {
            long t0 = System.nanoTime();
            RawResponse r = c.send("GET /1000?chunked=300&slow-body=20&piece=100 HTTP/1.1\r\nHost: t\r\n\r\n").read();
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(r.body()).isEqualTo(ExpectedBody.bytes(1000));
            assertThat(new String(r.wireBody(), 0, 5, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("12c\r\n");
            assertThat(ms).isGreaterThanOrEqualTo(10 * 20);
        }
    }

    @Test
    void pacingCombinesAndTheConnectionStaysUsable() throws Exception {
        try (RawConnection c = new RawConnection(origin.port())) {
            long t0 = System.nanoTime();
            RawResponse r = c.send("GET /20k?delay=50&slow-head=10&slow-body=30&piece=8k HTTP/1.1\r\nHost: t\r\n\r\n").read();
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(r.body()).isEqualTo(ExpectedBody.bytes(20 * 1024));
            assertThat(ms).isGreaterThanOrEqualTo(50 + 5 * 10 + 3 * 30);
            assertThat(c.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n").read().bodyText()).isEqualTo("hello");
        }
    }

    @Test
    void clientLeavingDuringASlowBodyReleasesEverything() throws Exception {
        try (RawConnection c = new RawConnection(origin.port())) {
            c.send("GET /4m?slow-body=200&piece=1m HTTP/1.1\r\nHost: t\r\n\r\n");
            assertThat(c.readLine()).isEqualTo("HTTP/1.1 200 OK");
        }
        // The origin keeps serving; the abandoned writer is cleaned up (the leak check verifies).
        try (RawConnection c = new RawConnection(origin.port())) {
            assertThat(c.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n").read().bodyText()).isEqualTo("hello");
        }
    }
}
