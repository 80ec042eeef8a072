package dev.synedge.http;

import io.netty.buffer.ByteBuf;

/** Byte classes of the HTTP grammar and small byte-level helpers shared by this package. */
final class Ascii {

    static final byte CR = '\r';
    static final byte LF = '\n';
    static final byte SP = ' ';
    static final byte HTAB = '\t';

    private static final byte TCHAR = 1;
    private static final byte VALUE = 2;
    private static final byte HEX = 4;
    private static final byte HOST = 8;
    private static final byte TARGET = 16;

    /** Bit set of the classes above per byte value (index {@code b & 0xFF}). */
    private static final byte[] CLASSES = new byte[256];
    /** Value of a hex digit, or -1. */
    private static final byte[] HEX_VALUE = new byte[256];

    static {
        for (int c = 0; c < 256; c++) {
            int bits = 0;
            boolean alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
            boolean digit = c >= '0' && c <= '9';
            if (alpha || digit || "!#$%&'*+-.^_`|~".indexOf(c) >= 0) {
                bits |= TCHAR;
            }
            // field-value bytes: VCHAR, SP, HTAB and obs-text (RFC 9110 §5.5)
            if (c == HTAB || (c >= 0x20 && c != 0x7F)) {
                bits |= VALUE;
            }
            if (digit || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')) {
                bits |= HEX;
            }
            // reg-name bytes a host may use; IP literals are checked separately
            if (alpha || digit || c == '-' || c == '.' || c == '_' || c == '~') {
                bits |= HOST;
            }
            // printable ASCII other than '#': '%' is checked for its two hex digits in paths
            if (c > 0x20 && c < 0x7F && c != '#') {
                bits |= TARGET;
            }
            CLASSES[c] = (byte) bits;
            HEX_VALUE[c] = (byte) (digit ? c - '0'
                    : c >= 'a' && c <= 'f' ? c - 'a' + 10
                    : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1);
        }
    }

    private Ascii() {
    }

    static boolean isTchar(byte b) {
        return (CLASSES[b & 0xFF] & TCHAR) != 0;
    }

    static boolean isValueByte(byte b) {
        return (CLASSES[b & 0xFF] & VALUE) != 0;
    }

    static boolean isHostByte(byte b) {
        return (CLASSES[b & 0xFF] & HOST) != 0;
    }

    static boolean isTargetByte(byte b) {
        return (CLASSES[b & 0xFF] & TARGET) != 0;
    }

    static int hexValue(byte b) {
        return HEX_VALUE[b & 0xFF];
    }

    static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    static boolean isOws(byte b) {
        return b == SP || b == HTAB;
    }

    static int lower(int b) {
        return b >= 'A' && b <= 'Z' ? b + 32 : b;
    }

    /** True if {@code a[from, from+lower.length)} equals {@code lower} ignoring ASCII case. */
    static boolean equalsLower(byte[] a, int from, int len, byte[] lower) {
        if (len != lower.length) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            if (lower(a[from + i]) != lower[i]) {
                return false;
            }
        }
        return true;
    }

    /** True if {@code buf[from, from+len)} equals {@code name} ignoring ASCII case. */
    static boolean equalsIgnoreCase(ByteBuf buf, int from, int len, CharSequence name) {
        if (len != name.length()) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            if (lower(buf.getByte(from + i)) != lower(name.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** True if the two byte ranges of {@code buf} are equal ignoring ASCII case. */
    static boolean equalsIgnoreCase(ByteBuf buf, int a, int b, int len) {
        for (int i = 0; i < len; i++) {
            if (lower(buf.getByte(a + i)) != lower(buf.getByte(b + i))) {
                return false;
            }
        }
        return true;
    }

    /** True if {@code buf[from, from+len)} equals the lower-case {@code lower}, ignoring case. */
    static boolean equalsLower(ByteBuf buf, int from, int len, byte[] lower) {
        if (len != lower.length) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            if (lower(buf.getByte(from + i)) != lower[i]) {
                return false;
            }
        }
        return true;
    }

    static byte[] bytes(String ascii) {
        byte[] b = new byte[ascii.length()];
        for (int i = 0; i < b.length; i++) {
            char c = ascii.charAt(i);
            if (c > 0x7F) {
                throw new IllegalArgumentException("not ASCII: " + ascii);
            }
            b[i] = (byte) c;
        }
        return b;
    }

    /** Writes {@code n >= 0} in decimal without allocating. */
    static void writeDecimal(ByteBuf out, long n) {
        if (n < 10) {
            out.writeByte((int) ('0' + n));
            return;
        }
        int digits = 1;
        for (long t = n / 10; t != 0; t /= 10) {
            digits++;
        }
        int at = out.writerIndex();
        out.ensureWritable(digits);
        for (int i = digits - 1; i >= 0; i--) {
            out.setByte(at + i, (int) ('0' + n % 10));
            n /= 10;
        }
        out.writerIndex(at + digits);
    }

    /** Writes {@code n >= 0} in lower-case hex without leading zeros and without allocating. */
    static void writeHex(ByteBuf out, long n) {
        int digits = n == 0 ? 1 : (67 - Long.numberOfLeadingZeros(n)) >> 2;
        int at = out.writerIndex();
        out.ensureWritable(digits);
        for (int i = digits - 1; i >= 0; i--) {
            out.setByte(at + i, "0123456789abcdef".charAt((int) (n & 0xF)));
            n >>>= 4;
        }
        out.writerIndex(at + digits);
    }
}
