package dev.synedge.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synedge.testkit.KernelRequirement;
import dev.synedge.testkit.Sysctl;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Listener cookie keys: set and read back, rotation with a backup key, the sysctl format. */
class FastOpenKeyTest {

    private static final String REQUEST = "GET /key HTTP/1.1\r\nHost: k\r\n\r\n";
    private static final String NAMESPACE_KEY = "net.ipv4.tcp_fastopen_key";
    private static final SecureRandom RANDOM = new SecureRandom();

    @BeforeEach
    void requireFastOpen() {
        FastOpenMode mode = KernelState.fastOpenMode();
        KernelRequirement.require(mode.clientEnabled() && mode.serverEnabled(), "TCP Fast Open",
                "net.ipv4.tcp_fastopen=" + mode.value() + " lacks client (0x1) or server (0x2); set it to 3");
    }

    @Test
    void sixteenAndThirtyTwoByteKeysReadBack() throws Exception {
        try (LinuxSocket listener = Loopback.listen(Loopback.freshAddress(), LinuxSocket.Protocol.TCP, 8)) {
            assertThat(FastOpen.key(listener.fd())).as("no own key yet").isEmpty();

            FastOpenKey single = FastOpenKey.random(RANDOM);
            FastOpen.setKey(listener.fd(), single);
            assertThat(FastOpen.key(listener.fd())).contains(single);
            assertThat(FastOpen.key(listener.fd()).orElseThrow().toBytes()).hasSize(16);

            FastOpenKey pair = FastOpenKey.random(RANDOM).rotatedTo(FastOpenKey.random(RANDOM).primary());
            FastOpen.setKey(listener.fd(), pair);
            assertThat(FastOpen.key(listener.fd())).contains(pair);
            assertThat(FastOpen.key(listener.fd()).orElseThrow().toBytes()).hasSize(32);
        }
    }

    /**
     * Two clients (different source addresses) get cookies under key A. Rotating to (B, A)
     * still accepts A cookies, counted as alternate-key uses, and the kernel hands the client a
     * fresh B cookie. Rotating on to (C, B) refuses the SYN data of the client still holding an
     * A cookie (the connection completes without it) and accepts the refreshed B cookie.
     */
    @Test
    void rotationKeepsTheBackupKeysCookiesValidForOneStep() throws Exception {
        byte[] a = FastOpenKey.random(RANDOM).primary();
        byte[] b = FastOpenKey.random(RANDOM).primary();
        byte[] c = FastOpenKey.random(RANDOM).primary();
        InetAddress rotating = Loopback.freshAddress();
        InetAddress stale = Loopback.freshAddress();
        try (LinuxSocket listener = Loopback.listen(Loopback.freshAddress(), LinuxSocket.Protocol.TCP, 16)) {
            FastOpen.setKey(listener.fd(), FastOpenKey.of(a));
            InetSocketAddress target = listener.localAddress();

            assertThat(exchange(listener, rotating, target).clientSynData()).as("cookie request").isFalse();
            assertThat(exchange(listener, stale, target).clientSynData()).as("cookie request").isFalse();
            assertThat(exchange(listener, rotating, target).serverSynData()).as("A cookie under A").isTrue();

            FastOpen.setKey(listener.fd(), FastOpenKey.of(b, a));
            TcpExtCounters before = TcpExtCounters.read();
            Outcome underBackup = exchange(listener, rotating, target);
            assertThat(underBackup.serverSynData()).as("A cookie under (B, A)").isTrue();
            assertThat(underBackup.clientSynData()).isTrue();
            assertThat(TcpExtCounters.read().minus(before).get("TCPFastOpenPassiveAltKey")).isGreaterThanOrEqualTo(1);

            FastOpen.setKey(listener.fd(), FastOpenKey.of(c, b));
            before = TcpExtCounters.read();
            Outcome refused = exchange(listener, stale, target);
            assertThat(refused.serverSynData()).as("A cookie under (C, B)").isFalse();
            assertThat(refused.clientSynData()).isFalse();
            assertThat(refused.clientFail()).isEqualTo(TcpInfo.FastOpenClientFail.DATA_NOT_ACKED);
            assertThat(TcpExtCounters.read().minus(before).get("TCPFastOpenPassiveFail")).isGreaterThanOrEqualTo(1);

            assertThat(exchange(listener, rotating, target).serverSynData())
                    .as("the B cookie the kernel handed out under (B, A), now under (C, B)").isTrue();
        }
    }

