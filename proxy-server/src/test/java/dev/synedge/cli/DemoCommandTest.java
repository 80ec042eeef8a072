package dev.synedge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synedge.testing.Curl;
import dev.synedge.testing.SynedgeProcess;
import dev.synedge.testkit.KernelRequirement;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code synedge demo} as a user runs it: one process, the proxy in front of its own origin; the
 * curl commands it prints work and each request it serves is reported. A port already taken
 * stops it with one line that says what to do.
 */
class DemoCommandTest {

    @TempDir
    Path dir;

    private Path config(int proxyPort, int originPort) throws Exception {
        Path file = dir.resolve("demo.conf");
        Files.writeString(file, """
                synedge.access-log.enabled = false
                synedge.listeners = [ { name = main, address = "127.0.0.1", port = %d, fastopen-queue = 64 } ]
                synedge.routes = [ { name = demo, cluster = demo-origin } ]
                synedge.clusters.demo-origin { endpoints = [ "127.0.0.1:%d" ], fastopen = on }
                """.formatted(proxyPort, originPort));
        return file;
    }

    /** A port nothing listens on at the moment. */
    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void theCommandsItPrintsWorkAndEachRequestIsReported() throws Exception {
        KernelRequirement.require(Curl.available(), "curl", "/usr/bin/curl not found; apt-get install curl");
        int originPort = freePort();
        try (SynedgeProcess demo = new SynedgeProcess("demo", "--config", config(0, originPort).toString())) {
            demo.await("^synedge demo: proxy on 127\\.0\\.0\\.1:\\d+ -> demo origin on 127\\.0\\.0\\.1:" + originPort + " ");
            demo.await("Ctrl-C stops");
            List<String> commands = demo.all().stream().filter(line -> line.startsWith("  curl ")).toList();
            assertThat(commands).hasSize(4);

            assertThat(shell(commands.get(0))).isEqualTo("hello");
            demo.await(reported("GET /hello", "no", originPort));
            for (int i = 0; i < 2; i++) {
                assertThat(shell(commands.get(1))).isEqualTo("hello");
                demo.await(reported("GET /hello", "(yes|no)", originPort));
            }
            assertThat(shell(commands.get(2))).isEqualTo("200 1048576\n");
            demo.await(reported("GET /1m", "no", originPort));
            String hostname = Files.readString(Path.of("/etc/hostname"));
            assertThat(shell(commands.get(3))).startsWith("POST /echo HTTP/1.1\r\n").contains("\r\nVia: 1.1 synedge\r\n")
                    .endsWith("\r\n\r\n" + hostname);
            demo.await(reported("POST /echo", "no", originPort));
        }
    }

    /** The line the demo prints for a request answered 200 through the demo origin. */
    private static String reported(String request, String clientSynData, int originPort) {
        return "^" + request + " -> 200  client SYN data: " + clientSynData + " \\| upstream (new|reused) 127\\.0\\.0\\.1:"
                + originPort + ", SYN data: (yes|no|n/a)$";
    }

    /** Runs a command line as printed (its comment included) and returns what it wrote. */
    private static String shell(String command) throws Exception {
        Process process = new ProcessBuilder("bash", "-c", command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        byte[] out = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(15, TimeUnit.SECONDS)).as(command).isTrue();
        assertThat(process.exitValue()).as(command).isZero();
        return new String(out, StandardCharsets.ISO_8859_1);
    }

    @Test
    void aTakenOriginPortIsOneLineSayingWhatToDo() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            Path file = config(0, port);
            try (SynedgeProcess demo = new SynedgeProcess("demo", "--config", file.toString())) {
                assertThat(demo.awaitExit()).isEqualTo(1);
                assertThat(demo.all()).noneMatch(line -> line.contains("Exception") || line.startsWith("\tat "))
                        .filteredOn(line -> line.startsWith("synedge"))
                        .containsExactly("synedge demo: port " + port + " is in use, so the demo origin cannot listen on "
                                + "127.0.0.1:" + port + "; stop what listens there (ss -ltnp 'sport = :" + port
                                + "' shows it) or give cluster demo-origin another port in " + file);
            }
        }
    }

    @Test
    void aTakenProxyPortStopsTheDemoToo() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            Path file = config(port, freePort());
            try (SynedgeProcess demo = new SynedgeProcess("demo", "--config", file.toString())) {
                assertThat(demo.awaitExit()).isEqualTo(1);
                assertThat(demo.all()).noneMatch(line -> line.contains("Exception") || line.startsWith("\tat "))
                        .filteredOn(line -> line.startsWith("synedge"))
                        .containsExactly("synedge demo: port " + port + " is in use, so listener main cannot listen on "
                                + "127.0.0.1:" + port + "; stop what listens there (ss -ltnp 'sport = :" + port
                                + "' shows it) or give listener main another port in " + file);
            }
        }
    }
}
