package dev.synedge.admin;

import dev.synedge.testkit.KernelRequirement;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Prometheus's own checker of an exposition ({@code promtool check metrics}, Debian's prometheus package). */
final class Promtool {

    static final Path PROMTOOL = Path.of("/usr/bin/promtool");

    private Promtool() {}

    /** What promtool said of {@code exposition} (empty when it found nothing wrong), or why it failed. */
    static String checkMetrics(String exposition) throws IOException, InterruptedException {
        KernelRequirement.require(Files.isExecutable(PROMTOOL), "promtool",
                PROMTOOL + " not found; apt-get install prometheus");
        Process process = new ProcessBuilder(PROMTOOL.toString(), "check", "metrics").redirectErrorStream(true)
                .start();
        try (OutputStream in = process.getOutputStream()) {
            in.write(exposition.getBytes(StandardCharsets.UTF_8));
        }
        String said = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return "promtool did not finish";
        }
        return process.exitValue() == 0 ? said : "exit " + process.exitValue() + ": " + said;
    }
}
