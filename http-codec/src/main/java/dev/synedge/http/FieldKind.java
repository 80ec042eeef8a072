package dev.synedge.http;

/**
 * The header fields the proxy acts on, recognised once while a head is parsed so that neither
 * the proxy nor the head writers compare names again. Kinds are small ints (an index into
 * {@link #NAMES}); everything else is {@link #OTHER}.
 */
final class FieldKind {

    static final int OTHER = 0;
    static final int HOST = 1;
    static final int CONTENT_LENGTH = 2;
    static final int TRANSFER_ENCODING = 3;
    static final int CONNECTION = 4;
    static final int KEEP_ALIVE = 5;
    static final int PROXY_CONNECTION = 6;
    static final int TE = 7;
    static final int UPGRADE = 8;
    static final int TRAILER = 9;
    static final int EXPECT = 10;
    static final int VIA = 11;
    static final int X_FORWARDED_FOR = 12;
    static final int X_FORWARDED_PROTO = 13;
    static final int X_FORWARDED_HOST = 14;
    static final int FORWARDED = 15;
    static final int MAX_FORWARDS = 16;
    static final int HTTP2_SETTINGS = 17;
    static final int COUNT = 18;

    /** Lower-case names by kind. */
    static final byte[][] NAMES = {
        {},
        Ascii.bytes("host"),
        Ascii.bytes("content-length"),
        Ascii.bytes("transfer-encoding"),
        Ascii.bytes("connection"),
        Ascii.bytes("keep-alive"),
        Ascii.bytes("proxy-connection"),
        Ascii.bytes("te"),
        Ascii.bytes("upgrade"),
        Ascii.bytes("trailer"),
        Ascii.bytes("expect"),
        Ascii.bytes("via"),
        Ascii.bytes("x-forwarded-for"),
        Ascii.bytes("x-forwarded-proto"),
        Ascii.bytes("x-forwarded-host"),
        Ascii.bytes("forwarded"),
        Ascii.bytes("max-forwards"),
        Ascii.bytes("http2-settings"),
    };

    private FieldKind() {
    }

    /** The kind of the token {@code a[from, from+len)}, which must hold only tchars. */
    static int of(byte[] a, int from, int len) {
        return switch (len) {
            case 2 -> is(a, from, len, TE);
            case 3 -> is(a, from, len, VIA);
            case 4 -> is(a, from, len, HOST);
            case 6 -> is(a, from, len, EXPECT);
            case 7 -> Ascii.lower(a[from]) == 'u' ? is(a, from, len, UPGRADE) : is(a, from, len, TRAILER);
            case 9 -> is(a, from, len, FORWARDED);
            case 10 -> Ascii.lower(a[from]) == 'c' ? is(a, from, len, CONNECTION) : is(a, from, len, KEEP_ALIVE);
            case 12 -> is(a, from, len, MAX_FORWARDS);
            case 14 -> Ascii.lower(a[from]) == 'c' ? is(a, from, len, CONTENT_LENGTH) : is(a, from, len, HTTP2_SETTINGS);
            case 15 -> is(a, from, len, X_FORWARDED_FOR);
            case 16 -> Ascii.lower(a[from]) == 'p' ? is(a, from, len, PROXY_CONNECTION) : is(a, from, len, X_FORWARDED_HOST);
            case 17 -> Ascii.lower(a[from]) == 't' ? is(a, from, len, TRANSFER_ENCODING) : is(a, from, len, X_FORWARDED_PROTO);
            default -> OTHER;
        };
    }

    private static int is(byte[] a, int from, int len, int kind) {
        // The input holds only tchars, and for those (b | 0x20) equals a lower-case letter or
        // '-' exactly when b is that letter in either case or '-'.
        byte[] name = NAMES[kind];
        for (int i = 0; i < len; i++) {
            if ((a[from + i] | 0x20) != name[i]) {
                return OTHER;
            }
        }
        return kind;
    }
}
