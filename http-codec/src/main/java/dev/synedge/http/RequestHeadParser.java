package dev.synedge.http;

import io.netty.buffer.ByteBuf;

/**
 * Parses request heads strictly (RFC 9112 and the design notes, http.md), in place over the
 * cumulative input buffer. One instance per client connection; not thread-safe.
 *
 * <p>Driving it: call {@link #parse} with the connection's cumulative buffer whose reader index
 * is at the start of the head, and the same {@link RequestHead} until it returns something
 * other than {@link ParseProgress#NEED_MORE}. The parser never moves the reader index and
 * needs the unread bytes of an unfinished head again on the next call (compacting the buffer
 * in between is fine). On {@link ParseProgress#DONE} the head is complete: the body, if any,
 * starts {@link MessageHead#length()} bytes after the reader index. On an {@link HttpError},
 * answer its {@link HttpError#status()} and close the connection.
 *
 * <p>Rules (each with its own {@link HttpError}):
 * <ul>
 * <li>Lines end in CRLF; bare LF or bare CR anywhere: 400. Empty lines before the request line
 *     are skipped (M §2.2) and count towards the head size.
 * <li>Request line {@code method SP target SP HTTP/d.d}, single spaces, token method; longer
 *     than {@code maxRequestLine} bytes (CRLF excluded): 414. Target: origin-form, absolute-form
 *     ({@code http}/{@code https}, no userinfo) or {@code *} with OPTIONS; bytes are printable
 *     ASCII without {@code #}, and a {@code %} in the path must start a valid escape. CONNECT:
 *     501. Major version other than 1: 505; HTTP/1.2 and up are treated as 1.1.
 * <li>Head longer than {@code maxHeaderBytes} (everything through the final CRLF) or more than
 *     {@code maxHeaderCount} fields: 431.
 * <li>Field names are tokens; whitespace before the colon, obs-fold, and CTLs other than HTAB in
 *     values: 400.
 * <li>Host missing, repeated or not {@code host[:port]} on HTTP/1.1: 400; an absolute-form
 *     authority overrides Host.
 * <li>Content-Length: digits only; differing values or a comma list: 400. Identical repeated
 *     fields are collapsed (S §8.6): the proxy re-emits exactly one Content-Length anyway.
 * <li>Transfer-Encoding: with Content-Length, on HTTP/1.0, without chunked last, or chunked
 *     twice: 400; any coding besides chunked: 501 (not implemented, M §6.1).
 * </ul>
 */
public final class RequestHeadParser extends HeadParser<RequestHead> {

    public RequestHeadParser(HttpLimits limits) {
        super(limits);
    }

    /**
     * Parses (or goes on parsing) the request head starting at {@code in.readerIndex()} into
     * {@code head}. Does not move the reader index and does not retain {@code in}.
     */
    public ParseResult parse(ByteBuf in, RequestHead head) {
        return parseHead(in, head);
    }

    @Override
    boolean skipsEmptyLinesBeforeStartLine() {
        return true;
    }

    @Override
    boolean stripsSpaceBeforeColon() {
        return false;
    }

    @Override
    ParseResult startLine(byte[] a, int off, int ls, int ce, RequestHead head) {
        int i = ls + off;
        int e = ce + off;
        while (i < e && Ascii.isTchar(a[i])) {
            i++;
        }
        if (i == ls + off || i == e || a[i] != Ascii.SP) {
            if (i < e && a[i] == Ascii.CR) {
                return HttpError.BARE_CR;
            }
            return i == ls + off || i == e ? HttpError.BAD_REQUEST_LINE : HttpError.BAD_METHOD;
        }
        Method method = method(a, ls + off, i - ls - off);
        head.method = method;
        head.methodEnd = i - off;
        int ts = ++i;
        while (i < e && a[i] != Ascii.SP) {
            i++;
        }
        if (i == e || i == ts) {
            return HttpError.BAD_REQUEST_LINE;
        }
        int te = i;
        HttpError v = version(a, te + 1, e, head);
        if (v != null) {
            return v;
        }
        if (method == Method.CONNECT) {
            return HttpError.CONNECT_NOT_SUPPORTED;
        }
        head.targetStart = ts - off;
        head.targetEnd = te - off;
        return target(a, off, ts, te, head);
    }

