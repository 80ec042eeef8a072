package dev.synedge.loadtest.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The user's RTT commands run as given, with {ms} and {half} filled in, and off follows on. */
class RttControlTest {

    private final PrintStream log = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    @Test
    void onAndOffRunWithTheScenarioRtt(@TempDir Path dir) throws IOException {
        Path state = dir.resolve("state");
        RttControl rtt = new RttControl("echo on {ms} {half} > " + state, "echo off > " + state, log);
        assertThat(rtt.available()).isTrue();
        rtt.apply(Duration.ofMillis(20));
        assertThat(Files.readString(state).trim()).isEqualTo("on 20 10.0");
        rtt.remove();
        assertThat(Files.readString(state).trim()).isEqualTo("off");
    }

    @Test
    void aFailingOnCommandIsReportedAndUndone(@TempDir Path dir) {
        Path state = dir.resolve("state");
        RttControl rtt = new RttControl("echo half-on > " + state + "; echo 'no iptables' >&2; exit 3",
                "echo off > " + state, log);
        assertThatThrownBy(() -> rtt.apply(Duration.ofMillis(20))).isInstanceOf(IOException.class)
                .hasMessageContaining("exited 3").hasMessageContaining("no iptables");
        assertThat(state).content().isEqualToIgnoringNewLines("off");
    }

    @Test
    void bothCommandsOrNeither() {
        assertThatThrownBy(() -> new RttControl("rtt on 9000 {ms}", null, log))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--rtt-off-command");
        assertThat(RttControl.none(log).available()).isFalse();
    }
}
