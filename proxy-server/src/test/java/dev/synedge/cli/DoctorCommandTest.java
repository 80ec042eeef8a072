package dev.synedge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synedge.testkit.Sysctl;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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

    /** With a configuration, only what it uses decides: no fastopen listener, no server bit needed. */
    @Test
    @SuppressWarnings("try")
    void aConfigurationWithoutFastOpenListenersDoesNotNeedTheServerBit(@TempDir Path dir) throws Exception {
        Path plain = dir.resolve("plain.conf");
        Files.writeString(plain, """
                synedge.listeners = [ { name = main, port = 0 } ]
                synedge.routes = [ { name = all, cluster = up } ]
                synedge.clusters.up { endpoints = [ "127.0.0.1:9" ], fastopen = on }
                """);
        Path fastOpenListener = dir.resolve("tfo.conf");
        Files.writeString(fastOpenListener, Files.readString(plain).replace("port = 0", "port = 0, fastopen-queue = 16"));
        try (Sysctl.Change ignored = Sysctl.set("net.ipv4.tcp_fastopen", "1")) {
            Run withoutListenerFastOpen = doctor(plain.toString());
            assertThat(withoutListenerFastOpen.exit).as(withoutListenerFastOpen.out).isZero();
            assertThat(withoutListenerFastOpen.out).contains("Checking what " + plain + " needs.")
                    .contains("TCP Fast Open, server side (clients' requests in their SYN) (optional)");
            assertThat(doctor(fastOpenListener.toString()).exit).isEqualTo(1);
        }
    }

    @Test
    void aBadConfigurationExitsTwoWithFileLineAndKey(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.conf");
        Files.writeString(bad, "synedge.listeners = [ { name = main, port = 99999 } ]\n");
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new SynedgeCommand());
        cli.setErr(new PrintWriter(err, true));
        assertThat(cli.execute("doctor", bad.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("bad.conf:1").contains("port");
    }

    private record Run(int exit, String out) {}

    private static Run doctor(String... args) {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new SynedgeCommand());
        cli.setOut(new PrintWriter(out, true));
        String[] full = new String[args.length + 1];
        full[0] = "doctor";
        System.arraycopy(args, 0, full, 1, args.length);
        int exit = cli.execute(full);
        return new Run(exit, out.toString());
    }
}
