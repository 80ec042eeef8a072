package dev.synedge.origin;

import dev.synedge.http.Method;
import dev.synedge.http.RequestHead;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Maps a parsed request to an {@link Endpoint}, reading the path in place; only a query or a
 * sized path becomes a String. The codec's parser has already checked the target and found the
 * path in origin-form and absolute-form targets (RFC 9112 §3.2).
 */
final class Router {

    private Router() {}

    record Route(Endpoint endpoint, long size, ResponseOptions options) {}

    private static final Route HELLO = new Route(Endpoint.HELLO, 0, ResponseOptions.DEFAULTS);

    static Route route(RequestHead head) throws RequestRejected {
        ByteBuf buf = head.buffer();
        int start = head.pathStart();
        int pathEnd = head.queryStart();
        int end = head.pathEnd();
        ResponseOptions options = pathEnd == end
                ? ResponseOptions.DEFAULTS
                : ResponseOptions.parse(buf.toString(pathEnd + 1, end - pathEnd - 1, StandardCharsets.US_ASCII));
        int pathLength = pathEnd - start;
        Endpoint endpoint;
        long size = 0;
        if (is(buf, start, pathLength, "/hello")) {
            if (options == ResponseOptions.DEFAULTS) {
                return HELLO;
            }
            endpoint = Endpoint.HELLO;
        } else if (is(buf, start, pathLength, "/echo")) {
            endpoint = Endpoint.ECHO;
        } else if (is(buf, start, pathLength, "/upload")) {
            if (head.method() != Method.POST && head.method() != Method.PUT) {
                throw new RequestRejected(405, "/upload takes POST or PUT");
            }
            endpoint = Endpoint.UPLOAD;
        } else if (is(buf, start, pathLength, "/stats")) {
            endpoint = Endpoint.STATS;
        } else if (is(buf, start, pathLength, "/ws")) {
            endpoint = Endpoint.WEBSOCKET;
        } else {
            size = sizedPath(buf, start, pathEnd);
            endpoint = size < 0 ? Endpoint.NOT_FOUND : Endpoint.SIZED;
        }
        if (options.randomSize() >= 0) {
            if (endpoint != Endpoint.SIZED) {
                throw RequestRejected.badRequest("random=MIN-MAX applies to sized paths such as /1k");
            }
            size = options.randomSize();
        }
        return new Route(endpoint, Math.max(size, 0), options);
    }

    private static boolean is(ByteBuf buf, int start, int length, String path) {
        if (length != path.length()) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (buf.getByte(start + i) != path.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The size named by {@code /<n>[k|m|g][.bin]}, or -1. */
    private static long sizedPath(ByteBuf buf, int start, int end) {
        int length = end - start;
        if (length < 2 || buf.getByte(start) != '/') {
            return -1;
        }
        int sizeEnd = end;
        if (length > 5 && is(buf, end - 4, 4, ".bin")) {
            sizeEnd = end - 4;
        }
        String size = buf.toString(start + 1, sizeEnd - start - 1, StandardCharsets.US_ASCII);
        return ResponseOptions.parseSize(size, 0, size.length());
    }
}
