package dev.synedge.config;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A configuration could not be loaded. Carries every problem found, not only the first; the
 * message lists them one per line.
 */
public final class ConfigException extends Exception {

    private final List<ConfigProblem> problems;

    public ConfigException(List<ConfigProblem> problems) {
        super(describe(problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    /** The problems, in the order they appear in the file(s). */
    public List<ConfigProblem> problems() {
        return problems;
    }

    private static String describe(List<ConfigProblem> problems) {
        String head = problems.size() == 1 ? "1 configuration problem:" : problems.size() + " configuration problems:";
        return problems.stream().map(p -> "  " + p).collect(Collectors.joining("\n", head + "\n", ""));
    }
}
