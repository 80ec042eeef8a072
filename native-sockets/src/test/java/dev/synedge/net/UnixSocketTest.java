package dev.synedge.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Descriptors passed over a Unix socket are the very sockets sent: a listening TCP socket
 * received through {@code SCM_RIGHTS} accepts the connections queued on the original, and the
 * original can be closed without closing it.
 */
class UnixSocketTest {

    @TempDir
    Path dir;

    @Test
    void aListeningSocketPassedOnKeepsItsQueuedConnections() throws Exception {
        Path path = dir.resolve("handover.sock");
        try (UnixSocket server = UnixSocket.listen(path);
             UnixSocket sender = UnixSocket.connect(path);
             UnixSocket receiver = server.accept(2000)) {
            assertThat(receiver).isNotNull();
            LinuxSocket listener = Loopback.listen(InetAddress.getLoopbackAddress(), LinuxSocket.Protocol.TCP, 0);
            InetSocketAddress address = listener.localAddress();
            LinuxSocket queued = Loopback.client(address, LinuxSocket.Protocol.TCP);
            queued.connect(address);

            sender.send("listener main", listener.fd());
            listener.close();
            UnixSocket.Message message = receiver.receive(2000);

            assertThat(message.text()).isEqualTo("listener main");
            assertThat(message.fds()).hasSize(1);
            try (LinuxSocket adopted = LinuxSocket.adopt(message.fds()[0])) {
                assertThat(adopted.localAddress()).isEqualTo(address);
                try (LinuxSocket accepted = Loopback.accept(adopted)) {
                    assertThat(accepted.remoteAddress()).isEqualTo(queued.localAddress());
                }
            }
            queued.close();
        }
    }

    @Test
    void messagesKeepTheirBoundariesAndTheirOwnDescriptors() throws Exception {
        Path path = dir.resolve("two.sock");
        try (UnixSocket server = UnixSocket.listen(path);
             UnixSocket sender = UnixSocket.connect(path);
             UnixSocket receiver = server.accept(2000);
             LinuxSocket a = LinuxSocket.open(StandardProtocolFamily.INET, LinuxSocket.Protocol.TCP);
             LinuxSocket b = LinuxSocket.open(StandardProtocolFamily.INET, LinuxSocket.Protocol.TCP);
             LinuxSocket c = LinuxSocket.open(StandardProtocolFamily.INET, LinuxSocket.Protocol.TCP)) {
            sender.send("two", a.fd(), b.fd());
            sender.send("none");
            sender.send("one", c.fd());

            UnixSocket.Message two = receiver.receive(2000);
            UnixSocket.Message none = receiver.receive(2000);
            UnixSocket.Message one = receiver.receive(2000);

            assertThat(two.text()).isEqualTo("two");
            assertThat(two.fds()).hasSize(2).doesNotContain(a.fd(), b.fd());
            assertThat(none.text()).isEqualTo("none");
            assertThat(none.fds()).isEmpty();
            assertThat(one.fds()).hasSize(1);
            for (int fd : two.fds()) {
                LinuxSocket.adopt(fd).close();
            }
            LinuxSocket.adopt(one.fds()[0]).close();
        }
    }

    @Test
    void aClosedPeerAndASilentOneAreToldApart() throws Exception {
        Path path = dir.resolve("end.sock");
        try (UnixSocket server = UnixSocket.listen(path)) {
            UnixSocket sender = UnixSocket.connect(path);
            try (UnixSocket receiver = server.accept(2000)) {
                assertThatThrownBy(() -> receiver.receive(100)).isInstanceOf(NativeException.class)
                        .extracting(e -> ((NativeException) e).errno()).isEqualTo(Errno.ETIMEDOUT);
                sender.close();
                assertThat(receiver.receive(2000).atEnd()).isTrue();
            }
        }
    }

    @Test
    void aSocketFileNothingListensOnIsRefused() throws Exception {
        Path path = dir.resolve("stale.sock");
        UnixSocket.listen(path).close();
        assertThat(Files.exists(path)).as("the file stays after its socket closed").isTrue();

        assertThatThrownBy(() -> UnixSocket.connect(path)).isInstanceOf(NativeException.class)
                .extracting(e -> ((NativeException) e).errno()).isEqualTo(Errno.ECONNREFUSED);
        assertThatThrownBy(() -> UnixSocket.connect(dir.resolve("missing.sock"))).isInstanceOf(NativeException.class)
                .extracting(e -> ((NativeException) e).errno()).isEqualTo(Errno.ENOENT);
    }

    @Test
    void noConnectionWithinTheTimeoutIsNull() throws Exception {
        try (UnixSocket server = UnixSocket.listen(dir.resolve("idle.sock"))) {
            assertThat(server.accept(50)).isNull();
        }
    }
}
