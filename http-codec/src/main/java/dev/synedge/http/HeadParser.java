package dev.synedge.http;

import io.netty.buffer.ByteBuf;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The line machinery shared by the request and response head parsers.
 *
 * <p>A head may arrive in many reads. The parser keeps how far it got (the start of the first
 * unfinished line and how far that line was searched for its LF, both relative to the reader
 * index), so each byte is searched once and each complete line is examined once: no quadratic
 * work however the head is split. Lines are examined in a byte array: the buffer's own array
 * for heap buffers, otherwise a per-thread scratch copy made in growing blocks once an LF is
 * known to be there (every byte of a head is copied at most twice).
 */
abstract sealed class HeadParser<H extends MessageHead> permits RequestHeadParser, ResponseHeadParser {

    private static final int COPY_BLOCK = 1024;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    final HttpLimits limits;
    private boolean inProgress;
    private int lineStart;
    private int scanFrom;
    boolean startLineDone;
    /** While finding a line's end: a CR was seen at this array index (-1: none). */
    private int lastCr;
    /** While finding a line's end: a control byte other than HTAB, or a CR not before LF, was seen. */
    private boolean otherControl;

    HeadParser(HttpLimits limits) {
        this.limits = limits;
    }

    /** Forgets a head in progress, e.g. when the connection it came from is reused. */
    public void reset() {
        inProgress = false;
    }

    final ParseResult parseHead(ByteBuf in, H head) {
        int base = in.readerIndex();
        if (!inProgress) {
            head.reset(in, base);
            lineStart = 0;
            scanFrom = 0;
            startLineDone = false;
            inProgress = true;
        } else {
            head.rebind(in, base);
        }
        int avail = in.writerIndex() - base;
        int searchEnd = Math.min(avail, limits.maxHeaderBytes());
        int lf = scanFrom < searchEnd ? in.indexOf(base + scanFrom, base + searchEnd, Ascii.LF) : -1;
        if (lf < 0) {
            scanFrom = Math.max(scanFrom, searchEnd);
            return incomplete(avail, searchEnd);
        }
        byte[] a;
        int off;
        int copiedEnd;
        if (in.hasArray()) {
            a = in.array();
            off = in.arrayOffset() + base;
            copiedEnd = searchEnd;
        } else {
            // Copy a block past the first LF: most heads are complete within it, and neither a
            // pipelined request behind the head nor its body gets copied.
            copiedEnd = Math.min(searchEnd, lf - base + 1 + COPY_BLOCK);
            a = Bytes.scratch(copiedEnd - lineStart);
            Bytes.copy(in, base + lineStart, a, 0, copiedEnd - lineStart);
            off = -lineStart;
        }
        int ls = lineStart;
        int le = lf - base;
        boolean clean = false;
        for (;;) {
            ParseResult r = line(a, off, ls, le, clean, head);
            if (r != null) {
                inProgress = false;
                if (r == ParseProgress.DONE) {
                    head.length = le + 1;
                }
                return r;
            }
            ls = le + 1;
            int i = ls + off;
            lastCr = -1;
            otherControl = false;
            for (;;) {
                int stop = copiedEnd + off;
                i = lineEnd(a, i, stop);
                if (i < stop) {
                    break;
                }
                if (copiedEnd == searchEnd) {
                    lineStart = ls;
                    scanFrom = searchEnd;
                    return incomplete(avail, searchEnd);
                }
                int more = Math.min(searchEnd, copiedEnd + Math.max(COPY_BLOCK, copiedEnd - lineStart)) - copiedEnd;
                a = Bytes.growScratch(a, copiedEnd + off, copiedEnd + off + more);
                Bytes.copy(in, base + copiedEnd, a, copiedEnd + off, more);
                copiedEnd += more;
            }
            le = i - off;
            clean = !otherControl && lastCr == i - 1;
        }
    }

