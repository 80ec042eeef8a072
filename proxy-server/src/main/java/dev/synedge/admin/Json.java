package dev.synedge.admin;

/**
 * A small JSON writer for the admin API's answers: objects and arrays indented by two spaces,
 * strings escaped as RFC 8259 requires (and every non-ASCII character as {@code \\uXXXX}, so
 * that the output is ASCII). The caller keeps the nesting right.
 */
final class Json {

    private final StringBuilder out = new StringBuilder();
    private int depth;
    /** Nothing was written yet in the current object or array. */
    private boolean first = true;
    /** A key was just written: the value follows on its line. */
    private boolean afterKey;

    Json beginObject() {
        return open('{');
    }

    Json endObject() {
        return close('}');
    }

    Json beginArray() {
        return open('[');
    }

    Json endArray() {
        return close(']');
    }

    Json key(String name) {
        separate();
        string(name);
        out.append(": ");
        afterKey = true;
        return this;
    }

    Json value(String text) {
        if (text == null) {
            return nullValue();
        }
        separate();
        string(text);
        return this;
    }

    Json value(long number) {
        separate();
        out.append(number);
        return this;
    }

    /** A finite number; NaN and infinities, which JSON lacks, as null. */
    Json value(double number) {
        if (!Double.isFinite(number)) {
            return nullValue();
        }
        separate();
        out.append(number);
        return this;
    }

    Json value(boolean flag) {
        separate();
        out.append(flag);
        return this;
    }

    Json nullValue() {
        separate();
        out.append("null");
        return this;
    }

    /** The document, with a final newline. */
    @Override
    public String toString() {
        return out + "\n";
    }

    private Json open(char bracket) {
        separate();
        out.append(bracket);
        depth++;
        first = true;
        return this;
    }

    private Json close(char bracket) {
        depth--;
        if (!first) {
            newline();
        }
        out.append(bracket);
        first = false;
        return this;
    }

    private void separate() {
        if (afterKey) {
            afterKey = false;
            return;
        }
        if (depth > 0) {
            if (!first) {
                out.append(',');
            }
            newline();
        }
        first = false;
    }

    private void newline() {
        out.append('\n');
        out.repeat("  ", depth);
    }

    private void string(String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
