package dev.synedge.loadtest.runner;

import dev.synedge.loadtest.proc.ProcessTree;
import dev.synedge.loadtest.proc.ProcessUsage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * A target at run time: the process the runner started for it (and stops at the end), or the
 * one its pid file or pid names. Samples that process with its descendants, so nginx counts
 * its master and workers.
 */
final class TargetProcess implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);

    private final Target target;
    private final Path logDir;
    private Process started;

    private TargetProcess(Target target, Path logDir) {
        this.target = target;
        this.logDir = logDir;
    }

    /**
     * Starts the target when it has a start command (output to {@code logDir/NAME.log}) and waits
     * until its port accepts connections.
     */
    static TargetProcess open(Target target, Path logDir) throws IOException {
        TargetProcess handle = new TargetProcess(target, logDir);
        if (target.startCommand() != null) {
            handle.launch();
        }
        return handle;
    }

    /** Stops the process the runner started and starts it again (a fresh process). */
    void restart() throws IOException {
        close();
        launch();
    }

    private void launch() throws IOException {
        Files.createDirectories(logDir);
        Path log = logDir.resolve(target.name() + ".log");
        Process process = new ProcessBuilder("bash", "-c", "exec " + target.startCommand())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        started = process;
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (!reachable()) {
            if (!process.isAlive()) {
                throw new IOException("target " + target.name() + ": '" + target.startCommand() + "' exited with "
                        + process.exitValue() + " before listening on " + target.url() + "; last output:\n" + tail(log));
            }
            if (System.nanoTime() > deadline) {
                close();
                throw new IOException("target " + target.name() + ": nothing listens on " + target.url() + " after "
                        + READY_TIMEOUT.toSeconds() + " s of '" + target.startCommand() + "'; see " + log);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new IOException("interrupted while waiting for " + target.name(), e);
            }
        }
    }

    /** Waits up to {@code timeout} until the target's port accepts connections. */
    boolean awaitReachable(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!reachable()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(" + log + " unreadable: " + e.getMessage() + ")";
        }
    }

    Target target() {
        return target;
    }

    /** The target's pid now, when known. */
    OptionalLong pid() {
        if (started != null) {
            return started.isAlive() ? OptionalLong.of(started.pid()) : OptionalLong.empty();
        }
        if (target.pidFile() != null) {
            try {
                return OptionalLong.of(Long.parseLong(Files.readString(target.pidFile()).trim()));
            } catch (IOException | NumberFormatException e) {
                return OptionalLong.empty();
            }
        }
        return target.pid() > 0 ? OptionalLong.of(target.pid()) : OptionalLong.empty();
    }

    /** CPU and memory of the target's process tree now; empty when no process is known. */
    Optional<ProcessUsage> sample() {
        OptionalLong pid = pid();
        return pid.isPresent() ? ProcessTree.sample(pid.getAsLong()) : Optional.empty();
    }

    /** Whether the target's port accepts a TCP connection within a second. */
    boolean reachable() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(target.url().getHost(), target.port()), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The version to report: given, or asked of the process's executable, or "unknown". */
    String version() {
        if (target.version() != null) {
            return target.version();
        }
        OptionalLong pid = pid();
        return pid.isPresent() ? ExecutableVersion.of(pid.getAsLong()) : "unknown";
    }

    /** Stops the process the runner started (SIGTERM, then SIGKILL after 10 s); nothing otherwise. */
    @Override
    public void close() {
        if (started == null || !started.isAlive()) {
            return;
        }
        List<ProcessHandle> children = started.descendants().toList();
        started.destroy();
        try {
            if (!started.waitFor(10, TimeUnit.SECONDS)) {
                started.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            started.destroyForcibly();
        }
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroy);
    }
}
