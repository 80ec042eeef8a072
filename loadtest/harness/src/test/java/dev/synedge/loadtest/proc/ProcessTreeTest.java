package dev.synedge.loadtest.proc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synedge.loadtest.OriginProcess;
import dev.synedge.loadtest.generator.LoadGenerator;
import dev.synedge.loadtest.generator.LoadSpec;
import dev.synedge.loadtest.generator.PhaseListener;
import dev.synedge.loadtest.http.RequestSpec;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** CPU and memory of real processes, read from /proc. */
class ProcessTreeTest {

    @Test
    void sumsAProcessAndItsDescendants() throws Exception {
        Process shell = new ProcessBuilder("bash", "-c", "sleep 30 & sleep 30 & wait").start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (ProcessTree.withDescendants(shell.pid()).size() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            List<Long> tree = ProcessTree.withDescendants(shell.pid());
            assertThat(tree).hasSize(3).startsWith(shell.pid());
            ProcessUsage usage = ProcessTree.sample(shell.pid()).orElseThrow();
            assertThat(usage.processes()).isEqualTo(3);
            // bash plus two sleeps: a few MiB each, far from a GiB.
            assertThat(usage.rssBytes()).isBetween(1L << 20, 1L << 30);
        } finally {
            shell.descendants().forEach(ProcessHandle::destroy);
            shell.destroy();
            shell.waitFor();
        }
        assertThat(ProcessTree.sample(shell.pid())).isEmpty();
    }

    @Test
    void cpuAndMemoryOfALoadedOrigin() throws Exception {
        try (OriginProcess origin = OriginProcess.start()) {
            ProcessUsage before = ProcessTree.sample(origin.pid()).orElseThrow();
            long selfBefore = ProcessTree.selfCpuNanos();
            LoadGenerator.run(origin.url(), LoadSpec.builder().connections(8).requests(30_000).build(),
                    List.of(RequestSpec.get("/64k")), PhaseListener.NONE);
            ProcessUsage after = ProcessTree.sample(origin.pid()).orElseThrow();

            assertThat(after.processes()).isEqualTo(1);
            // Serving 30000 x 64 KiB (~2 GB) costs the origin a measurable share of a second or more.
            assertThat(after.cpuNanos() - before.cpuNanos()).isBetween(50_000_000L, 120_000_000_000L);
            // A JVM with a 256 MiB heap cap: tens to hundreds of MiB resident.
            assertThat(after.rssBytes()).isBetween(20L << 20, 1L << 30);
            assertThat(ProcessTree.selfCpuNanos() - selfBefore).isPositive();
        }
    }
}
