package dev.synedge.origin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /upload measures streamed bodies, Content-Length and chunked, from curl and HttpClient. */
class UploadTest {

    private static Origin origin;
    private static byte[] data;
    private static String dataCrc;

    @BeforeAll
    static void start() {
        origin = Origin.start(OriginOptions.defaults());
        data = new byte[5 * 1024 * 1024 + 3];
        new Random(11).nextBytes(data);
        dataCrc = ExpectedBody.crcHex(data);
    }

    @AfterAll
    static void stop() {
        origin.close();
    }

    private static String url() {
        return "http://127.0.0.1:" + origin.port() + "/upload";
    }

    private static String expectedJson(long length, String crc) {
        return "{\"length\":" + length + ",\"crc32c\":\"" + crc + "\"}\n";
    }

    @Test
    void curlContentLengthUpload(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("body");
        Files.write(file, data);
        long before = origin.stats().requestBodyBytes();
        Curl.Result r = Curl.run("--data-binary", "@" + file, url());
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.out()).isEqualTo(expectedJson(data.length, dataCrc));
        assertThat(origin.stats().requestBodyBytes() - before).isEqualTo(data.length);
    }

    @Test
    void curlChunkedUpload(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("body");
        Files.write(file, data);
        Curl.Result r = Curl.run("-T", file.toString(), "-H", "Transfer-Encoding: chunked", url());
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.out()).isEqualTo(expectedJson(data.length, dataCrc));
    }

    @Test
    void httpClientStreamedAndFixedUploads() throws Exception {
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            HttpResponse<String> streamed = client.send(HttpRequest.newBuilder(URI.create(url()))
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(data))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(streamed.body()).isEqualTo(expectedJson(data.length, dataCrc));
            assertThat(streamed.headers().firstValue("X-Upload-Checksum")).hasValue(dataCrc);
            assertThat(streamed.headers().firstValue("X-Upload-Length")).hasValue(String.valueOf(data.length));

            HttpResponse<String> fixed = client.send(HttpRequest.newBuilder(URI.create(url()))
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(data)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(fixed.body()).isEqualTo(expectedJson(data.length, dataCrc));
        }
    }

    @Test
    void emptyUpload() throws Exception {
        try (RawConnection c = new RawConnection(origin.port())) {
            RawResponse r = c.send("POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n").read();
            assertThat(r.bodyText()).isEqualTo(expectedJson(0, "00000000"));
        }
    }

    @Test
    void uploadOnlyTakesPostAndPut() throws Exception {
        try (RawConnection c = new RawConnection(origin.port())) {
            RawResponse r = c.send("GET /upload HTTP/1.1\r\nHost: t\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(405);
        }
    }

    @Test
    void bodiesSentToOtherPathsAreConsumedAndTheConnectionGoesOn() throws Exception {
        try (RawConnection c = new RawConnection(origin.port())) {
            c.send("POST /1k HTTP/1.1\r\nHost: t\r\nContent-Length: 6\r\n\r\nignore"
                    + "POST /hello HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nxx\r\n0\r\n\r\n"
                    + "GET /hello HTTP/1.1\r\nHost: t\r\n\r\n");
            assertThat(c.read().body()).hasSize(1024);
            assertThat(c.read().bodyText()).isEqualTo("hello");
            assertThat(c.read().bodyText()).isEqualTo("hello");
        }
    }
}