    /**
     * The sysctl text format against the kernel itself: a cookie issued under the namespace key
     * set as text T is valid at a listener whose own key is {@code FastOpenKey.parse(T)}, and
     * not at one whose key has the words in the other byte order.
     */
    @Test
    @SuppressWarnings("try")
    void sysctlKeyFormatMatchesTheKernelsByteOrder() throws Exception {
        KernelRequirement.requireRoot("setting " + NAMESPACE_KEY);
        FastOpenKey key = FastOpenKey.random(RANDOM);
        byte[] swapped = key.primary();
        for (int word = 0; word < 4; word++) {
            for (int i = 0; i < 2; i++) {
                byte t = swapped[4 * word + i];
                swapped[4 * word + i] = swapped[4 * word + 3 - i];
                swapped[4 * word + 3 - i] = t;
            }
        }
        InetAddress server = Loopback.freshAddress();
        InetAddress client = Loopback.freshAddress();
        String before = Sysctl.read(NAMESPACE_KEY);
        // zeros: the kernel has made no key yet (it does on first use); a random one stands in
        String restoreTo = before.matches("[0-]+") ? FastOpenKey.random(RANDOM).format() : before;
        try (Sysctl.Change ignored = Sysctl.set(NAMESPACE_KEY, key.format(), restoreTo);
             LinuxSocket namespaceKeyed = Loopback.listen(server, LinuxSocket.Protocol.TCP, 16);
             LinuxSocket parsedKeyed = Loopback.listen(server, LinuxSocket.Protocol.TCP, 16);
             LinuxSocket swappedKeyed = Loopback.listen(server, LinuxSocket.Protocol.TCP, 16)) {
            assertThat(KernelState.fastOpenNamespaceKey()).contains(key);
            FastOpen.setKey(parsedKeyed.fd(), FastOpenKey.parse(key.format()));
            FastOpen.setKey(swappedKeyed.fd(), FastOpenKey.of(swapped));

            exchange(namespaceKeyed, client, namespaceKeyed.localAddress());
            assertThat(exchange(parsedKeyed, client, parsedKeyed.localAddress()).serverSynData())
                    .as("namespace cookie at the listener keyed with the parsed text").isTrue();
            assertThat(exchange(swappedKeyed, client, swappedKeyed.localAddress()).serverSynData())
                    .as("namespace cookie at the listener keyed with swapped words").isFalse();
        }
        assertThat(Sysctl.read(NAMESPACE_KEY)).as("the namespace key afterwards").isEqualTo(restoreTo)
                .doesNotMatch("[0-]+");
    }

    @Test
    void keyMaterialIsNeverPrinted() {
        FastOpenKey key = FastOpenKey.parse("01020304-05060708-090a0b0c-0d0e0f10");
        assertThat(key.toString()).doesNotContain("0102").doesNotContain("01020304");
        assertThat(key.backup()).isEqualTo(Optional.empty());
    }

    private record Outcome(boolean clientSynData, boolean serverSynData, TcpInfo.FastOpenClientFail clientFail) {}

    /** One request from {@code source} with deferred connect; the server reads it whole. */
    private static Outcome exchange(LinuxSocket listener, InetAddress source, InetSocketAddress target) throws Exception {
        try (LinuxSocket client = Loopback.client(target, LinuxSocket.Protocol.TCP)) {
            client.bind(new InetSocketAddress(source, 0));
            FastOpen.enableConnect(client.fd());
            client.connect(target);
            Loopback.writeFully(client, REQUEST);
            try (LinuxSocket accepted = Loopback.accept(listener)) {
                assertThat(Loopback.readExactly(accepted, REQUEST.length())).isEqualTo(REQUEST);
                boolean serverSynData = TcpInfo.read(accepted.fd()).synData();
                Loopback.await("client handshake", () -> {
                    try {
                        return TcpInfo.read(client.fd()).state() == TcpState.ESTABLISHED;
                    } catch (NativeException e) {
                        throw new AssertionError(e);
                    }
                });
                TcpInfo info = TcpInfo.read(client.fd());
                return new Outcome(info.synData(), serverSynData, info.fastOpenClientFail());
            }
        }
    }
}
