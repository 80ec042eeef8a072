package dev.synedge.admin;

import dev.synedge.config.ProxyConfig;
import dev.synedge.config.Secret;
import dev.synedge.net.AddressText;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;

/**
 * The effective configuration as JSON, for {@code GET /config}: the record tree synedge runs
 * with (defaults applied, host names resolved), walked by reflection so that a setting added
 * to a record appears without a change here. Keys are the components' names in the
 * configuration's own spelling ({@code drainTimeout} as {@code drain-timeout}); durations read
 * as in HOCON ({@code 30s}), enums as their config words.
 *
 * <p>A {@link Secret} is written as {@code "<redacted>"}, whatever record holds it: settings are
 * kept out of sight by their type, not by a list kept here.
 */
final class ConfigJson {

    private ConfigJson() {}

    static String render(ProxyConfig config) {
        Json out = new Json();
        value(out, config);
        return out.toString();
    }

    private static void value(Json out, Object value) {
        switch (value) {
            case null -> out.nullValue();
            case Secret ignored -> out.value(Secret.REDACTED);
            case String text -> out.value(text);
            case Boolean flag -> out.value(flag);
            case Integer number -> out.value(number);
            case Long number -> out.value(number);
            case Number number -> out.value(number.doubleValue());
            case Enum<?> constant -> out.value(constant.name().toLowerCase(Locale.ROOT).replace('_', '-'));
            case Duration duration -> out.value(duration(duration));
            case InetSocketAddress address -> out.value(AddressText.of(address));
            case InetAddress address -> out.value(address.getHostAddress());
            case Record record -> record(out, record);
            case Map<?, ?> map -> {
                out.beginObject();
                map.forEach((k, v) -> value(out.key(String.valueOf(k)), v));
                out.endObject();
            }
            case Collection<?> items -> {
                out.beginArray();
                items.forEach(item -> value(out, item));
                out.endArray();
            }
            default -> out.value(value.toString());
        }
    }

    /**
     * A record's components as an object; one of a sealed interface's records is wrapped in its
     * kind ({@code "path": {"prefix": {"path": "/"}}}), which its components alone would lose.
     */
    private static void record(Json out, Record record) {
        Class<?> type = record.getClass();
        boolean variant = false;
        for (Class<?> implemented : type.getInterfaces()) {
            variant |= implemented.isSealed();
        }
        if (variant) {
            out.beginObject().key(kebab(type.getSimpleName()));
        }
        out.beginObject();
        for (RecordComponent component : type.getRecordComponents()) {
            out.key(kebab(component.getName()));
            value(out, read(component, record));
        }
        out.endObject();
        if (variant) {
            out.endObject();
        }
    }

    private static Object read(RecordComponent component, Record record) {
        try {
            return component.getAccessor().invoke(record);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + component + " of " + record.getClass(), e);
        }
    }

    /** {@code fastopenQueue} as {@code fastopen-queue}, {@code Prefix} as {@code prefix}. */
    static String kebab(String name) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isUpperCase(c)) {
                if (i > 0) {
                    out.append('-');
                }
                out.append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** The largest unit that states the duration exactly: {@code 30s}, {@code 500ms}, {@code 2h}. */
    static String duration(Duration duration) {
        long nanos = duration.toNanos();
        String[] units = {"d", "h", "m", "s", "ms", "us", "ns"};
        long[] sizes = {86_400_000_000_000L, 3_600_000_000_000L, 60_000_000_000L, 1_000_000_000L, 1_000_000L,
                1_000L, 1L};
        for (int i = 0; i < units.length; i++) {
            if (nanos % sizes[i] == 0) {
                return nanos / sizes[i] + units[i];
            }
        }
        throw new AssertionError("every duration is a whole number of nanoseconds");
    }
}
