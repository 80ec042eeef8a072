package dev.synedge.http;

import io.netty.buffer.ByteBuf;

/**
 * Writes the head the proxy sends to the client for a parsed upstream response, straight into a
 * caller's buffer, allocating nothing. One instance per route; immutable and shareable.
 *
 * <p>What it writes: {@code HTTP/1.1 status reason} (the proxy's own version, to 1.0 clients
 * too); the received fields in order and bytes, except Connection and every field it names,
 * Keep-Alive, Proxy-Connection, TE, Transfer-Encoding and Content-Length (re-emitted for the
 * chosen framing), Upgrade except on a 101, Trailer unless the body stays chunked, and the
 * fields the route removes; fields received with whitespace before the colon are written
 * without it; {@code 1.1 <pseudonym>} appended to Via when a pseudonym is configured; the
 * route's added fields; then the framing for the client ({@code Content-Length} or
 * {@code Transfer-Encoding: chunked}; responses to HEAD and 304 keep their Content-Length as
 * metadata); {@code Connection: upgrade} on a 101, {@code Connection: close} when the client
 * connection closes after this response, {@code Connection: keep-alive} to an HTTP/1.0 client
 * that keeps it; the empty line.
 */
public final class ResponseHeadWriter {

    private static final byte[] HTTP11_SP = Ascii.bytes("HTTP/1.1 ");
    private static final byte[] VIA = Ascii.bytes("Via: ");
    private static final byte[] CONNECTION_CLOSE = Ascii.bytes("Connection: close\r\n");
    private static final byte[] CONNECTION_KEEP_ALIVE = Ascii.bytes("Connection: keep-alive\r\n");
    private static final byte[] CONNECTION_UPGRADE = Ascii.bytes("Connection: upgrade\r\n");

    private final byte[] viaElement;
    private final EncodedEdits edits;

    /**
     * @param pseudonym this proxy's name to append to Via, or null to add no Via to responses
     * @param edits     the route's header edits for responses
     */
    public ResponseHeadWriter(String pseudonym, HeaderEdits edits) {
        this.viaElement = pseudonym == null ? null : RequestHeadWriter.viaElement(pseudonym);
        this.edits = new EncodedEdits(edits);
    }

    /**
     * Writes the client's head for the final (or 101) {@code response} to {@code request} and
     * returns the bytes written. {@code framing} is {@link RelayFraming#of}; {@code closeClient}
     * adds the caller's own reasons to close the client connection after this response (an
     * error, shutting down); the writer also closes when the client did not keep the connection
     * or the framing ends with the close. The caller keeps ownership of {@code out};
     * {@code response}'s buffer must still hold its bytes.
     *
     * <p>A 101 is only valid for a request the proxy forwarded as an upgrade; any other 101 is
     * an upstream error (502), and this method refuses it.
     *
     * @throws IllegalArgumentException for an interim response (see {@link #writeInterim}), or a
     *                                  101 to a request that asked for no upgrade
     */
    public int write(ResponseHead response, RequestHead request, RelayFraming framing, boolean closeClient,
                     ByteBuf out) {
        if (response.isInterim()) {
            throw new IllegalArgumentException("interim response " + response.status() + ": use writeInterim");
        }
        if (response.isSwitchingProtocols() && !request.upgradeRequested()) {
            throw new IllegalArgumentException("101 to a request without Upgrade");
        }
        int begin = out.writerIndex();
        statusLine(response, out);
        boolean switching = response.isSwitchingProtocols();
        boolean keepTrailer = framing == RelayFraming.CHUNKED;
        int lastVia = -1;
        if (viaElement != null) {
            int first = response.firstOfKind[FieldKind.VIA];
            for (int i = response.lastOfKind[FieldKind.VIA]; i >= first && i >= 0 && lastVia < 0; i--) {
                if (response.kind(i) == FieldKind.VIA && !drops(response, i, switching, keepTrailer, true)) {
                    lastVia = i;
                }
            }
        }
        fields(response, switching, keepTrailer, true, lastVia, out);
        if (viaElement != null && lastVia < 0) {
            out.writeBytes(VIA).writeBytes(viaElement);
            Writing.crlf(out);
        }
        out.writeBytes(edits.add);
        switch (framing) {
            case CONTENT_LENGTH -> Writing.contentLength(out, response.contentLength());
            case CHUNKED, CHUNK -> out.writeBytes(RequestHeadWriter.TE_CHUNKED);
            case NONE -> {
                // a HEAD or 304 response describes the representation it has no body for
                boolean metadata = request.method() == Method.HEAD || response.status() == 304;
                if (metadata && !switching && response.status() >= 200) {
                    if (response.hasContentLength()) {
                        Writing.contentLength(out, response.contentLength());
                    } else if (response.hasTransferEncoding() && request.version() == HttpVersion.HTTP_1_1) {
                        out.writeBytes(RequestHeadWriter.TE_CHUNKED);
                    }
                }
            }
            case DECHUNK, UNTIL_CLOSE -> {
            }
        }
        if (switching) {
            out.writeBytes(CONNECTION_UPGRADE);
        } else if (closeClient || framing.closesClient() || !request.keepAlive()) {
            out.writeBytes(CONNECTION_CLOSE);
        } else if (request.version() == HttpVersion.HTTP_1_0) {
            out.writeBytes(CONNECTION_KEEP_ALIVE);
        }
        Writing.crlf(out);
        return out.writerIndex() - begin;
    }

