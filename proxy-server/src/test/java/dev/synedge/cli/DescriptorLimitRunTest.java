package dev.synedge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synedge.testing.SynedgeProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code synedge run} raises its soft descriptor limit to the hard one and logs both, also when
 * the JVM is told not to do it itself (-XX:-MaxFDLimit) and the caller's soft limit is low, as
 * systemd's 1024 is.
 */
class DescriptorLimitRunTest {

    @TempDir
    Path dir;

    @Test
    void runRaisesALowSoftLimitToTheHardOne() throws Exception {
        Path file = dir.resolve("synedge.conf");
        Files.writeString(file, """
                synedge.event-loops = 1
                synedge.access-log.enabled = false
                synedge.listeners = [ { name = main, address = "127.0.0.1", port = 0 } ]
                synedge.routes = [ { name = all, cluster = up } ]
                synedge.clusters.up.endpoints = [ "127.0.0.1:1" ]
                """);
        try (SynedgeProcess synedge = new SynedgeProcess(List.of("prlimit", "--nofile=512:4096", "--"),
                List.of("-XX:-MaxFDLimit"), dir, "run", file.toString())) {
            synedge.await("descriptors: soft limit raised from 512 to 4096, the hard limit");
            synedge.await("synedge: listener main on");
            assertThat(Files.readAllLines(Path.of("/proc/" + synedge.pid() + "/limits")))
                    .anySatisfy(line -> assertThat(line).matches("Max open files\\s+4096\\s+4096\\s+files\\s*"));
        }
    }
}
