package dev.synedge.origin;

import io.netty.buffer.ByteBuf;

/** Byte-level helpers for HTTP/1.1 text over ByteBufs, without a String per field. */
final class Ascii {

    static final byte CR = '\r';
    static final byte LF = '\n';
    static final byte SP = ' ';
    static final byte HTAB = '\t';

    private static final boolean[] TCHAR = new boolean[128];
    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

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

    /** Writes {@code value} (>= 0) in decimal. */
    static void writeDecimal(ByteBuf buf, long value) {
        if (value == 0) {
            buf.writeByte('0');
            return;
        }
        int digits = 0;
        for (long v = value; v != 0; v /= 10) {
            digits++;
        }
        int at = buf.writerIndex() + digits;
        buf.ensureWritable(digits);
        for (long v = value; v != 0; v /= 10) {
            buf.setByte(--at, (int) ('0' + v % 10));
        }
        buf.writerIndex(buf.writerIndex() + digits);
    }

    /** Writes {@code value} in lower-case hex without leading zeros. */
    static void writeHex(ByteBuf buf, long value) {
        int digits = value == 0 ? 1 : (67 - Long.numberOfLeadingZeros(value)) / 4;
        for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) {
            buf.writeByte(HEX[(int) (value >>> shift) & 0xf]);
        }
    }

    /** Writes the eight lower-case hex digits of a 32-bit value, as checksums are sent. */
    static void writeHex8(ByteBuf buf, int value) {
        for (int shift = 28; shift >= 0; shift -= 4) {
            buf.writeByte(HEX[(value >>> shift) & 0xf]);
        }
    }

    static String hex8(int value) {
        return String.format("%08x", value);
    }
}
