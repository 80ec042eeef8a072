package dev.synedge.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RequestHeadParserTest {

    /** Small limits so that the boundaries are easy to hit. */
    private static final HttpLimits SMALL = new HttpLimits(32, 128, 4, 16, 32);

    static String req(String requestLine, String... fields) {
        StringBuilder sb = new StringBuilder(requestLine).append("\r\n");
        for (String f : fields) {
            sb.append(f).append("\r\n");
        }
        return sb.append("\r\n").toString();
    }

    /**
     * Parses {@code message} whole, byte by byte and in random pieces, from heap and direct
     * buffers; all must agree. Returns the outcome: the error's name, NEED_MORE, or DONE with
     * the head's description.
     */
    static String outcome(String message, HttpLimits limits) {
        byte[] bytes = Wire.bytes(message);
        List<String> outcomes = new ArrayList<>();
        for (boolean direct : new boolean[] {false, true}) {
            for (int[] pieces : Wire.splits(bytes.length, message.hashCode())) {
                RequestHeadParser parser = new RequestHeadParser(limits);
                RequestHead head = new RequestHead();
                outcomes.add(Wire.feed(bytes, pieces, direct, buf -> parser.parse(buf, head),
                        (r, buf) -> r == ParseProgress.DONE ? "DONE " + Wire.describe(head) : r.toString()));
            }
        }
        assertThat(outcomes).as("same outcome for every split of %s", message).containsOnly(outcomes.get(0));
        return outcomes.get(0);
    }

    static String outcome(String message) {
        return outcome(message, HttpLimits.DEFAULTS);
    }

    static Stream<Arguments> rejected() {
        String x = "x".repeat(40);
        return Stream.of(
                // request line
                arguments("double space", "GET  / HTTP/1.1\r\nHost: a\r\n\r\n", HttpError.BAD_REQUEST_LINE),
                arguments("leading space", " GET / HTTP/1.1\r\nHost: a\r\n\r\n", HttpError.BAD_REQUEST_LINE),
                arguments("no version", "GET /\r\nHost: a\r\n\r\n", HttpError.BAD_REQUEST_LINE),
                arguments("method only", "GET\r\nHost: a\r\n\r\n", HttpError.BAD_REQUEST_LINE),
                arguments("non-token method", "G@T / HTTP/1.1\r\nHost: a\r\n\r\n", HttpError.BAD_METHOD),
                arguments("tab separator", "GET\t/ HTTP/1.1\r\nHost: a\r\n\r\n", HttpError.BAD_METHOD),
                arguments("trailing space", "GET / HTTP/1.1 \r\nHost: a\r\n\r\n", HttpError.BAD_VERSION),
                arguments("lower-case version", "GET / http/1.1\r\nHost: a\r\n\r\n", HttpError.BAD_VERSION),
                arguments("two-digit minor", "GET / HTTP/1.10\r\nHost: a\r\n\r\n", HttpError.BAD_VERSION),
                arguments("no minor", "GET / HTTP/1\r\nHost: a\r\n\r\n", HttpError.BAD_VERSION),
                arguments("HTTP/2.0", "GET / HTTP/2.0\r\nHost: a\r\n\r\n", HttpError.VERSION_NOT_SUPPORTED),
                arguments("HTTP/0.9", "GET / HTTP/0.9\r\nHost: a\r\n\r\n", HttpError.VERSION_NOT_SUPPORTED),
                arguments("CONNECT", "CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\n\r\n", HttpError.CONNECT_NOT_SUPPORTED),
                // targets
                arguments("asterisk with GET", "GET * HTTP/1.1\r\nHost: a\r\n\r\n", HttpError.BAD_TARGET),
                arguments("relative target", "GET a/b HTTP/1.1\r\nHost: a\r\n\r\n", HttpError.BAD_TARGET),
                arguments("authority-form with GET", "GET a:80 HTTP/1.1\r\nHost: a\r\n\r\n", HttpError.BAD_TARGET),
                arguments("fragment", "GET /a#b HTTP/1.1\r\nHost: a\r\n\r\n", HttpError.BAD_TARGET),
                arguments("bad escape", "GET /a%zz HTTP/1.1\r\nHost: a\r\n\r\n", HttpError.BAD_TARGET),
                arguments("cut escape", "GET /a%4 HTTP/1.1\r\nHost: a\r\n\r\n", HttpError.BAD_TARGET),
                arguments("DEL in target", "GET /\u007f HTTP/1.1\r\nHost: a\r\n\r\n", HttpError.BAD_TARGET),
                arguments("non-ASCII target", "GET /\u00e9 HTTP/1.1\r\nHost: a\r\n\r\n", HttpError.BAD_TARGET),
                arguments("NUL in target", "GET /\u0000 HTTP/1.1\r\nHost: a\r\n\r\n", HttpError.BAD_TARGET),
                arguments("ftp scheme", "GET ftp://a/ HTTP/1.1\r\nHost: a\r\n\r\n", HttpError.BAD_TARGET),
                arguments("userinfo", "GET http://u@a/ HTTP/1.1\r\nHost: a\r\n\r\n", HttpError.BAD_TARGET),
                arguments("empty authority", "GET http:///x HTTP/1.1\r\nHost: a\r\n\r\n", HttpError.BAD_TARGET),
                arguments("scheme only", "GET http:// HTTP/1.1\r\nHost: a\r\n\r\n", HttpError.BAD_TARGET),
                // line endings
                arguments("bare LF after request line", "GET / HTTP/1.1\nHost: a\r\n\r\n", HttpError.BARE_LF),
                arguments("bare LF after field", "GET / HTTP/1.1\r\nHost: a\n\r\n", HttpError.BARE_LF),
                arguments("bare LF as end of head", "GET / HTTP/1.1\r\nHost: a\r\n\n", HttpError.BARE_LF),
                arguments("bare LF before request line", "\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", HttpError.BARE_LF),
                arguments("bare CR in value", "GET / HTTP/1.1\r\nHost: a\r\nX: a\rb\r\n\r\n", HttpError.BARE_CR),
                arguments("bare CR in name", "GET / HTTP/1.1\r\nHost: a\r\nX\rY: a\r\n\r\n", HttpError.BARE_CR),
                arguments("bare CR in target", "GET /\r HTTP/1.1\r\nHost: a\r\n\r\n", HttpError.BARE_CR),
                arguments("bare CR in version", "GET / HTTP/1.1\r\r\nHost: a\r\n\r\n", HttpError.BARE_CR),
                arguments("CR CR LF at end of head", "GET / HTTP/1.1\r\nHost: a\r\n\r\r\n", HttpError.BARE_CR),
                // fields
                arguments("space before colon", "GET / HTTP/1.1\r\nHost : a\r\n\r\n", HttpError.SPACE_BEFORE_COLON),
                arguments("tab before colon", "GET / HTTP/1.1\r\nHost\t: a\r\n\r\n", HttpError.SPACE_BEFORE_COLON),
                arguments("obs-fold", "GET / HTTP/1.1\r\nHost: a\r\nX: a\r\n b\r\n\r\n", HttpError.OBS_FOLD),
                arguments("obs-fold with tab", "GET / HTTP/1.1\r\nHost: a\r\nX: a\r\n\tb\r\n\r\n", HttpError.OBS_FOLD),
                arguments("space before first field", "GET / HTTP/1.1\r\n Host: a\r\n\r\n", HttpError.OBS_FOLD),
                arguments("NUL in value", "GET / HTTP/1.1\r\nHost: a\r\nX: a\u0000b\r\n\r\n", HttpError.BAD_FIELD_VALUE),
                arguments("VT in value", "GET / HTTP/1.1\r\nHost: a\r\nX: a\u000bb\r\n\r\n", HttpError.BAD_FIELD_VALUE),
                arguments("DEL in value", "GET / HTTP/1.1\r\nHost: a\r\nX: a\u007fb\r\n\r\n", HttpError.BAD_FIELD_VALUE),
                arguments("empty name", "GET / HTTP/1.1\r\nHost: a\r\n: a\r\n\r\n", HttpError.BAD_FIELD_NAME),
                arguments("no colon", "GET / HTTP/1.1\r\nHost: a\r\nX\r\n\r\n", HttpError.BAD_FIELD_NAME),
                arguments("parenthesis in name", "GET / HTTP/1.1\r\nHost: a\r\nX(Y): a\r\n\r\n", HttpError.BAD_FIELD_NAME),
                arguments("non-ASCII name", "GET / HTTP/1.1\r\nHost: a\r\nX\u00e9: a\r\n\r\n", HttpError.BAD_FIELD_NAME),
                arguments("slash in name", "GET / HTTP/1.1\r\nHost: a\r\nX/Y: a\r\n\r\n", HttpError.BAD_FIELD_NAME),
                // Host
                arguments("no Host on 1.1", "GET / HTTP/1.1\r\nX: a\r\n\r\n", HttpError.MISSING_HOST),
                arguments("two Hosts", "GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n", HttpError.DUPLICATE_HOST),
                arguments("two Hosts with absolute-form", "GET http://a/ HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", HttpError.DUPLICATE_HOST),
                arguments("two Hosts on 1.0", "GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n", HttpError.DUPLICATE_HOST),
                arguments("empty Host", "GET / HTTP/1.1\r\nHost: \r\n\r\n", HttpError.BAD_HOST),
                arguments("Host with space", "GET / HTTP/1.1\r\nHost: a b\r\n\r\n", HttpError.BAD_HOST),
                arguments("Host with userinfo", "GET / HTTP/1.1\r\nHost: u@a\r\n\r\n", HttpError.BAD_HOST),
                arguments("Host with path", "GET / HTTP/1.1\r\nHost: a/b\r\n\r\n", HttpError.BAD_HOST),
                arguments("Host list", "GET / HTTP/1.1\r\nHost: a, b\r\n\r\n", HttpError.BAD_HOST),
                arguments("port too big", "GET / HTTP/1.1\r\nHost: a:65536\r\n\r\n", HttpError.BAD_HOST),
                arguments("empty port", "GET / HTTP/1.1\r\nHost: a:\r\n\r\n", HttpError.BAD_HOST),
                arguments("bad IP literal", "GET / HTTP/1.1\r\nHost: [zz]\r\n\r\n", HttpError.BAD_HOST),
                arguments("unclosed IP literal", "GET / HTTP/1.1\r\nHost: [::1\r\n\r\n", HttpError.BAD_HOST),
                arguments("invalid Host with absolute-form", "GET http://a/ HTTP/1.1\r\nHost: a b\r\n\r\n", HttpError.BAD_HOST),
                // Content-Length
                arguments("CL plus sign", req("POST / HTTP/1.1", "Host: a", "Content-Length: +5"), HttpError.BAD_CONTENT_LENGTH),
                arguments("CL minus sign", req("POST / HTTP/1.1", "Host: a", "Content-Length: -5"), HttpError.BAD_CONTENT_LENGTH),
                arguments("CL empty", req("POST / HTTP/1.1", "Host: a", "Content-Length:"), HttpError.BAD_CONTENT_LENGTH),
                arguments("CL blank", req("POST / HTTP/1.1", "Host: a", "Content-Length:   "), HttpError.BAD_CONTENT_LENGTH),
                arguments("CL comma list identical", req("POST / HTTP/1.1", "Host: a", "Content-Length: 5, 5"), HttpError.BAD_CONTENT_LENGTH),
                arguments("CL comma list differing", req("POST / HTTP/1.1", "Host: a", "Content-Length: 5,6"), HttpError.BAD_CONTENT_LENGTH),
                arguments("CL hex", req("POST / HTTP/1.1", "Host: a", "Content-Length: 0x5"), HttpError.BAD_CONTENT_LENGTH),
                arguments("CL trailing garbage", req("POST / HTTP/1.1", "Host: a", "Content-Length: 5a"), HttpError.BAD_CONTENT_LENGTH),
                arguments("CL inner space", req("POST / HTTP/1.1", "Host: a", "Content-Length: 5 5"), HttpError.BAD_CONTENT_LENGTH),
                arguments("CL overflow", req("POST / HTTP/1.1", "Host: a", "Content-Length: 9223372036854775808"), HttpError.BAD_CONTENT_LENGTH),
                arguments("CL differing duplicates", req("POST / HTTP/1.1", "Host: a", "Content-Length: 5", "Content-Length: 6"), HttpError.CONFLICTING_CONTENT_LENGTH),
                // Transfer-Encoding
                arguments("CL and TE", req("POST / HTTP/1.1", "Host: a", "Content-Length: 5", "Transfer-Encoding: chunked"), HttpError.TE_WITH_CONTENT_LENGTH),
                arguments("TE and CL", req("POST / HTTP/1.1", "Host: a", "Transfer-Encoding: chunked", "Content-Length: 5"), HttpError.TE_WITH_CONTENT_LENGTH),
                arguments("TE on 1.0", req("POST / HTTP/1.0", "Transfer-Encoding: chunked"), HttpError.TE_IN_HTTP_1_0),
                arguments("TE gzip only", req("POST / HTTP/1.1", "Host: a", "Transfer-Encoding: gzip"), HttpError.TE_NOT_CHUNKED),
                arguments("TE chunked then gzip", req("POST / HTTP/1.1", "Host: a", "Transfer-Encoding: chunked, gzip"), HttpError.TE_NOT_CHUNKED),
                arguments("TE identity", req("POST / HTTP/1.1", "Host: a", "Transfer-Encoding: identity"), HttpError.TE_NOT_CHUNKED),
                arguments("TE chunked twice", req("POST / HTTP/1.1", "Host: a", "Transfer-Encoding: chunked, chunked"), HttpError.TE_CHUNKED_TWICE),
                arguments("TE chunked in two fields", req("POST / HTTP/1.1", "Host: a", "Transfer-Encoding: chunked", "Transfer-Encoding: chunked"), HttpError.TE_CHUNKED_TWICE),
                arguments("TE gzip then chunked", req("POST / HTTP/1.1", "Host: a", "Transfer-Encoding: gzip, chunked"), HttpError.TE_NOT_IMPLEMENTED),
                arguments("TE unknown then chunked", req("POST / HTTP/1.1", "Host: a", "Transfer-Encoding: x-foo", "Transfer-Encoding: chunked"), HttpError.TE_NOT_IMPLEMENTED),
                arguments("TE with parameter", req("POST / HTTP/1.1", "Host: a", "Transfer-Encoding: chunked;q=1"), HttpError.BAD_TRANSFER_ENCODING),
                arguments("TE empty", req("POST / HTTP/1.1", "Host: a", "Transfer-Encoding:"), HttpError.BAD_TRANSFER_ENCODING),
                arguments("TE only commas", req("POST / HTTP/1.1", "Host: a", "Transfer-Encoding: , ,"), HttpError.BAD_TRANSFER_ENCODING),
                arguments("TE with junk", req("POST / HTTP/1.1", "Host: a", "Transfer-Encoding: \"chunked\""), HttpError.BAD_TRANSFER_ENCODING),
                // Connection and Upgrade
                arguments("Connection with parameter", req("GET / HTTP/1.1", "Host: a", "Connection: close;x"), HttpError.BAD_CONNECTION),
                arguments("Connection with slash", req("GET / HTTP/1.1", "Host: a", "Connection: a/b"), HttpError.BAD_CONNECTION),
                arguments("Upgrade with junk", req("GET / HTTP/1.1", "Host: a", "Upgrade: web socket"), HttpError.BAD_UPGRADE),
                // limits at their boundary (the accepting side is in accepted())
                arguments("request line one past limit", req("GET /" + x.substring(0, 19) + " HTTP/1.1", "Host: a"),
                        HttpError.START_LINE_TOO_LONG),
                arguments("request line never ending", "GET /" + x + x + x, HttpError.START_LINE_TOO_LONG),
                arguments("request line past limit with bare LF", "GET /" + x + " HTTP/1.1\nHost: a\n\n",
                        HttpError.START_LINE_TOO_LONG),
                arguments("head one past limit", req("GET / HTTP/1.1", "Host: a", "X: " + "v".repeat(97)),
                        HttpError.HEAD_TOO_LARGE),
                arguments("head never ending", "GET / HTTP/1.1\r\nHost: a\r\nX: " + "y".repeat(200),
                        HttpError.HEAD_TOO_LARGE),
                arguments("empty lines past limit", "\r\n".repeat(70) + req("GET / HTTP/1.1", "Host: a"),
                        HttpError.HEAD_TOO_LARGE),
                arguments("fields one past limit", req("GET / HTTP/1.1", "Host: a", "A: 1", "B: 2", "C: 3", "D: 4"),
                        HttpError.TOO_MANY_FIELDS)
        );
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejected")
    void rejects(String name, String message, HttpError expected) {
        // the small limits only matter to the limit cases; every other case is far below them
        HttpLimits limits = name.contains("limit") || name.contains("never") ? SMALL : HttpLimits.DEFAULTS;
        assertThat(outcome(message, limits)).isEqualTo(expected.name());
    }

    @Test
    void limitBoundariesAccepted() {
        // request line of exactly 32 bytes
        String line = "GET /" + "x".repeat(18) + " HTTP/1.1";
        assertThat(line).hasSize(32);
        assertThat(outcome(req(line, "Host: a"), SMALL)).startsWith("DONE ");
        // head of exactly 128 bytes, final CRLF included
        String head = req("GET / HTTP/1.1", "Host: a", "X: " + "v".repeat(96));
        assertThat(head).hasSize(128);
        assertThat(outcome(head, SMALL)).startsWith("DONE ").contains("length=128");
        // exactly 4 fields
        assertThat(outcome(req("GET / HTTP/1.1", "Host: a", "A: 1", "B: 2", "C: 3"), SMALL)).startsWith("DONE ");
    }

    @Test
    void incompleteHeadsNeedMore() {
        String full = req("GET / HTTP/1.1", "Host: a", "X: y");
        for (int n = 0; n < full.length(); n++) {
            assertThat(outcome(full.substring(0, n))).as("prefix of %d bytes", n).isEqualTo("NEED_MORE");
        }
    }

    static Stream<Arguments> accepted() {
        return Stream.of(
                arguments(req("GET / HTTP/1.1", "Host: a"),
                        "GET ORIGIN / HTTP_1_1 host=a path=/ body=NONE/-1 keepAlive=true continue=false upgrade=false length=27 start=0 [Host: a]"),
                arguments(req("GET /p?q=1 HTTP/1.0"),
                        "GET ORIGIN /p?q=1 HTTP_1_0 host= path=/p query=?q=1 body=NONE/-1 keepAlive=false"),
                arguments(req("GET / HTTP/1.0", "Connection: keep-alive"), "keepAlive=true"),
                arguments(req("GET / HTTP/1.0", "Connection: Keep-Alive, close"), "keepAlive=false"),
                arguments(req("GET / HTTP/1.1", "Host: a", "Connection: close"), "keepAlive=false"),
                arguments(req("GET / HTTP/1.1", "Host: a", "Connection: keep-alive", "Connection: CLOSE"), "keepAlive=false"),
                arguments(req("GET / HTTP/1.2", "Host: a"), "GET ORIGIN / HTTP_1_1"),
                arguments(req("GET / HTTP/1.9", "Host: a"), "GET ORIGIN / HTTP_1_1"),
                arguments(req("get / HTTP/1.1", "Host: a"), "OTHER ORIGIN /"),
                arguments(req("PROPFIND / HTTP/1.1", "Host: a"), "OTHER ORIGIN /"),
                arguments(req("DELETE / HTTP/1.1", "Host: a"), "DELETE ORIGIN /"),
                arguments(req("GET http://b.example:8080/x?y HTTP/1.1", "Host: a"),
                        "GET ABSOLUTE http://b.example:8080/x?y HTTP_1_1 host=b.example:8080 path=/x query=?y "),
                arguments(req("GET HTTPS://b HTTP/1.1"), "GET ABSOLUTE HTTPS://b HTTP_1_1 host=b path= "),
                arguments(req("GET http://b?q HTTP/1.1", "Host: b"), "host=b path= query=?q "),
                arguments(req("GET http://[::1]:81/ HTTP/1.1"), "host=[::1]:81 path=/ "),
                arguments(req("OPTIONS * HTTP/1.1", "Host: a"), "OPTIONS ASTERISK * HTTP_1_1 host=a path=* "),
                arguments(req("GET /a%2Fb?x=%zz&y=|{}?? HTTP/1.1", "Host: a"), "path=/a%2Fb query=?x=%zz&y=|{}?? "),
                arguments(req("GET / HTTP/1.1", "Host: A.Example-1_x~:443"), "host=A.Example-1_x~:443 "),
                arguments(req("GET / HTTP/1.1", "Host: [2001:db8::1]"), "host=[2001:db8::1] "),
                arguments(req("GET / HTTP/1.1", "Host: 192.0.2.1:80"), "host=192.0.2.1:80 "),
                arguments(req("POST / HTTP/1.1", "Host: a", "Content-Length: 5"), "body=CONTENT_LENGTH/5 "),
                arguments(req("POST / HTTP/1.1", "Host: a", "Content-Length: 007"), "body=CONTENT_LENGTH/7 "),
                arguments(req("POST / HTTP/1.1", "Host: a", "Content-Length: 0"), "body=CONTENT_LENGTH/0 "),
                arguments(req("POST / HTTP/1.1", "Host: a", "Content-Length: 5", "Content-Length: 5"), "body=CONTENT_LENGTH/5 "),
                arguments(req("POST / HTTP/1.1", "Host: a", "Content-Length: 9223372036854775807"), "body=CONTENT_LENGTH/9223372036854775807 "),
                arguments(req("POST / HTTP/1.1", "Host: a", "Transfer-Encoding: chunked"), "body=CHUNKED/-1 "),
                arguments(req("POST / HTTP/1.1", "Host: a", "Transfer-Encoding: Chunked"), "body=CHUNKED/-1 "),
                arguments(req("POST / HTTP/1.1", "Host: a", "Transfer-Encoding: , chunked ,"), "body=CHUNKED/-1 "),
                arguments(req("POST / HTTP/1.1", "Host: a", "Expect: 100-continue"), "continue=true"),
                arguments(req("POST / HTTP/1.1", "Host: a", "Expect: 100-Continue"), "continue=true"),
                arguments(req("POST / HTTP/1.0", "Expect: 100-continue"), "continue=false"),
                arguments(req("GET / HTTP/1.1", "Host: a", "Connection: Upgrade", "Upgrade: websocket"), "upgrade=true"),
                arguments(req("GET / HTTP/1.1", "Host: a", "Upgrade: websocket, h2c/1"), "upgrade=false"),
                arguments(req("GET / HTTP/1.1", "Host: a", "Connection: Upgrade, HTTP2-Settings", "Upgrade: h2c",
                        "HTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA"), "upgrade=false"),
                arguments(req("GET / HTTP/1.1", "Host: a", "Connection: Upgrade", "Upgrade: H2C/1, websocket"),
                        "upgrade=true"),
                arguments(req("GET / HTTP/1.1", "Host: a", "Connection: Upgrade", "Upgrade: h2c", "Upgrade: websocket"),
                        "upgrade=true"),
                arguments(req("GET / HTTP/1.1", "Host: a", "Connection: Upgrade", "Upgrade: "), "upgrade=false"),
                arguments(req("GET / HTTP/1.0", "Connection: upgrade", "Upgrade: websocket"), "upgrade=false"),
                arguments("\r\n\r\n" + req("GET / HTTP/1.1", "Host: a"), "length=31 start=4 "),
                arguments(req("GET / HTTP/1.1", "Host: a", "X:  a b \t", "Y:", "Z:\t\t"), "[X: a b] [Y: ] [Z: ]"),
                arguments(req("GET / HTTP/1.1", "Host: a", "X: caf\u00e9 \"q\" (c)"), "[X: caf\u00e9 \"q\" (c)]"),
                arguments(req("GET / HTTP/1.1", "Connection: x-a, Keep-Alive", "Host: a", "X-A: 1", "x-a: 2", "X-B: 3"),
                        "[Connection: x-a, Keep-Alive] [Host: a] [X-A: 1](listed) [x-a: 2](listed) [X-B: 3]"),
                arguments(req("GET / HTTP/1.1", "Host: a", "Connection: ,, close ,"), "keepAlive=false"),
                arguments(req("GET / HTTP/1.1", "Host: a", "!#$%&'*+-.^_`|~09azAZ: v"), "[!#$%&'*+-.^_`|~09azAZ: v]")
        );
    }

    @ParameterizedTest
    @MethodSource("accepted")
    void accepts(String message, String expected) {
        assertThat(outcome(message)).startsWith("DONE ").contains(expected);
    }

    /** Every control byte at every position of a long value (the line scan works 8 bytes at a time). */
    @Test
    void controlBytesAnywhereInValuesAreRefused() {
        for (int c = 0; c < 0x100; c++) {
            for (int at = 0; at < 21; at++) {
                char[] value = "abcdefghijklmnopqrstu".toCharArray();
                value[at] = (char) c;
                String message = "GET / HTTP/1.1\r\nHost: a\r\nX-Long: " + new String(value) + "\r\n\r\n";
                RequestHeadParser parser = new RequestHeadParser(HttpLimits.DEFAULTS);
                RequestHead head = new RequestHead();
                for (boolean direct : new boolean[] {false, true}) {
                    String result = Wire.feed(Wire.bytes(message), new int[] {message.length()}, direct,
                            buf -> parser.parse(buf, head), (r, buf) -> r.toString());
                    String expected = c == '\n' ? "BARE_LF" : c == '\r' ? "BARE_CR"
                            : (c < 0x20 && c != '\t') || c == 0x7F ? "BAD_FIELD_VALUE" : "DONE";
                    assertThat(result).as("byte 0x%02x at %d", c, at).isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void presenceFlags() {
        RequestHead head = parseOnce(req("GET / HTTP/1.1", "Host: a", "TE: trailers", "Via: 1.1 x",
                "X-Forwarded-For: 1.2.3.4", "X-Forwarded-Proto: https", "X-Forwarded-Host: h", "Forwarded: for=x"));
        assertThat(head.hasTe()).isTrue();
        assertThat(head.hasVia()).isTrue();
        assertThat(head.hasXForwardedFor()).isTrue();
        assertThat(head.hasXForwardedProto()).isTrue();
        assertThat(head.hasXForwardedHost()).isTrue();
        assertThat(head.hasForwarded()).isTrue();
        assertThat(head.hasContentLength()).isFalse();
        assertThat(head.hasTransferEncoding()).isFalse();
        assertThat(head.indexOf("x-forwarded-for")).isEqualTo(3);
        assertThat(head.indexOf(io.netty.util.AsciiString.cached("VIA"))).isEqualTo(2);
        assertThat(head.indexOf("missing")).isEqualTo(-1);
        assertThat(head.valueEqualsIgnoreCase(4, "HTTPS")).isTrue();
        assertThat(head.value("forwarded")).isEqualTo("for=x");
        RequestHead bare = parseOnce(req("GET / HTTP/1.1", "Host: a"));
        assertThat(bare.hasTe() || bare.hasVia() || bare.hasXForwardedFor() || bare.hasForwarded()).isFalse();
    }

    private static RequestHead parseOnce(String message) {
        RequestHead head = new RequestHead();
        ByteBuf buf = io.netty.buffer.Unpooled.wrappedBuffer(Wire.bytes(message));
        assertThat(new RequestHeadParser(HttpLimits.DEFAULTS).parse(buf, head)).isEqualTo(ParseProgress.DONE);
        return head;
    }

    @Test
    void pipelinedHeadsParseOneAfterTheOther() {
        String first = req("POST /a HTTP/1.1", "Host: a", "Content-Length: 5");
        String second = req("GET /b HTTP/1.1", "Host: b");
        String third = "\r\n" + req("GET /c HTTP/1.1", "Host: c", "Connection: close");
        String all = first + "hello" + second + third;
        for (boolean direct : new boolean[] {false, true}) {
            ByteBuf buf = Wire.buffer(direct).writeBytes(Wire.bytes(all));
            try {
                RequestHeadParser parser = new RequestHeadParser(HttpLimits.DEFAULTS);
                RequestHead head = new RequestHead();
                assertThat(parser.parse(buf, head)).isEqualTo(ParseProgress.DONE);
                assertThat(head.target()).isEqualTo("/a");
                assertThat(head.length()).isEqualTo(first.length());
                buf.skipBytes(head.length() + (int) head.contentLength());
                assertThat(parser.parse(buf, head)).isEqualTo(ParseProgress.DONE);
                assertThat(head.target()).isEqualTo("/b");
                assertThat(head.host()).isEqualTo("b");
                assertThat(head.length()).isEqualTo(second.length());
                buf.skipBytes(head.length());
                assertThat(parser.parse(buf, head)).isEqualTo(ParseProgress.DONE);
                assertThat(head.target()).isEqualTo("/c");
                assertThat(head.keepAlive()).isFalse();
                assertThat(head.length()).isEqualTo(third.length());
                buf.skipBytes(head.length());
                assertThat(buf.isReadable()).isFalse();
                assertThat(parser.parse(buf, head)).isEqualTo(ParseProgress.NEED_MORE);
            } finally {
                buf.release();
            }
        }
    }

    @Test
    void survivesCompactionBetweenReads() {
        String message = "junk" + req("GET /x HTTP/1.1", "Host: a", "X: 1");
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(64);
        try {
            RequestHeadParser parser = new RequestHeadParser(HttpLimits.DEFAULTS);
            RequestHead head = new RequestHead();
            byte[] bytes = Wire.bytes(message);
            buf.writeBytes(bytes, 0, 20).skipBytes(4);
            assertThat(parser.parse(buf, head)).isEqualTo(ParseProgress.NEED_MORE);
            buf.discardReadBytes();
            buf.writeBytes(bytes, 20, bytes.length - 20);
            assertThat(parser.parse(buf, head)).isEqualTo(ParseProgress.DONE);
            assertThat(head.target()).isEqualTo("/x");
            assertThat(head.value("x")).isEqualTo("1");
        } finally {
            buf.release();
        }
    }

    @Test
    void bigHeadArrivingByteByByte() {
        StringBuilder sb = new StringBuilder("GET /big HTTP/1.1\r\nHost: a\r\n");
        for (int i = 0; i < 62; i++) {
            sb.append("X-Field-").append(i).append(": ").append("v".repeat(500)).append("\r\n");
        }
        String message = sb.append("\r\n").toString();
        HttpLimits limits = new HttpLimits(8192, 32 * 1024, 100, 4096, 1024);
        assertThat(message.length()).isBetween(31 * 1024, 32 * 1024);
        for (boolean direct : new boolean[] {false, true}) {
            RequestHeadParser parser = new RequestHeadParser(limits);
            RequestHead head = new RequestHead();
            int[] ones = new int[message.length()];
            java.util.Arrays.fill(ones, 1);
            String result = Wire.feed(Wire.bytes(message), ones, direct, buf -> parser.parse(buf, head),
                    (r, buf) -> r + " " + head.fieldCount() + " " + head.value(60).length());
            assertThat(result).isEqualTo("DONE 63 500");
        }
    }

    @Test
    void parserIsReusableAfterAnError() {
        RequestHeadParser parser = new RequestHeadParser(HttpLimits.DEFAULTS);
        RequestHead head = new RequestHead();
        ByteBuf bad = io.netty.buffer.Unpooled.wrappedBuffer(Wire.bytes("GET / HTTP/1.1\nHost: a\r\n\r\n"));
        assertThat(parser.parse(bad, head)).isEqualTo(HttpError.BARE_LF);
        ByteBuf good = io.netty.buffer.Unpooled.wrappedBuffer(Wire.bytes(req("GET /ok HTTP/1.1", "Host: a")));
        assertThat(parser.parse(good, head)).isEqualTo(ParseProgress.DONE);
        assertThat(head.target()).isEqualTo("/ok");
    }
    /**
     * What a refused head still tells about its request: its request line, when that was read
     * whole and valid before the head failed or stalled; nothing when the request line itself
     * was refused, however request-like its first bytes.
     */
    static Stream<Arguments> refusedRequestLines() {
        HttpLimits small = new HttpLimits(32, 96, 3, 16, 32);
        return Stream.of(
                arguments("bad field", req("GET /a?b=1 HTTP/1.1", "Host: a", "Bad@Name: x"), HttpLimits.DEFAULTS,
                        "BAD_FIELD_NAME GET /a?b=1 HTTP/1.1"),
                arguments("duplicate Host", req("PURGE /cache HTTP/1.0", "Host: a", "Host: b"), HttpLimits.DEFAULTS,
                        "DUPLICATE_HOST PURGE /cache HTTP/1.0"),
                arguments("missing Host", req("DELETE /x HTTP/1.1"), HttpLimits.DEFAULTS, "MISSING_HOST DELETE /x HTTP/1.1"),
                arguments("too many fields", req("GET / HTTP/1.1", "Host: a", "A: 1", "B: 2", "C: 3"), small,
                        "TOO_MANY_FIELDS GET / HTTP/1.1"),
                arguments("head too large", req("GET / HTTP/1.1", "Host: a", "X: " + "v".repeat(90)), small,
                        "HEAD_TOO_LARGE GET / HTTP/1.1"),
                arguments("head not finished", "GET /slow HTTP/1.1\r\nHost: a\r\nX-", HttpLimits.DEFAULTS,
                        "NEED_MORE GET /slow HTTP/1.1"),
                arguments("request line not finished", "GET /slow HTTP/1.1", HttpLimits.DEFAULTS, "NEED_MORE -"),
                arguments("request line too long", "GET /" + "x".repeat(40) + " HTTP/1.1\r\n", small,
                        "START_LINE_TOO_LONG -"),
                arguments("invalid method", req("G@T / HTTP/1.1", "Host: a"), HttpLimits.DEFAULTS, "BAD_METHOD -"),
                arguments("dot-segment", req("GET /a/../b HTTP/1.1", "Host: a"), HttpLimits.DEFAULTS, "DOT_SEGMENT -"),
                arguments("HTTP/2.0", req("GET / HTTP/2.0", "Host: a"), HttpLimits.DEFAULTS,
                        "VERSION_NOT_SUPPORTED -"),
                arguments("SSH banner", "SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n", HttpLimits.DEFAULTS,
                        "BAD_REQUEST_LINE -"),
                arguments("CONNECT", req("CONNECT a:443 HTTP/1.1", "Host: a:443"), HttpLimits.DEFAULTS,
                        "CONNECT_NOT_SUPPORTED -"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedRequestLines")
    void aRefusedHeadKeepsOnlyAValidRequestLine(String name, String message, HttpLimits limits, String expected) {
        for (boolean direct : new boolean[] {false, true}) {
            for (int[] pieces : Wire.splits(message.length(), message.hashCode())) {
                RequestHeadParser parser = new RequestHeadParser(limits);
                RequestHead head = new RequestHead();
                String seen = Wire.feed(Wire.bytes(message), pieces, direct, buf -> parser.parse(buf, head),
                        (r, buf) -> r + " " + (head.requestLineValid()
                                ? head.methodName() + " " + head.target() + " " + head.version().text()
                                : head.methodName() == null ? "-" : "method without a valid line"));
                assertThat(seen).as(name).isEqualTo(expected);
            }
        }
    }
}
