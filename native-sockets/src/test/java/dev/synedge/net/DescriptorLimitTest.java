package dev.synedge.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** RLIMIT_NOFILE as the kernel reports it in /proc/self/limits, and changed by prlimit(1). */
class DescriptorLimitTest {

    @Test
    void readsWhatTheKernelReports() throws Exception {
        assertThat(DescriptorLimit.get()).isEqualTo(fromProc());
    }

    @Test
    void raisesTheSoftLimitToTheHardOne() throws Exception {
        DescriptorLimit.Values before = DescriptorLimit.get();
        long lowered = before.hard() - 100;
        try {
            prlimit(lowered, before.hard());
            assertThat(DescriptorLimit.get()).isEqualTo(new DescriptorLimit.Values(lowered, before.hard()));

            DescriptorLimit.Values raised = DescriptorLimit.raiseToHard();

            assertThat(raised).isEqualTo(new DescriptorLimit.Values(before.hard(), before.hard()));
            assertThat(fromProc()).isEqualTo(raised);
            assertThat(DescriptorLimit.raiseToHard()).isEqualTo(raised);
        } finally {
            prlimit(before.soft(), before.hard());
        }
    }

    private static DescriptorLimit.Values fromProc() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
            if (line.startsWith("Max open files")) {
                String[] f = line.substring("Max open files".length()).trim().split("\\s+");
                return new DescriptorLimit.Values(count(f[0]), count(f[1]));
            }
        }
        throw new AssertionError("no open files line in /proc/self/limits");
    }

    private static long count(String text) {
        return text.equals("unlimited") ? DescriptorLimit.UNLIMITED : Long.parseLong(text);
    }

    /** Sets this process's limits from outside, as an operator would. */
    private static void prlimit(long soft, long hard) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("prlimit", "--pid", String.valueOf(ProcessHandle.current().pid()),
                "--nofile=" + soft + ":" + hard).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("prlimit: %s", out).isZero();
    }
}
