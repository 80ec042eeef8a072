package dev.synedge.origin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** /echo returns the request exactly as it was on the wire; Expect: 100-continue handling. */
class EchoTest {

    private static Origin origin;

    @BeforeAll
    static void start() {
        origin = Origin.start(OriginOptions.defaults());
    }

    @AfterAll
    static void stop() {
        origin.close();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void contentLengthRequestIsEchoedByteForByte() throws Exception {
        byte[] request = ascii("PoSt /echo?tag=1 HTTP/1.1\r\nhOsT: t\r\nX-Custom:  spaced value \r\n"
                + "x-custom: Second\r\ncontent-LENGTH: 11\r\nAccept: */*\r\n\r\nhello world");
        try (RawConnection c = new RawConnection(origin.port())) {
            RawResponse r = c.send(request).read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("Content-Type")).isEqualTo("application/octet-stream");
            assertThat(r.body()).isEqualTo(request);
            assertThat(r.header("X-Body-Checksum")).isEqualTo(ExpectedBody.crcHex(request));
        }
    }

    @Test
    void chunkedRequestIsEchoedWithItsFraming() throws Exception {
        byte[] request = ascii("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5;name=value\r\nhello\r\n0006\r\n world\r\nA\r\n0123456789\r\n0\r\nX-Trailer: yes\r\n\r\n");
        try (RawConnection c = new RawConnection(origin.port())) {
            assertThat(c.send(request).read().body()).isEqualTo(request);
        }
    }

    @Test
    void chunkedRequestArrivingInSmallPiecesIsEchoedExactly() throws Exception {
        // every framing element (size line, extension, data CRLF, trailer, final CRLF) gets cut
        byte[] request = ascii("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5;ext=\"q v\"\r\nhello\r\n1a\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\nX-T: 1\r\nX-U: 2\r\n\r\n");
        byte[] next = ascii("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n");
        byte[] wire = concat(ascii("\r\n"), request, next);
        try (RawConnection c = new RawConnection(origin.port())) {
            for (int at = 0; at < wire.length; at += 3) {
                c.send(java.util.Arrays.copyOfRange(wire, at, Math.min(wire.length, at + 3)));
                Thread.sleep(1);
            }
            assertThat(c.read().body()).as("leading empty line not echoed").isEqualTo(request);
            assertThat(c.read().bodyText()).isEqualTo("hello");
        }
    }

    @Test
    void pipelinedEchoesEachGetTheirOwnBytes() throws Exception {
        byte[] first = ascii("GET /echo HTTP/1.1\r\nHost: t\r\nX-N: 1\r\n\r\n");
        byte[] second = ascii("PUT /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\n\r\nbody");
        byte[] third = ascii("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
        try (RawConnection c = new RawConnection(origin.port())) {
            c.send(concat(first, second, third));
            assertThat(c.read().body()).isEqualTo(first);
            assertThat(c.read().body()).isEqualTo(second);
            assertThat(c.read().body()).isEqualTo(third);
        }
    }

    @Test
    void multiMegabyteBodiesBothFramings() throws Exception {
        byte[] data = new byte[3 * 1024 * 1024 + 17];
        new Random(7).nextBytes(data);
        byte[] lengthRequest = concat(ascii("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: " + data.length + "\r\n\r\n"), data);
        ByteArrayOutputStream chunked = new ByteArrayOutputStream();
        chunked.writeBytes(ascii("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"));
        for (int off = 0; off < data.length; off += 65536) {
            int n = Math.min(65536, data.length - off);
            chunked.writeBytes(ascii(Integer.toHexString(n) + "\r\n"));
            chunked.write(data, off, n);
            chunked.writeBytes(ascii("\r\n"));
        }
        chunked.writeBytes(ascii("0\r\n\r\n"));
        byte[] chunkedRequest = chunked.toByteArray();
        try (RawConnection c = new RawConnection(origin.port())) {
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    c.send(concat(lengthRequest, chunkedRequest));
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            assertThat(c.read().body()).isEqualTo(lengthRequest);
            assertThat(c.read().body()).isEqualTo(chunkedRequest);
            writer.join();
        }
    }

    @Test
    void echoWithHttpClient() throws Exception {
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + origin.port() + "/echo"))
                    .header("X-Probe", "42")
                    .POST(HttpRequest.BodyPublishers.ofString("payload")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.body()).startsWith("POST /echo HTTP/1.1\r\n").contains("\r\nX-Probe: 42\r\n")
                    .endsWith("\r\n\r\npayload");
        }
    }

    @Test
    void headOfEchoAnnouncesTheLengthOnly() throws Exception {
        byte[] request = ascii("HEAD /echo HTTP/1.1\r\nHost: t\r\n\r\n");
        try (RawConnection c = new RawConnection(origin.port())) {
            c.send(request).send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n");
            assertThat(c.read(true).header("Content-Length")).isEqualTo(String.valueOf(request.length));
            assertThat(c.read().bodyText()).isEqualTo("hello");
        }
    }

    @Test
    void echoLargerThanItsLimitIs413() throws Exception {
        try (RawConnection c = new RawConnection(origin.port())) {
            RawResponse r = c.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 100000000\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(413);
            assertThat(c.readByte()).isEqualTo(-1);
        }
    }

    @Test
    void expectContinueGets100BeforeTheBodyIsSent() throws Exception {
        byte[] head = ascii("POST /echo HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
        try (RawConnection c = new RawConnection(origin.port())) {
            c.send(head);
            assertThat(new String(c.readExactly(25), StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 100 Continue\r\n\r\n");
            c.send("hello");
            RawResponse r = c.read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo(concat(head, ascii("hello")));
        }
    }

    @Test
    void expectIgnoreSendsNoInterimResponse() throws Exception {
        byte[] head = ascii("POST /upload?expect=ignore HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
        try (RawConnection c = new RawConnection(origin.port())) {
            c.send(head);
            c.socket.setSoTimeout(300);
            assertThatThrownBy(c::readByte).isInstanceOf(SocketTimeoutException.class);
            c.socket.setSoTimeout(10_000);
            c.send("hello");
            RawResponse r = c.read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("X-Upload-Length")).isEqualTo("5");
        }
    }

    @Test
    void expect417RefusesWithoutReadingTheBody() throws Exception {
        try (RawConnection c = new RawConnection(origin.port())) {
            c.send("POST /upload?expect=417 HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
            RawResponse r = c.read();
            assertThat(r.status()).isEqualTo(417);
            assertThat(r.header("Connection")).isEqualTo("close");
            assertThat(c.readByte()).isEqualTo(-1);
        }
    }

    @Test
    void curlWaitsForAndGets100Continue() throws Exception {
        Curl.Result r = Curl.run("-v", "-H", "Expect: 100-continue", "--data-binary", "some body",
                "http://127.0.0.1:" + origin.port() + "/upload");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stderr()).contains("< HTTP/1.1 100 Continue");
        assertThat(r.out()).contains("\"length\":9");
    }
}
