package dev.synedge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synedge.testing.SynedgeProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code synedge --version}, and the same option on every subcommand: synedge's version and
 * commit as the build baked them in, then the JDK and Netty it runs on; nothing is started.
 */
class VersionTest {

    @ParameterizedTest
    @ValueSource(strings = {"--version", "-V", "run --version", "check --version", "demo --version",
            "doctor --version"})
    void printsVersionCommitJdkAndNetty(String arguments) throws Exception {
        try (SynedgeProcess synedge = new SynedgeProcess(arguments.split(" "))) {
            assertThat(synedge.awaitExit()).isZero();
            assertThat(synedge.all()).containsExactly(
                    "synedge " + System.getProperty("synedge.test.version"),
                    "commit " + commit(),
                    "JDK " + Runtime.version() + " (" + System.getProperty("java.vendor") + ", "
                            + System.getProperty("java.home") + ")",
                    "Netty " + System.getProperty("synedge.test.nettyVersion"));
        }
    }

    /** The commit checked out where this build ran, as git says; "unknown" where git says nothing. */
    private static String commit() throws IOException, InterruptedException {
        Path root = Path.of(System.getenv("SYNEDGE_ROOT"));
        Process git;
        try {
            git = new ProcessBuilder("git", "-C", root.toString(), "rev-parse", "HEAD")
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException noGit) {
            return "unknown";
        }
        String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
        assertThat(git.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return git.exitValue() == 0 ? out : "unknown";
    }
}
