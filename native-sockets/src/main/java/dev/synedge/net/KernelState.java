package dev.synedge.net;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What the running kernel allows for synedge's features, read from {@code /proc/sys}. Each
 * reading is fresh (no caching): sysctls change at run time.
 */
public final class KernelState {

    private KernelState() {}

    /** A sysctl's text, e.g. {@code sysctl("net.ipv4.tcp_fastopen")}; empty when unreadable. */
    public static Optional<String> sysctl(String name) {
        try {
            return Optional.of(Files.readString(Path.of("/proc/sys", name.replace('.', '/'))).trim());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** {@code net.ipv4.tcp_fastopen}, decoded; mode 0 when the sysctl is missing. */
    public static FastOpenMode fastOpenMode() {
        return sysctl("net.ipv4.tcp_fastopen").map(FastOpenMode::parse).orElse(new FastOpenMode(0));
    }

    /**
     * The namespace's Fast Open key ({@code net.ipv4.tcp_fastopen_key}); empty when unreadable
     * (it is root-only). An all-zero key means the kernel has not generated one yet: it does so
     * on the first Fast Open use.
     */
    public static Optional<FastOpenKey> fastOpenNamespaceKey() {
        return sysctl("net.ipv4.tcp_fastopen_key").map(FastOpenKey::parse);
    }

    /** {@code net.mptcp.enabled} is 1 (false when the kernel has no MPTCP). */
    public static boolean mptcpEnabled() {
        return sysctl("net.mptcp.enabled").map("1"::equals).orElse(false);
    }

    public static boolean mptcpAvailable() {
        return sysctl("net.mptcp.enabled").isPresent();
    }

    /**
     * {@code net.core.high_order_alloc_disable} is 1: loopback senders then use order-0 pages,
     * the only pages {@code TCP_ZEROCOPY_RECEIVE} can map on loopback.
     */
    public static boolean highOrderAllocDisabled() {
        return sysctl("net.core.high_order_alloc_disable").map("1"::equals).orElse(false);
    }

    /** {@code kernel.osrelease}, e.g. {@code 6.18.44}. */
    public static String release() {
        return sysctl("kernel.osrelease").orElse("unknown");
    }
}
