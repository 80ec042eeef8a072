package dev.synedge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synedge.testkit.Sysctl;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code synedge doctor} end to end through the command line parser: output and exit code. */
class DoctorCommandTest {

    @Test
    @SuppressWarnings("try")
    void exitsNonZeroAndSaysWhyWhenServerFastOpenIsOff() {
        try (Sysctl.Change ignored = Sysctl.set("net.ipv4.tcp_fastopen", "1")) {
            Run run = doctor();
            assertThat(run.exit).isEqualTo(1);
            assertThat(run.out).contains("[MISSING] TCP Fast Open, server side")
                    .contains("fix: sysctl -w net.ipv4.tcp_fastopen=3")
                    .contains("1 needed feature(s) cannot work on this host");
        }
    }

    @Test
    @SuppressWarnings("try")
    void exitsZeroWhenFastOpenWorksBothWays() {
        try (Sysctl.Change ignored = Sysctl.set("net.ipv4.tcp_fastopen", "3")) {
            Run run = doctor();
            assertThat(run.exit).isZero();
            assertThat(run.out).contains("0x2 SERVER: listeners with TCP_FASTOPEN set accept data in the SYN")
                    .contains("TCPFastOpenActive = ")
                    .contains("Everything synedge needs here works.");
        }
    }

    private record Run(int exit, String out) {}

    private static Run doctor() {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new SynedgeCommand());
        cli.setOut(new PrintWriter(out, true));
        int exit = cli.execute("doctor");
        return new Run(exit, out.toString());
    }
}
