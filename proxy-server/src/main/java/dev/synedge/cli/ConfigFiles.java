package dev.synedge.cli;

import dev.synedge.config.ConfigException;
import dev.synedge.config.ConfigLoader;
import dev.synedge.config.ProxyConfig;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the commands find the configuration file, and how they report a bad one. */
final class ConfigFiles {

    private ConfigFiles() {}

    /** The given file, else conf/synedge.conf under SYNEDGE_HOME (bin/synedge sets it), else ./conf. */
    static Path resolve(Path given) {
        if (given != null) {
            return given;
        }
        String home = System.getenv("SYNEDGE_HOME");
        Path base = home != null ? Path.of(home) : Path.of(".");
        return base.resolve("conf").resolve("synedge.conf");
    }

    /** Loads {@code file}; on problems prints each (file:line: key: message) and returns null. */
    static ProxyConfig load(Path file, PrintWriter err) {
        return load(file, err, "synedge: " + file + " was not loaded:");
    }

    /** As {@link #load(Path, PrintWriter)}, with {@code heading} above the problems. */
    static ProxyConfig load(Path file, PrintWriter err, String heading) {
        if (!Files.isRegularFile(file)) {
            err.println("synedge: configuration file " + file + " does not exist");
            return null;
        }
        try {
            return ConfigLoader.load(file);
        } catch (ConfigException e) {
            err.println(heading);
            e.problems().forEach(problem -> err.println("  " + problem));
            return null;
        }
    }
}
