package dev.synedge.loadtest.runner;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The version of the program a process runs, asked of its executable ({@code /proc/PID/exe}):
 * {@code nginx -v}, {@code haproxy -v}, {@code java -version}; otherwise the executable's name.
 */
final class ExecutableVersion {

    private ExecutableVersion() {}

    static String of(long pid) {
        Path exe;
        try {
            exe = Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "exe"));
        } catch (IOException e) {
            return "unknown";
        }
        String name = exe.getFileName().toString();
        String flag = switch (name) {
            case "nginx", "haproxy" -> "-v";
            case "java" -> "-version";
            default -> null;
        };
        if (flag == null) {
            return name;
        }
        String first = firstLine(exe, flag);
        if (first == null) {
            return name;
        }
        return switch (name) {
            // "nginx version: nginx/1.22.1"
            case "nginx" -> first.replaceFirst("^nginx version: ", "");
            // "HAProxy version 2.6.12-1+deb12u2 2025/04/24 - https://haproxy.org/"
            case "haproxy" -> first.replaceFirst(" - https?://.*$", "").replaceFirst(" version ", " ");
            // openjdk version "25.0.1" 2025-10-21 LTS
            default -> "java " + first.replaceFirst("^\\S+ version ", "").replace("\"", "");
        };
    }

    private static String firstLine(Path exe, String flag) {
        try {
            Process p = new ProcessBuilder(exe.toString(), flag).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            return out.lines().filter(l -> !l.isBlank()).findFirst().map(String::trim).orElse(null);
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
