package dev.synedge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synedge.net.FastOpenMode;
import dev.synedge.net.KernelState;
import dev.synedge.testing.Curl;
import dev.synedge.testing.RawClient;
import dev.synedge.testing.RecordingUpstream;
import dev.synedge.testing.SynedgeProcess;
import dev.synedge.testkit.KernelRequirement;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code synedge run --takeover}: a new process starts on the running one's listening sockets
 * (same port, queued connections, Fast Open), the running one lets its exchanges finish and
 * exits 0; a new process that cannot start leaves the running one as it was.
 */
class TakeoverTest {

    @TempDir
    Path dir;

    private Path config(String name, int upstreamPort, String header, String extra) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, """
                synedge.event-loops = 2
                synedge.access-log.enabled = false
                synedge.lifecycle.takeover-socket = "%s"
                synedge.listeners = [ { name = main, address = "127.0.0.1", port = 0 } ]
                synedge.routes = [ { name = all, cluster = up, response-headers.add { X-Config = %s } } ]
                synedge.clusters.up.endpoints = [ "127.0.0.1:%d" ]
                %s
                """.formatted(dir.resolve("takeover.sock"), header, upstreamPort, extra));
        return file;
    }

    private static InetSocketAddress listening(SynedgeProcess synedge) throws InterruptedException {
        Matcher listening = synedge.await("synedge: listener main on 127\\.0\\.0\\.1:(\\d+)");
        return new InetSocketAddress("127.0.0.1", Integer.parseInt(listening.group(1)));
    }

    private static String configHeader(InetSocketAddress proxy) throws IOException {
        try (RawClient client = RawClient.connect(proxy)) {
            client.send("GET / HTTP/1.1\r\nHost: a.example\r\n\r\n");
            RawClient.Response response = client.read();
            assertThat(response.status()).isEqualTo(200);
            return response.header("X-Config");
        }
    }

    @Test
    void theNewProcessAcceptsOnTheSameSocketsAndTheOldOneDrainsAndExits() throws Exception {
        CountDownLatch answer = new CountDownLatch(1);
        try (RecordingUpstream upstream = RecordingUpstream.start(request -> {
                    if (request.head().startsWith("GET /slow")) {
                        try {
                            answer.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    return RecordingUpstream.OK.answer(request);
                });
             SynedgeProcess old = new SynedgeProcess("run", config("old.conf", upstream.port(), "old", "").toString())) {
            InetSocketAddress proxy = listening(old);
            assertThat(configHeader(proxy)).isEqualTo("old");
            RawClient slow = RawClient.connect(proxy).send("GET /slow HTTP/1.1\r\nHost: a.example\r\n\r\n");
            upstream.nextRequest();
            upstream.nextRequest();

            try (SynedgeProcess next = new SynedgeProcess("run", "--takeover",
                    config("new.conf", upstream.port(), "new", "").toString())) {
                assertThat(listening(next)).as("the same port").isEqualTo(proxy);
                old.await("takeover: the new process accepts on the listening sockets; this one drains");
                // until its drain closes its own copies of the sockets, the old one may accept too
                old.await("drain: stopped accepting");
                assertThat(next.all()).anyMatch(line -> line.contains("socket(s) taken over"))
                        .anyMatch(line -> line.contains("takeover: the previous synedge released"));

                assertThat(configHeader(proxy)).as("new connections reach the new process").isEqualTo("new");
                answer.countDown();
                RawClient.Response response = slow.read();
                assertThat(response.bodyText()).isEqualTo("ok");
                assertThat(response.header("X-Config")).isEqualTo("old");
                assertThat(response.header("Connection")).isEqualTo("close");
                assertThat(old.awaitExit()).isZero();
                assertThat(old.all()).anyMatch(line -> line.contains("drain: every exchange finished"));
                assertThat(configHeader(proxy)).isEqualTo("new");
                assertThat(Files.exists(dir.resolve("takeover.sock"))).as("the new process listens for takeovers")
                        .isTrue();
            }
            slow.close();
        }
    }

    @Test
    void aSecondProcessWithoutTakeoverIsRefusedAndTakeoverWithoutARunningOneFails() throws Exception {
        try (RecordingUpstream upstream = RecordingUpstream.start(RecordingUpstream.OK)) {
            Path file = config("a.conf", upstream.port(), "a", "");
            try (SynedgeProcess lonely = new SynedgeProcess("run", "--takeover", file.toString())) {
                assertThat(lonely.awaitExit()).isEqualTo(1);
                assertThat(lonely.all()).anyMatch(line -> line.contains("no synedge listens there"));
            }
            try (SynedgeProcess first = new SynedgeProcess("run", file.toString())) {
                InetSocketAddress proxy = listening(first);
                try (SynedgeProcess second = new SynedgeProcess("run", file.toString())) {
                    assertThat(second.awaitExit()).isEqualTo(1);
                    assertThat(second.all()).anyMatch(line -> line.contains("a synedge runs with takeover-socket")
                            && line.contains("--takeover"));
                }
                assertThat(configHeader(proxy)).isEqualTo("a");
            }
        }
    }

    @Test
    void aNewProcessThatCannotStartLeavesTheRunningOneServingAndTakeable() throws Exception {
        try (RecordingUpstream upstream = RecordingUpstream.start(RecordingUpstream.OK);
             ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
             SynedgeProcess old = new SynedgeProcess("run", config("old.conf", upstream.port(), "old", "").toString())) {
            InetSocketAddress proxy = listening(old);
            String blocked = "synedge.listeners += { name = extra, address = \"127.0.0.1\", port = %d }"
                    .formatted(taken.getLocalPort());
            try (SynedgeProcess failing = new SynedgeProcess("run", "--takeover",
                    config("bad.conf", upstream.port(), "bad", blocked).toString())) {
                assertThat(failing.awaitExit()).isEqualTo(1);
                assertThat(failing.all()).anyMatch(line -> line.contains("listener extra"));
            }
            old.await("takeover: .*hung up before it was ready; this synedge goes on serving");
            assertThat(configHeader(proxy)).isEqualTo("old");

            try (SynedgeProcess next = new SynedgeProcess("run", "--takeover",
                    config("new.conf", upstream.port(), "new", "").toString())) {
                assertThat(listening(next)).isEqualTo(proxy);
                assertThat(old.awaitExit()).isZero();
                assertThat(configHeader(proxy)).isEqualTo("new");
            }
        }
    }

    /** The admin port goes to the new process with the listening sockets. */
    @Test
    void theAdminPortGoesWithTheListeningSockets() throws Exception {
        int adminPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            adminPort = probe.getLocalPort();
        }
        String admin = "synedge.admin { enabled = true, port = " + adminPort + " }";
        try (RecordingUpstream upstream = RecordingUpstream.start(RecordingUpstream.OK);
             SynedgeProcess old = new SynedgeProcess("run", config("old.conf", upstream.port(), "old", admin)
                     .toString())) {
            InetSocketAddress proxy = listening(old);
            assertThat(ready(adminPort)).isEqualTo(200);
            try (SynedgeProcess next = new SynedgeProcess("run", "--takeover",
                    config("new.conf", upstream.port(), "new", admin).toString())) {
                assertThat(listening(next)).isEqualTo(proxy);
                next.await("synedge: admin on 127\\.0\\.0\\.1:" + adminPort);
                assertThat(old.awaitExit()).isZero();
                assertThat(ready(adminPort)).as("the new process answers on the admin port").isEqualTo(200);
                assertThat(configHeader(proxy)).isEqualTo("new");
            }
        }
    }

    private static int ready(int adminPort) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/ready")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        }
    }

    /**
     * A client that earned a Fast Open cookie from the old process sends its next request in
     * the SYN to the new one, and it is taken: the listening socket, its Fast Open queue among
     * its settings, is the same.
     */
    @Test
    void fastOpenGoesOnAcrossTheTakeover() throws Exception {
        FastOpenMode mode = KernelState.fastOpenMode();
        KernelRequirement.require(mode.clientEnabled() && mode.serverEnabled(), "TCP Fast Open",
                "net.ipv4.tcp_fastopen=" + mode.value() + " lacks 0x3; sysctl -w net.ipv4.tcp_fastopen=3");
        Path accessLog = dir.resolve("new-access.log");
        String fastOpen = "synedge.listeners = [ { name = main, address = \"127.0.0.1\", port = 0, fastopen-queue = 64 } ]";
        try (RecordingUpstream upstream = RecordingUpstream.start(RecordingUpstream.OK);
             SynedgeProcess old = new SynedgeProcess("run", config("old.conf", upstream.port(), "old", fastOpen)
                     .toString())) {
            InetSocketAddress proxy = listening(old);
            String url = "http://127.0.0.1:" + proxy.getPort() + "/";
            assertThat(Curl.run("--tcp-fastopen", url).body()).isEqualTo("ok");
            assertThat(Curl.run("--tcp-fastopen", url).body()).isEqualTo("ok");

            String logged = fastOpen + "\nsynedge.access-log { enabled = true, format = json, path = \""
                    + accessLog + "\" }";
            try (SynedgeProcess next = new SynedgeProcess(List.of(), List.of("-Dlogback.configurationFile=logback.xml"),
                    dir.resolve("logs"), "run", "--takeover", config("new.conf", upstream.port(), "new", logged)
                    .toString())) {
                assertThat(listening(next)).isEqualTo(proxy);
                assertThat(old.awaitExit()).isZero();

                assertThat(Curl.run("--tcp-fastopen", url).body()).isEqualTo("ok");

                assertThat(awaitLine(accessLog)).contains("\"client_syn_data\":\"yes\"");
            }
        }
    }

    private static String awaitLine(Path file) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() - deadline < 0) {
            if (Files.exists(file) && !Files.readAllLines(file).isEmpty()) {
                return Files.readAllLines(file).getFirst();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("nothing written to " + file);
    }
}
