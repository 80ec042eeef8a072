package dev.synedge.http;

import io.netty.buffer.ByteBuf;

/** Byte-writing steps shared by the head writers. */
final class Writing {

    private static final byte[] COLON_SP = Ascii.bytes(": ");
    private static final byte[] COMMA_SP = Ascii.bytes(", ");

    private Writing() {
    }

    static void crlf(ByteBuf out) {
        out.writeShort(('\r' << 8) | '\n');
    }

    static void contentLength(ByteBuf out, long n) {
        out.writeBytes(RequestHeadWriter.CONTENT_LENGTH);
        Ascii.writeDecimal(out, n);
        crlf(out);
    }

    /**
     * Writes {@code name: value} of field {@code i} without its line end, followed by
     * {@code ", "} when the value is not empty: the caller appends one list element and CRLF.
     */
    static void fieldWithAppendix(MessageHead head, int i, ByteBuf out) {
        field(head, i, out);
        if (head.valueEnd(i) > head.valueStart(i)) {
            out.writeBytes(COMMA_SP);
        }
    }

    /** Writes {@code name: value} of field {@code i}, normalized, without its line end. */
    static void field(MessageHead head, int i, ByteBuf out) {
        ByteBuf in = head.buffer();
        Bytes.write(out, in, head.nameStart(i), head.nameEnd(i) - head.nameStart(i));
        out.writeBytes(COLON_SP);
        Bytes.write(out, in, head.valueStart(i), head.valueEnd(i) - head.valueStart(i));
    }
}
