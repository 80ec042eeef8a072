package dev.synedge.doctor;

import dev.synedge.doctor.Check.Status;
import dev.synedge.net.FastOpen;
import dev.synedge.net.FastOpenKey;
import dev.synedge.net.FastOpenMode;
import dev.synedge.net.KernelState;
import dev.synedge.net.LinuxSocket;
import dev.synedge.net.NativeException;
import dev.synedge.net.TcpExtCounters;
import dev.synedge.net.ZeroCopyReceiver;
import io.netty.channel.epoll.Epoll;
import io.netty.util.Version;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Probes the host. Where a sysctl alone could mislead, it also tries the feature on a real
 * loopback socket (setting {@code TCP_FASTOPEN_CONNECT}, opening an MPTCP socket, mapping a
 * zero-copy window), so what it reports is what synedge will meet.
 */
public final class Doctor {

    static final String PERSIST = "/etc/sysctl.d/90-synedge.conf";

    private Doctor() {}

    public static List<Check> examine(Needs needs) {
        List<Check> checks = new ArrayList<>();
        checks.add(jdk());
        checks.add(nettyEpoll());
        FastOpenMode mode = KernelState.fastOpenMode();
        checks.add(fastOpenServer(mode, needs.serverFastOpen()));
        checks.add(fastOpenClient(mode, needs.clientFastOpen()));
        checks.add(fastOpenKey());
        checks.add(fastOpenCounters());
        checks.add(mptcp(needs.mptcp()));
        checks.add(zeroCopy(needs.zeroCopy()));
        return checks;
    }

    static Check jdk() {
        Runtime.Version version = Runtime.version();
        boolean nativeAccess = ClassLoader.getSystemClassLoader().getUnnamedModule().isNativeAccessEnabled();
        List<String> details = List.of(
                "Java " + version + " (" + System.getProperty("java.vendor") + ") at " + System.getProperty("java.home"),
                "native access for the classpath: " + (nativeAccess ? "enabled" : "not enabled"));
        if (version.feature() < 25) {
            return new Check("JDK", Status.MISSING, details, "install JDK 25 or newer (e.g. Temurin 25)", true);
        }
        if (!nativeAccess) {
            return new Check("JDK", Status.WARN, details,
                    "run with --enable-native-access=ALL-UNNAMED (bin/synedge does)", false);
        }
        return new Check("JDK", Status.OK, details, "", true);
    }

    static Check nettyEpoll() {
        String netty = Version.identify().values().stream()
                .filter(v -> v.artifactId().equals("netty-transport-native-epoll"))
                .map(v -> "netty " + v.artifactVersion()).findFirst().orElse("netty version unknown");
        if (Epoll.isAvailable()) {
            return new Check("Netty native transport (epoll)", Status.OK, List.of("available, " + netty), "", true);
        }
        Throwable cause = Epoll.unavailabilityCause();
        return new Check("Netty native transport (epoll)", Status.MISSING,
                List.of("unavailable: " + (cause == null ? "unknown" : cause.toString())),
                "put netty-transport-native-epoll (classifier linux-x86_64) on the classpath", true);
    }

    static Check fastOpenServer(FastOpenMode mode, boolean required) {
        List<String> details = new ArrayList<>();
        details.add("net.ipv4.tcp_fastopen = " + mode.value() + String.format(" (0x%x)", mode.value()));
        mode.describe().forEach(line -> details.add("  " + line));
        if (mode.serverEnabled()) {
            return new Check("TCP Fast Open, server side (clients' requests in their SYN)", Status.OK, details, "", required);
        }
        details.add("listeners with a fastopen-queue will run, but accept no SYN data");
        return new Check("TCP Fast Open, server side (clients' requests in their SYN)", Status.MISSING, details,
                sysctlFix("net.ipv4.tcp_fastopen", Integer.toString(mode.value() | 0x3)), required);
    }

    static Check fastOpenClient(FastOpenMode mode, boolean required) {
        List<String> details = new ArrayList<>();
        String probe = probe(() -> {
            try (LinuxSocket socket = LinuxSocket.open(StandardProtocolFamily.INET, LinuxSocket.Protocol.TCP)) {
                FastOpen.enableConnect(socket.fd());
            }
        });
        details.add("TCP_FASTOPEN_CONNECT on a new socket: " + probe);
        KernelState.sysctl("net.ipv4.tcp_fastopen_blackhole_timeout_sec")
                .ifPresent(v -> details.add("net.ipv4.tcp_fastopen_blackhole_timeout_sec = " + v));
        if (mode.clientEnabled() && probe.equals("works")) {
            return new Check("TCP Fast Open, client side (forwarded requests in the upstream SYN)", Status.OK,
                    details, "", required);
        }
        return new Check("TCP Fast Open, client side (forwarded requests in the upstream SYN)", Status.MISSING,
                details, sysctlFix("net.ipv4.tcp_fastopen", Integer.toString(mode.value() | 0x3)), required);
    }

