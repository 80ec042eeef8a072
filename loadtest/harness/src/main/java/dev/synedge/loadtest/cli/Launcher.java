package dev.synedge.loadtest.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;

/** What bin/synedge tells the harness: the repository root, and how to spell a command back. */
final class Launcher {

    private Launcher() {}

    /** The repository root ({@code -Dsynedge.root}, set by bin/synedge), else the working directory. */
    static Path root() {
        String root = System.getProperty("synedge.root");
        return Path.of(root != null ? root : "").toAbsolutePath();
    }

    /** {@code bin/synedge SUBCOMMAND ARGS...} as typed, quoted for a POSIX shell. */
    static String command(CommandSpec spec) {
        List<String> words = new ArrayList<>(List.of("bin/synedge", spec.name()));
        List<String> args = spec.commandLine().getParseResult().originalArgs();
        int start = !args.isEmpty() && args.getFirst().equals(spec.name()) ? 1 : 0;
        for (String arg : args.subList(start, args.size())) {
            words.add(quote(arg));
        }
        return String.join(" ", words);
    }

    static String quote(String word) {
        if (!word.isEmpty() && word.matches("[A-Za-z0-9_./:=,@%+-]+")) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
