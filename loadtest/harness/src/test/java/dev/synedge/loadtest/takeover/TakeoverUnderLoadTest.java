package dev.synedge.loadtest.takeover;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synedge.cli.SynedgeCommand;
import dev.synedge.loadtest.generator.LoadGenerator;
import dev.synedge.loadtest.generator.LoadResult;
import dev.synedge.loadtest.generator.LoadSpec;
import dev.synedge.loadtest.generator.PhaseListener;
import dev.synedge.loadtest.http.RequestSpec;
import dev.synedge.origin.Origin;
import dev.synedge.origin.OriginOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Five restarts by takeover ({@code synedge run --takeover}) while the generator loads synedge
 * with a new connection per request and, at the same time, on keep-alive connections: not one
 * request may fail, be refused or be reset, and the origin must have served every request the
 * generator counted.
 */
class TakeoverUnderLoadTest {

    private static final int TAKEOVERS = 5;
    private static final Pattern LISTENING = Pattern.compile("synedge: listener main on 127\\.0\\.0\\.1:(\\d+)");

    @TempDir
    Path dir;

    @Test
    void fiveTakeoversUnderLoadLoseNothing() throws Exception {
        try (Origin origin = Origin.start(OriginOptions.defaults())) {
            Path config = dir.resolve("synedge.conf");
            Files.writeString(config, """
                    synedge.event-loops = 2
                    synedge.access-log.enabled = false
                    synedge.lifecycle.takeover-socket = "%s"
                    synedge.listeners = [ { name = main, address = "127.0.0.1", port = 0 } ]
                    synedge.routes = [ { name = all, cluster = origin } ]
                    synedge.clusters.origin.endpoints = [ "127.0.0.1:%d" ]
                    """.formatted(dir.resolve("takeover.sock"), origin.port()));
            Synedge current = Synedge.start(config);
            try {
                URI target = URI.create("http://127.0.0.1:" + current.port());
                List<RequestSpec> hello = List.of(RequestSpec.get("/hello").withExpectLength(5));
                Duration duration = Duration.ofSeconds(TAKEOVERS * 2 + 4);
                LoadSpec perRequest = LoadSpec.builder().connections(8).connectionPerRequest(true)
                        .warmup(Duration.ZERO).duration(duration).build();
                LoadSpec keepAlive = LoadSpec.builder().connections(8).warmup(Duration.ZERO).duration(duration).build();
                CompletableFuture<LoadResult> newConnections = CompletableFuture.supplyAsync(
                        () -> LoadGenerator.run(target, perRequest, hello, PhaseListener.NONE));
                CompletableFuture<LoadResult> reused = CompletableFuture.supplyAsync(
                        () -> LoadGenerator.run(target, keepAlive, hello, PhaseListener.NONE));

                for (int i = 0; i < TAKEOVERS; i++) {
                    Thread.sleep(1500);
                    Synedge next = Synedge.start(config, "--takeover");
                    assertThat(next.port()).as("takeover %d keeps the port", i + 1).isEqualTo(current.port());
                    assertThat(current.awaitExit()).as("the replaced process exits 0").isZero();
                    current = next;
                }

                LoadResult one = newConnections.get(60, TimeUnit.SECONDS);
                LoadResult many = reused.get(60, TimeUnit.SECONDS);
                System.out.printf("takeover under load: %d takeovers; connection per request: %d requests, %d errors"
                                + " %s; keep-alive: %d requests, %d errors %s, %d connections opened%n",
                        TAKEOVERS, one.requests(), one.errorCount(), one.errors(), many.requests(), many.errorCount(),
                        many.errors(), many.connectionsOpened());
                assertThat(one.errors()).as("connection per request: failed, refused or reset").isEmpty();
                assertThat(many.errors()).as("keep-alive: failed, refused or reset").isEmpty();
                assertThat(one.requests()).isGreaterThan(1000);
                assertThat(many.requests()).isGreaterThan(1000);
                assertThat(many.connectionsOpened()).as("keep-alive connections moved to the new processes")
                        .isGreaterThan(keepAlive.connections());
                assertThat(origin.stats().responses()).as("every counted request reached the origin")
                        .isGreaterThanOrEqualTo(one.requests() + many.requests());
            } finally {
                current.close();
            }
        }
    }

    /** {@code synedge run} as its own process, from the test classpath. */
    private static final class Synedge implements AutoCloseable {
        private final Process process;
        private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final List<String> all = new ArrayList<>();
        private final int port;

        private Synedge(Process process) throws InterruptedException {
            this.process = process;
            Thread.ofPlatform().daemon().start(this::read);
            this.port = awaitPort();
        }

        static Synedge start(Path config, String... options) throws IOException, InterruptedException {
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                    SynedgeCommand.class.getName(), "run"));
            command.addAll(List.of(options));
            command.add(config.toString());
            return new Synedge(new ProcessBuilder(command).redirectErrorStream(true).start());
        }

        private void read() {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    synchronized (all) {
                        all.add(line);
                    }
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }

        private int awaitPort() throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() - deadline < 0) {
                String line = lines.poll(100, TimeUnit.MILLISECONDS);
                Matcher m = line == null ? null : LISTENING.matcher(line);
                if (m != null && m.find()) {
                    return Integer.parseInt(m.group(1));
                }
            }
            synchronized (all) {
                throw new AssertionError("synedge did not start:\n" + String.join("\n", all));
            }
        }

        int port() {
            return port;
        }

        int awaitExit() throws InterruptedException {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                synchronized (all) {
                    throw new AssertionError("synedge did not exit:\n" + String.join("\n", all));
                }
            }
            return process.exitValue();
        }

        @Override
        public void close() throws Exception {
            if (process.isAlive()) {
                new ProcessBuilder("kill", "-TERM", String.valueOf(process.pid())).start().waitFor();
                if (!process.waitFor(15, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        }
    }
}
