package dev.synedge.testing;

import dev.synedge.testkit.KernelRequirement;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** curl as a real HTTP client in tests. */
public final class Curl {

    /** What curl printed: its exit code, the body (stdout) and stderr. */
    public record Result(int exit, String body, String stderr) {}

    private Curl() {}

    public static boolean available() {
        return Files.isExecutable(Path.of("/usr/bin/curl"));
    }

    /** Runs curl with {@code args} (a 10 s --max-time is added), skipping or failing when curl is missing. */
    public static Result run(String... args) throws IOException, InterruptedException {
        KernelRequirement.require(available(), "curl", "/usr/bin/curl not found; apt-get install curl");
        List<String> command = new ArrayList<>(List.of("/usr/bin/curl", "-sS", "--max-time", "10"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).start();
        byte[] out = process.getInputStream().readAllBytes();
        byte[] err = process.getErrorStream().readAllBytes();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("curl did not finish: " + command);
        }
        return new Result(process.exitValue(), new String(out, StandardCharsets.ISO_8859_1),
                new String(err, StandardCharsets.UTF_8));
    }
}
