package dev.synedge.config;

import java.util.Objects;

/**
 * One thing wrong with a configuration, located where it was written.
 *
 * @param source        the file (as given to the loader), the origin description of a string,
 *                      or {@code reference.conf} for a built-in default
 * @param line          1-based line in {@code source}, or -1 when unknown
 * @param fromReference the value is a built-in default from {@code reference.conf}
 * @param key           the setting, e.g. {@code synedge.routes[2].cluster}; empty for problems
 *                      with the file as a whole (syntax errors)
 * @param message       what is wrong, and what would be right where that is known
 */
public record ConfigProblem(String source, int line, boolean fromReference, String key, String message) {

    public ConfigProblem {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(message, "message");
    }

    /** {@code file:line}, marked when the value is a built-in default. */
    public String location() {
        String where = line > 0 ? source + ":" + line : source;
        return fromReference ? where + " (built-in default)" : where;
    }

    /** {@code file:line: key: message}. */
    @Override
    public String toString() {
        return key.isEmpty() ? location() + ": " + message : location() + ": " + key + ": " + message;
    }
}
