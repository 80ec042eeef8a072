package dev.synedge.http;

import io.netty.buffer.ByteBuf;

/**
 * Parses request heads strictly (RFC 9112, as {@code HTTP-RULES.md} in this module applies it),
 * in place over the cumulative input buffer. One instance per client connection; not thread-safe.
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
 * <li>A dot-segment in the path: 400 ({@link HttpError#DOT_SEGMENT}); a backslash in the path:
 *     400 ({@link HttpError#BAD_TARGET}). See below.
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
 *
 * <p><b>Dot-segments are refused, not removed.</b> Routing matches path prefixes and the head
 * writer replaces them, so a path that climbs out of its prefix ({@code /api/../admin}) would
 * reach a cluster, or a path upstream, that the route table never meant, read one way here and
 * another way behind the proxy. Rather than remove dot-segments (RFC 3986 §5.2.4) the parser
 * refuses them:
 * <ul>
 * <li>browsers (WHATWG URL), curl and wget remove them before sending, so a dot-segment on the
 *     wire comes from a crafted request or a client that builds paths by hand, and a 400
 *     costs no real traffic;
 * <li>removing them means picking one reading of the path for every upstream, and servers
 *     disagree on what is a dot or a separator ({@code %2e}, {@code %2f}, backslash,
 *     {@code ;} parameters); refusing leaves no path that climbs in one server's reading and
 *     not in ours;
 * <li>the codec never writes to its input: the path routing matches and the path forwarded
 *     are the bytes the client sent, and so are the access log's target and the test origin's
 *     echo; there is no second copy of the path to keep in step.
 * </ul>
 * The rule: a segment is what lies between two separators of the path (from its first
 * {@code /} up to the query); it is a dot-segment when its bytes before the first {@code ;} (or
 * {@code %3B}) are {@code .} or {@code ..}, each dot written {@code .}, {@code %2e} or
 * {@code %2E}. For this check only, separators are {@code /} and the escapes {@code %2F} and
 * {@code %5C} (either case): some servers decode them before they resolve dots, and servlet
 * containers strip {@code ;} parameters first ({@code /..;/}). Otherwise {@code %2F} and
 * {@code %5C} stay opaque: forwarded as sent, and no separator to routing; refusing them would
 * break APIs that put encoded slashes in identifiers ({@code projects/group%2Fname}). A raw
 * backslash in the path is refused: RFC 3986 does not allow it, browsers send {@code /} in its
 * place, and some servers take it for a separator. Accepted as sent: {@code .well-known},
 * {@code ...}, {@code ..a}, {@code a..}, empty segments ({@code //}) and anything in the query.
 * The path is not otherwise normalized (no decoding, no merging of slashes): routing matches
 * bytes as sent, so another spelling of a path may select another route, but no spelling climbs
 * out of the prefix it matched for a server that decodes its path once.
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
        HttpError bad = target(a, off, ts, te, head);
        head.requestLineValid = bad == null;
        return bad;
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

    /**
     * Path then optional query, both printable ASCII without {@code #}. In the path: every
     * {@code %} starts a valid escape, no backslash, no dot-segment (see the class comment).
     */
    private static HttpError path(byte[] a, int off, int i, int te, RequestHead head) {
        head.queryStart = te - off;
        int segment = i;
        for (; i < te; i++) {
            byte c = a[i];
            if (!Ascii.isTargetByte(c)) {
                return c == Ascii.CR ? HttpError.BARE_CR : HttpError.BAD_TARGET;
            }
            if (c == '/' || c == '?') {
                if (isDotSegment(a, segment, i)) {
                    return HttpError.DOT_SEGMENT;
                }
                if (c == '?') {
                    head.queryStart = i - off;
                    return query(a, i + 1, te);
                }
                segment = i + 1;
            } else if (c == '%') {
                if (i + 2 >= te || Ascii.hexValue(a[i + 1]) < 0 || Ascii.hexValue(a[i + 2]) < 0) {
                    return HttpError.BAD_TARGET;
                }
                if (isSeparatorEscape(a[i + 1], a[i + 2])) {
                    if (isDotSegment(a, segment, i)) {
                        return HttpError.DOT_SEGMENT;
                    }
                    segment = i + 3;
                }
                i += 2;
            } else if (c == '\\') {
                return HttpError.BAD_TARGET;
            }
        }
        return isDotSegment(a, segment, te) ? HttpError.DOT_SEGMENT : null;
    }

    private static HttpError query(byte[] a, int i, int te) {
        for (; i < te; i++) {
            if (!Ascii.isTargetByte(a[i])) {
                return a[i] == Ascii.CR ? HttpError.BARE_CR : HttpError.BAD_TARGET;
            }
        }
        return null;
    }

    /** {@code %2F} or {@code %5C} (hex digits in either case): a separator to some servers. */
    private static boolean isSeparatorEscape(byte h1, byte h2) {
        int lower = h2 | 0x20;
        return (h1 == '2' && lower == 'f') || (h1 == '5' && lower == 'c');
    }

    /**
     * True if the segment {@code a[s, e)}, up to its first {@code ;} or {@code %3B}, is one or
     * two dots, each {@code .} or {@code %2E} (either case). Escapes in it are valid and whole.
     */
    private static boolean isDotSegment(byte[] a, int s, int e) {
        int dots = 0;
        int i = s;
        while (i < e && dots <= 2) {
            byte c = a[i];
            if (c == '.') {
                dots++;
                i++;
            } else if (c == '%' && a[i + 1] == '2' && (a[i + 2] | 0x20) == 'e') {
                dots++;
                i += 3;
            } else if (c == ';' || (c == '%' && a[i + 1] == '3' && (a[i + 2] | 0x20) == 'b')) {
                break;
            } else {
                return false;
            }
        }
        return dots == 1 || dots == 2;
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
        head.upgradeRequested = http11 && head.upgradeToken && head.upgradeOther;
        if (head.otherToken) {
            head.markConnectionListed();
        }
        return ParseProgress.DONE;
    }
}
