package dev.synedge.config;

import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import java.util.Set;
import java.util.TreeSet;

/**
 * Finds keys the schema does not know (typos, mostly) and names the nearest known key. The
 * schema is {@code reference.conf} itself: every key it holds, null-valued optional ones
 * included, is a known key.
 */
final class UnknownKeys {

    private UnknownKeys() {}

    /**
     * Reports every key of {@code actual} missing from {@code schema}, descending into objects
     * that both hold, except below the relative paths in {@code freeForm} (maps with
     * user-chosen keys, checked elsewhere or not at all).
     */
    static void check(ConfigObject actual, ConfigObject schema, String path, Set<String> freeForm,
                      Problems problems) {
        check(actual, schema, path, "", freeForm, problems);
    }

    private static void check(ConfigObject actual, ConfigObject schema, String path, String relative,
                              Set<String> freeForm, Problems problems) {
        for (var entry : actual.entrySet()) {
            String key = entry.getKey();
            String childRelative = relative.isEmpty() ? key : relative + "." + key;
            ConfigValue known = schema.get(key);
            ConfigValue value = entry.getValue();
            if (known == null) {
                problems.add(value.origin(), path + "." + key, unknown(key, schema.keySet()));
            } else if (value instanceof ConfigObject nested && known instanceof ConfigObject knownNested
                    && !freeForm.contains(childRelative)) {
                check(nested, knownNested, path + "." + key, childRelative, freeForm, problems);
            }
        }
    }

    /** "unknown key 'x' (did you mean 'y'?)", or the list of known keys when none is close. */
    static String unknown(String key, Set<String> known) {
        String nearest = null;
        int best = Integer.MAX_VALUE;
        for (String candidate : new TreeSet<>(known)) {
            int distance = distance(key, candidate);
            if (distance < best) {
                best = distance;
                nearest = candidate;
            }
        }
        if (nearest != null && best <= Math.max(2, key.length() / 4)) {
            return "unknown key '" + key + "' (did you mean '" + nearest + "'?)";
        }
        return "unknown key '" + key + "' (known keys: " + String.join(", ", new TreeSet<>(known)) + ")";
    }

    /** Levenshtein distance, case-insensitive. */
    static int distance(String a, String b) {
        a = a.toLowerCase(java.util.Locale.ROOT);
        b = b.toLowerCase(java.util.Locale.ROOT);
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
