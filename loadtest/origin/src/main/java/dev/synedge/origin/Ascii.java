package dev.synedge.origin;

import io.netty.buffer.ByteBuf;

/** Byte-level helpers for HTTP/1.1 text over ByteBufs, without a String per field. */
final class Ascii {

    static final byte CR = '\r';
    static final byte LF = '\n';
    static final byte SP = ' ';
    static final byte HTAB = '\t';

    private static final boolean[] TCHAR = new boolean[128];

    static {
        for (char c = '0'; c <= '9'; c++) {
            TCHAR[c] = true;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            TCHAR[c] = true;
            TCHAR[c - 'a' + 'A'] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TCHAR[c] = true;
        }
    }

    private Ascii() {}

    /** A token character (RFC 9110 §5.6.2). */
    static boolean isTchar(int b) {
        return b >= 0 && b < 128 && TCHAR[b];
    }

    static boolean isToken(CharSequence s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!isTchar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Allowed in a field value: VCHAR, obs-text, SP, HTAB; never CR, LF, NUL, DEL or other CTLs. */
    static boolean isFieldValueByte(int unsigned) {
        return unsigned == HTAB || (unsigned >= 0x20 && unsigned != 0x7f);
    }

    static boolean isWhitespace(int b) {
        return b == SP || b == HTAB;
    }

    /** Compares {@code length} bytes at {@code index} with a lower-case ASCII literal, ignoring case. */
    static boolean equalsIgnoreCase(ByteBuf buf, int index, int length, String lowerLiteral) {
        if (length != lowerLiteral.length()) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            int b = buf.getByte(index + i);
            if (b >= 'A' && b <= 'Z') {
                b += 'a' - 'A';
            }
            if (b != lowerLiteral.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    static String hex8(int value) {
        return String.format("%08x", value);
    }
}
