package dev.synedge.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Typed reads from one configuration object that never throw: a wrong value is recorded in
 * {@link Problems} under its file, line and full key, and a placeholder is returned so that
 * reading goes on and finds the other problems too. Callers throw once everything was read.
 */
final class Section {

    private final ConfigObject object;
    private final String path;
    private final ConfigOrigin origin;
    private final Problems problems;

    /**
     * @param object   the values, defaults already merged in
     * @param path     the display key of this object, e.g. {@code synedge.routes[2]}
     * @param origin   where the object is written, for problems about keys it lacks
     * @param problems where problems go
     */
    Section(ConfigObject object, String path, ConfigOrigin origin, Problems problems) {
        this.object = object;
        this.path = path;
        this.origin = origin;
        this.problems = problems;
    }

    String path() {
        return path;
    }

    ConfigObject object() {
        return object;
    }

    String key(String relative) {
        return path + "." + relative;
    }

    /** The value at a dotted relative path, a ConfigNull included; null when absent. */
    ConfigValue raw(String relative) {
        ConfigValue value = object;
        for (String part : relative.split("\\.")) {
            if (!(value instanceof ConfigObject parent)) {
                return null;
            }
            value = parent.get(part);
            if (value == null) {
                return null;
            }
        }
        return value;
    }

    boolean isSet(String relative) {
        ConfigValue value = raw(relative);
        return value != null && value.valueType() != ConfigValueType.NULL;
    }

    ConfigOrigin originOf(String relative) {
        ConfigValue value = raw(relative);
        return value != null && value.origin() != null ? value.origin() : origin;
    }

    void problem(String relative, String message) {
        problems.add(originOf(relative), key(relative), message);
    }

    /** The nested object {@code relative}, or an empty one (and a problem) when it is not an object. */
    Section section(String relative) {
        ConfigValue value = raw(relative);
        if (value instanceof ConfigObject nested) {
            return new Section(nested, key(relative), nested.origin(), problems);
        }
        if (value != null && value.valueType() != ConfigValueType.NULL) {
            problem(relative, "expected an object { ... }, got " + describe(value));
        } else {
            missing(relative);
        }
        Config empty = com.typesafe.config.ConfigFactory.empty();
        return new Section(empty.root(), key(relative), originOf(relative), problems);
    }

    /** A required string. */
    String string(String relative) {
        String value = optionalString(relative);
        if (value == null && !hasWrongType(relative)) {
            missing(relative);
        }
        return value == null ? "" : value;
    }

    /** A string that may be null or absent (then null). */
    String optionalString(String relative) {
        ConfigValue value = raw(relative);
        if (value == null || value.valueType() == ConfigValueType.NULL) {
            return null;
        }
        return switch (value.valueType()) {
            case STRING, NUMBER, BOOLEAN -> String.valueOf(value.unwrapped());
            default -> {
                problem(relative, "expected a string, got " + describe(value));
                yield null;
            }
        };
    }

    private boolean hasWrongType(String relative) {
        ConfigValue value = raw(relative);
        return value != null && value.valueType() != ConfigValueType.NULL
                && value.valueType() != ConfigValueType.STRING && value.valueType() != ConfigValueType.NUMBER
                && value.valueType() != ConfigValueType.BOOLEAN;
    }

    boolean bool(String relative) {
        if (!present(relative)) {
            return false;
        }
        try {
            return object.toConfig().getBoolean(relative);
        } catch (com.typesafe.config.ConfigException e) {
            problem(relative, "expected true or false (also on/off, yes/no), got " + describe(raw(relative)));
            return false;
        }
    }

    /** An integer in {@code [min, max]}. */
    int integer(String relative, int min, int max) {
        if (!present(relative)) {
            return min;
        }
        long value;
        try {
            if (raw(relative).unwrapped() instanceof Double) {
                throw new com.typesafe.config.ConfigException.BadValue(relative, "fraction");
            }
            value = object.toConfig().getLong(relative);
        } catch (com.typesafe.config.ConfigException e) {
            problem(relative, "expected a whole number, got " + describe(raw(relative)));
            return min;
        }
        if (value < min || value > max) {
            problem(relative, "must be between " + min + " and " + max + ", got " + value);
            return min;
        }
        return (int) value;
    }

