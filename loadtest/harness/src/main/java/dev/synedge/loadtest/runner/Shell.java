package dev.synedge.loadtest.runner;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Runs a user's shell command (RTT on and off, target restarts) and returns what it printed. */
final class Shell {

    private static final long TIMEOUT_SECONDS = 120;

    private Shell() {}

    /** Runs {@code command} with bash; throws with its exit status and output when it fails. */
    static String run(String command) throws IOException {
        Process p = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        try {
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("'" + command + "' did not finish in " + TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted running '" + command + "'", e);
        }
        if (p.exitValue() != 0) {
            throw new IOException("'" + command + "' exited " + p.exitValue() + (out.isEmpty() ? "" : ": " + out));
        }
        return out;
    }
}
