package dev.synedge.origin;

import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The query parameters of a request, parsed and checked (see the module's README for their
 * meaning). Unknown parameters and contradictory combinations are rejected with 400 so a typo
 * in a test cannot silently test something else; {@code tag} is accepted and ignored, for
 * cache-busting or labelling.
 *
 * @param randomSize the size drawn from {@code random=MIN-MAX}, -1 without it
 * @param chunkSize {@code chunked=SIZE}, 0 without it
 * @param extraHeaders {@code header=Name:Value} lines, encoded as {@code Name: Value\r\n}
 */
record ResponseOptions(
        long randomSize,
        long chunkSize,
        boolean trailers,
        boolean closeDelimited,
        boolean http10,
        long delayMs,
        long slowHeadMs,
        long slowBodyMs,
        int pieceSize,
        int status,
        List<byte[]> extraHeaders,
        boolean keepAliveOff,
        Fault fault,
        Expectation expect,
        boolean resetStats) {

    /** What to do with {@code Expect: 100-continue}. */
    enum Expectation { CONTINUE, IGNORE, REJECT }

    static final int DEFAULT_PIECE = 16 * 1024;
    static final long MAX_SIZE = 1L << 40;
    private static final long MAX_PIECE = 1L << 30;
    private static final long MAX_DELAY_MS = 600_000;

    static final ResponseOptions DEFAULTS = new ResponseOptions(
            -1, 0, false, false, false, 0, 0, 0, DEFAULT_PIECE, 0, List.of(), false, null,
            Expectation.CONTINUE, false);

    boolean chunked() {
        return chunkSize > 0;
    }

    /** Parses the query string (without the '?'). */
    static ResponseOptions parse(String query) throws RequestRejected {
        Map<String, List<String>> params;
        try {
            params = new QueryStringDecoder(query, StandardCharsets.UTF_8, false).parameters();
        } catch (IllegalArgumentException e) {
            throw RequestRejected.badRequest("malformed query: " + e.getMessage());
        }
        long randomSize = -1;
        long chunkSize = 0;
        boolean trailers = false;
        boolean closeDelimited = false;
        boolean http10 = false;
        long delay = 0;
        long slowHead = 0;
        long slowBody = 0;
        int piece = DEFAULT_PIECE;
        int status = 0;
        List<byte[]> headers = new ArrayList<>();
        boolean keepAliveOff = false;
        Fault fault = null;
        Expectation expect = Expectation.CONTINUE;
        boolean resetStats = false;
        for (Map.Entry<String, List<String>> e : params.entrySet()) {
            String name = e.getKey();
            List<String> values = e.getValue();
            if (name.equals("header")) {
                for (String v : values) {
                    headers.add(headerLine(v));
                }
                continue;
            }
            if (values.size() > 1) {
                throw RequestRejected.badRequest("parameter '" + name + "' given more than once");
            }
            String v = values.getFirst();
            switch (name) {
                case "random" -> randomSize = randomSize(v);
                case "chunked" -> {
                    chunkSize = size(name, v);
                    if (chunkSize == 0) {
                        throw RequestRejected.badRequest("chunked=SIZE needs a size above 0");
                    }
                }
                case "trailers" -> trailers = flag(name, v);
                case "close-delimited" -> closeDelimited = flag(name, v);
                case "version" -> http10 = switch (v) {
                    case "1.0" -> true;
                    case "1.1" -> false;
                    default -> throw RequestRejected.badRequest("version must be 1.0 or 1.1");
                };
                case "delay" -> delay = millis(name, v);
                case "slow-head" -> slowHead = millis(name, v);
                case "slow-body" -> slowBody = millis(name, v);
                case "piece" -> {
                    long p = size(name, v);
                    if (p == 0 || p > MAX_PIECE) {
                        throw RequestRejected.badRequest("piece must be 1 byte to 1g");
                    }
                    piece = (int) p;
                }
                case "status" -> status = status(v);
                case "keepalive" -> keepAliveOff = !flag(name, v);
                case "fault" -> fault = Fault.of(v);
                case "expect" -> expect = switch (v) {
                    case "continue" -> Expectation.CONTINUE;
                    case "ignore" -> Expectation.IGNORE;
                    case "417" -> Expectation.REJECT;
                    default -> throw RequestRejected.badRequest("expect must be continue, ignore or 417");
                };
                case "reset" -> resetStats = flag(name, v);
                case "tag" -> {
                    // Ignored on purpose: lets a client make URLs unique or label them.
                }
                default -> throw RequestRejected.badRequest("unknown parameter '" + name + "'");
            }
        }
        if (trailers && chunkSize == 0) {
            throw RequestRejected.badRequest("trailers=1 needs chunked=SIZE");
        }
        if (chunkSize > 0 && closeDelimited) {
            throw RequestRejected.badRequest("chunked and close-delimited exclude each other");
        }
        if (chunkSize > 0 && http10) {
            throw RequestRejected.badRequest("an HTTP/1.0 response cannot be chunked");
        }
        return new ResponseOptions(randomSize, chunkSize, trailers, closeDelimited, http10, delay,
                slowHead, slowBody, piece, status, List.copyOf(headers), keepAliveOff, fault, expect,
                resetStats);
    }

    /**
     * A size: decimal digits with an optional binary suffix k, m or g, at most 1 TiB. Also used
     * for the size in a path such as {@code /64k}.
     */
    static long parseSize(CharSequence s, int start, int end) {
        if (end <= start) {
            return -1;
        }
        int multiplierShift = switch (s.charAt(end - 1)) {
            case 'k', 'K' -> 10;
            case 'm', 'M' -> 20;
            case 'g', 'G' -> 30;
            default -> 0;
        };
        int digitsEnd = multiplierShift == 0 ? end : end - 1;
        if (digitsEnd == start || digitsEnd - start > 13) {
            return -1;
        }
        long value = 0;
        for (int i = start; i < digitsEnd; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value > MAX_SIZE >> multiplierShift ? -1 : value << multiplierShift;
    }

    private static long size(String name, String v) throws RequestRejected {
        long size = parseSize(v, 0, v.length());
        if (size < 0) {
            throw RequestRejected.badRequest(name + " must be a size such as 100, 16k or 1m (at most 1 TiB)");
        }
        return size;
    }

    private static long randomSize(String v) throws RequestRejected {
        int dash = v.indexOf('-');
        long min = dash < 0 ? -1 : parseSize(v, 0, dash);
        long max = dash < 0 ? -1 : parseSize(v, dash + 1, v.length());
        if (min < 0 || max < min) {
            throw RequestRejected.badRequest("random must be MIN-MAX with sizes, MIN <= MAX");
        }
        return ThreadLocalRandom.current().nextLong(min, max + 1);
    }

    private static boolean flag(String name, String v) throws RequestRejected {
        return switch (v) {
            case "1", "true" -> true;
            case "0", "false" -> false;
            default -> throw RequestRejected.badRequest(name + " must be 0 or 1");
        };
    }

    private static long millis(String name, String v) throws RequestRejected {
        try {
            long ms = Long.parseLong(v);
            if (ms >= 0 && ms <= MAX_DELAY_MS) {
                return ms;
            }
        } catch (NumberFormatException e) {
            // Reported below with the allowed range.
        }
        throw RequestRejected.badRequest(name + " must be milliseconds from 0 to " + MAX_DELAY_MS);
    }

    private static int status(String v) throws RequestRejected {
        try {
            int code = Integer.parseInt(v);
            if (code >= 200 && code <= 599) {
                return code;
            }
        } catch (NumberFormatException e) {
            // Reported below with the allowed range.
        }
        throw RequestRejected.badRequest("status must be a final status code, 200 to 599");
    }

    private static byte[] headerLine(String v) throws RequestRejected {
        int colon = v.indexOf(':');
        String name = colon < 0 ? "" : v.substring(0, colon);
        if (!isToken(name)) {
            throw RequestRejected.badRequest("header must be Name:Value with a token name");
        }
        String value = v.substring(colon + 1).strip();
        byte[] valueBytes = value.getBytes(StandardCharsets.UTF_8);
        for (byte b : valueBytes) {
            // field-value bytes: VCHAR, obs-text, SP, HTAB; never CR, LF, NUL, DEL or other CTLs
            int c = b & 0xff;
            if (c != '\t' && (c < 0x20 || c == 0x7f)) {
                throw RequestRejected.badRequest("header value contains a control character");
            }
        }
        byte[] line = new byte[name.length() + 2 + valueBytes.length + 2];
        int at = 0;
        for (int i = 0; i < name.length(); i++) {
            line[at++] = (byte) name.charAt(i);
        }
        line[at++] = ':';
        line[at++] = ' ';
        System.arraycopy(valueBytes, 0, line, at, valueBytes.length);
        at += valueBytes.length;
        line[at++] = '\r';
        line[at] = '\n';
        return line;
    }

    /** A token (RFC 9110 §5.6.2): the name of a {@code header=} line. */
    private static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
            if (!alnum && "!#$%&'*+-.^_`|~".indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }
}
