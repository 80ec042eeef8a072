package dev.synedge.loadtest.runner;

import dev.synedge.net.KernelState;
import io.netty.util.Version;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The host a comparison ran on, for the report's header.
 *
 * @param cpuModel  {@code model name} from /proc/cpuinfo
 * @param cores     processors this JVM sees
 * @param memoryMiB total memory
 * @param kernel    kernel release
 * @param jdk       JDK running the generator
 * @param netty     Netty version of the generator
 * @param fastOpen  {@code net.ipv4.tcp_fastopen}
 * @param loadAverage 1-minute load average when the comparison started (other work on the host)
 */
public record MachineInfo(String cpuModel, int cores, long memoryMiB, String kernel, String jdk, String netty,
        String fastOpen, String loadAverage) {

    public static MachineInfo collect() {
        return new MachineInfo(readCpuModel(), Runtime.getRuntime().availableProcessors(), readMemoryMiB(),
                KernelState.release(),
                System.getProperty("java.vm.vendor") + " " + Runtime.version(),
                nettyVersion(), KernelState.sysctl("net.ipv4.tcp_fastopen").orElse("?"),
                read("/proc/loadavg").map(s -> s.split(" ")[0]).orElse("?"));
    }

    private static String readCpuModel() {
        return read("/proc/cpuinfo").flatMap(text -> text.lines().filter(l -> l.startsWith("model name"))
                .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim())).orElse("unknown");
    }

    private static long readMemoryMiB() {
        return read("/proc/meminfo").flatMap(text -> text.lines().filter(l -> l.startsWith("MemTotal:")).findFirst()
                .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024)).orElse(0L);
    }

    private static String nettyVersion() {
        Version v = Version.identify().get("netty-transport-native-epoll");
        if (v == null) {
            v = Version.identify().values().stream().findFirst().orElse(null);
        }
        return v == null ? "unknown" : v.artifactVersion();
    }

    private static Optional<String> read(String file) {
        try {
            return Optional.of(Files.readString(Path.of(file)));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
