package dev.synedge.loadtest.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The bar is drawn in place (ANSI) on a terminal; elsewhere only log lines appear. */
class ProgressTest {

    @Test
    void terminalGetsABarThatAdvances() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (Progress p = new Progress(new PrintStream(bytes, true, StandardCharsets.UTF_8), true)) {
            p.plan(Duration.ofSeconds(4), 2);
            p.begin("hello · nginx · round 1/1", Duration.ofSeconds(2));
            p.end();
            p.begin("hello · haproxy · round 1/1", Duration.ofSeconds(2));
            p.log("a finished run");
        }
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("\r\033[2K", "[", "hello · haproxy · round 1/1", "2/2 runs", " 50%",
                "a finished run\n");
    }

    @Test
    void pipeGetsOnlyLogLines() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (Progress p = Progress.plain(new PrintStream(bytes, true, StandardCharsets.UTF_8))) {
            p.plan(Duration.ofSeconds(4), 2);
            p.begin("x", Duration.ofSeconds(2));
            p.log("line one");
            p.end();
        }
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("line one\n");
    }

    @Test
    void clockReadsLikeAPerson() {
        assertThat(Progress.clock(Duration.ofSeconds(42).toNanos())).isEqualTo("42s");
        assertThat(Progress.clock(Duration.ofSeconds(125).toNanos())).isEqualTo("2m05s");
        assertThat(Progress.clock(Duration.ofMinutes(75).toNanos())).isEqualTo("1h15m");
    }
}
