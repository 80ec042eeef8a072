package dev.synedge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synedge.testing.SynedgeProcess;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code synedge check}: a valid file gets one line and exit 0, a bad one every problem and exit 2; nothing starts. */
class CheckCommandTest {

    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {}

    private static Run check(Path file) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new SynedgeCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute("check", file.toString());
        return new Run(exit, out.toString(), err.toString());
    }

    /** The listener's port is taken: check says the file is valid all the same, since it binds nothing. */
    @Test
    void aValidFileIsOneLineAndExit0WithoutListening() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Path file = dir.resolve("good.conf");
            Files.writeString(file, """
                    synedge.listeners = [
                      { name = main, address = "127.0.0.1", port = %d },
                      { name = v6, address = "::1", port = 0 } ]
                    synedge.routes = [
                      { name = api, match.path-prefix = "/api", cluster = api },
                      { name = all, cluster = web } ]
                    synedge.clusters.api.endpoints = [ "127.0.0.1:9001", "127.0.0.1:9002" ]
                    synedge.clusters.web.endpoints = [ "[::1]:9003" ]
                    """.formatted(taken.getLocalPort()));
            Run run = check(file);
            assertThat(run.err()).isEmpty();
            assertThat(run.exit()).isZero();
            assertThat(run.out()).isEqualTo("synedge check: " + file + " is valid: 2 listeners (main on 127.0.0.1:"
                    + taken.getLocalPort() + ", v6 on [::1]:0), 2 routes, 2 clusters with 3 endpoints"
                    + System.lineSeparator());
        }
    }

    @Test
    void aBadFileExits2ListingEveryProblem() throws Exception {
        Path file = dir.resolve("bad.conf");
        Files.writeString(file, """
                synedge {
                  listeners = [ { name = main, address = "127.0.0.1", port = 0 } ]
                  routes = [ { name = all, cluster = nowhere } ]
                  clusters.up.endpoints = [ "127.0.0.1:1" ]
                  access-log.format = xml
                }
                """);
        Run run = check(file);
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().lines().toList()).first().isEqualTo("synedge check: " + file + " is not valid:");
        assertThat(run.err().lines().skip(1).toList()).hasSize(2)
                .anySatisfy(line -> assertThat(line).startsWith("  " + file + ":3: synedge.routes[0].cluster: "))
                .anySatisfy(line -> assertThat(line).startsWith("  " + file + ":5: synedge.access-log.format: "));
    }

    @Test
    void aMissingFileExits2() {
        Run run = check(dir.resolve("absent.conf"));
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("synedge: configuration file " + dir.resolve("absent.conf") + " does not exist"
                + System.lineSeparator());
    }

    /** The example every README command starts from, checked as an operator would. */
    @Test
    void theShippedExampleIsValid() throws Exception {
        Path example = Path.of(System.getenv("SYNEDGE_ROOT"), "conf", "synedge.conf");
        try (SynedgeProcess synedge = new SynedgeProcess("check", example.toString())) {
            assertThat(synedge.awaitExit()).isZero();
            assertThat(synedge.all()).containsExactly("synedge check: " + example
                    + " is valid: 1 listener (main on 0.0.0.0:8080), 1 route, 1 cluster with 1 endpoint");
        }
    }
}
