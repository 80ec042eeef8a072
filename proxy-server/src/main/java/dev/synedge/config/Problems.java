package dev.synedge.config;

import com.typesafe.config.ConfigOrigin;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/** Collects the problems of one load, each located through Typesafe's {@link ConfigOrigin}. */
final class Problems {

    static final String REFERENCE = "reference.conf";

    /** Typesafe appends ": line" (or ": first-last") to descriptions of values it has lines for. */
    private static final Pattern LINE_SUFFIX = Pattern.compile(": \\d+(-\\d+)?$");

    private final List<ConfigProblem> found = new ArrayList<>();

    void add(ConfigOrigin origin, String key, String message) {
        found.add(locate(origin, key, message));
    }

    /** Throws when anything was found: the user's own lines first, in file order. */
    void throwIfAny() throws ConfigException {
        if (found.isEmpty()) {
            return;
        }
        List<ConfigProblem> sorted = new ArrayList<>(found);
        sorted.sort(Comparator.comparing(ConfigProblem::fromReference)
                .thenComparing(ConfigProblem::source)
                .thenComparingInt(ConfigProblem::line));
        throw new ConfigException(sorted);
    }

    static ConfigProblem locate(ConfigOrigin origin, String key, String message) {
        if (origin == null) {
            return new ConfigProblem("(unknown source)", -1, false, key, message);
        }
        boolean reference = REFERENCE.equals(origin.resource());
        String source;
        if (origin.resource() != null) {
            source = origin.resource();
        } else if (origin.filename() != null) {
            source = origin.filename();
        } else if (origin.url() != null) {
            source = origin.url().toString();
        } else {
            source = LINE_SUFFIX.matcher(origin.description()).replaceFirst("");
        }
        return new ConfigProblem(source, origin.lineNumber(), reference, key, message);
    }

    /**
     * A problem from an exception Typesafe threw (syntax error, unresolved substitution). Its
     * message starts with the origin's description, which the location already says.
     */
    static ConfigProblem fromTypesafe(com.typesafe.config.ConfigException e, String fallbackSource) {
        ConfigOrigin origin = e.origin();
        String message = e.getMessage();
        if (origin == null) {
            return new ConfigProblem(fallbackSource, -1, false, "", message);
        }
        String prefix = origin.description() + ": ";
        if (message.startsWith(prefix)) {
            message = message.substring(prefix.length());
        }
        return locate(origin, "", message);
    }
}
