package dev.synedge.loadtest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code OriginMain} in its own JVM, for tests that need a real separate process: one to pause
 * with SIGSTOP, or to sample CPU and memory of. Listens on an ephemeral port.
 */
public final class OriginProcess implements AutoCloseable {

    private final Process process;
    private final int port;

    private OriginProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static OriginProcess start(String... extraArgs) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Dlogback.configurationFile=/dev/null", "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), "dev.synedge.origin.OriginMain", "--port", "0"));
        command.addAll(List.of(extraArgs));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line;
        StringBuilder seen = new StringBuilder();
        while ((line = out.readLine()) != null) {
            seen.append(line).append('\n');
            if (line.startsWith("synedge origin listening on ")) {
                int port = Integer.parseInt(line.substring(line.lastIndexOf(':') + 1).trim());
                Thread drain = new Thread(() -> out.lines().forEach(l -> { }), "origin-process-output");
                drain.setDaemon(true);
                drain.start();
                return new OriginProcess(process, port);
            }
        }
        process.destroyForcibly();
        throw new IOException("OriginMain did not start:\n" + seen);
    }

    public long pid() {
        return process.pid();
    }

    public int port() {
        return port;
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** Sends a signal by name (STOP, CONT, ...) with kill(1). */
    public void signal(String name) throws IOException, InterruptedException {
        int code = new ProcessBuilder("kill", "-" + name, Long.toString(pid())).inheritIO().start().waitFor();
        if (code != 0) {
            throw new IOException("kill -" + name + " " + pid() + " exited " + code);
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