    /** A size in bytes ({@code 8192}, {@code 8k}, {@code 8KiB}) in {@code [min, max]}. */
    int bytes(String relative, int min, int max) {
        return (int) bytes(relative, (long) min, max);
    }

    /** A size in bytes ({@code 8192}, {@code 8k}, {@code 1g}) in {@code [min, max]}. */
    long bytes(String relative, long min, long max) {
        if (!present(relative)) {
            return min;
        }
        long value;
        try {
            value = object.toConfig().getBytes(relative);
        } catch (com.typesafe.config.ConfigException e) {
            problem(relative, "expected a size in bytes such as 8192 or 8k, got " + describe(raw(relative)));
            return min;
        }
        if (value < min || value > max) {
            problem(relative, "must be between " + min + " and " + max + " bytes, got " + value);
            return min;
        }
        return value;
    }

    /** A positive duration ({@code 500ms}, {@code 10s}, {@code 2m}; a bare number is milliseconds). */
    Duration duration(String relative) {
        if (!present(relative)) {
            return Duration.ofSeconds(1);
        }
        Duration value;
        try {
            value = object.toConfig().getDuration(relative);
        } catch (com.typesafe.config.ConfigException e) {
            problem(relative, "expected a duration such as 500ms, 10s or 5m, got " + describe(raw(relative)));
            return Duration.ofSeconds(1);
        }
        if (value.isNegative() || value.isZero()) {
            problem(relative, "must be positive, got " + raw(relative).render());
            return Duration.ofSeconds(1);
        }
        return value;
    }

    /**
     * One of an enum's constants, written in lower case with {@code -} for {@code _}
     * ({@code least-outstanding}); accepted case-insensitively.
     */
    <E extends Enum<E>> E choice(String relative, Class<E> type) {
        E[] constants = type.getEnumConstants();
        String text = string(relative);
        if (text.isEmpty() && !isSet(relative)) {
            return constants[0];
        }
        for (E constant : constants) {
            if (configName(constant).equalsIgnoreCase(text)) {
                return constant;
            }
        }
        problem(relative, "unknown value '" + text + "'; allowed: "
                + Arrays.stream(constants).map(Section::configName).collect(Collectors.joining(", ")));
        return constants[0];
    }

    static String configName(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** A list of strings; absent or null reads as empty. */
    List<String> strings(String relative) {
        List<String> result = new ArrayList<>();
        ConfigValue value = raw(relative);
        if (value == null || value.valueType() == ConfigValueType.NULL) {
            return result;
        }
        if (!(value instanceof ConfigList list)) {
            problem(relative, "expected a list [ ... ], got " + describe(value));
            return result;
        }
        for (int i = 0; i < list.size(); i++) {
            ConfigValue element = list.get(i);
            switch (element.valueType()) {
                case STRING, NUMBER, BOOLEAN -> result.add(String.valueOf(element.unwrapped()));
                default -> problems.add(element.origin(), key(relative) + "[" + i + "]",
                        "expected a string, got " + describe(element));
            }
        }
        return result;
    }

    /** True when the key holds something other than a list (reported by {@link #list}). */
    boolean isNonList(String relative) {
        return isSet(relative) && !(raw(relative) instanceof ConfigList);
    }

    /** A list (of anything); absent or null reads as empty. */
    ConfigList list(String relative) {
        ConfigValue value = raw(relative);
        if (value instanceof ConfigList list) {
            return list;
        }
        if (value != null && value.valueType() != ConfigValueType.NULL) {
            problem(relative, "expected a list [ ... ], got " + describe(value));
        }
        return com.typesafe.config.ConfigValueFactory.fromIterable(List.of());
    }

    /** True when set; records "is required" otherwise. */
    private boolean present(String relative) {
        if (isSet(relative)) {
            return true;
        }
        missing(relative);
        return false;
    }

    /** A required key without a value: located at the object that lacks it, not at a default. */
    private void missing(String relative) {
        problems.add(origin, key(relative), "is required");
    }

    static String describe(ConfigValue value) {
        if (value == null) {
            return "nothing";
        }
        String rendered = value.render(com.typesafe.config.ConfigRenderOptions.concise());
        if (rendered.length() > 60) {
            rendered = rendered.substring(0, 57) + "...";
        }
        return value.valueType().name().toLowerCase(Locale.ROOT) + " " + rendered;
    }
}
