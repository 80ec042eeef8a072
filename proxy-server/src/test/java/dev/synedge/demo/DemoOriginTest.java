package dev.synedge.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.synedge.accesslog.AccessRecord;
import dev.synedge.accesslog.SynData;
import dev.synedge.accesslog.UpstreamConnection;
import dev.synedge.net.FastOpenMode;
import dev.synedge.net.KernelState;
import dev.synedge.testing.Curl;
import dev.synedge.testing.RawClient;
import dev.synedge.testing.TestProxy;
import dev.synedge.testkit.KernelRequirement;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo origin, from curl and from raw sockets: what it answers and how it keeps connections. */
class DemoOriginTest {

    private static DemoOrigin origin;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        origin = DemoOrigin.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    @AfterAll
    static void stop() {
        origin.close();
    }

    private static String url(String path) {
        return "http://127.0.0.1:" + origin.address().getPort() + path;
    }

    private static RawClient connect() throws Exception {
        return RawClient.connect(origin.address());
    }

    @Test
    void helloAndOneMegabyteOnOneConnection() throws Exception {
        Curl.Result hello = Curl.run(url("/hello"));
        assertThat(hello.body()).as(hello.stderr()).isEqualTo("hello");

        Curl.Result both = Curl.run("-o", "/dev/null", "-o", "/dev/null",
                "-w", "%{http_code} %{num_connects} %{size_download} %{content_type}\\n", url("/hello"), url("/1m"));
        assertThat(both.body()).as(both.stderr()).isEqualTo("""
                200 1 5 text/plain
                200 0 1048576 application/octet-stream
                """);
    }

    @Test
    void theMegabyteIsLinesOfLetters() throws Exception {
        Curl.Result megabyte = Curl.run(url("/1m"));
        assertThat(megabyte.body()).hasSize(1 << 20).startsWith("abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijk\n"
                + "bcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijkl\n");
        assertThat(megabyte.body().lines()).hasSize(1 << 14).allMatch(line -> line.matches("[a-z]{63}"));
    }

    @Test
    void headGetsTheHeadOfGetAndNoBody() throws Exception {
        Curl.Result head = Curl.run("-I", url("/1m"));
        assertThat(head.body()).as(head.stderr()).startsWith("HTTP/1.1 200 OK\r\n")
                .contains("\r\nDate: ", "\r\nContent-Type: application/octet-stream\r\n", "\r\nContent-Length: 1048576\r\n")
                .endsWith("\r\n\r\n");
        // Framing: a body after the HEAD answer would be read as the next response.
        try (RawClient client = connect()) {
            client.send("HEAD /hello HTTP/1.1\r\nHost: demo\r\n\r\nGET /hello HTTP/1.1\r\nHost: demo\r\n\r\n");
            RawClient.Response toHead = client.read(true);
            assertThat(toHead.status()).isEqualTo(200);
            assertThat(toHead.header("Content-Length")).isEqualTo("5");
            assertThat(client.read().bodyText()).isEqualTo("hello");
        }
    }

    @Test
    void otherPathsAre404AndOtherMethods405WithTheConnectionKept() throws Exception {
        Curl.Result result = Curl.run("-o", "/dev/null", "-w", "%{http_code} %{num_connects}\\n", url("/nope"),
                "--next", "-sS", "-X", "DELETE", "-D", "-", "-o", "/dev/null", "-w", "%{http_code} %{num_connects}\\n",
                url("/hello"),
                "--next", "-sS", "-X", "POST", "--data-binary", "x", "-o", "/dev/null",
                "-w", "%{http_code} %{num_connects}\\n", url("/1m"));
        assertThat(result.body()).as(result.stderr()).startsWith("404 1\n")
                .contains("HTTP/1.1 405 Method Not Allowed\r\n", "\r\nAllow: GET, HEAD\r\n")
                .endsWith("\r\n\r\n405 0\n405 0\n");
    }

    @Test
    void echoAnswersTheRequestAsItArrived() throws Exception {
        Curl.Result plain = Curl.run("-H", "X-Probe: 1", "--data-binary", "payload", url("/echo"));
        assertThat(plain.body()).as(plain.stderr()).startsWith("POST /echo HTTP/1.1\r\n")
                .contains("\r\nX-Probe: 1\r\n", "\r\nContent-Length: 7\r\n").endsWith("\r\n\r\npayload");

        Curl.Result chunked = Curl.run("-H", "Transfer-Encoding: chunked", "--data-binary", "payload", url("/echo"));
        assertThat(chunked.body()).as(chunked.stderr()).startsWith("POST /echo HTTP/1.1\r\n")
                .endsWith("\r\n\r\n7\r\npayload\r\n0\r\n\r\n");

        Curl.Result get = Curl.run(url("/echo?q=1"));
        assertThat(get.body()).as(get.stderr()).startsWith("GET /echo?q=1 HTTP/1.1\r\n").endsWith("\r\n\r\n");
    }

    @Test
    void anExpectedContinueComesAtOnce() throws Exception {
        // Without the 100, curl would wait longer than the 10 s it is given.
        Curl.Result result = Curl.run("-H", "Expect: 100-continue", "--expect100-timeout", "30",
                "--data-binary", "payload", url("/echo"));
        assertThat(result.exit()).as(result.stderr()).isZero();
        assertThat(result.body()).contains("\r\nExpect: 100-continue\r\n").endsWith("\r\n\r\npayload");
    }

