package dev.synedge.net;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * What the running kernel allows for synedge's features, read from {@code /proc/sys}. Each
 * reading is fresh (no caching): sysctls change at run time.
 */
public final class KernelState {

    private static final int SYSCTL_MAX_BYTES = 4096;

    private KernelState() {}

    /**
     * A sysctl's text, e.g. {@code sysctl("net.ipv4.tcp_fastopen")}; empty when unreadable.
     * Read in one call from offset 0: integer sysctls answer any read at a later offset with
     * end of file, and JDK 25's {@code Files.readString} reads a file reporting size 0 one byte
     * first (it returned "4" for a {@code somaxconn} of 4096).
     */
    public static Optional<String> sysctl(String name) {
        try (InputStream in = new FileInputStream("/proc/sys/" + name.replace('.', '/'))) {
            byte[] text = new byte[SYSCTL_MAX_BYTES];
            int n = in.read(text);
            return Optional.of(new String(text, 0, Math.max(n, 0), StandardCharsets.US_ASCII).trim());
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
