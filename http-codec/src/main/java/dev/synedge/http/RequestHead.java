package dev.synedge.http;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * A parsed request head (see {@link MessageHead} for the rules on offsets). Filled by
 * {@link RequestHeadParser}; one instance per connection, reused for every request.
 */
public final class RequestHead extends MessageHead {

    Method method;
    int methodEnd;
    int targetStart;
    int targetEnd;
    TargetForm targetForm;
    /** Start of the part forwarded in origin-form: the target itself, or what follows the authority. */
    int pathStart;
    int queryStart;
    int hostStart;
    int hostEnd;
    int hostNameEnd;
    boolean hostFromTarget;
    boolean expectContinue;
    boolean upgradeRequested;
    boolean requestLineValid;

    public RequestHead() {
    }

    @Override
    void reset(ByteBuf buffer, int base) {
        super.reset(buffer, base);
        method = null;
        methodEnd = 0;
        targetStart = 0;
        targetEnd = 0;
        targetForm = null;
        pathStart = 0;
        queryStart = 0;
        hostStart = -1;
        hostEnd = -1;
        hostNameEnd = -1;
        hostFromTarget = false;
        expectContinue = false;
        upgradeRequested = false;
        requestLineValid = false;
    }

    public Method method() {
        return method;
    }

    /**
     * The method as sent: {@link Method#name()} for the methods the proxy knows, else its bytes
     * (allocates). Null until the request line was found valid.
     */
    public String methodName() {
        if (!requestLineValid) {
            return null;
        }
        return method != Method.OTHER ? method.name()
                : buffer().toString(methodStart(), methodEnd() - methodStart(), StandardCharsets.US_ASCII);
    }

    /**
     * The request line was read whole and found valid. Its method, target and version then
     * stand even when the head failed later (a bad field, too many, a head too large or never
     * finished): what an access log may report of a refused request. Until then, or when the
     * request line itself was refused, nothing of it has been validated as a request line.
     */
    public boolean requestLineValid() {
        return requestLineValid;
    }

    /** Index of the method's first byte (same as {@link #start()}). */
    public int methodStart() {
        return start();
    }

    public int methodEnd() {
        return base + methodEnd;
    }

    public TargetForm targetForm() {
        return targetForm;
    }

    public int targetStart() {
        return base + targetStart;
    }

    public int targetEnd() {
        return base + targetEnd;
    }

    /**
     * Start of the path and query as forwarded in origin-form. For an absolute-form target this
     * is just past the authority, and the range may be empty or start with {@code ?}: the
     * forwarded target then starts with {@code /}.
     */
    public int pathStart() {
        return base + pathStart;
    }

    /** End of the path (and query); equal to {@link #targetEnd()}. */
    public int pathEnd() {
        return base + targetEnd;
    }

    /**
     * Index of the {@code ?} that starts the query, or {@link #pathEnd()} when there is none:
     * the path alone is {@code [pathStart(), queryStart())}, as sent: not decoded, and free of
     * dot-segments and backslashes, which the parser refuses (see {@link RequestHeadParser}).
     */
    public int queryStart() {
        return base + queryStart;
    }

    /**
     * Start of the effective host ({@code host[:port]} as sent): the absolute-form authority if
     * there is one, else the Host value. Never empty on a parsed HTTP/1.1 request; an HTTP/1.0
     * request without either has {@code hostStart() == hostEnd()}.
     */
    public int hostStart() {
        return hostStart < 0 ? base : base + hostStart;
    }

    public int hostEnd() {
        return hostEnd < 0 ? base : base + hostEnd;
    }

    /** End of the host name within the effective host, before any {@code :port}. */
    public int hostNameEnd() {
        return hostNameEnd < 0 ? base : base + hostNameEnd;
    }

    /** True when the effective host came from an absolute-form target rather than Host. */
    public boolean hostFromTarget() {
        return hostFromTarget;
    }

    /** {@code Expect: 100-continue} on an HTTP/1.1 request (ignored on HTTP/1.0, S §10.1.1). */
    public boolean expectContinue() {
        return expectContinue;
    }

    /**
     * An HTTP/1.1 request with Connection: upgrade and an Upgrade field offering a protocol
     * other than h2c (S §7.8), which synedge may tunnel.
     */
    public boolean upgradeRequested() {
        return upgradeRequested;
    }

    /** The effective host as a String: allocates, for logs and tests. */
    public String host() {
        return buffer().toString(hostStart(), hostEnd() - hostStart(), StandardCharsets.ISO_8859_1);
    }

    /** The request target as sent, as a String: allocates, for logs and tests. */
    public String target() {
        return buffer().toString(targetStart(), targetEnd() - targetStart(), StandardCharsets.ISO_8859_1);
    }
}