    @Test
    void anEchoOverItsLimitIs413() throws Exception {
        Path big = dir.resolve("big");
        Files.write(big, new byte[DemoConnection.MAX_ECHO]);
        for (String framing : new String[] {"Content-Length", "Transfer-Encoding: chunked"}) {
            Curl.Result result = framing.equals("Content-Length")
                    ? Curl.run("-o", "/dev/null", "-w", "%{http_code}", "--data-binary", "@" + big, url("/echo"))
                    : Curl.run("-o", "/dev/null", "-w", "%{http_code}", "-H", framing, "--data-binary", "@" + big,
                            url("/echo"));
            assertThat(result.body()).as(framing + ": " + result.stderr()).isEqualTo("413");
        }
    }

    @Test
    void aMalformedRequestIs400AndTheConnectionCloses() throws Exception {
        try (RawClient client = connect()) {
            client.send("GET /hello HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n");
            RawClient.Response response = client.read();
            assertThat(response.status()).isEqualTo(400);
            assertThat(response.header("Connection")).isEqualTo("close");
            assertThat(client.closedByPeer(5000)).isTrue();
        }
    }

    @Test
    void connectionCloseAndHttp10AreHonoured() throws Exception {
        try (RawClient client = connect()) {
            client.send("GET /hello HTTP/1.1\r\nHost: demo\r\nConnection: close\r\n\r\n");
            RawClient.Response response = client.read();
            assertThat(response.header("Connection")).isEqualTo("close");
            assertThat(client.closedByPeer(5000)).isTrue();
        }
        try (RawClient client = connect()) {
            client.send("GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /hello HTTP/1.0\r\n\r\n");
            assertThat(client.read().header("Connection")).isEqualTo("keep-alive");
            assertThat(client.read().header("Connection")).isEqualTo("close");
            assertThat(client.closedByPeer(5000)).isTrue();
        }
    }

    @Test
    void aClientThatShutsItsSideAfterItsRequestsStillGetsEveryAnswer() throws Exception {
        try (RawClient client = connect()) {
            client.send("GET /1m HTTP/1.1\r\nHost: demo\r\n\r\n".repeat(8));
            client.socket().shutdownOutput();
            Thread.sleep(200);
            for (int i = 0; i < 8; i++) {
                assertThat(client.read().body()).as("response " + i).hasSize(1 << 20);
            }
            assertThat(client.closedByPeer(5000)).isTrue();
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrderWhileTheClientReadsSlowly() throws Exception {
        try (RawClient client = connect()) {
            StringBuilder requests = new StringBuilder();
            for (int i = 0; i < 16; i++) {
                requests.append(i % 2 == 0 ? "GET /1m" : "GET /echo?n=" + i).append(" HTTP/1.1\r\nHost: demo\r\n\r\n");
            }
            client.send(requests.toString());
            Thread.sleep(200);
            for (int i = 0; i < 16; i++) {
                RawClient.Response response = client.read();
                assertThat(response.status()).isEqualTo(200);
                if (i % 2 == 0) {
                    assertThat(response.body()).hasSize(1 << 20);
                } else {
                    assertThat(response.bodyText()).startsWith("GET /echo?n=" + i + " HTTP/1.1\r\n");
                }
            }
        }
    }

    @Test
    void aTakenPortIsReportedAsInUse() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            InetSocketAddress address = (InetSocketAddress) taken.getLocalSocketAddress();
            assertThatThrownBy(() -> DemoOrigin.start(address))
                    .hasMessageStartingWith("cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": ")
                    .isInstanceOfSatisfying(DemoOrigin.CannotListen.class, e -> {
                        assertThat(e.addressInUse()).isTrue();
                        assertThat(e.address()).isEqualTo(address);
                    });
        }
    }

    /** Through the proxy with pools off, so that every request opens a new upstream connection. */
    @Test
    void requestsRideInTheSyn() throws Exception {
        FastOpenMode mode = KernelState.fastOpenMode();
        KernelRequirement.require(mode.clientEnabled() && mode.serverEnabled(), "TCP Fast Open",
                "net.ipv4.tcp_fastopen=" + mode.value() + " lacks 0x1 or 0x2; set it to 3");
        try (TestProxy proxy = TestProxy.start("""
                synedge.listeners = [ { name = main, address = "127.0.0.1", port = 0 } ]
                synedge.routes = [ { name = all, cluster = demo } ]
                synedge.clusters.demo {
                  endpoints = [ "127.0.0.1:%d" ]
                  fastopen = on
                  pool.max-idle = 0
                }
                """.formatted(origin.address().getPort()))) {
            AccessRecord last = null;
            for (int i = 0; i < 3; i++) {
                assertThat(Curl.run(proxy.url("/hello")).body()).isEqualTo("hello");
                last = proxy.nextExchange();
                assertThat(last.upstreamConnection()).isEqualTo(UpstreamConnection.NEW);
            }
            assertThat(last.upstreamSynData()).as("the third upstream SYN, with a cookie from the first")
                    .isEqualTo(SynData.YES);
        }
    }
}
