package dev.synedge.origin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** /hello and sized bodies through real clients; every body checked against the documented pattern. */
class SizedBodyTest {

    private static Origin origin;
    private static HttpClient client;

    @BeforeAll
    static void start() {
        origin = Origin.start(OriginOptions.defaults());
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    @AfterAll
    static void stop() {
        client.close();
        origin.close();
    }

    private static URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + origin.port() + pathAndQuery);
    }

    @Test
    void helloWithCurl() throws Exception {
        Curl.Result r = Curl.run("-i", uri("/hello").toString());
        assertThat(r.exitCode()).isZero();
        String out = r.out();
        assertThat(out).startsWith("HTTP/1.1 200 OK\r\n");
        assertThat(out).contains("\r\nContent-Length: 5\r\n");
        assertThat(out).contains("\r\nX-Body-Checksum: " + ExpectedBody.crcHex("hello".getBytes()) + "\r\n");
        assertThat(out).endsWith("\r\n\r\nhello");
    }

    @ParameterizedTest
    @CsvSource({"/0, 0", "/1, 1", "/1k, 1024", "/64k, 65536", "/1m, 1048576", "/4093, 4093",
            "/1000000, 1000000", "/1k.bin, 1024", "/64k.bin, 65536", "/1m.bin, 1048576", "/16m.bin, 16777216",
            "/3M, 3145728"})
    void sizedBodiesWithHttpClient(String path, long length) throws Exception {
        HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(uri(path)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        ExpectedBody.Verified v;
        try (InputStream body = response.body()) {
            v = ExpectedBody.verify(body);
        }
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValueAsLong("Content-Length")).hasValue(length);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
        assertThat(v.length()).isEqualTo(length);
        assertThat(v.firstMismatch()).isEqualTo(-1);
        assertThat(response.headers().firstValue("X-Body-Checksum")).hasValue(v.crc32c());
    }

    @Test
    void sixtyFourMebibytesWithCurlVerifiedByTheTest(@TempDir Path dir) throws Exception {
        Path headers = dir.resolve("headers");
        Process curl = Curl.start("-D", headers.toString(), uri("/64m").toString());
        ExpectedBody.Verified v;
        try (InputStream body = curl.getInputStream()) {
            v = ExpectedBody.verify(body);
        }
        Curl.Result r = Curl.finish(curl, new byte[0]);
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        String head = Files.readString(headers);
        assertThat(v.length()).isEqualTo(64L << 20);
        assertThat(v.firstMismatch()).isEqualTo(-1);
        assertThat(head).contains("Content-Length: 67108864\r\n");
        assertThat(head).contains("X-Body-Checksum: " + v.crc32c() + "\r\n");
    }

    @Test
    void sixtyFourMebibytesWithHttpClient() throws Exception {
        HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(uri("/64m")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        ExpectedBody.Verified v;
        try (InputStream body = response.body()) {
            v = ExpectedBody.verify(body);
        }
        assertThat(v.length()).isEqualTo(64L << 20);
        assertThat(v.firstMismatch()).isEqualTo(-1);
        assertThat(response.headers().firstValue("X-Body-Checksum")).hasValue(v.crc32c());
    }

    @Test
    void randomSizesStayInRangeAndCarryTheirOwnChecksum() throws Exception {
        java.util.Set<Long> seen = new java.util.HashSet<>();
        for (int i = 0; i < 12; i++) {
            HttpResponse<byte[]> response = client.send(
                    HttpRequest.newBuilder(uri("/1k?random=100-300k")).build(), HttpResponse.BodyHandlers.ofByteArray());
            byte[] body = response.body();
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(body.length).isBetween(100, 300 * 1024);
            ExpectedBody.assertPattern(body);
            assertThat(response.headers().firstValue("X-Body-Checksum")).hasValue(ExpectedBody.crcHex(body));
            seen.add((long) body.length);
        }
        assertThat(seen).as("12 draws from 100..307200 are not all equal").hasSizeGreaterThan(1);
    }

    @Test
    void randomWithEqualBoundsIsExact() throws Exception {
        HttpResponse<byte[]> response = client.send(
                HttpRequest.newBuilder(uri("/0?random=5k-5k")).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.body()).hasSize(5120);
        ExpectedBody.assertPattern(response.body());
    }

    @Test
    void headHasTheSameHeadersAndNoBody() throws Exception {
        try (RawConnection c = new RawConnection(origin.port())) {
            c.send("HEAD /64k HTTP/1.1\r\nHost: t\r\n\r\nGET /hello HTTP/1.1\r\nHost: t\r\n\r\n");
            RawResponse head = c.read(true);
            RawResponse next = c.read();
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("Content-Length")).isEqualTo("65536");
            assertThat(head.header("X-Body-Checksum")).isEqualTo(ExpectedBody.crcHex(ExpectedBody.bytes(65536)));
            assertThat(next.bodyText()).as("no body bytes were sent for HEAD").isEqualTo("hello");
        }
    }

    @Test
    void headWithCurl() throws Exception {
        Curl.Result r = Curl.run("-I", uri("/1m").toString());
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.out()).startsWith("HTTP/1.1 200 OK").contains("Content-Length: 1048576");
    }

    @ParameterizedTest
    @CsvSource({"200, 1024", "404, 1024", "500, 1024", "503, 1024", "201, 1024"})
    void statusWithBody(int status, int length) throws Exception {
        try (RawConnection c = new RawConnection(origin.port())) {
            RawResponse r = c.send("GET /1k?status=" + status + " HTTP/1.1\r\nHost: t\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(status);
            assertThat(r.body()).hasSize(length);
            ExpectedBody.assertPattern(r.body());
        }
    }

    @ParameterizedTest
    @CsvSource({"204", "304"})
    void statusWithoutBodyHasNoFramingAndKeepsTheConnection(int status) throws Exception {
        try (RawConnection c = new RawConnection(origin.port())) {
            c.send("GET /1k?status=" + status + " HTTP/1.1\r\nHost: t\r\n\r\nGET /hello HTTP/1.1\r\nHost: t\r\n\r\n");
            RawResponse r = c.read();
            assertThat(r.status()).isEqualTo(status);
            assertThat(r.header("Content-Length")).isNull();
            assertThat(r.header("Transfer-Encoding")).isNull();
            assertThat(c.read().bodyText()).as("nothing between the two responses").isEqualTo("hello");
        }
    }

    @Test
    void extraHeadersInOrder() throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(
                uri("/hello?header=X-One:first%20value&header=X-Two:2&header=X-One:again")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.headers().allValues("X-One")).containsExactly("first value", "again");
        assertThat(r.headers().firstValue("X-Two")).hasValue("2");
        assertThat(r.body()).isEqualTo("hello");
    }

    @Test
    void absoluteFormTarget() throws Exception {
        try (RawConnection c = new RawConnection(origin.port())) {
            RawResponse r = c.send("GET http://example.test/hello HTTP/1.1\r\nHost: example.test\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo("hello");
        }
    }

    @ParameterizedTest
    @CsvSource({"/nothing-here", "/", "/12x", "/.bin", "/hello/", "/k"})
    void unknownPathsAre404(String path) throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(404);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/1k?bogus=1", "/1k?random=5-1", "/1k?chunked=0", "/1k?status=99", "/1k?status=600",
            "/1k?delay=-1", "/1k?trailers=1", "/1k?chunked=10&close-delimited=1", "/1k?version=2",
            "/1k?fault=explode", "/1k?header=bad%20name:x", "/hello?random=1-2", "/1k?keepalive=maybe",
            "/1k?delay=5&delay=6", "/1k?chunked=1k&version=1.0"})
    void invalidParametersAre400AndClose(String target) throws Exception {
        try (RawConnection c = new RawConnection(origin.port())) {
            RawResponse r = c.send("GET " + target + " HTTP/1.1\r\nHost: t\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.header("Connection")).isEqualTo("close");
            assertThat(r.bodyText()).isNotBlank();
            assertThat(c.readByte()).as("closed after the 400").isEqualTo(-1);
        }
    }

    @Test
    void tagIsIgnored() throws Exception {
        HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(uri("/100?tag=run-7")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.body()).hasSize(100);
    }

    @Test
    void keepAliveServesManyRequestsOnOneConnection() throws Exception {
        try (RawConnection c = new RawConnection(origin.port())) {
            for (String path : List.of("/hello", "/1k", "/0", "/64k", "/hello")) {
                RawResponse r = c.send("GET " + path + " HTTP/1.1\r\nHost: t\r\n\r\n").read();
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.header("Connection")).isNull();
            }
        }
    }
}
