package dev.synedge.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Plain socket operations over IPv4 and IPv6 loopback, and how failures are reported. */
class LinuxSocketTest {

    @Test
    void ipv6ConnectAcceptReadWriteAndShutdown() throws Exception {
        try (LinuxSocket server = Loopback.listen(InetAddress.getByName("::1"), LinuxSocket.Protocol.TCP, 0);
             LinuxSocket client = Loopback.client(server.localAddress(), LinuxSocket.Protocol.TCP)) {
            InetSocketAddress target = server.localAddress();
            assertThat(target.getAddress().getHostAddress()).isEqualTo("0:0:0:0:0:0:0:1");
            assertThat(target.getPort()).isPositive();
            client.connect(target);
            try (LinuxSocket accepted = Loopback.accept(server)) {
                client.finishConnect();
                assertThat(client.remoteAddress()).isEqualTo(target);
                assertThat(accepted.remoteAddress()).isEqualTo(client.localAddress());

                Loopback.writeFully(client, "ping");
                assertThat(Loopback.readExactly(accepted, 4)).isEqualTo("ping");
                Native buffer = Native.allocate(16);
                assertThat(accepted.read(buffer.segment())).isEqualTo(LinuxSocket.WOULD_BLOCK);

                client.shutdownOutput();
                Loopback.await("EOF", () -> readResult(accepted, buffer) == LinuxSocket.EOF);
            }
        }
    }

    @Test
    void gatherWriteAndScatterReadKeepTheOrder() throws Exception {
        try (LinuxSocket server = Loopback.listen(InetAddress.getLoopbackAddress(), LinuxSocket.Protocol.TCP, 0);
             LinuxSocket client = Loopback.client(server.localAddress(), LinuxSocket.Protocol.TCP)) {
            client.connect(server.localAddress());
            try (LinuxSocket accepted = Loopback.accept(server)) {
                IoVector out = new IoVector(3);
                Native head = Native.of("GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
                Native host = Native.of("Host: x\r\n".getBytes(StandardCharsets.US_ASCII));
                Native end = Native.of("\r\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(out.add(head.segment()) && out.add(host.segment()) && out.add(end.segment())).isTrue();
                assertThat(out.add(end.segment())).as("full").isFalse();
                assertThat(client.writev(out)).isEqualTo(out.totalBytes()).isEqualTo(27);

                Native first = Native.allocate(10);
                Native second = Native.allocate(17);
                IoVector in = new IoVector(2);
                in.add(first.segment());
                in.add(second.segment());
                Loopback.await("data", () -> readvResult(accepted, in) == 27);
                assertThat(new String(first.toArray(), StandardCharsets.US_ASCII)).isEqualTo("GET / HTTP");
                assertThat(new String(second.toArray(), StandardCharsets.US_ASCII)).isEqualTo("/1.1\r\nHost: x\r\n\r\n");
            }
        }
    }

    @Test
    void aDuplicateStaysUsableAfterTheOriginalCloses() throws Exception {
        try (LinuxSocket server = Loopback.listen(InetAddress.getLoopbackAddress(), LinuxSocket.Protocol.TCP, 0);
             LinuxSocket client = Loopback.client(server.localAddress(), LinuxSocket.Protocol.TCP)) {
            client.connect(server.localAddress());
            try (LinuxSocket accepted = Loopback.accept(server); LinuxSocket copy = client.dup()) {
                assertThat(copy.fd()).isNotEqualTo(client.fd());
                client.close();
                assertThat(client.isOpen()).isFalse();
                Loopback.writeFully(copy, "still here");
                assertThat(Loopback.readExactly(accepted, 10)).isEqualTo("still here");
            }
        }
    }

    @Test
    void aRefusedConnectIsReportedWithErrnosName() throws Exception {
        InetSocketAddress closed;
        try (LinuxSocket server = Loopback.listen(InetAddress.getLoopbackAddress(), LinuxSocket.Protocol.TCP, 0)) {
            closed = server.localAddress();
        }
        try (LinuxSocket client = Loopback.client(closed, LinuxSocket.Protocol.TCP)) {
            assertThatThrownBy(() -> {
                if (!client.connect(closed)) {
                    Loopback.await("connect outcome", () -> state(client) != TcpState.SYN_SENT);
                    client.finishConnect();
                }
            }).isInstanceOfSatisfying(NativeException.class, e -> {
                assertThat(e.errno()).isEqualTo(Errno.ECONNREFUSED);
                assertThat(e.getMessage()).matches("connect\\((fd \\d+|/127.0.0.1:\\d+)\\): ECONNREFUSED");
            });
        }
    }

    @Test
    void optionFailuresNameTheCallTheOptionAndTheErrno() throws Exception {
        LinuxSocket socket = LinuxSocket.open(java.net.StandardProtocolFamily.INET, LinuxSocket.Protocol.TCP);
        int fd = socket.fd();
        socket.close();
        assertThatThrownBy(() -> TcpInfo.read(fd)).hasMessage("getsockopt(TCP_INFO): EBADF");
        assertThatThrownBy(() -> FastOpen.setListenerQueue(fd, 1)).hasMessage("setsockopt(TCP_FASTOPEN): EBADF");
        assertThatThrownBy(socket::fd).isInstanceOf(IllegalStateException.class);
        try (LinuxSocket fresh = LinuxSocket.open(java.net.StandardProtocolFamily.INET, LinuxSocket.Protocol.TCP)) {
            assertThatThrownBy(() -> FastOpen.key(fresh.fd()).orElseThrow().toBytes())
                    .isInstanceOf(java.util.NoSuchElementException.class);
        }
        try (LinuxSocket listener = Loopback.listen(InetAddress.getLoopbackAddress(), LinuxSocket.Protocol.TCP, 0)) {
            assertThatThrownBy(() -> FastOpen.enableConnect(listener.fd()))
                    .isInstanceOfSatisfying(NativeException.class, e -> {
                        assertThat(e.getMessage()).isEqualTo("setsockopt(TCP_FASTOPEN_CONNECT): EINVAL");
                        assertThat(e.call()).isEqualTo("setsockopt");
                        assertThat(e.subject()).isEqualTo("TCP_FASTOPEN_CONNECT");
                        assertThat(e.errnoName()).isEqualTo("EINVAL");
                    });
        }
    }

    private static int readResult(LinuxSocket socket, Native buffer) {
        try {
            return socket.read(buffer.segment());
        } catch (NativeException e) {
            throw new AssertionError(e);
        }
    }

    private static long readvResult(LinuxSocket socket, IoVector vector) {
        try {
            return socket.readv(vector);
        } catch (NativeException e) {
            throw new AssertionError(e);
        }
    }

    private static TcpState state(LinuxSocket socket) {
        try {
            return TcpInfo.read(socket.fd()).state();
        } catch (NativeException e) {
            throw new AssertionError(e);
        }
    }
}