    /**
     * Writes an interim (1xx other than 101) {@code response} for relaying to the client:
     * status line and fields without hop-by-hop fields, no edits, no Via. Interim responses go
     * to HTTP/1.1 clients only: for an HTTP/1.0 {@code request} this writes nothing and returns
     * 0 (S §15.2).
     */
    public int writeInterim(ResponseHead response, RequestHead request, ByteBuf out) {
        if (!response.isInterim()) {
            throw new IllegalArgumentException("not an interim response: " + response.status());
        }
        if (request.version() != HttpVersion.HTTP_1_1) {
            return 0;
        }
        int begin = out.writerIndex();
        statusLine(response, out);
        fields(response, false, false, false, -1, out);
        Writing.crlf(out);
        return out.writerIndex() - begin;
    }

    private static void statusLine(ResponseHead response, ByteBuf out) {
        out.writeBytes(HTTP11_SP);
        int status = response.status();
        out.writeByte('0' + status / 100).writeByte('0' + status / 10 % 10).writeByte('0' + status % 10);
        out.writeByte(' ');
        Bytes.write(out, response.buffer(), response.reasonStart(), response.reasonEnd() - response.reasonStart());
        Writing.crlf(out);
    }

    private void fields(ResponseHead head, boolean switching, boolean keepTrailer, boolean applyEdits, int lastVia,
                        ByteBuf out) {
        ByteBuf in = head.buffer();
        int run = -1;
        int runEnd = -1;
        for (int i = 0, n = head.fieldCount(); i < n; i++) {
            boolean rewrite = i == lastVia || (head.flags(i) & MessageHead.FLAG_REWRITE) != 0;
            if (!rewrite && !drops(head, i, switching, keepTrailer, applyEdits)) {
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
            if (i == lastVia) {
                Writing.fieldWithAppendix(head, i, out);
                out.writeBytes(viaElement);
                Writing.crlf(out);
            } else if (rewrite && !drops(head, i, switching, keepTrailer, applyEdits)) {
                Writing.field(head, i, out);
                Writing.crlf(out);
            }
        }
        if (run >= 0) {
            Bytes.write(out, in, run, runEnd - run);
        }
    }

    private boolean drops(ResponseHead head, int i, boolean switching, boolean keepTrailer, boolean applyEdits) {
        int kind = head.kind(i);
        if (kind == FieldKind.UPGRADE) {
            return !switching;
        }
        if (head.hopByHop(i)) {
            return true;
        }
        boolean drop = kind == FieldKind.TRAILER && !keepTrailer;
        return drop || (applyEdits && edits.removes(head, i));
    }
}