    private static HttpError version(byte[] a, int i, int e, MessageHead head) {
        if (e - i != 8 || a[i] != 'H' || a[i + 1] != 'T' || a[i + 2] != 'T' || a[i + 3] != 'P'
                || a[i + 4] != '/' || !Ascii.isDigit(a[i + 5]) || a[i + 6] != '.' || !Ascii.isDigit(a[i + 7])) {
            for (int k = i; k < e; k++) {
                if (a[k] == Ascii.CR) {
                    return HttpError.BARE_CR;
                }
            }
            return HttpError.BAD_VERSION;
        }
        if (a[i + 5] != '1') {
            return HttpError.VERSION_NOT_SUPPORTED;
        }
        head.version = a[i + 7] == '0' ? HttpVersion.HTTP_1_0 : HttpVersion.HTTP_1_1;
        return null;
    }

    private static Method method(byte[] a, int s, int len) {
        return switch (len) {
            case 3 -> is(a, s, 'G', 'E', 'T') ? Method.GET : is(a, s, 'P', 'U', 'T') ? Method.PUT : Method.OTHER;
            case 4 -> is(a, s, 'P', 'O', 'S') && a[s + 3] == 'T' ? Method.POST
                    : is(a, s, 'H', 'E', 'A') && a[s + 3] == 'D' ? Method.HEAD : Method.OTHER;
            case 5 -> is(a, s, 'P', 'A', 'T') && a[s + 3] == 'C' && a[s + 4] == 'H' ? Method.PATCH
                    : is(a, s, 'T', 'R', 'A') && a[s + 3] == 'C' && a[s + 4] == 'E' ? Method.TRACE : Method.OTHER;
            case 6 -> is(a, s, 'D', 'E', 'L') && is(a, s + 3, 'E', 'T', 'E') ? Method.DELETE : Method.OTHER;
            case 7 -> is(a, s, 'O', 'P', 'T') && is(a, s + 3, 'I', 'O', 'N') && a[s + 6] == 'S' ? Method.OPTIONS
                    : is(a, s, 'C', 'O', 'N') && is(a, s + 3, 'N', 'E', 'C') && a[s + 6] == 'T' ? Method.CONNECT
                    : Method.OTHER;
            default -> Method.OTHER;
        };
    }

    private static boolean is(byte[] a, int s, char c0, char c1, char c2) {
        return a[s] == c0 && a[s + 1] == c1 && a[s + 2] == c2;
    }

    private static HttpError target(byte[] a, int off, int ts, int te, RequestHead head) {
        byte first = a[ts];
        if (first == '/') {
            head.targetForm = TargetForm.ORIGIN;
            head.pathStart = ts - off;
            return path(a, off, ts, te, head);
        }
        if (first == '*' && te - ts == 1) {
            if (head.method != Method.OPTIONS) {
                return HttpError.BAD_TARGET;
            }
            head.targetForm = TargetForm.ASTERISK;
            head.pathStart = ts - off;
            head.queryStart = te - off;
            return null;
        }
        return absolute(a, off, ts, te, head);
    }

    /** {@code http[s]://authority[/path][?query]}, scheme case-insensitive, no userinfo. */
    private static HttpError absolute(byte[] a, int off, int ts, int te, RequestHead head) {
        int i = ts;
        int scheme = 0;
        if (te - i > 7 && (a[i] | 0x20) == 'h' && (a[i + 1] | 0x20) == 't' && (a[i + 2] | 0x20) == 't'
                && (a[i + 3] | 0x20) == 'p') {
            scheme = (a[i + 4] | 0x20) == 's' ? 5 : 4;
        }
        if (scheme == 0 || te - i < scheme + 3 || a[i + scheme] != ':' || a[i + scheme + 1] != '/'
                || a[i + scheme + 2] != '/') {
            return HttpError.BAD_TARGET;
        }
        int as = i + scheme + 3;
        int ae = as;
        while (ae < te && a[ae] != '/' && a[ae] != '?') {
            ae++;
        }
        int nameEnd = hostNameEnd(a, as, ae);
        if (nameEnd < 0) {
            return HttpError.BAD_TARGET;
        }
        head.targetForm = TargetForm.ABSOLUTE;
        head.hostStart = as - off;
        head.hostEnd = ae - off;
        head.hostNameEnd = nameEnd - off;
        head.hostFromTarget = true;
        head.pathStart = ae - off;
        return path(a, off, ae, te, head);
    }

