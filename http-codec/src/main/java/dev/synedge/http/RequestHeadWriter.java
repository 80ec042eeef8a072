package dev.synedge.http;

import io.netty.buffer.ByteBuf;

/**
 * Writes the head the proxy sends upstream for a parsed request (S §7.6), straight into a
 * caller's buffer: no intermediate message, no String, nothing allocated per call. One instance
 * per route (it holds the route's pre-encoded edits); immutable and safe to share between event
 * loops.
 *
 * <p>What it writes, in order:
 * <ol>
 * <li>{@code method SP target SP HTTP/1.1}: the method as received; the target in origin-form
 *     (an absolute-form target loses its scheme and authority; an empty path becomes {@code /},
 *     or {@code *} for OPTIONS, M §3.2.4), with the route's path prefix replaced when the path
 *     starts with it (plain byte replacement; {@code /} is kept when the replacement would leave
 *     the path empty); otherwise path and query go as received, which cannot climb out of the
 *     replaced prefix since the parser refuses dot-segments;
 * <li>{@code Host:} the effective host (absolute-form authority, else Host), or for an HTTP/1.0
 *     request with neither the caller's default (the endpoint's authority);
 * <li>every received field in its original order and bytes, except: Host; the framing fields
 *     Content-Length and Transfer-Encoding (re-emitted below); the hop-by-hop fields Connection,
 *     every field Connection names, Keep-Alive, Proxy-Connection, TE, and Upgrade unless
 *     tunnelling (and then its h2c offers, rewritten out of the list); HTTP2-Settings; Trailer
 *     unless the body stays chunked; Expect from HTTP/1.0 (S §10.1.1);
 *     X-Forwarded-* and Forwarded unless the route appends and the client is a trusted hop; and
 *     the fields the route removes;
 * <li>{@code 1.1 <pseudonym>} appended to the last Via line, or a new Via line; likewise the
 *     client address appended to a kept X-Forwarded-For and a Forwarded element
 *     ({@code for=..;host=..;proto=..}) to a kept Forwarded, or new lines; X-Forwarded-Proto and
 *     X-Forwarded-Host added unless kept from a trusted hop;
 * <li>the route's added fields; {@code Connection: upgrade} when tunnelling (the Upgrade fields
 *     stay in place);
 * <li>the framing the proxy forwards the body with: {@code Content-Length: n} or
 *     {@code Transfer-Encoding: chunked} (kept as received: the upstream is HTTP/1.1), nothing
 *     for no body; then the empty line.
 * </ol>
 * An appended value is joined to the received ones in one line, because many servers read only
 * one line of a field.
 */
public final class RequestHeadWriter {

    private static final byte[] HTTP11_CRLF = Ascii.bytes(" HTTP/1.1\r\n");
    private static final byte[] HOST = Ascii.bytes("Host: ");
    private static final byte[] VIA = Ascii.bytes("Via: ");
    private static final byte[] MAX_FORWARDS = Ascii.bytes("Max-Forwards: ");
    private static final byte[] XFF = Ascii.bytes("X-Forwarded-For: ");
    private static final byte[] XFP = Ascii.bytes("X-Forwarded-Proto: ");
    private static final byte[] XFH = Ascii.bytes("X-Forwarded-Host: ");
    private static final byte[] FORWARDED = Ascii.bytes("Forwarded: ");
    private static final byte[] FOR = Ascii.bytes("for=");
    private static final byte[] HOST_PARAM = Ascii.bytes(";host=");
    private static final byte[] PROTO_PARAM = Ascii.bytes(";proto=");
    private static final byte[] CONNECTION_UPGRADE = Ascii.bytes("Connection: upgrade\r\n");
    private static final byte[] UPGRADE = Ascii.bytes("Upgrade: ");
    private static final byte[] COMMA_SP = Ascii.bytes(", ");
    private static final byte[] H2C = Ascii.bytes("h2c");
    static final byte[] TE_CHUNKED = Ascii.bytes("Transfer-Encoding: chunked\r\n");
    static final byte[] CONTENT_LENGTH = Ascii.bytes("Content-Length: ");

    private final byte[] viaElement;
    private final ForwardedMode xForwarded;
    private final ForwardedMode forwarded;
    private final EncodedEdits edits;
    private final byte[] prefixFrom;
    private final byte[] prefixTo;

