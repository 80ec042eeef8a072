package dev.synedge.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synedge.testkit.Sysctl;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The doctor against the real host, with sysctls switched to show each verdict. */
class DoctorTest {

    @Test
    @SuppressWarnings("try")
    void serverFastOpenOffIsMissingWithTheExactFix() {
        try (Sysctl.Change ignored = Sysctl.set("net.ipv4.tcp_fastopen", "1")) {
            List<Check> checks = Doctor.examine(Needs.DEFAULT);
            Check server = find(checks, "server side");
            assertThat(server.status()).isEqualTo(Check.Status.MISSING);
            assertThat(server.blocking()).isTrue();
            assertThat(server.fix()).startsWith("sysctl -w net.ipv4.tcp_fastopen=3 ")
                    .contains(Doctor.PERSIST);
            assertThat(server.details()).anyMatch(line -> line.contains("0x1 CLIENT"));
            assertThat(find(checks, "client side").status()).isEqualTo(Check.Status.OK);
        }
    }

    @Test
    @SuppressWarnings("try")
    void clientFastOpenOffIsCaughtByTheRealSocketProbe() {
        try (Sysctl.Change ignored = Sysctl.set("net.ipv4.tcp_fastopen", "2")) {
            Check client = find(Doctor.examine(Needs.DEFAULT), "client side");
            assertThat(client.status()).isEqualTo(Check.Status.MISSING);
            assertThat(client.details()).anyMatch(line ->
                    line.equals("TCP_FASTOPEN_CONNECT on a new socket: fails: setsockopt(TCP_FASTOPEN_CONNECT): EOPNOTSUPP"));
            assertThat(client.fix()).startsWith("sysctl -w net.ipv4.tcp_fastopen=3 ");
        }
    }

    @Test
    @SuppressWarnings("try")
    void bothBitsOnMeansNothingBlocks() {
        try (Sysctl.Change ignored = Sysctl.set("net.ipv4.tcp_fastopen", "3")) {
            List<Check> checks = Doctor.examine(Needs.DEFAULT);
            assertThat(checks).noneMatch(Check::blocking);
            assertThat(find(checks, "epoll").status()).isEqualTo(Check.Status.OK);
            assertThat(find(checks, "JDK").status()).isEqualTo(Check.Status.OK);
        }
    }

    @Test
    @SuppressWarnings("try")
    void mptcpOffBlocksOnlyWhenNeeded() {
        try (Sysctl.Change ignored = Sysctl.set("net.mptcp.enabled", "0")) {
            Check optional = find(Doctor.examine(Needs.DEFAULT), "MPTCP");
            assertThat(optional.status()).isEqualTo(Check.Status.MISSING);
            assertThat(optional.blocking()).isFalse();
            Check needed = find(Doctor.examine(new Needs(false, false, true, false)), "MPTCP");
            assertThat(needed.blocking()).isTrue();
            assertThat(needed.fix()).startsWith("sysctl -w net.mptcp.enabled=1 ");
        }
    }

    @Test
    @SuppressWarnings("try")
    void zeroCopyOnLoopbackDependsOnOrderZeroPages() {
        try (Sysctl.Change ignored = Sysctl.set("net.core.high_order_alloc_disable", "0")) {
            Check zeroCopy = find(Doctor.examine(Needs.DEFAULT), "Zero-copy");
            assertThat(zeroCopy.status()).isEqualTo(Check.Status.WARN);
            assertThat(zeroCopy.details()).anyMatch(line -> line.equals("TCP_ZEROCOPY_RECEIVE on a loopback connection: works"));
            assertThat(zeroCopy.fix()).contains("net.core.high_order_alloc_disable=1");
        }
        try (Sysctl.Change ignored = Sysctl.set("net.core.high_order_alloc_disable", "1")) {
            assertThat(find(Doctor.examine(Needs.DEFAULT), "Zero-copy").status()).isEqualTo(Check.Status.OK);
        }
    }

    private static Check find(List<Check> checks, String topicPart) {
        return checks.stream().filter(c -> c.topic().contains(topicPart)).findFirst()
                .orElseThrow(() -> new AssertionError("no check about " + topicPart + " in " + checks));
    }
}