    /** Path then optional query: printable ASCII without '#'; escapes in the path must be valid. */
    private static HttpError path(byte[] a, int off, int i, int te, RequestHead head) {
        boolean query = false;
        head.queryStart = te - off;
        for (; i < te; i++) {
            byte c = a[i];
            if (!Ascii.isTargetByte(c)) {
                return c == Ascii.CR ? HttpError.BARE_CR : HttpError.BAD_TARGET;
            }
            if (c == '?') {
                if (!query) {
                    head.queryStart = i - off;
                }
                query = true;
            } else if (c == '%' && !query
                    && (i + 2 >= te || Ascii.hexValue(a[i + 1]) < 0 || Ascii.hexValue(a[i + 2]) < 0)) {
                return HttpError.BAD_TARGET;
            }
        }
        return null;
    }

    /**
     * Validates {@code host[:port]} in {@code a[s, e)} (RFC 3986 authority without userinfo;
     * reg-names limited to letters, digits and {@code -._~}; IP literals to hex, {@code :} and
     * {@code .}; port 1 to 5 digits up to 65535). Returns the end of the host name, or -1.
     */
    static int hostNameEnd(byte[] a, int s, int e) {
        if (s == e) {
            return -1;
        }
        int i = s;
        int nameEnd;
        if (a[i] == '[') {
            i++;
            int hs = i;
            boolean colon = false;
            while (i < e && (Ascii.hexValue(a[i]) >= 0 || a[i] == ':' || a[i] == '.')) {
                colon |= a[i] == ':';
                i++;
            }
            if (i == e || a[i] != ']' || i == hs || !colon) {
                return -1;
            }
            nameEnd = ++i;
        } else {
            while (i < e && Ascii.isHostByte(a[i])) {
                i++;
            }
            if (i == s) {
                return -1;
            }
            nameEnd = i;
        }
        if (i == e) {
            return nameEnd;
        }
        if (a[i] != ':') {
            return -1;
        }
        i++;
        if (i == e || e - i > 5) {
            return -1;
        }
        int port = 0;
        for (; i < e; i++) {
            if (!Ascii.isDigit(a[i])) {
                return -1;
            }
            port = port * 10 + a[i] - '0';
        }
        return port <= 65535 ? nameEnd : -1;
    }

    private static final byte[] CONTINUE = Ascii.bytes("100-continue");

    @Override
    HttpError field(int kind, byte[] a, int off, int vs, int ve, RequestHead head) {
        switch (kind) {
            case FieldKind.HOST -> {
                if (head.firstOfKind[FieldKind.HOST] != head.fieldCount - 1) {
                    return HttpError.DUPLICATE_HOST;
                }
                int nameEnd = hostNameEnd(a, vs, ve);
                if (nameEnd < 0) {
                    return HttpError.BAD_HOST;
                }
                if (!head.hostFromTarget) {
                    head.hostStart = vs - off;
                    head.hostEnd = ve - off;
                    head.hostNameEnd = nameEnd - off;
                }
            }
            case FieldKind.EXPECT -> head.expectContinue = Ascii.equalsLower(a, vs, ve - vs, CONTINUE);
            default -> {
            }
        }
        return null;
    }

    @Override
    ParseResult endOfHead(RequestHead head) {
        boolean http11 = head.version == HttpVersion.HTTP_1_1;
        if (http11 && head.hostStart < 0) {
            return HttpError.MISSING_HOST;
        }
        if (head.hasTransferEncoding()) {
            if (!http11) {
                return HttpError.TE_IN_HTTP_1_0;
            }
            if (head.hasContentLength()) {
                return HttpError.TE_WITH_CONTENT_LENGTH;
            }
            HttpError te = judgeTransferEncoding(head);
            if (te != null) {
                return te;
            }
            head.bodyKind = BodyKind.CHUNKED;
        } else if (head.contentLength >= 0) {
            head.bodyKind = BodyKind.CONTENT_LENGTH;
        } else {
            head.bodyKind = BodyKind.NONE;
        }
        head.keepAlive = !head.closeToken && (http11 || head.keepAliveToken);
        if (!http11) {
            head.expectContinue = false;
        }
        head.upgradeRequested = http11 && head.upgradeToken && head.hasUpgrade();
        if (head.otherToken) {
            head.markConnectionListed();
        }
        return ParseProgress.DONE;
    }
}
