package dev.synedge.loadtest.runner;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Something to load: a name and a base URL, and optionally how to find (or start) the process
 * behind it so its CPU and memory can be reported.
 *
 * @param name         short name for tables (e.g. {@code nginx})
 * @param url          base URL, {@code http://host:port}; scenario paths are appended
 * @param startCommand a shell command that starts the target in the foreground (it is run with
 *                     {@code exec}, so its pid is the target's), or null when it runs already
 * @param pidFile      a file holding the target's pid (read at every run), or null
 * @param pid          the target's pid, or 0
 * @param version      what to print as its version, or null to ask the process's executable
 */
public record Target(String name, URI url, String startCommand, Path pidFile, long pid, String version) {

    public Target {
        if (name == null || !name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("target name must be letters, digits, '.', '_' or '-', got '" + name + "'");
        }
        if (url == null || !"http".equals(url.getScheme()) || url.getHost() == null || url.getPort() <= 0) {
            throw new IllegalArgumentException("target " + name + ": URL must be http://host:port, got " + url);
        }
        if (url.getPath() != null && !url.getPath().isEmpty() && !url.getPath().equals("/")) {
            throw new IllegalArgumentException("target " + name + ": URL must have no path (scenarios give the paths), got "
                    + url);
        }
    }

    public static Target of(String name, URI url) {
        return new Target(name, url, null, null, 0, null);
    }

    public Target withStartCommand(String command) {
        return new Target(name, url, command, pidFile, pid, version);
    }

    public Target withPidFile(Path file) {
        return new Target(name, url, startCommand, file, pid, version);
    }

    public Target withPid(long newPid) {
        return new Target(name, url, startCommand, pidFile, newPid, version);
    }

    public Target withVersion(String text) {
        return new Target(name, url, startCommand, pidFile, pid, text);
    }

    public Optional<String> start() {
        return Optional.ofNullable(startCommand);
    }

    /** Whether the runner can find a process to sample for this target. */
    public boolean watched() {
        return startCommand != null || pidFile != null || pid > 0;
    }

    public int port() {
        return url.getPort();
    }
}
