package dev.synedge.accesslog;

/**
 * Appends untrusted text to a log line so that it cannot break the line's syntax: a request
 * target may hold quotes, backslashes, control characters and arbitrary bytes.
 */
final class Escapes {

    private static final char[] HEX_UPPER = "0123456789ABCDEF".toCharArray();
    private static final char[] HEX_LOWER = "0123456789abcdef".toCharArray();
    private static final int REPLACEMENT = 0xfffd;

    private Escapes() {}

    // Combined: printable ASCII as is, anything else as \xHH, as nginx does.

    /** Bytes in a quoted field: {@code "} and {@code \} and non-printables become {@code \xHH}. */
    static void quoted(StringBuilder out, byte[] bytes) {
        if (bytes == null) {
            out.append('-');
            return;
        }
        for (byte b : bytes) {
            int c = b & 0xff;
            if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
                out.append((char) c);
            } else {
                hexByte(out, c);
            }
        }
    }

    /** Text in a quoted field, escaped as {@link #quoted(StringBuilder, byte[])}, UTF-8 for non-ASCII. */
    static void quoted(StringBuilder out, String text) {
        token(out, text, false);
    }

    /** A value of a key=value pair: as {@link #quoted(StringBuilder, String)}, and spaces escaped too. */
    static void bare(StringBuilder out, String text) {
        token(out, text, true);
    }

    private static void token(StringBuilder out, String text, boolean escapeSpace) {
        if (text == null || text.isEmpty()) {
            out.append('-');
            return;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && !(escapeSpace && c == ' ')) {
                out.append(c);
            } else if (c < 0x80) {
                hexByte(out, c);
            } else {
                int codePoint = Character.isHighSurrogate(c) && i + 1 < text.length()
                        && Character.isLowSurrogate(text.charAt(i + 1))
                        ? Character.toCodePoint(c, text.charAt(++i)) : Character.isSurrogate(c) ? REPLACEMENT : c;
                utf8Hex(out, codePoint);
            }
        }
    }

    private static void utf8Hex(StringBuilder out, int codePoint) {
        if (codePoint < 0x800) {
            hexByte(out, 0xc0 | codePoint >> 6);
        } else if (codePoint < 0x10000) {
            hexByte(out, 0xe0 | codePoint >> 12);
            hexByte(out, 0x80 | (codePoint >> 6 & 0x3f));
        } else {
            hexByte(out, 0xf0 | codePoint >> 18);
            hexByte(out, 0x80 | (codePoint >> 12 & 0x3f));
            hexByte(out, 0x80 | (codePoint >> 6 & 0x3f));
        }
        hexByte(out, 0x80 | (codePoint & 0x3f));
    }

    private static void hexByte(StringBuilder out, int b) {
        out.append('\\').append('x').append(HEX_UPPER[b >> 4 & 0xf]).append(HEX_UPPER[b & 0xf]);
    }

    // JSON: pure-ASCII output, everything else as \\uXXXX.

    /** A JSON string (with its quotes) for {@code text}, or {@code null}. */
    static void json(StringBuilder out, String text) {
        if (text == null) {
            out.append("null");
            return;
        }
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            jsonChar(out, text.charAt(i));
        }
        out.append('"');
    }

    /**
     * A JSON string for bytes that should be UTF-8: each valid sequence becomes its code point,
     * each byte of an invalid one U+FFFD; or {@code null}.
     */
    static void json(StringBuilder out, byte[] bytes) {
        if (bytes == null) {
            out.append("null");
            return;
        }
        out.append('"');
        int i = 0;
        while (i < bytes.length) {
            int b0 = bytes[i] & 0xff;
            if (b0 < 0x80) {
                jsonChar(out, (char) b0);
                i++;
                continue;
            }
            int length;
            int codePoint;
            if (b0 >= 0xc2 && b0 <= 0xdf) {
                length = 2;
                codePoint = b0 & 0x1f;
            } else if (b0 >= 0xe0 && b0 <= 0xef) {
                length = 3;
                codePoint = b0 & 0x0f;
            } else if (b0 >= 0xf0 && b0 <= 0xf4) {
                length = 4;
                codePoint = b0 & 0x07;
            } else {
                unicode(out, REPLACEMENT);
                i++;
                continue;
            }
            boolean valid = i + length <= bytes.length;
            for (int k = 1; valid && k < length; k++) {
                int b = bytes[i + k] & 0xff;
                valid = (b & 0xc0) == 0x80;
                codePoint = codePoint << 6 | (b & 0x3f);
            }
            valid = valid && !(length == 3 && codePoint < 0x800)
                    && !(length == 4 && (codePoint < 0x10000 || codePoint > 0x10ffff))
                    && !(codePoint >= 0xd800 && codePoint <= 0xdfff);
            if (!valid) {
                unicode(out, REPLACEMENT);
                i++;
                continue;
            }
            if (codePoint >= 0x10000) {
                unicode(out, Character.highSurrogate(codePoint));
                unicode(out, Character.lowSurrogate(codePoint));
            } else {
                unicode(out, codePoint);
            }
            i += length;
        }
        out.append('"');
    }

    private static void jsonChar(StringBuilder out, char c) {
        switch (c) {
            case '"' -> out.append("\\\"");
            case '\\' -> out.append("\\\\");
            case '\n' -> out.append("\\n");
            case '\r' -> out.append("\\r");
            case '\t' -> out.append("\\t");
            case '\b' -> out.append("\\b");
            case '\f' -> out.append("\\f");
            default -> {
                if (c < 0x20 || c >= 0x7f) {
                    unicode(out, c);
                } else {
                    out.append(c);
                }
            }
        }
    }

    private static void unicode(StringBuilder out, int unit) {
        out.append('\\').append('u')
                .append(HEX_LOWER[unit >> 12 & 0xf]).append(HEX_LOWER[unit >> 8 & 0xf])
                .append(HEX_LOWER[unit >> 4 & 0xf]).append(HEX_LOWER[unit & 0xf]);
    }
}
