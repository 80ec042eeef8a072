package dev.synedge.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KernelStateTest {

    /** Multi-digit and multi-field values too: integer sysctls end at the first read. */
    @ParameterizedTest
    @ValueSource(strings = {"net.core.somaxconn", "net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem", "kernel.osrelease",
            "net.ipv4.tcp_fastopen"})
    void aSysctlReadsAsTheSysctlToolPrintsIt(String name) throws Exception {
        assertThat(KernelState.sysctl(name)).contains(sysctlTool(name));
    }

    @Test
    void aMissingSysctlIsEmpty() {
        assertThat(KernelState.sysctl("net.ipv4.no_such_sysctl")).isEmpty();
    }

    private static String sysctlTool(String name) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("sysctl", "-n", name).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("sysctl -n %s: %s", name, out).isZero();
        return out.strip();
    }
}
