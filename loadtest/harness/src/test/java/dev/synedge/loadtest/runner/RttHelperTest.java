package dev.synedge.loadtest.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synedge.testkit.KernelRequirement;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * loadtest/peers/rtt driven the way {@code bench --rtt-command} drives it, on real loopback
 * sockets: a port it delays takes the added round trip to connect, a port it does not delay
 * takes none, and after off neither does the delayed one, no rule of its queue is left and its
 * delay line is gone. The test runs its own instance (its own state directory and queue), so
 * an rtt that someone else has on stays as it is.
 */
class RttHelperTest {

    private static final Path SCRIPT = Path.of("../peers/rtt").toAbsolutePath().normalize();
    /** Large beside loopback's connect time even on a busy machine, so both bounds hold. */
    private static final Duration RTT = Duration.ofMillis(200);

    @Test
    void addsRoundTripTimeToItsPortsUntilTurnedOff(@TempDir Path state) throws Exception {
        KernelRequirement.requireRoot("rtt adds iptables rules");
        KernelRequirement.require(Files.exists(Path.of("/proc/net/netfilter/nfnetlink_queue")), "NFQUEUE",
                "the kernel has no nfnetlink_queue");
        KernelRequirement.require(onPath("iptables") && onPath("cc")
                        && Files.exists(Path.of("/usr/include/libnetfilter_queue/libnetfilter_queue.h")),
                "iptables, a C compiler and libnetfilter-queue-dev", "rtt builds and runs its delay line with them");
        assertThat(SCRIPT).isExecutable();
        // A queue number no other test run on this host is likely to hold at the same time.
        int queue = 20000 + (int) (ProcessHandle.current().pid() % 40000);
        String env = "RTT_STATE=" + state + " RTT_QUEUE=" + queue + " ";
        String rule = "synedge-rtt queue " + queue + "\"";
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        String delayLine;

        try (ServerSocket delayed = listener(); ServerSocket other = listener()) {
            RttControl rtt = new RttControl(env + SCRIPT + " on " + delayed.getLocalPort() + " {ms}",
                    env + SCRIPT + " off", new PrintStream(printed, true, StandardCharsets.UTF_8));
            try {
                rtt.apply(RTT);
                delayLine = Files.readString(state.resolve("pid")).trim();
                assertThat(Shell.run("iptables -t mangle -S OUTPUT")).contains(rule);
                assertThat(fastestConnect(delayed)).as("connect to the delayed port")
                        .isGreaterThanOrEqualTo(RTT.minusMillis(10));
                assertThat(fastestConnect(other)).as("connect to another port").isLessThan(RTT.dividedBy(2));
            } finally {
                rtt.remove();
            }
            assertThat(fastestConnect(delayed)).as("connect after off").isLessThan(RTT.dividedBy(2));
        }
        assertThat(Shell.run("iptables -t mangle -S OUTPUT")).doesNotContain(rule);
        assertThat(running(delayLine)).as("delay line %s running", delayLine).isFalse();
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("rtt: +200 ms on", "rtt: off");
    }

    /** Whether the process runs: not gone, and not only an exit status left for init. */
    private static boolean running(String pid) throws IOException {
        Path status = Path.of("/proc", pid, "status");
        try {
            return Files.readAllLines(status).stream().noneMatch(l -> l.startsWith("State:") && l.contains("Z"));
        } catch (java.nio.file.NoSuchFileException e) {
            return false;
        }
    }

    private static ServerSocket listener() throws IOException {
        ServerSocket s = new ServerSocket();
        s.bind(new InetSocketAddress("127.0.0.1", 0), 16);
        return s;
    }

    /**
     * The fastest of three connects: the round trip the path adds shows in every one, and
     * whatever else makes one slow (a busy machine) is left out.
     */
    private static Duration fastestConnect(ServerSocket server) throws IOException {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            try (Socket s = new Socket()) {
                long start = System.nanoTime();
                s.connect(server.getLocalSocketAddress(), 5000);
                best = Math.min(best, System.nanoTime() - start);
            }
            server.accept().close();
        }
        return Duration.ofNanos(best);
    }

    private static boolean onPath(String tool) {
        return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, tool)));
    }
}
