package dev.synedge.origin;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real curl binary. */
final class Curl {

    private Curl() {}

    record Result(int exitCode, byte[] stdout, String stderr) {
        String out() {
            return new String(stdout, StandardCharsets.UTF_8);
        }
    }

    static Result run(String... args) throws IOException, InterruptedException {
        Process p = start(args);
        byte[] out;
        try (InputStream stdout = p.getInputStream()) {
            out = stdout.readAllBytes();
        }
        return finish(p, out);
    }

    /** Starts curl with stdout as a pipe for streaming reads; finish with {@link #finish}. */
    static Process start(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add("curl");
        command.add("--silent");
        command.add("--show-error");
        command.add("--max-time");
        command.add("60");
        command.addAll(List.of(args));
        return new ProcessBuilder(command).start();
    }

    static Result finish(Process p, byte[] stdout) throws IOException, InterruptedException {
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("curl did not finish: " + err);
        }
        return new Result(p.exitValue(), stdout, err);
    }
}
