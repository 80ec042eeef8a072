package dev.synedge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synedge.testing.RawClient;
import dev.synedge.testing.RecordingUpstream;
import dev.synedge.testing.SynedgeProcess;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code synedge run}: a bad file is refused with exit 2 and file:line: key: message, a port in
 * use stops the start with a clear message and nothing left running, and a reload (SIGHUP) with
 * a bad file keeps the running configuration.
 */
class RunCommandTest {

    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new SynedgeCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void aBadFileExits2NamingFileLineAndKey() throws Exception {
        Path file = dir.resolve("bad.conf");
        Files.writeString(file, """
                synedge {
                  listeners = [ { name = main, address = "127.0.0.1", port = 0 } ]
                  routes = [ { name = all, cluster = nowhere } ]
                  clusters.up.endpoints = [ "127.0.0.1:1" ]
                  http.max-header-bytes = lots
                }
                """);
        Run run = run("run", file.toString());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains(file + ":3: synedge.routes[0].cluster: ")
                .contains(file + ":5: synedge.http.max-header-bytes: ");
        assertThat(eventLoopThreads()).isZero();
    }

    @Test
    void aMissingFileExits2() {
        Run run = run("run", dir.resolve("absent.conf").toString());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("absent.conf does not exist");
    }

    @Test
    void aPortInUseStopsTheStartWithAClearMessageAndNothingRunning() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Path file = dir.resolve("busy.conf");
            Files.writeString(file, """
                    synedge.listeners = [ { name = public, address = "127.0.0.1", port = %d } ]
                    synedge.routes = [ { name = all, cluster = up } ]
                    synedge.clusters.up.endpoints = [ "127.0.0.1:1" ]
                    """.formatted(taken.getLocalPort()));
            int before = eventLoopThreads();
            Run run = run("run", file.toString());
            assertThat(run.exit()).isEqualTo(1);
            assertThat(run.err()).isEqualTo(portInUse(taken.getLocalPort(), file) + System.lineSeparator());
            assertThat(eventLoopThreads()).isEqualTo(before);
        }
    }

    private static String portInUse(int port, Path file) {
        return "synedge: port " + port + " is in use, so listener public cannot listen on 127.0.0.1:" + port
                + "; stop what listens there (ss -ltnp 'sport = :" + port + "' shows it) or give listener public"
                + " another port in " + file;
    }

    /** As an operator sees it: that one line, no stack trace, exit 1; with reuse-port on or off. */
    @Test
    void aPortInUseIsOneLineFromTheProcess() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            for (boolean reusePort : new boolean[] {true, false}) {
                Path file = dir.resolve("busy-" + reusePort + ".conf");
                Files.writeString(file, """
                        synedge.listeners = [ { name = public, address = "127.0.0.1", port = %d, reuse-port = %b } ]
                        synedge.routes = [ { name = all, cluster = up } ]
                        synedge.clusters.up.endpoints = [ "127.0.0.1:1" ]
                        """.formatted(taken.getLocalPort(), reusePort));
                try (SynedgeProcess synedge = new SynedgeProcess("run", file.toString())) {
                    assertThat(synedge.awaitExit()).isEqualTo(1);
                    assertThat(synedge.all()).as("reuse-port %b", reusePort)
                            .noneMatch(line -> line.contains("Exception") || line.startsWith("\tat "))
                            .filteredOn(line -> line.startsWith("synedge"))
                            .containsExactly(portInUse(taken.getLocalPort(), file));
                }
            }
        }
    }

    /** Threads of event loop groups still alive, after giving stopped ones a moment to end. */
    private static int eventLoopThreads() throws InterruptedException {
        int count = 0;
        for (int i = 0; i < 50; i++) {
            count = (int) Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().startsWith("multiThreadIoEventLoopGroup")).count();
            if (count == 0) {
                return 0;
            }
            Thread.sleep(20);
        }
        return count;
    }

    private static String config(int upstreamPort, String responseHeader) {
        return """
                synedge.event-loops = 1
                synedge.access-log.enabled = false
                synedge.listeners = [ { name = main, address = "127.0.0.1", port = 0 } ]
                synedge.routes = [ { name = all, cluster = up, response-headers.add { X-Config = %s } } ]
                synedge.clusters.up.endpoints = [ "127.0.0.1:%d" ]
                """.formatted(responseHeader, upstreamPort);
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
    void sighupReloadsAGoodFileAndKeepsServingTheOldConfigurationOnABadOne() throws Exception {
        Path file = dir.resolve("synedge.conf");
        try (RecordingUpstream upstream = RecordingUpstream.start(RecordingUpstream.OK)) {
            Files.writeString(file, config(upstream.port(), "one"));
            try (SynedgeProcess synedge = new SynedgeProcess("run", file.toString())) {
                Matcher listening = synedge.await("synedge: listener main on 127\\.0\\.0\\.1:(\\d+)$");
                InetSocketAddress proxy = new InetSocketAddress("127.0.0.1", Integer.parseInt(listening.group(1)));
                assertThat(configHeader(proxy)).isEqualTo("one");
                assertThat(synedge.all()).as("the server's own line names the address plainly too")
                        .anyMatch(line -> line.contains(" - listener main on 127.0.0.1:" + proxy.getPort() + " ("))
                        .noneMatch(line -> line.contains("/127.0.0.1"));

                Files.writeString(file, config(upstream.port(), "two").replace("cluster = up", "cluster = gone"));
                synedge.signal("HUP");
                synedge.await("ERROR .* reload: .*" + Pattern.quote(file + " was not loaded"));
                assertThat(synedge.await("the running configuration stays").group(0)).isNotEmpty();
                assertThat(synedge.all()).anyMatch(line -> line.contains(file + ":4: synedge.routes[0].cluster: "));
                assertThat(configHeader(proxy)).isEqualTo("one");

                Files.writeString(file, config(upstream.port(), "three"));
                synedge.signal("HUP");
                synedge.await("reload: .* loaded");
                assertThat(configHeader(proxy)).isEqualTo("three");
            }
        }
    }

    /**
     * The server's last lines (the per-cluster body counters) reach both the console and the log
     * file when SIGTERM stops it under the built-in logging configuration, whose appenders are
     * asynchronous: logback is stopped after the server has closed, not beside it.
     */
    @Test
    void sighupReloadsUnderNohupToo() throws Exception {
        Path file = dir.resolve("synedge.conf");
        try (RecordingUpstream upstream = RecordingUpstream.start(RecordingUpstream.OK)) {
            Files.writeString(file, config(upstream.port(), "one"));
            // nohup starts the JVM with SIGHUP ignored, which the JVM would keep
            try (SynedgeProcess synedge = new SynedgeProcess(List.of("nohup"), List.of(), null, "run", file.toString())) {
                Matcher listening = synedge.await("synedge: listener main on 127\\.0\\.0\\.1:(\\d+)$");
                InetSocketAddress proxy = new InetSocketAddress("127.0.0.1", Integer.parseInt(listening.group(1)));
                assertThat(configHeader(proxy)).isEqualTo("one");

                Files.writeString(file, config(upstream.port(), "two"));
                synedge.signal("HUP");
                synedge.await("reload: .* loaded");
                assertThat(configHeader(proxy)).isEqualTo("two");
                assertThat(synedge.all()).anyMatch(line -> line.contains("SIGHUP was ignored when synedge started"));
            }
        }
    }

    private static InetSocketAddress listening(SynedgeProcess synedge) throws InterruptedException {
        Matcher listening = synedge.await("synedge: listener main on 127\\.0\\.0\\.1:(\\d+)$");
        return new InetSocketAddress("127.0.0.1", Integer.parseInt(listening.group(1)));
    }

    @Test
    void sigtermLetsAnExchangeInFlightFinishThenExits0() throws Exception {
        Path file = dir.resolve("synedge.conf");
        CountDownLatch answer = new CountDownLatch(1);
        RecordingUpstream.Script gated = request -> {
            try {
                answer.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return RecordingUpstream.OK.answer(request);
        };
        try (RecordingUpstream upstream = RecordingUpstream.start(gated)) {
            Files.writeString(file, config(upstream.port(), "one"));
            try (SynedgeProcess synedge = new SynedgeProcess("run", file.toString());
                 RawClient client = RawClient.connect(listening(synedge))) {
                client.send("GET / HTTP/1.1\r\nHost: a.example\r\n\r\n");
                upstream.nextRequest();

                synedge.signal("TERM");
                synedge.await("drain: stopped accepting; 1 connection\\(s\\) open, 1 exchange\\(s\\) in flight");
                answer.countDown();

                RawClient.Response response = client.read();
                assertThat(response.bodyText()).isEqualTo("ok");
                assertThat(response.header("Connection")).isEqualTo("close");
                assertThat(client.closedByPeer(2000)).isTrue();
                assertThat(synedge.awaitExit()).isZero();
                assertThat(synedge.all()).anyMatch(line -> line.contains("drain: every exchange finished"));
            }
        }
    }

    /** With a one-minute drain timeout, an exit within awaitExit's 15 s shows the cut. */
    @Test
    void aSecondSigtermCutsWhatIsInFlight() throws Exception {
        Path file = dir.resolve("synedge.conf");
        try (RecordingUpstream upstream = RecordingUpstream.start(request -> new RecordingUpstream.Action.Silence())) {
            Files.writeString(file, config(upstream.port(), "one") + "synedge.lifecycle.drain-timeout = 1m\n");
            try (SynedgeProcess synedge = new SynedgeProcess("run", file.toString());
                 RawClient client = RawClient.connect(listening(synedge))) {
                client.send("GET / HTTP/1.1\r\nHost: a.example\r\n\r\n");
                upstream.nextRequest();

                synedge.signal("TERM");
                synedge.await("drain: stopped accepting");
                synedge.signal("TERM");

                assertThat(synedge.awaitExit()).isZero();
                assertThat(client.closedByPeer(2000)).isTrue();
                assertThat(synedge.all()).anyMatch(line -> line.contains("drain: cut 1 exchange(s) on 1 connection(s)"));
            }
        }
    }

    @Test
    void sigintStopsAtOnce() throws Exception {
        Path file = dir.resolve("synedge.conf");
        try (RecordingUpstream upstream = RecordingUpstream.start(request -> new RecordingUpstream.Action.Silence())) {
            Files.writeString(file, config(upstream.port(), "one") + "synedge.lifecycle.drain-timeout = 1m\n");
            try (SynedgeProcess synedge = new SynedgeProcess("run", file.toString());
                 RawClient client = RawClient.connect(listening(synedge))) {
                client.send("GET / HTTP/1.1\r\nHost: a.example\r\n\r\n");
                upstream.nextRequest();

                synedge.signal("INT");

                assertThat(synedge.awaitExit()).isZero();
                assertThat(client.closedByPeer(2000)).isTrue();
                assertThat(synedge.all()).anyMatch(line -> line.contains("drain: cut 1 exchange(s) on 1 connection(s)"));
            }
        }
    }

    /** A script that starts synedge with {@code &} hands it SIGINT ignored; SIGINT stops it all the same. */
    @Test
    void sigintStopsAProcessStartedWithSigintIgnored() throws Exception {
        Path file = dir.resolve("synedge.conf");
        try (RecordingUpstream upstream = RecordingUpstream.start(RecordingUpstream.OK)) {
            Files.writeString(file, config(upstream.port(), "one"));
            try (SynedgeProcess synedge = new SynedgeProcess(List.of("bash", "-c", "trap '' INT TERM; exec \"$0\" \"$@\""),
                    List.of(), null, "run", file.toString())) {
                assertThat(configHeader(listening(synedge))).isEqualTo("one");

                synedge.signal("INT");

                assertThat(synedge.awaitExit()).isZero();
                assertThat(synedge.all())
                        .anyMatch(line -> line.contains("SIGINT was ignored when synedge started"))
                        .anyMatch(line -> line.contains("SIGTERM was ignored when synedge started"));
            }
        }
    }

    @Test
    void aReloadSaysLoadedOnlyWhenEverythingIsInEffect() throws Exception {
        Path file = dir.resolve("synedge.conf");
        try (RecordingUpstream upstream = RecordingUpstream.start(RecordingUpstream.OK)) {
            Files.writeString(file, config(upstream.port(), "one"));
            try (SynedgeProcess synedge = new SynedgeProcess("run", file.toString())) {
                InetSocketAddress proxy = listening(synedge);

                Files.writeString(file, config(upstream.port(), "two")
                        .replace("synedge.event-loops = 1", "synedge.event-loops = 2"));
                synedge.signal("HUP");

                synedge.await("WARN .* reload: not applied: event-loops 1 -> 2: .*restart");
                synedge.await("reload: .* applied except 1 setting");
                assertThat(configHeader(proxy)).as("the rest is in effect").isEqualTo("two");
                assertThat(synedge.all()).noneMatch(line -> line.contains(" loaded ("));
            }
        }
    }

    @Test
    void aReloadPointsTheAccessLogAtItsNewFile() throws Exception {
        Path file = dir.resolve("synedge.conf");
        Path first = dir.resolve("first.log");
        Path second = dir.resolve("logs-2").resolve("second.log");
        try (RecordingUpstream upstream = RecordingUpstream.start(RecordingUpstream.OK)) {
            String base = config(upstream.port(), "one").replace("synedge.access-log.enabled = false", "");
            Files.writeString(file, base + "synedge.access-log.path = \"" + first + "\"\n");
            try (SynedgeProcess synedge = new SynedgeProcess(List.of(),
                    List.of("-Dlogback.configurationFile=logback.xml"), dir.resolve("logs"), "run", file.toString())) {
                InetSocketAddress proxy = listening(synedge);
                configHeader(proxy);

                Files.writeString(file, base + "synedge.access-log { path = \"" + second + "\", format = json }\n");
                synedge.signal("HUP");
                synedge.await("reload: access-log json to " + Pattern.quote(second.toString()));
                synedge.await("reload: .* loaded");
                configHeader(proxy);

                assertThat(awaitLines(first)).singleElement().asString().contains("\"GET / HTTP/1.1\" 200");
                assertThat(awaitLines(second)).singleElement().asString().startsWith("{\"time\":");
            }
        }
    }

    /** The file's lines once it has any (the access log is written asynchronously). */
    private static List<String> awaitLines(Path file) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() - deadline < 0) {
            if (Files.exists(file) && !Files.readAllLines(file).isEmpty()) {
                return Files.readAllLines(file);
            }
            Thread.sleep(50);
        }
        throw new AssertionError("nothing written to " + file);
    }

    @Test
    void sigtermLogsTheBodyCountersBeforeExiting() throws Exception {
        Path file = dir.resolve("synedge.conf");
        Path logs = dir.resolve("logs");
        try (RecordingUpstream upstream = RecordingUpstream.start(RecordingUpstream.OK)) {
            Files.writeString(file, config(upstream.port(), "one"));
            SynedgeProcess synedge = new SynedgeProcess(List.of(), List.of("-Dlogback.configurationFile=logback.xml"), logs,
                    "run", file.toString());
            try (synedge) {
                Matcher listening = synedge.await("synedge: listener main on 127\\.0\\.0\\.1:(\\d+)$");
                InetSocketAddress proxy = new InetSocketAddress("127.0.0.1", Integer.parseInt(listening.group(1)));
                assertThat(configHeader(proxy)).isEqualTo("one");
            }
            String counters = "cluster up: 2 response body bytes: copied 100.0%, mapped 0.0%, spliced 0.0%";
            assertThat(synedge.all()).as("console").anyMatch(line -> line.contains(counters));
            assertThat(Files.readString(logs.resolve("synedge.log"))).as("log file").contains(counters);
        }
    }
}