    /**
     * Array index of the first LF in {@code a[i, stop)}, or {@code stop}; eight bytes at a time.
     * Notes on the way whether the line holds a control byte other than HTAB and the CR before
     * its LF: a line without one needs no per-byte check of its field value.
     */
    private int lineEnd(byte[] a, int i, int stop) {
        while (i < stop) {
            int c;
            if (i + 8 <= a.length) {
                // bytes past stop may be read (they are in the array) but never count
                long x = (long) LONGS.get(a, i);
                long del = x ^ 0x7F7F7F7F7F7F7F7FL;
                // bytes below 0x20, or equal to 0x7F; the lowest flagged byte is exact
                long m = (((x - 0x20 * ONES) & ~x) | ((del - ONES) & ~del)) & HIGHS;
                if (m == 0) {
                    i += 8;
                    continue;
                }
                c = i + (Long.numberOfTrailingZeros(m) >>> 3);
            } else {
                c = i;
                while (c < stop && !isControl(a[c])) {
                    c++;
                }
            }
            if (c >= stop) {
                return stop;
            }
            byte b = a[c];
            if (b == Ascii.LF) {
                return c;
            }
            if (b == Ascii.CR) {
                otherControl |= lastCr >= 0;
                lastCr = c;
                if (c + 1 < stop && a[c + 1] == Ascii.LF) {
                    return c + 1;
                }
            } else if (b != Ascii.HTAB) {
                otherControl = true;
            }
            i = c + 1;
        }
        return stop;
    }

    /** CTL (RFC 5234): 0x00 to 0x1F and 0x7F; obs-text bytes (negative here) are not. */
    private static boolean isControl(byte b) {
        return (b >= 0 && b < 0x20) || b == 0x7F;
    }

    /**
     * No LF in {@code [lineStart, searchEnd)}. The verdict depends only on bytes within the head
     * size limit, so a head gets the same answer however it was split into reads.
     */
    private ParseResult incomplete(int avail, int searchEnd) {
        if (!startLineDone && searchEnd - lineStart > limits.maxRequestLine() + 1) {
            return fail(HttpError.START_LINE_TOO_LONG);
        }
        if (avail > limits.maxHeaderBytes()) {
            return fail(HttpError.HEAD_TOO_LARGE);
        }
        return ParseProgress.NEED_MORE;
    }

    private ParseResult fail(HttpError error) {
        inProgress = false;
        return error;
    }

    /**
     * Examines the complete line {@code [ls, le]} (relative offsets; {@code le} is its LF).
     * Returns null to go on with the next line.
     */
    private ParseResult line(byte[] a, int off, int ls, int le, boolean clean, H head) {
        boolean crlf = le > ls && a[le - 1 + off] == Ascii.CR;
        int ce = crlf ? le - 1 : le;
        if (!startLineDone) {
            if (ce - ls > limits.maxRequestLine()) {
                return HttpError.START_LINE_TOO_LONG;
            }
            if (!crlf) {
                return HttpError.BARE_LF;
            }
            if (ce == ls) {
                return skipsEmptyLinesBeforeStartLine() ? null : HttpError.BAD_STATUS_LINE;
            }
            startLineDone = true;
            head.startLineStart = ls;
            return startLine(a, off, ls, ce, head);
        }
        if (!crlf) {
            return HttpError.BARE_LF;
        }
        if (ce == ls) {
            return endOfHead(head);
        }
        if (head.fieldCount == limits.maxHeaderCount()) {
            return HttpError.TOO_MANY_FIELDS;
        }
        return fieldLine(a, off, ls, ce, le + 1, clean, head);
    }

    /** Requests may be preceded by empty lines (M §2.2); a response may not. */
    abstract boolean skipsEmptyLinesBeforeStartLine();

    /** Parses the start line {@code [ls, ce)}; null when it is fine. */
    abstract ParseResult startLine(byte[] a, int off, int ls, int ce, H head);

    /** Judges the complete head: framing, host, connection; DONE or an error. */
    abstract ParseResult endOfHead(H head);

    /** Handles the parts of a field specific to requests or responses; null when it is fine. */
    abstract HttpError field(int kind, byte[] a, int off, int vs, int ve, H head);

    /** Responses strip whitespace between a field name and its colon; requests refuse it. */
    abstract boolean stripsSpaceBeforeColon();

