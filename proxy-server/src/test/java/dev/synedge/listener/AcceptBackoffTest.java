package dev.synedge.listener;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synedge.testing.RawClient;
import dev.synedge.testing.RecordingUpstream;
import dev.synedge.testing.SynedgeProcess;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * synedge out of descriptors: accept(2) fails with EMFILE, and with level-triggered epoll a
 * loop that calls it again at once would spin at full CPU. synedge as its own process, whose
 * descriptor limit prlimit(1) lowers to what it holds plus ten while it runs: clients beyond
 * wait in the accept queue, the process stays idle, the log says so once, and when
 * descriptors are free again accepting resumes within the back-off.
 */
class AcceptBackoffTest {

    @TempDir
    Path dir;

    @Test
    void outOfDescriptorsAcceptingPausesAndResumes() throws Exception {
        Path file = dir.resolve("synedge.conf");
        try (RecordingUpstream upstream = RecordingUpstream.start(RecordingUpstream.OK)) {
            Files.writeString(file, """
                    synedge.event-loops = 2
                    synedge.max-connections = 100000
                    synedge.access-log.enabled = false
                    synedge.listeners = [ { name = main, address = "127.0.0.1", port = 0 } ]
                    synedge.routes = [ { name = all, cluster = up } ]
                    synedge.clusters.up.endpoints = [ "127.0.0.1:%d" ]
                    """.formatted(upstream.port()));
            try (SynedgeProcess synedge = new SynedgeProcess(List.of(), List.of(), dir, "run", file.toString())) {
                Matcher listening = synedge.await("synedge: listener main on 127\\.0\\.0\\.1:(\\d+)");
                InetSocketAddress proxy = new InetSocketAddress("127.0.0.1", Integer.parseInt(listening.group(1)));
                long pid = synedge.pid();
                try (RawClient warm = RawClient.connect(proxy)) {
                    assertThat(warm.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n").read().status()).isEqualTo(200);
                }
                Thread.sleep(200);
                long soft = softLimit(pid);
                long limit = descriptors(pid) + 10;
                prlimit(pid, limit);

                List<RawClient> clients = new ArrayList<>();
                try {
                    for (int i = 0; i < 20; i++) {
                        clients.add(RawClient.connect(proxy));
                    }
                    synedge.await("listener main: accept: EMFILE with \\d+ client connection\\(s\\) open: accepting"
                            + " paused on every listener for 100 ms");
                    Thread.sleep(300);
                    assertThat(descriptors(pid)).isEqualTo(limit);
                    int queued = ConnectionLimitsTest.acceptQueue(proxy.getPort());
                    assertThat(queued).isBetween(9, 11);

                    long cpu = cpuTicks(pid);
                    long lines = emfileLines(synedge);
                    Thread.sleep(2000);
                    long spent = cpuTicks(pid) - cpu;
                    System.out.printf(Locale.ROOT, "out of descriptors for 2 s with %d clients queued: "
                            + "synedge used %d ms of CPU%n", queued, spent * 10);
                    assertThat(spent).as("CPU ticks (10 ms) in 2 s").isLessThan(20);
                    assertThat(emfileLines(synedge) - lines).as("EMFILE lines in 2 s").isLessThanOrEqualTo(1);

                    prlimit(pid, soft);
                    long start = System.nanoTime();
                    for (RawClient client : clients) {
                        assertThat(client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n").read().status()).isEqualTo(200);
                    }
                    System.out.printf(Locale.ROOT, "descriptors back: all 20 clients answered in %d ms%n",
                            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                    assertThat(ConnectionLimitsTest.acceptQueue(proxy.getPort())).isZero();
                } finally {
                    for (RawClient client : clients) {
                        client.close();
                    }
                }
            }
        }
    }

    private static long emfileLines(SynedgeProcess synedge) {
        return synedge.all().stream().filter(line -> line.contains("accept: EMFILE")).count();
    }

    private static long descriptors(long pid) throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            return fds.count();
        }
    }

    /** utime + stime of the whole process, in clock ticks (10 ms). */
    private static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    private static long softLimit(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/limits"))) {
            if (line.startsWith("Max open files")) {
                return Long.parseLong(line.substring("Max open files".length()).trim().split("\\s+")[0]);
            }
        }
        throw new AssertionError("no open files line in /proc/" + pid + "/limits");
    }

    /** Sets the soft descriptor limit of process {@code pid}, as an operator can. */
    private static void prlimit(long pid, long soft) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("prlimit", "--pid", String.valueOf(pid), "--nofile=" + soft + ":")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("prlimit: %s", out).isZero();
    }
}