    /**
     * @param pseudonym  this proxy's name in Via (a token, e.g. {@code synedge})
     * @param xForwarded what to do with X-Forwarded-For/-Proto/-Host
     * @param forwarded  what to do with Forwarded
     * @param edits      the route's header edits for requests
     * @param prefixFrom path prefix to replace (the route matched it; may be empty to insert
     *                   {@code prefixTo} in front), or null for no rewrite
     * @param prefixTo   its replacement, or null for no rewrite; where it ends with / and the rest
     *                   of the path starts with /, one slash is kept
     * @throws IllegalArgumentException for an invalid pseudonym, an edit of a field the proxy
     *                                  manages, or an invalid prefix
     */
    public RequestHeadWriter(String pseudonym, ForwardedMode xForwarded, ForwardedMode forwarded,
                             HeaderEdits edits, byte[] prefixFrom, byte[] prefixTo) {
        this.viaElement = viaElement(pseudonym);
        this.xForwarded = xForwarded;
        this.forwarded = forwarded;
        this.edits = new EncodedEdits(edits);
        if ((prefixFrom == null) != (prefixTo == null)) {
            throw new IllegalArgumentException("path prefix rewrite needs both from and to");
        }
        if (prefixFrom != null && ((prefixFrom.length > 0 && prefixFrom[0] != '/')
                || (prefixTo.length > 0 && prefixTo[0] != '/') || !targetBytes(prefixFrom) || !targetBytes(prefixTo))) {
            throw new IllegalArgumentException("path prefixes must be empty or start with / and hold only URI path bytes");
        }
        this.prefixFrom = prefixFrom == null ? null : prefixFrom.clone();
        this.prefixTo = prefixTo == null ? null : prefixTo.clone();
    }

    /** A writer without path rewrite. */
    public RequestHeadWriter(String pseudonym, ForwardedMode xForwarded, ForwardedMode forwarded, HeaderEdits edits) {
        this(pseudonym, xForwarded, forwarded, edits, null, null);
    }

    static byte[] viaElement(String pseudonym) {
        byte[] p = Ascii.bytes(pseudonym);
        if (p.length == 0) {
            throw new IllegalArgumentException("empty Via pseudonym");
        }
        for (byte b : p) {
            if (!Ascii.isTchar(b)) {
                throw new IllegalArgumentException("Via pseudonym must be a token: " + pseudonym);
            }
        }
        byte[] element = new byte[4 + p.length];
        System.arraycopy(Ascii.bytes("1.1 "), 0, element, 0, 4);
        System.arraycopy(p, 0, element, 4, p.length);
        return element;
    }

    private static boolean targetBytes(byte[] b) {
        for (byte c : b) {
            if (!Ascii.isTargetByte(c) || c == '?') {
                return false;
            }
        }
        return true;
    }

    /**
     * Writes the forwarded head for {@code head} to {@code out} and returns the number of bytes
     * written. {@code head}'s buffer must still hold its bytes. {@code tunnel}: the caller
     * forwards an upgrade ({@link RequestHead#upgradeRequested()} and the route allows it). The
     * caller keeps ownership of {@code out}.
     *
     * @throws IllegalArgumentException if {@code tunnel} is set for a request that asked for no
     *                                  upgrade
     */
    public int write(RequestHead head, ClientHop client, boolean tunnel, ByteBuf out) {
        return write(head, client, tunnel, null, out);
    }

