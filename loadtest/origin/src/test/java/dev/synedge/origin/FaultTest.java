package dev.synedge.origin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.SocketException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each injected fault as a raw client and curl see it, and the fault counter. */
class FaultTest {

    private static Origin origin;

    @BeforeAll
    static void start() {
        origin = Origin.start(OriginOptions.defaults());
    }

    @AfterAll
    static void stop() {
        origin.close();
    }

    /** Reads the head (up to the empty line) as text. */
    private static String readHead(RawConnection c) throws Exception {
        StringBuilder head = new StringBuilder();
        String line;
        while (!(line = c.readLine()).isEmpty()) {
            head.append(line).append("\r\n");
        }
        return head.toString();
    }

    @Test
    void resetMidBodyIsAConnectionReset() throws Exception {
        long faults = origin.stats().faults();
        try (RawConnection c = new RawConnection(origin.port())) {
            c.send("GET /1m?fault=reset-mid-body HTTP/1.1\r\nHost: t\r\n\r\n");
            String head = readHead(c);
            assertThat(head).startsWith("HTTP/1.1 200 OK").contains("Content-Length: 1048576");
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            InputStream in = c.input();
            byte[] buf = new byte[8192];
            assertThatThrownBy(() -> {
                int n;
                while ((n = in.read(buf)) > 0) {
                    got.write(buf, 0, n);
                }
            }).isInstanceOf(SocketException.class).hasMessageContaining("Connection reset");
            assertThat(got.size()).isLessThanOrEqualTo(1 << 19);
            ExpectedBody.assertPattern(got.toByteArray());
        }
        assertThat(origin.stats().faults()).isEqualTo(faults + 1);
    }

    @Test
    void closeMidBodyIsAShortRead() throws Exception {
        try (RawConnection c = new RawConnection(origin.port())) {
            c.send("GET /1m?fault=close-mid-body HTTP/1.1\r\nHost: t\r\n\r\n");
            String head = readHead(c);
            assertThat(head).contains("Content-Length: 1048576");
            byte[] body = c.readToEnd();
            assertThat(body).hasSize(1 << 19);
            ExpectedBody.assertPattern(body);
        }
    }

    @Test
    void closeMidBodyOfAChunkedResponse() throws Exception {
        try (RawConnection c = new RawConnection(origin.port())) {
            c.send("GET /1000?chunked=300&fault=close-mid-body HTTP/1.1\r\nHost: t\r\n\r\n");
            readHead(c);
            String wire = new String(c.readToEnd(), java.nio.charset.StandardCharsets.US_ASCII);
            String expected = "12c\r\n" + new String(ExpectedBody.bytes(300)) + "\r\n12c\r\n"
                    + new String(ExpectedBody.bytes(500)).substring(300);
            assertThat(wire).isEqualTo(expected);
        }
    }

    @Test
    void closeBeforeResponseIsAnEmptyReply() throws Exception {
        try (RawConnection c = new RawConnection(origin.port())) {
            c.send("GET /hello?fault=close-before-response HTTP/1.1\r\nHost: t\r\n\r\n");
            assertThat(c.readByte()).isEqualTo(-1);
        }
    }

    @Test
    void resetBeforeResponseIsAConnectionReset() throws Exception {
        try (RawConnection c = new RawConnection(origin.port())) {
            c.send("GET /hello?fault=reset-before-response HTTP/1.1\r\nHost: t\r\n\r\n");
            assertThatThrownBy(c::readByte).isInstanceOf(SocketException.class).hasMessageContaining("Connection reset");
        }
    }

    @Test
    void faultAfterADelayAndAfterAnUploadBody() throws Exception {
        try (RawConnection c = new RawConnection(origin.port())) {
            long t0 = System.nanoTime();
            c.send("POST /upload?delay=100&fault=close-before-response HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\nabc");
            assertThat(c.readByte()).isEqualTo(-1);
            assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(100);
        }
    }

    @Test
    void curlSeesEachFault() throws Exception {
        String base = "http://127.0.0.1:" + origin.port();
        // curl exit codes: 18 partial file, 52 empty reply, 56 failure receiving (reset).
        assertThat(Curl.run("-o", "/dev/null", base + "/1m?fault=close-mid-body").exitCode()).isEqualTo(18);
        assertThat(Curl.run("-o", "/dev/null", base + "/hello?fault=close-before-response").exitCode()).isEqualTo(52);
        assertThat(Curl.run("-o", "/dev/null", base + "/hello?fault=reset-before-response").exitCode()).isEqualTo(56);
        Curl.Result reset = Curl.run("-o", "/dev/null", base + "/1m?fault=reset-mid-body");
        assertThat(reset.exitCode()).isEqualTo(56);
        assertThat(reset.stderr()).contains("Connection reset");
    }
}
