package dev.synedge.origin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The standalone origin as a separate JVM: ready line, serving, clean exit on SIGTERM. */
class OriginMainTest {

    @TempDir
    Path dir;

    /** Starts the origin; stderr goes to a file because destroy() closes the process's pipes. */
    private Process launch(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(OriginMain.class.getName());
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(dir.resolve("stderr").toFile()).start();
    }

    @Test
    void printsItsAddressServesAndStopsOnSigterm() throws Exception {
        Process p = launch("--port", "0", "--event-loops", "2", "--fastopen", "4096");
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String ready = out.readLine();
            Matcher m = Pattern.compile("synedge origin listening on 127\\.0\\.0\\.1:(\\d+)").matcher(String.valueOf(ready));
            assertThat(m.matches()).as("ready line: %s", ready).isTrue();
            int port = Integer.parseInt(m.group(1));

            Curl.Result hello = Curl.run("http://127.0.0.1:" + port + "/hello");
            assertThat(hello.out()).isEqualTo("hello");

            p.destroy();
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("exits after SIGTERM").isTrue();
            assertThat(p.exitValue()).as("128 + SIGTERM").isEqualTo(143);
            String err = Files.readString(dir.resolve("stderr"));
            assertThat(err).doesNotContain("Exception");
            try (ServerSocket again = new ServerSocket()) {
                again.bind(new InetSocketAddress("127.0.0.1", port));
            }
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void reusePortWithSeveralListenersServes() throws Exception {
        Process p = launch("--port", "0", "--event-loops", "2", "--reuse-port");
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String ready = out.readLine();
            int port = Integer.parseInt(ready.substring(ready.lastIndexOf(':') + 1));
            for (int i = 0; i < 6; i++) {
                assertThat(Curl.run("http://127.0.0.1:" + port + "/hello").out()).isEqualTo("hello");
            }
        } finally {
            p.destroy();
            p.waitFor(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void badArgumentsExitWithUsage() throws Exception {
        Process p = launch("--port", "70000");
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(Files.readString(dir.resolve("stderr"))).contains("port must be 0 to 65535");
    }

    @Test
    void busyPortIsReportedPlainly() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", 0));
            Process p = launch("--port", String.valueOf(taken.getLocalPort()));
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isEqualTo(1);
            assertThat(Files.readString(dir.resolve("stderr")))
                    .contains("cannot listen on").contains(String.valueOf(taken.getLocalPort()));
        }
    }
}