    /**
     * As {@link #write(RequestHead, ClientHop, boolean, ByteBuf)}, with the Host value to send
     * when the request has no host at all (HTTP/1.0 without Host or absolute-form target):
     * {@code defaultHost}, e.g. the endpoint's {@code host:port} as configured, so that the
     * HTTP/1.1 head sent upstream carries a non-empty Host. Null sends an empty Host.
     * X-Forwarded-Host and Forwarded's {@code host=} still report only what the client sent.
     */
    public int write(RequestHead head, ClientHop client, boolean tunnel, byte[] defaultHost, ByteBuf out) {
        if (tunnel && !head.upgradeRequested()) {
            throw new IllegalArgumentException("tunnel requested for a request without Upgrade");
        }
        int begin = out.writerIndex();
        ByteBuf in = head.buffer();
        Bytes.write(out, in, head.methodStart(), head.methodEnd() - head.methodStart());
        out.writeByte(' ');
        writeTarget(head, in, out);
        out.writeBytes(HTTP11_CRLF);
        out.writeBytes(HOST);
        if (head.hostEnd() == head.hostStart() && defaultHost != null) {
            out.writeBytes(defaultHost);
        } else {
            Bytes.write(out, in, head.hostStart(), head.hostEnd() - head.hostStart());
        }
        Writing.crlf(out);

        boolean keepXf = xForwarded == ForwardedMode.APPEND && client.trusted;
        boolean keepFwd = forwarded == ForwardedMode.APPEND && client.trusted;
        int lastVia = lastKept(head, FieldKind.VIA, tunnel, keepXf, keepFwd);
        int lastXff = keepXf ? lastKept(head, FieldKind.X_FORWARDED_FOR, tunnel, true, keepFwd) : -1;
        int lastFwd = keepFwd ? lastKept(head, FieldKind.FORWARDED, tunnel, keepXf, true) : -1;

        int run = -1;
        int runEnd = -1;
        for (int i = 0, n = head.fieldCount(); i < n; i++) {
            boolean append = i == lastVia || i == lastXff || i == lastFwd;
            boolean withoutH2c = tunnel && (head.flags(i) & MessageHead.FLAG_H2C) != 0;
            if (!append && !withoutH2c && !drops(head, i, tunnel, keepXf, keepFwd)) {
                if (run < 0) {
                    run = head.nameStart(i);
                }
                runEnd = head.lineEnd(i);
                continue;
            }
            if (run >= 0) {
                Bytes.write(out, in, run, runEnd - run);
                run = -1;
            }
            if (append) {
                Writing.fieldWithAppendix(head, i, out);
                if (i == lastVia) {
                    out.writeBytes(viaElement);
                } else if (i == lastXff) {
                    out.writeBytes(client.address);
                } else {
                    writeForwardedElement(head, client, out);
                }
                Writing.crlf(out);
            } else if (withoutH2c) {
                writeUpgradeWithoutH2c(head, i, out);
            }
        }
        if (run >= 0) {
            Bytes.write(out, in, run, runEnd - run);
        }

        if (lastVia < 0) {
            out.writeBytes(VIA).writeBytes(viaElement);
            Writing.crlf(out);
        }
        if (xForwarded != ForwardedMode.OFF) {
            if (lastXff < 0) {
                out.writeBytes(XFF).writeBytes(client.address);
                Writing.crlf(out);
            }
            if (!keepXf || lastKept(head, FieldKind.X_FORWARDED_PROTO, tunnel, true, keepFwd) < 0) {
                out.writeBytes(XFP).writeBytes(client.proto);
                Writing.crlf(out);
            }
            if ((!keepXf || lastKept(head, FieldKind.X_FORWARDED_HOST, tunnel, true, keepFwd) < 0)
                    && head.hostEnd() > head.hostStart()) {
                out.writeBytes(XFH);
                Bytes.write(out, in, head.hostStart(), head.hostEnd() - head.hostStart());
                Writing.crlf(out);
            }
        }
        if (forwarded != ForwardedMode.OFF && lastFwd < 0) {
            out.writeBytes(FORWARDED);
            writeForwardedElement(head, client, out);
            Writing.crlf(out);
        }
        if (decrementsMaxForwards(head)) {
            out.writeBytes(MAX_FORWARDS);
            Ascii.writeDecimal(out, head.maxForwards() - 1);
            Writing.crlf(out);
        }
        out.writeBytes(edits.add);
        if (tunnel) {
            out.writeBytes(CONNECTION_UPGRADE);
        }
        switch (head.bodyKind()) {
            case CONTENT_LENGTH -> Writing.contentLength(out, head.contentLength());
            case CHUNKED -> out.writeBytes(TE_CHUNKED);
            case NONE, CLOSE_DELIMITED -> {
            }
        }
        Writing.crlf(out);
        return out.writerIndex() - begin;
    }

    private void writeTarget(RequestHead head, ByteBuf in, ByteBuf out) {
        if (head.targetForm() == TargetForm.ASTERISK) {
            out.writeByte('*');
            return;
        }
        int ps = head.pathStart();
        int pe = head.pathEnd();
        // an absolute-form target may have an empty path, or a query right after the authority
        boolean implicitSlash = ps == pe || in.getByte(ps) == '?';
        if (implicitSlash && ps == pe && head.method() == Method.OPTIONS) {
            out.writeByte('*');
            return;
        }
        if (prefixFrom != null && (implicitSlash ? prefixFrom.length <= 1 : startsWith(in, ps, pe, prefixFrom))) {
            out.writeBytes(prefixTo);
            if (!implicitSlash) {
                ps += prefixFrom.length;
            }
            if (prefixTo.length == 0) {
                if (ps == pe || in.getByte(ps) != '/') {
                    out.writeByte('/');
                }
            } else if (prefixTo[prefixTo.length - 1] == '/' && ps < pe && in.getByte(ps) == '/') {
                // where the replacement and the rest meet, one slash: /api + / + /users = /users
                ps++;
            }
            Bytes.write(out, in, ps, pe - ps);
            return;
        }
        if (implicitSlash) {
            out.writeByte('/');
        }
        Bytes.write(out, in, ps, pe - ps);
    }