    /** {@code clean}: the line is known to hold no control byte but HTAB (and its CR LF). */
    private ParseResult fieldLine(byte[] a, int off, int ls, int ce, int next, boolean clean, H head) {
        int i = ls + off;
        int e = ce + off;
        byte b = a[i];
        if (Ascii.isOws(b)) {
            return HttpError.OBS_FOLD;
        }
        while (i < e && Ascii.isTchar(a[i])) {
            i++;
        }
        int nameEnd = i - off;
        if (nameEnd == ls) {
            return b == Ascii.CR ? HttpError.BARE_CR : HttpError.BAD_FIELD_NAME;
        }
        byte flag = 0;
        if (i < e && Ascii.isOws(a[i])) {
            if (!stripsSpaceBeforeColon()) {
                return HttpError.SPACE_BEFORE_COLON;
            }
            while (i < e && Ascii.isOws(a[i])) {
                i++;
            }
            flag = MessageHead.FLAG_REWRITE;
        }
        if (i == e || a[i] != ':') {
            return i < e && a[i] == Ascii.CR ? HttpError.BARE_CR : HttpError.BAD_FIELD_NAME;
        }
        i++;
        int vs = i;
        if (!clean) {
            for (; i < e; i++) {
                if (!Ascii.isValueByte(a[i])) {
                    return a[i] == Ascii.CR ? HttpError.BARE_CR : HttpError.BAD_FIELD_VALUE;
                }
            }
        }
        while (vs < e && Ascii.isOws(a[vs])) {
            vs++;
        }
        int ve = e;
        while (ve > vs && Ascii.isOws(a[ve - 1])) {
            ve--;
        }
        int kind = FieldKind.of(a, ls + off, nameEnd - ls);
        head.addField(ls, nameEnd, vs - off, ve - off, next, kind, flag);
        if (kind == FieldKind.OTHER) {
            return null;
        }
        return switch (kind) {
            case FieldKind.CONTENT_LENGTH -> contentLength(a, vs, ve, head);
            case FieldKind.TRANSFER_ENCODING -> transferEncoding(a, vs, ve, head);
            case FieldKind.CONNECTION -> connection(a, off, vs, ve, head);
            case FieldKind.UPGRADE -> upgrade(a, vs, ve, head);
            default -> field(kind, a, off, vs, ve, head);
        };
    }

    /** Content-Length = 1*DIGIT; repeated fields must agree, comma lists are refused (M §6.3). */
    private static HttpError contentLength(byte[] a, int vs, int ve, MessageHead head) {
        if (vs == ve) {
            return HttpError.BAD_CONTENT_LENGTH;
        }
        long n = 0;
        for (int i = vs; i < ve; i++) {
            byte c = a[i];
            if (!Ascii.isDigit(c)) {
                return HttpError.BAD_CONTENT_LENGTH;
            }
            if (n > (Long.MAX_VALUE - (c - '0')) / 10) {
                return HttpError.BAD_CONTENT_LENGTH;
            }
            n = n * 10 + (c - '0');
        }
        if (head.contentLength >= 0 && head.contentLength != n) {
            return HttpError.CONFLICTING_CONTENT_LENGTH;
        }
        head.contentLength = n;
        return null;
    }

    private static final byte[] CHUNKED = Ascii.bytes("chunked");
    private static final byte[] CLOSE = Ascii.bytes("close");
    private static final byte[] KEEP_ALIVE = Ascii.bytes("keep-alive");
    private static final byte[] UPGRADE = Ascii.bytes("upgrade");
    private static final byte[] H2C = Ascii.bytes("h2c");

    /** Records the codings; whether they are acceptable is judged at the end of the head. */
    private static HttpError transferEncoding(byte[] a, int vs, int ve, MessageHead head) {
        boolean any = false;
        for (long t = nextElement(a, vs, ve, false); t != LIST_END; t = nextElement(a, end(t), ve, false)) {
            if (t == LIST_BAD) {
                head.teMalformed = true;
                return null;
            }
            any = true;
            if (Ascii.equalsLower(a, start(t), end(t) - start(t), CHUNKED)) {
                head.teChunkedCount++;
                head.teLastIsChunked = true;
            } else {
                head.teOtherCoding = true;
                head.teLastIsChunked = false;
            }
        }
        if (!any) {
            head.teMalformed = true;
        }
        return null;
    }

