package dev.synedge.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.synedge.testkit.KernelRequirement;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** MPTCP over loopback: info, per-subflow TCP_INFO, and the fallback to plain TCP. */
class MptcpTest {

    private static final String REQUEST = "GET /mptcp HTTP/1.1\r\nHost: m\r\n\r\n";

    @BeforeEach
    void requireMptcp() {
        KernelRequirement.require(KernelState.mptcpEnabled(), "MPTCP",
                KernelState.mptcpAvailable() ? "net.mptcp.enabled is 0; sysctl -w net.mptcp.enabled=1"
                        : "the kernel has no MPTCP (CONFIG_MPTCP)");
    }

    @Test
    void anMptcpConnectionReportsOneSubflowWithSaneValues() throws Exception {
        try (LinuxSocket server = Loopback.listen(InetAddress.getLoopbackAddress(), LinuxSocket.Protocol.MPTCP, 0);
             LinuxSocket client = Loopback.client(server.localAddress(), LinuxSocket.Protocol.MPTCP)) {
            client.connect(server.localAddress());
            Loopback.writeFully(client, REQUEST);
            try (LinuxSocket accepted = Loopback.accept(server)) {
                assertThat(Loopback.readExactly(accepted, REQUEST.length())).isEqualTo(REQUEST);
                for (LinuxSocket side : List.of(client, accepted)) {
                    assertThat(Mptcp.isMptcp(side.fd())).isTrue();
                    assertThat(Mptcp.createdAsMptcp(side.fd())).isTrue();
                    MptcpStatus status = Mptcp.status(side.fd());
                    assertThat(status).isInstanceOf(MptcpStatus.Active.class);
                    MptcpStatus.Active active = (MptcpStatus.Active) status;
                    MptcpInfo info = active.info();
                    assertThat(info.size()).isGreaterThanOrEqualTo(40);
                    assertThat(info.fallback()).isFalse();
                    assertThat(info.token()).isNotZero();
                    assertThat(info.subflows()).as("additional subflows").isZero();
                    assertThat(info.subflowsTotal()).as("all subflows (6.10+)").hasValue(1);
                    assertThat(active.subflows()).hasSize(1);
                    TcpInfo subflow = active.subflows().get(0);
                    assertThat(subflow.state()).isEqualTo(TcpState.ESTABLISHED);
                    assertThat(subflow.rttMicros()).isPositive();
                    assertThat(subflow.sendMss()).isPositive();
                    assertThat(subflow.size()).isEqualTo(TcpInfo.read(side.fd()).size());
                }
                assertThat(Mptcp.info(client.fd()).bytesSent()).hasValue(REQUEST.length());
                assertThat(Mptcp.info(accepted.fd()).bytesReceived()).hasValue(REQUEST.length());
            }
        }
    }

    @Test
    void theSubflowBufferGrowsWhenTheKernelReportsMoreThanFit() throws Exception {
        try (LinuxSocket server = Loopback.listen(InetAddress.getLoopbackAddress(), LinuxSocket.Protocol.MPTCP, 0);
             LinuxSocket client = Loopback.client(server.localAddress(), LinuxSocket.Protocol.MPTCP)) {
            client.connect(server.localAddress());
            try (LinuxSocket accepted = Loopback.accept(server)) {
                List<TcpInfo> grown = Mptcp.subflows(client.fd(), 16);
                assertThat(grown).hasSize(1);
                assertThat(grown.get(0).state()).isEqualTo(TcpState.ESTABLISHED);
            }
        }
    }

    @Test
    void anMptcpClientAtAPlainTcpListenerFallsBack() throws Exception {
        try (LinuxSocket server = Loopback.listen(InetAddress.getLoopbackAddress(), LinuxSocket.Protocol.TCP, 0);
             LinuxSocket client = Loopback.client(server.localAddress(), LinuxSocket.Protocol.MPTCP)) {
            client.connect(server.localAddress());
            Loopback.writeFully(client, REQUEST);
            try (LinuxSocket accepted = Loopback.accept(server)) {
                assertThat(Loopback.readExactly(accepted, REQUEST.length())).isEqualTo(REQUEST);
                assertThat(Mptcp.createdAsMptcp(client.fd())).isTrue();
                assertThat(Mptcp.isMptcp(client.fd())).isFalse();
                assertThat(Mptcp.status(client.fd())).isEqualTo(new MptcpStatus.FellBack("EOPNOTSUPP"));
                assertThatThrownBy(() -> Mptcp.info(client.fd())).isInstanceOf(NativeException.class)
                        .hasMessage("getsockopt(MPTCP_INFO): EOPNOTSUPP");
                assertThat(Mptcp.status(accepted.fd())).isEqualTo(new MptcpStatus.PlainTcp());
            }
        }
    }

    @Test
    void anIpv6FallbackAnswersWithEnoprotoopt() throws Exception {
        try (LinuxSocket server = Loopback.listen(InetAddress.getByName("::1"), LinuxSocket.Protocol.TCP, 0);
             LinuxSocket client = Loopback.client(server.localAddress(), LinuxSocket.Protocol.MPTCP)) {
            client.connect(server.localAddress());
            try (LinuxSocket accepted = Loopback.accept(server)) {
                Loopback.await("fallback", () -> status(client) instanceof MptcpStatus.FellBack);
                assertThat(Mptcp.status(client.fd())).isEqualTo(new MptcpStatus.FellBack("ENOPROTOOPT"));
            }
        }
    }

    private static MptcpStatus status(LinuxSocket socket) {
        try {
            return Mptcp.status(socket.fd());
        } catch (NativeException e) {
            throw new AssertionError(e);
        }
    }
}