    /** The path starts with {@code prefix} on a segment boundary (/a takes /a, /a/x, /a?q, not /ab). */
    private static boolean startsWith(ByteBuf in, int from, int to, byte[] prefix) {
        if (to - from < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (in.getByte(from + i) != prefix[i]) {
                return false;
            }
        }
        int next = from + prefix.length;
        if (prefix.length == 0 || prefix[prefix.length - 1] == '/' || next == to) {
            return true;
        }
        byte after = in.getByte(next);
        return after == '/' || after == '?';
    }

    private static void writeForwardedElement(RequestHead head, ClientHop client, ByteBuf out) {
        out.writeBytes(FOR).writeBytes(client.forwardedFor);
        int hs = head.hostStart();
        int he = head.hostEnd();
        if (he > hs) {
            out.writeBytes(HOST_PARAM);
            ByteBuf in = head.buffer();
            // a host with a port or an IP literal is not a token: quote it (RFC 7239 §4)
            boolean quote = false;
            for (int i = hs; i < he && !quote; i++) {
                quote = !Ascii.isTchar(in.getByte(i));
            }
            if (quote) {
                out.writeByte('"');
            }
            Bytes.write(out, in, hs, he - hs);
            if (quote) {
                out.writeByte('"');
            }
        }
        out.writeBytes(PROTO_PARAM).writeBytes(client.proto);
    }

    /**
     * Upgrade field {@code i} of a tunnelled request, which offers h2c beside other protocols:
     * the others, in their order, or no line when it offered only h2c. The parser validated the
     * list: elements between commas, with optional whitespace.
     */
    private static void writeUpgradeWithoutH2c(RequestHead head, int i, ByteBuf out) {
        ByteBuf in = head.buffer();
        boolean any = false;
        int ve = head.valueEnd(i);
        for (int s = head.valueStart(i); s < ve; ) {
            int e = s;
            while (e < ve && in.getByte(e) != ',') {
                e++;
            }
            int next = e + 1;
            while (s < e && Ascii.isOws(in.getByte(s))) {
                s++;
            }
            while (e > s && Ascii.isOws(in.getByte(e - 1))) {
                e--;
            }
            int name = s;
            while (name < e && in.getByte(name) != '/') {
                name++;
            }
            if (e > s && !Ascii.equalsLower(in, s, name - s, H2C)) {
                out.writeBytes(any ? COMMA_SP : UPGRADE);
                Bytes.write(out, in, s, e - s);
                any = true;
            }
            s = next;
        }
        if (any) {
            Writing.crlf(out);
        }
    }

    /** The last field of {@code kind} that is forwarded, or -1. */
    private int lastKept(RequestHead head, int kind, boolean tunnel, boolean keepXf, boolean keepFwd) {
        int first = head.firstOfKind[kind];
        for (int i = head.lastOfKind[kind]; i >= first && i >= 0; i--) {
            if (head.kind(i) == kind && !drops(head, i, tunnel, keepXf, keepFwd)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * TRACE and OPTIONS carry a hop count (RFC 9110 §7.6.2): each intermediary forwards it one
     * less. The caller answers a count of 0 itself; others go up decremented, in place of the
     * field the client sent (a value that is no number is forwarded as it came).
     */
    private static boolean decrementsMaxForwards(RequestHead head) {
        return (head.method() == Method.TRACE || head.method() == Method.OPTIONS) && head.maxForwards() > 0;
    }

    private boolean drops(RequestHead head, int i, boolean tunnel, boolean keepXf, boolean keepFwd) {
        int kind = head.kind(i);
        if (kind == FieldKind.UPGRADE) {
            // Connection names Upgrade when tunnelling; the Upgrade field goes with it all the same
            return !tunnel;
        }
        if (head.hopByHop(i)) {
            return true;
        }
        boolean drop = switch (kind) {
            case FieldKind.HOST -> true;
            case FieldKind.TRAILER -> head.bodyKind() != BodyKind.CHUNKED;
            case FieldKind.EXPECT -> head.version() == HttpVersion.HTTP_1_0;
            case FieldKind.X_FORWARDED_FOR, FieldKind.X_FORWARDED_PROTO, FieldKind.X_FORWARDED_HOST -> !keepXf;
            case FieldKind.FORWARDED -> !keepFwd;
            case FieldKind.MAX_FORWARDS -> decrementsMaxForwards(head);
            // hop-by-hop whatever Connection says (RFC 7540 §3.2.1), and the h2c offer it
            // belongs to is never forwarded
            case FieldKind.HTTP2_SETTINGS -> true;
            default -> false;
        };
        return drop || edits.removes(head, i);
    }
}
