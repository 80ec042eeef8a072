package dev.synedge.origin;

import io.netty.buffer.ByteBuf;

/** The request methods the origin treats differently; every other token is {@link #OTHER}. */
enum Method {
    GET, HEAD, POST, PUT, CONNECT, OTHER;

    static Method of(ByteBuf buf, int index, int length) {
        return switch (length) {
            case 3 -> matches(buf, index, "GET") ? GET : matches(buf, index, "PUT") ? PUT : OTHER;
            case 4 -> matches(buf, index, "HEAD") ? HEAD : matches(buf, index, "POST") ? POST : OTHER;
            case 7 -> matches(buf, index, "CONNECT") ? CONNECT : OTHER;
            default -> OTHER;
        };
    }

    /** Methods are case-sensitive (RFC 9110 §9.1). */
    private static boolean matches(ByteBuf buf, int index, String name) {
        for (int i = 0; i < name.length(); i++) {
            if (buf.getByte(index + i) != name.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
