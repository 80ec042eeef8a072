package dev.synedge.http;

import io.netty.buffer.ByteBuf;

/**
 * Parses response heads from upstream, in place over the cumulative input buffer, with the same
 * line and field rules as {@link RequestHeadParser} except that whitespace between a field name
 * and its colon is stripped (M §5.1). One instance per upstream connection; not thread-safe.
 *
 * <p>Every {@link HttpError} it returns means: answer the client 502 and close this upstream
 * connection (invalid Content-Length, obs-fold, Transfer-Encoding other than a single final
 * chunked, Transfer-Encoding with Content-Length or on HTTP/1.0, malformed lines).
 *
 * <p>Drive it like the request parser; pass the request's method, which decides whether a body
 * follows. Each 1xx interim response (100, 103) is a head of its own: after
 * {@link ParseProgress#DONE} with {@link ResponseHead#isInterim()}, skip
 * {@link MessageHead#length()} bytes and parse again for the next head.
 *
 * <p>Body framing (M §6.3): none for responses to HEAD and for 1xx, 204 and 304, whatever the
 * fields say; otherwise chunked, Content-Length, or close-delimited when there is neither.
 */
public final class ResponseHeadParser extends HeadParser<ResponseHead> {

    private Method requestMethod = Method.GET;

    public ResponseHeadParser(HttpLimits limits) {
        super(limits);
    }

    /**
     * Parses (or goes on parsing) the response head starting at {@code in.readerIndex()} into
     * {@code head}, for a request made with {@code requestMethod}. Does not move the reader index
     * and does not retain {@code in}.
     */
    public ParseResult parse(ByteBuf in, ResponseHead head, Method requestMethod) {
        this.requestMethod = requestMethod;
        return parseHead(in, head);
    }

    @Override
    boolean skipsEmptyLinesBeforeStartLine() {
        return false;
    }

    @Override
    boolean stripsSpaceBeforeColon() {
        return true;
    }

    /** {@code HTTP/d.d SP 3DIGIT [SP reason]}; the space before an empty reason may be missing. */
    @Override
    ParseResult startLine(byte[] a, int off, int ls, int ce, ResponseHead head) {
        int i = ls + off;
        int e = ce + off;
        if (e - i < 12 || a[i] != 'H' || a[i + 1] != 'T' || a[i + 2] != 'T' || a[i + 3] != 'P'
                || a[i + 4] != '/' || !Ascii.isDigit(a[i + 5]) || a[i + 6] != '.' || !Ascii.isDigit(a[i + 7])
                || a[i + 8] != Ascii.SP || !Ascii.isDigit(a[i + 9]) || !Ascii.isDigit(a[i + 10])
                || !Ascii.isDigit(a[i + 11]) || (e - i > 12 && a[i + 12] != Ascii.SP)) {
            return HttpError.BAD_STATUS_LINE;
        }
        if (a[i + 5] != '1') {
            return HttpError.VERSION_NOT_SUPPORTED;
        }
        head.version = a[i + 7] == '0' ? HttpVersion.HTTP_1_0 : HttpVersion.HTTP_1_1;
        int status = (a[i + 9] - '0') * 100 + (a[i + 10] - '0') * 10 + (a[i + 11] - '0');
        if (status < 100 || status > 599) {
            return HttpError.BAD_STATUS_LINE;
        }
        head.status = status;
        int rs = Math.min(i + 13, e);
        for (int k = rs; k < e; k++) {
            if (!Ascii.isValueByte(a[k])) {
                return a[k] == Ascii.CR ? HttpError.BARE_CR : HttpError.BAD_STATUS_LINE;
            }
        }
        head.reasonStart = rs - off;
        head.reasonEnd = ce;
        return null;
    }

    @Override
    HttpError field(int kind, byte[] a, int off, int vs, int ve, ResponseHead head) {
        return null;
    }

    @Override
    ParseResult endOfHead(ResponseHead head) {
        boolean http11 = head.version == HttpVersion.HTTP_1_1;
        boolean chunked = head.hasTransferEncoding();
        if (chunked) {
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
        }
        int status = head.status;
        if (requestMethod == Method.HEAD || status < 200 || status == 204 || status == 304) {
            head.bodyKind = BodyKind.NONE;
        } else if (chunked) {
            head.bodyKind = BodyKind.CHUNKED;
        } else if (head.contentLength >= 0) {
            head.bodyKind = BodyKind.CONTENT_LENGTH;
        } else {
            head.bodyKind = BodyKind.CLOSE_DELIMITED;
        }
        head.keepAlive = !head.closeToken && (http11 || head.keepAliveToken)
                && head.bodyKind != BodyKind.CLOSE_DELIMITED && status != 101;
        if (head.otherToken) {
            head.markConnectionListed();
        }
        return ParseProgress.DONE;
    }
}