    static Check fastOpenKey() {
        Optional<FastOpenKey> key = KernelState.fastOpenNamespaceKey();
        String topic = "TCP Fast Open cookie key";
        if (key.isEmpty()) {
            return new Check(topic, Status.WARN,
                    List.of("net.ipv4.tcp_fastopen_key is not readable (it is root-only)"),
                    "run doctor as root to see the key's state", false);
        }
        boolean unset = key.get().equals(FastOpenKey.of(new byte[FastOpenKey.LENGTH]));
        List<String> details = new ArrayList<>();
        details.add("source: the network namespace's key (net.ipv4.tcp_fastopen_key); listeners set no key of their own");
        details.add(unset ? "state: not generated yet; the kernel makes a random one at the first Fast Open"
                : "state: set (" + (key.get().backup().isPresent() ? "primary and backup" : "primary only")
                        + "; not printed, it is a secret)");
        details.add("instances behind one address must share it, or cookies from one are refused by another");
        return new Check(topic, Status.OK, details, "", false);
    }

    static Check fastOpenCounters() {
        TcpExtCounters counters = TcpExtCounters.read();
        List<String> details = new ArrayList<>();
        for (String name : TcpExtCounters.FAST_OPEN) {
            details.add(name + " = " + (counters.has(name) ? counters.get(name) : "absent on this kernel"));
        }
        if (counters.get("TCPFastOpenBlackhole") > 0) {
            details.add("the kernel saw a Fast Open blackhole and disabled client Fast Open for a while");
            return new Check("TCP Fast Open counters (TcpExt)", Status.WARN, details,
                    "check middleboxes between synedge and its upstreams", false);
        }
        return new Check("TCP Fast Open counters (TcpExt)", Status.OK, details, "", false);
    }

    static Check mptcp(boolean required) {
        if (!KernelState.mptcpAvailable()) {
            return new Check("MPTCP", Status.MISSING, List.of("the kernel has no MPTCP (net.mptcp missing)"),
                    "use a kernel built with CONFIG_MPTCP=y (5.6+; 6.x recommended)", required);
        }
        String probe = probe(() -> LinuxSocket.open(StandardProtocolFamily.INET, LinuxSocket.Protocol.MPTCP).close());
        List<String> details = List.of(
                "net.mptcp.enabled = " + KernelState.sysctl("net.mptcp.enabled").orElse("?"),
                "socket(IPPROTO_MPTCP): " + probe);
        if (KernelState.mptcpEnabled() && probe.equals("works")) {
            return new Check("MPTCP", Status.OK, details, "", required);
        }
        return new Check("MPTCP", Status.MISSING, details, sysctlFix("net.mptcp.enabled", "1"), required);
    }

    static Check zeroCopy(boolean required) {
        String probe = probe(Doctor::probeZeroCopy);
        List<String> details = new ArrayList<>();
        details.add("TCP_ZEROCOPY_RECEIVE on a loopback connection: " + probe);
        boolean loopbackMaps = KernelState.highOrderAllocDisabled();
        details.add("net.core.high_order_alloc_disable = " + KernelState.sysctl("net.core.high_order_alloc_disable").orElse("?")
                + (loopbackMaps ? ": loopback senders use order-0 pages, which can be mapped"
                        : ": loopback senders use compound pages, which never map (all bytes are copied)"));
        details.add("on real NICs pages map only with header-split hardware");
        if (!probe.equals("works")) {
            return new Check("Zero-copy receive", Status.MISSING, details, "use Linux 4.18 or newer", required);
        }
        if (!loopbackMaps) {
            return new Check("Zero-copy receive", Status.WARN, details,
                    "for loopback upstreams (and benchmarks): " + sysctlFix("net.core.high_order_alloc_disable", "1"),
                    false);
        }
        return new Check("Zero-copy receive", Status.OK, details, "", required);
    }

    private static void probeZeroCopy() throws NativeException, InterruptedException {
        InetSocketAddress local = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        try (LinuxSocket listener = LinuxSocket.openFor(local, LinuxSocket.Protocol.TCP)) {
            listener.bind(local);
            listener.listen(1);
            try (LinuxSocket client = LinuxSocket.openFor(local, LinuxSocket.Protocol.TCP)) {
                client.connect(listener.localAddress());
                LinuxSocket accepted = listener.accept();
                for (int i = 0; i < 1000 && accepted == null; i++) {
                    Thread.sleep(1);
                    accepted = listener.accept();
                }
                if (accepted == null) {
                    throw new IllegalStateException("loopback connection not accepted within 1 s");
                }
                try (LinuxSocket ignored = accepted;
                     ZeroCopyReceiver receiver = ZeroCopyReceiver.open(client.fd(), 1 << 16)) {
                    receiver.receive();
                }
            }
        }
    }

    private interface Probe {
        void run() throws Exception;
    }

    /** "works", or what failed: the NativeException's message names call and errno. */
    private static String probe(Probe probe) {
        try {
            probe.run();
            return "works";
        } catch (Exception e) {
            return "fails: " + e.getMessage();
        }
    }

    static String sysctlFix(String name, String value) {
        return "sysctl -w " + name + "=" + value + " && echo '" + name + " = " + value + "' >> " + PERSIST;
    }
}
