package dev.synedge.origin;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One response as a raw client saw it: status line, fields in order, the body after framing
 * was removed, and the body bytes exactly as they were on the wire (chunk lines included).
 */
record RawResponse(String statusLine, List<String[]> fields, byte[] body, byte[] wireBody, List<String[]> trailers) {

    int status() {
        return Integer.parseInt(statusLine.split(" ", 3)[1]);
    }

    String version() {
        return statusLine.substring(0, statusLine.indexOf(' '));
    }

    /** The value of the only field with this name, or null; fails if the name repeats. */
    String header(String name) {
        List<String> values = headers(name);
        if (values.size() > 1) {
            throw new AssertionError("field " + name + " appears " + values.size() + " times");
        }
        return values.isEmpty() ? null : values.getFirst();
    }

    List<String> headers(String name) {
        List<String> values = new ArrayList<>();
        for (String[] f : fields) {
            if (f[0].toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                values.add(f[1]);
            }
        }
        return values;
    }

    String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
