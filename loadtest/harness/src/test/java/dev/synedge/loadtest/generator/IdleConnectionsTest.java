package dev.synedge.loadtest.generator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synedge.loadtest.http.RequestSpec;
import dev.synedge.origin.Origin;
import dev.synedge.origin.OriginOptions;
import dev.synedge.testkit.KernelRequirement;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Idle mode: every connection carries one request and then stays open until the runner has
 * sampled the target; the kernel's socket table agrees.
 */
class IdleConnectionsTest {

    private static boolean onPath(String tool) {
        return java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(dir -> java.nio.file.Files.isExecutable(java.nio.file.Path.of(dir, tool)));
    }

    /** Established TCP connections whose remote port is {@code port}, from ss(8). */
    private static int establishedTo(int port) {
        try {
            Process ss = new ProcessBuilder("ss", "-Htn", "state", "established", "( dport = :" + port + " )")
                    .redirectErrorStream(true).start();
            String out = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            ss.waitFor();
            return (int) out.lines().filter(l -> !l.isBlank()).count();
        } catch (IOException e) {
            throw new IllegalStateException("ss failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void connectionsStayOpenUntilSampled() throws InterruptedException {
        KernelRequirement.require(onPath("ss"), "ss (iproute2)", "counts the established sockets");
        try (Origin origin = Origin.start(OriginOptions.defaults())) {
            int[] openWhileSampled = new int[1];
            long[] acceptedWhileSampled = new long[1];
            PhaseListener listener = new PhaseListener() {
                @Override
                public void measureEnded() {
                    openWhileSampled[0] = establishedTo(origin.port());
                    acceptedWhileSampled[0] = origin.stats().connectionsAccepted();
                }
            };
            LoadSpec spec = LoadSpec.builder().mode(Mode.IDLE).connections(300).connectConcurrency(64).threads(2)
                    .settle(Duration.ofMillis(100)).build();
            LoadResult result = LoadGenerator.run(URI.create("http://127.0.0.1:" + origin.port()), spec,
                    List.of(RequestSpec.get("/hello")), listener);

            assertThat(result.errors()).isEmpty();
            assertThat(result.requests()).isEqualTo(300);
            assertThat(openWhileSampled[0]).isEqualTo(300);
            assertThat(acceptedWhileSampled[0]).isEqualTo(300);
            assertThat(origin.stats().requests()).isEqualTo(300);
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (establishedTo(origin.port()) > 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(establishedTo(origin.port())).isZero();
        }
    }
}
