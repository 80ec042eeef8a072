package dev.synedge.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synedge.accesslog.AccessRecord;
import dev.synedge.accesslog.Termination;
import dev.synedge.testing.TestProxy;
import dev.synedge.testkit.KernelRequirement;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * WebSocket through synedge between a real server and a real client, both from Debian's
 * python3-websockets (src/test/resources/websocket/peer.py): text and binary messages both ways
 * (the server greets, then echoes), then the closing handshake, whose close frame reaches the
 * server with its code and reason, and after which both connections end cleanly: the client's
 * close returns at once, as it does only once the server closed the TCP connection through the
 * tunnel, and the access log says the exchange ran its course.
 */
class WebSocketEndToEndTest {

    private static final Path PYTHON = Path.of("/usr/bin/python3");

    private Process server;
    private final LinkedBlockingQueue<String> serverLines = new LinkedBlockingQueue<>();
    private int serverPort;

    @BeforeEach
    void startServer() throws Exception {
        KernelRequirement.require(websocketsInstalled(), "python3-websockets",
                PYTHON + " cannot import websockets; apt-get install python3-websockets");
        server = new ProcessBuilder(PYTHON.toString(), peer(), "server").redirectErrorStream(true).start();
        Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(server.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    serverLines.add(line);
                }
            } catch (IOException ended) {
                // the server was stopped
            }
        });
        serverPort = Integer.parseInt(serverLine("listening ").substring("listening ".length()));
    }

    @AfterEach
    void stopServer() throws InterruptedException {
        if (server != null) {
            server.destroy();
            server.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void messagesBothWaysAndTheClosingHandshakeGoThrough() throws Exception {
        try (TestProxy proxy = TestProxy.start(config())) {
            List<String> client = runClient(proxy.url("/chat").replace("http:", "ws:"));

            assertThat(client).contains("client: echoes match");
            assertThat(closeMillis(client)).as("closing handshake and TCP close, ms").isLessThan(1000);
            assertThat(serverLine("server: closed")).startsWith("server: closed 1000 bye upgrade=websocket");
            AccessRecord record = proxy.nextExchange();
            assertThat(record.status()).isEqualTo(101);
            assertThat(record.termination()).isEqualTo(Termination.COMPLETED);
        }
    }

    /**
     * A handshake that also offers h2c: the server refuses any Upgrade but websocket (426, as it
     * does when the client reaches it directly), so the session works only because synedge
     * forwards neither the h2c offer nor HTTP2-Settings.
     */
    @Test
    void aHandshakeAlsoOfferingH2cReachesTheServerAsWebSocketOnly() throws Exception {
        List<String> direct = runClient("ws://127.0.0.1:" + serverPort + "/chat", "h2c", 1);
        assertThat(String.join("\n", direct)).contains("HTTP 426");

        try (TestProxy proxy = TestProxy.start(config())) {
            List<String> client = runClient(proxy.url("/chat").replace("http:", "ws:"), "h2c", 0);

            assertThat(client).contains("client: echoes match");
            assertThat(serverLine("server: closed"))
                    .isEqualTo("server: closed 1000 bye upgrade=websocket http2-settings=False");
            assertThat(proxy.nextExchange().termination()).isEqualTo(Termination.COMPLETED);
        }
    }

    private String config() {
        return """
                synedge.listeners = [ { name = main, address = "127.0.0.1", port = 0 } ]
                synedge.routes = [ { name = ws, cluster = echo } ]
                synedge.clusters.echo.endpoints = [ "127.0.0.1:%d" ]
                """.formatted(serverPort);
    }

    private static List<String> runClient(String url) throws Exception {
        return runClient(url, "websocket", 0);
    }

    /** Runs peer.py's client against {@code url} and returns its output; it must exit with {@code exit}. */
    private static List<String> runClient(String url, String offer, int exit) throws Exception {
        List<String> command = new ArrayList<>(List.of(PYTHON.toString(), peer(), "client", url));
        if (offer.equals("h2c")) {
            command.add("h2c");
        }
        Process client = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(client.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(client.exitValue()).as("client exit; its output:\n%s", out).isEqualTo(exit);
        return out.lines().toList();
    }

    private static long closeMillis(List<String> client) {
        String line = client.stream().filter(l -> l.startsWith("client: closed 1000 bye in ")).findFirst()
                .orElseThrow(() -> new AssertionError("no clean close in:\n" + String.join("\n", client)));
        return Long.parseLong(line.substring("client: closed 1000 bye in ".length(), line.length() - " ms".length()));
    }

    private String serverLine(String prefix) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<String> seen = new ArrayList<>();
        while (System.nanoTime() - deadline < 0) {
            String line = serverLines.poll(100, TimeUnit.MILLISECONDS);
            if (line != null) {
                if (line.startsWith(prefix)) {
                    return line;
                }
                seen.add(line);
            }
        }
        throw new AssertionError("the server printed no line starting " + prefix + ":\n" + String.join("\n", seen));
    }

    private static String peer() throws Exception {
        return Path.of(WebSocketEndToEndTest.class.getResource("/websocket/peer.py").toURI()).toString();
    }

    private static boolean websocketsInstalled() throws IOException, InterruptedException {
        if (!Files.isExecutable(PYTHON)) {
            return false;
        }
        Process p = new ProcessBuilder(PYTHON.toString(), "-c", "import websockets").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    }
}