    private static HttpError connection(byte[] a, int off, int vs, int ve, MessageHead head) {
        for (long t = nextElement(a, vs, ve, false); t != LIST_END; t = nextElement(a, end(t), ve, false)) {
            if (t == LIST_BAD) {
                return HttpError.BAD_CONNECTION;
            }
            int ts = start(t);
            int len = end(t) - ts;
            if (Ascii.equalsLower(a, ts, len, CLOSE)) {
                head.closeToken = true;
            } else if (Ascii.equalsLower(a, ts, len, KEEP_ALIVE)) {
                head.keepAliveToken = true;
            } else if (Ascii.equalsLower(a, ts, len, UPGRADE)) {
                head.upgradeToken = true;
            } else {
                head.otherToken = true;
            }
            head.addToken(ts - off, end(t) - off);
        }
        return null;
    }

    /**
     * Upgrade: a list of protocols ({@code name} or {@code name/version}, S §7.8). Notes which
     * offer h2c, whatever its version: synedge never forwards that offer, since it speaks no
     * HTTP/2 and a tunnel would carry requests past its routing.
     */
    private static HttpError upgrade(byte[] a, int vs, int ve, MessageHead head) {
        for (long t = nextElement(a, vs, ve, true); t != LIST_END; t = nextElement(a, end(t), ve, true)) {
            if (t == LIST_BAD) {
                return HttpError.BAD_UPGRADE;
            }
            int ts = start(t);
            int name = ts;
            while (name < end(t) && a[name] != '/') {
                name++;
            }
            if (Ascii.equalsLower(a, ts, name - ts, H2C)) {
                head.flags[head.fieldCount - 1] |= MessageHead.FLAG_H2C;
                head.upgradeH2c = true;
            } else {
                head.upgradeOther = true;
            }
        }
        return null;
    }

    /** {@link #nextElement}: no element is left. */
    private static final long LIST_END = -1;
    /** {@link #nextElement}: the next element is not a token followed by OWS and a comma or the end. */
    private static final long LIST_BAD = -2;

    /**
     * The next element of a comma-separated token list (RFC 9110 §5.6.1: empty elements and
     * OWS allowed) from {@code i}, as {@code start << 32 | end}, or {@link #LIST_END} or
     * {@link #LIST_BAD}. With {@code slash}, tokens may contain {@code /} (Upgrade's
     * protocol/version).
     */
    private static long nextElement(byte[] a, int i, int ve, boolean slash) {
        while (i < ve && (a[i] == ',' || Ascii.isOws(a[i]))) {
            i++;
        }
        if (i == ve) {
            return LIST_END;
        }
        int ts = i;
        while (i < ve && (Ascii.isTchar(a[i]) || (slash && a[i] == '/'))) {
            i++;
        }
        int te = i;
        while (i < ve && Ascii.isOws(a[i])) {
            i++;
        }
        if (te == ts || (i < ve && a[i] != ',')) {
            return LIST_BAD;
        }
        return (long) ts << 32 | te;
    }

    private static int start(long element) {
        return (int) (element >>> 32);
    }

    private static int end(long element) {
        return (int) element;
    }

    /**
     * Judges Transfer-Encoding once all fields are in: null if absent or exactly one final
     * {@code chunked}; codings other than chunked are not implemented (501).
     */
    static HttpError judgeTransferEncoding(MessageHead head) {
        if (head.teMalformed) {
            return HttpError.BAD_TRANSFER_ENCODING;
        }
        if (head.teChunkedCount > 1) {
            return HttpError.TE_CHUNKED_TWICE;
        }
        if (!head.teLastIsChunked) {
            return HttpError.TE_NOT_CHUNKED;
        }
        if (head.teOtherCoding) {
            return HttpError.TE_NOT_IMPLEMENTED;
        }
        return null;
    }
}
