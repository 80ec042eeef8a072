package dev.synedge.http;

import io.netty.buffer.ByteBuf;

/**
 * The answer to a TRACE that reached its last hop here (Max-Forwards: 0): 200 with the request
 * as received as a {@code message/http} body (RFC 9110 §9.3.8), without the fields that carry
 * credentials, which TRACE would otherwise hand to any script that can send one.
 */
public final class TraceResponse {

    private static final byte[][] CREDENTIALS = {
        Ascii.bytes("cookie"), Ascii.bytes("authorization"), Ascii.bytes("proxy-authorization"),
    };

    private TraceResponse() {
    }

    /** Writes the response to {@code request}; {@code close} adds Connection: close. Returns the bytes written. */
    public static int write(ByteBuf out, RequestHead request, boolean close) {
        int begin = out.writerIndex();
        ByteBuf in = request.buffer();
        int lineEnd = request.fieldCount() > 0 ? request.nameStart(0) : request.end() - 2;
        int length = lineEnd - request.start();
        for (int i = 0; i < request.fieldCount(); i++) {
            if (!credential(request, i)) {
                length += request.lineEnd(i) - request.nameStart(i);
            }
        }
        length += 2;
        out.writeBytes(Ascii.bytes("HTTP/1.1 200 OK\r\nContent-Type: message/http\r\n"));
        Writing.contentLength(out, length);
        if (close) {
            out.writeBytes(Ascii.bytes("Connection: close\r\n"));
        }
        Writing.crlf(out);
        Bytes.write(out, in, request.start(), lineEnd - request.start());
        for (int i = 0; i < request.fieldCount(); i++) {
            if (!credential(request, i)) {
                Bytes.write(out, in, request.nameStart(i), request.lineEnd(i) - request.nameStart(i));
            }
        }
        Writing.crlf(out);
        return out.writerIndex() - begin;
    }

    private static boolean credential(RequestHead request, int i) {
        int from = request.nameStart(i);
        int len = request.nameEnd(i) - from;
        for (byte[] name : CREDENTIALS) {
            if (Ascii.equalsLower(request.buffer(), from, len, name)) {
                return true;
            }
        }
        return false;
    }
}
