package dev.synedge.origin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Response framing as a raw client sees it on the wire. */
class FramingTest {

    private static Origin origin;

    @BeforeAll
    static void start() {
        origin = Origin.start(OriginOptions.defaults());
    }

    @AfterAll
    static void stop() {
        origin.close();
    }

    private static RawConnection connect() throws Exception {
        return new RawConnection(origin.port());
    }

    /** The chunked encoding of the pattern body, built by the test. */
    private static byte[] chunkedWire(int length, int chunk, String trailers) {
        byte[] body = ExpectedBody.bytes(length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int off = 0; off < length; off += chunk) {
            int n = Math.min(chunk, length - off);
            out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body, off, n);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes(("0\r\n" + trailers + "\r\n").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    @Test
    void chunkedFramingOnTheWire() throws Exception {
        try (RawConnection c = connect()) {
            RawResponse r = c.send("GET /100?chunked=30 HTTP/1.1\r\nHost: t\r\n\r\n").read();
            assertThat(r.header("Transfer-Encoding")).isEqualTo("chunked");
            assertThat(r.header("Content-Length")).isNull();
            assertThat(r.header("X-Body-Length")).isEqualTo("100");
            assertThat(r.wireBody()).isEqualTo(chunkedWire(100, 30, ""));
            assertThat(r.header("X-Body-Checksum")).isEqualTo(ExpectedBody.crcHex(r.body()));
        }
    }

    @Test
    void chunkedWithTrailers() throws Exception {
        try (RawConnection c = connect()) {
            RawResponse r = c.send("GET /64k?chunked=10000&trailers=1 HTTP/1.1\r\nHost: t\r\n\r\n").read();
            String crc = ExpectedBody.crcHex(ExpectedBody.bytes(65536));
            assertThat(r.header("Trailer")).isEqualTo("X-Trailer-Length, X-Trailer-Checksum");
            assertThat(r.wireBody()).isEqualTo(
                    chunkedWire(65536, 10000, "X-Trailer-Length: 65536\r\nX-Trailer-Checksum: " + crc + "\r\n"));
        }
    }

    @Test
    void chunkedLargeBodyWithChunksLargerThanTheSharedBlock() throws Exception {
        try (RawConnection c = connect()) {
            RawResponse r = c.send("GET /3m?chunked=2m HTTP/1.1\r\nHost: t\r\n\r\n").read();
            assertThat(r.body()).hasSize(3 << 20);
            ExpectedBody.assertPattern(r.body());
            String wireStart = new String(r.wireBody(), 0, 8, StandardCharsets.US_ASCII);
            assertThat(wireStart).startsWith("200000\r\n");
        }
    }

    @Test
    void chunkedEmptyBodyIsJustTheLastChunk() throws Exception {
        try (RawConnection c = connect()) {
            RawResponse r = c.send("GET /0?chunked=16 HTTP/1.1\r\nHost: t\r\n\r\n").read();
            assertThat(new String(r.wireBody(), StandardCharsets.US_ASCII)).isEqualTo("0\r\n\r\n");
        }
    }

    @Test
    void closeDelimitedEndsWithTheConnection() throws Exception {
        try (RawConnection c = connect()) {
            RawResponse r = c.send("GET /1k?close-delimited=1 HTTP/1.1\r\nHost: t\r\n\r\n").read();
            assertThat(r.statusLine()).isEqualTo("HTTP/1.1 200 OK");
            assertThat(r.header("Content-Length")).isNull();
            assertThat(r.header("Transfer-Encoding")).isNull();
            assertThat(r.header("Connection")).isEqualTo("close");
            assertThat(r.body()).hasSize(1024);
            ExpectedBody.assertPattern(r.body());
        }
    }

    @Test
    void http10ResponseClosesUnlessKeepAliveWasAsked() throws Exception {
        try (RawConnection c = connect()) {
            RawResponse r = c.send("GET /1k?version=1.0 HTTP/1.1\r\nHost: t\r\n\r\n").read();
            assertThat(r.statusLine()).isEqualTo("HTTP/1.0 200 OK");
            assertThat(r.header("Content-Length")).isEqualTo("1024");
            assertThat(c.readByte()).as("closed").isEqualTo(-1);
        }
        try (RawConnection c = connect()) {
            RawResponse r = c.send("GET /1k?version=1.0 HTTP/1.1\r\nHost: t\r\nConnection: keep-alive\r\n\r\n").read();
            assertThat(r.statusLine()).startsWith("HTTP/1.0 200");
            assertThat(r.header("Connection")).isEqualTo("keep-alive");
            assertThat(c.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n").read().bodyText()).isEqualTo("hello");
        }
    }

    @Test
    void http10CloseDelimited() throws Exception {
        try (RawConnection c = connect()) {
            RawResponse r = c.send("GET /5000?version=1.0&close-delimited=1 HTTP/1.1\r\nHost: t\r\n\r\n").read();
            assertThat(r.statusLine()).isEqualTo("HTTP/1.0 200 OK");
            assertThat(r.header("Content-Length")).isNull();
            assertThat(r.body()).hasSize(5000);
            ExpectedBody.assertPattern(r.body());
        }
    }

    @Test
    void http10RequestIsAnsweredAndClosed() throws Exception {
        try (RawConnection c = connect()) {
            RawResponse r = c.send("GET /1k HTTP/1.0\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("Content-Length")).isEqualTo("1024");
            assertThat(r.header("Connection")).isEqualTo("close");
            assertThat(c.readByte()).isEqualTo(-1);
        }
    }

    @Test
    void http10RequestWithKeepAliveStaysOpen() throws Exception {
        try (RawConnection c = connect()) {
            RawResponse r = c.send("GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read();
            assertThat(r.header("Connection")).isEqualTo("keep-alive");
            assertThat(c.send("GET /hello HTTP/1.0\r\n\r\n").read().bodyText()).isEqualTo("hello");
            assertThat(c.readByte()).isEqualTo(-1);
        }
    }

    @Test
    void http10RequestNeverGetsChunked() throws Exception {
        try (RawConnection c = connect()) {
            RawResponse r = c.send("GET /300?chunked=100 HTTP/1.0\r\n\r\n").read();
            assertThat(r.header("Transfer-Encoding")).isNull();
            assertThat(r.header("Content-Length")).isNull();
            assertThat(r.body()).hasSize(300);
            ExpectedBody.assertPattern(r.body());
        }
    }

    @Test
    void keepaliveZeroClosesAfterTheResponse() throws Exception {
        try (RawConnection c = connect()) {
            RawResponse r = c.send("GET /64k?keepalive=0 HTTP/1.1\r\nHost: t\r\n\r\n").read();
            assertThat(r.header("Connection")).isEqualTo("close");
            assertThat(r.body()).hasSize(65536);
            assertThat(c.readByte()).isEqualTo(-1);
        }
    }

    @Test
    void clientConnectionCloseIsHonoured() throws Exception {
        try (RawConnection c = connect()) {
            RawResponse r = c.send("GET /hello HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n").read();
            assertThat(r.header("Connection")).isEqualTo("close");
            assertThat(c.readByte()).isEqualTo(-1);
        }
    }

    @Test
    void threePipelinedRequestsInOneWriteAreAnsweredInOrder() throws Exception {
        try (RawConnection c = connect()) {
            c.send("GET /300?delay=150 HTTP/1.1\r\nHost: t\r\n\r\n"
                    + "GET /hello HTTP/1.1\r\nHost: t\r\n\r\n"
                    + "GET /7?chunked=3 HTTP/1.1\r\nHost: t\r\n\r\n");
            RawResponse first = c.read();
            RawResponse second = c.read();
            RawResponse third = c.read();
            assertThat(first.body()).hasSize(300);
            ExpectedBody.assertPattern(first.body());
            assertThat(second.bodyText()).isEqualTo("hello");
            assertThat(third.body()).isEqualTo(ExpectedBody.bytes(7));
            assertThat(third.header("Transfer-Encoding")).isEqualTo("chunked");
        }
    }

    @Test
    void manyPipelinedRequestsIncludingLargeBodies() throws Exception {
        StringBuilder requests = new StringBuilder();
        int count = 200;
        for (int i = 0; i < count; i++) {
            String path = i % 50 == 7 ? "/2m" : i % 2 == 0 ? "/hello" : "/" + i;
            requests.append("GET ").append(path).append(" HTTP/1.1\r\nHost: t\r\n\r\n");
        }
        try (RawConnection c = connect()) {
            c.send(requests.toString());
            for (int i = 0; i < count; i++) {
                RawResponse r = c.read();
                if (i % 50 == 7) {
                    assertThat(r.body()).as("response %d", i).hasSize(2 << 20);
                } else if (i % 2 == 0) {
                    assertThat(r.bodyText()).as("response %d", i).isEqualTo("hello");
                } else {
                    assertThat(r.body()).as("response %d", i).hasSize(i);
                }
            }
        }
    }

    @Test
    void leadingEmptyLinesBeforeARequestAreIgnored() throws Exception {
        try (RawConnection c = connect()) {
            RawResponse r = c.send("\r\n\r\nGET /hello HTTP/1.1\r\nHost: t\r\n\r\n").read();
            assertThat(r.bodyText()).isEqualTo("hello");
        }
    }

    @Test
    void requestSentByteByByteIsParsed() throws Exception {
        try (RawConnection c = connect()) {
            for (byte b : "GET /hello HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.US_ASCII)) {
                c.send(new byte[] {b});
            }
            assertThat(c.read().bodyText()).isEqualTo("hello");
        }
    }

    @Test
    void dateHeaderIsImfFixdate() throws Exception {
        try (RawConnection c = connect()) {
            RawResponse r = c.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n").read();
            assertThat(r.header("Date")).matches("[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT");
        }
    }
}
