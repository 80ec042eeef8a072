package dev.synedge.http;

import static dev.synedge.http.RequestHeadParserTest.req;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The path rule of {@link RequestHeadParser}: dot-segments (also percent-encoded, also before
 * {@code ;} or an encoded separator) and backslashes are refused, everything else goes to
 * routing and upstream exactly as sent. Every case is parsed whole, byte by byte and in random
 * pieces, from heap and direct buffers.
 */
class RequestPathTest {

    private static final ClientHop CLIENT = RequestHeadWriterTest.hop("192.0.2.1", false, false);
    private static final RequestHeadWriter PLAIN = new RequestHeadWriter("s", ForwardedMode.OFF, ForwardedMode.OFF,
            HeaderEdits.NONE);
    /** What a route with path-prefix /a/ and rewrite-prefix /v1/ gives the writer (Route.rewriteFrom drops the slash). */
    private static final RequestHeadWriter PREFIX = new RequestHeadWriter("s", ForwardedMode.OFF, ForwardedMode.OFF,
            HeaderEdits.NONE, Wire.bytes("/a"), Wire.bytes("/v1/"));

    static Stream<Arguments> refused() {
        return Stream.of(
                arguments("/.", HttpError.DOT_SEGMENT),
                arguments("/..", HttpError.DOT_SEGMENT),
                arguments("/./", HttpError.DOT_SEGMENT),
                arguments("/../", HttpError.DOT_SEGMENT),
                // at the start, in the middle, at the end, before the query
                arguments("/./a", HttpError.DOT_SEGMENT),
                arguments("/../a", HttpError.DOT_SEGMENT),
                arguments("/a/./b", HttpError.DOT_SEGMENT),
                arguments("/a/../b", HttpError.DOT_SEGMENT),
                arguments("/a/b/../../c", HttpError.DOT_SEGMENT),
                arguments("/a/.", HttpError.DOT_SEGMENT),
                arguments("/a/..", HttpError.DOT_SEGMENT),
                arguments("/a/.?q", HttpError.DOT_SEGMENT),
                arguments("/a/..?q=1", HttpError.DOT_SEGMENT),
                arguments("/a//../b", HttpError.DOT_SEGMENT),
                // beyond the root
                arguments("/../../etc/passwd", HttpError.DOT_SEGMENT),
                arguments("/a/../../b", HttpError.DOT_SEGMENT),
                // percent-encoded dots, either case, mixed with plain ones
                arguments("/a/%2e/b", HttpError.DOT_SEGMENT),
                arguments("/a/%2E%2e/b", HttpError.DOT_SEGMENT),
                arguments("/a/.%2E/b", HttpError.DOT_SEGMENT),
                arguments("/a/%2e./b", HttpError.DOT_SEGMENT),
                arguments("/a/%2e%2e", HttpError.DOT_SEGMENT),
                arguments("/%2E%2E?q", HttpError.DOT_SEGMENT),
                // path parameters (servlet containers strip them before resolving dots)
                arguments("/a/..;/b", HttpError.DOT_SEGMENT),
                arguments("/a/.;x=1/b", HttpError.DOT_SEGMENT),
                arguments("/a/..;jsessionid=1", HttpError.DOT_SEGMENT),
                arguments("/a/..%3Bx/b", HttpError.DOT_SEGMENT),
                arguments("/a/%2e%2e%3b/b", HttpError.DOT_SEGMENT),
                // encoded slashes and backslashes separate segments for this check
                arguments("/a/..%2Fb", HttpError.DOT_SEGMENT),
                arguments("/a%2f..%2fb", HttpError.DOT_SEGMENT),
                arguments("/a%2F.", HttpError.DOT_SEGMENT),
                arguments("/a/..%5cb", HttpError.DOT_SEGMENT),
                arguments("/a%5C..%5Cb", HttpError.DOT_SEGMENT),
                arguments("/a%2f%2e%2e?q", HttpError.DOT_SEGMENT),
                // absolute-form
                arguments("http://h/a/../b", HttpError.DOT_SEGMENT),
                arguments("http://h/..", HttpError.DOT_SEGMENT),
                arguments("HTTP://h:8080/./x?q", HttpError.DOT_SEGMENT),
                // raw backslashes in the path
                arguments("/a\\b", HttpError.BAD_TARGET),
                arguments("/a/..\\b", HttpError.BAD_TARGET),
                arguments("/\\", HttpError.BAD_TARGET),
                arguments("http://h/a\\b", HttpError.BAD_TARGET)
        );
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void refusedPaths(String target, HttpError expected) {
        assertThat(RequestHeadParserTest.outcome(req("GET " + target + " HTTP/1.1", "Host: h"))).isEqualTo(expected.name());
    }

    static Stream<Arguments> accepted() {
        // target, path and query as parsed, target forwarded by a writer without and with a
        // prefix rewrite of /a to /v1/ (on a segment boundary)
        return Stream.of(
                arguments("/", "/", "", "/", "/"),
                arguments("//", "//", "", "//", "//"),
                arguments("/a//b", "/a//b", "", "/a//b", "/v1//b"),
                arguments("/a/b/", "/a/b/", "", "/a/b/", "/v1/b/"),
                arguments("/.well-known/acme", "/.well-known/acme", "", "/.well-known/acme", "/.well-known/acme"),
                arguments("/a/.b", "/a/.b", "", "/a/.b", "/v1/.b"),
                arguments("/a/b.", "/a/b.", "", "/a/b.", "/v1/b."),
                arguments("/a/..b", "/a/..b", "", "/a/..b", "/v1/..b"),
                arguments("/a/b..", "/a/b..", "", "/a/b..", "/v1/b.."),
                arguments("/a/...", "/a/...", "", "/a/...", "/v1/..."),
                arguments("/a/....", "/a/....", "", "/a/....", "/v1/...."),
                arguments("/a/%2e%2e%2e", "/a/%2e%2e%2e", "", "/a/%2e%2e%2e", "/v1/%2e%2e%2e"),
                arguments("/a/%2ex", "/a/%2ex", "", "/a/%2ex", "/v1/%2ex"),
                arguments("/a/;/b", "/a/;/b", "", "/a/;/b", "/v1/;/b"),
                arguments("/a;../b", "/a;../b", "", "/a;../b", "/a;../b"),
                arguments("/a/x;..", "/a/x;..", "", "/a/x;..", "/v1/x;.."),
                // encoded slashes and backslashes stay opaque
                arguments("/a%2fb", "/a%2fb", "", "/a%2fb", "/a%2fb"),
                arguments("/a/b%2F.c", "/a/b%2F.c", "", "/a/b%2F.c", "/v1/b%2F.c"),
                arguments("/a/x%5Cy", "/a/x%5Cy", "", "/a/x%5Cy", "/v1/x%5Cy"),
                // queries are not looked into
                arguments("/a/b?x=../..&y=./z", "/a/b", "?x=../..&y=./z", "/a/b?x=../..&y=./z", "/v1/b?x=../..&y=./z"),
                arguments("/a?/../", "/a", "?/../", "/a?/../", "/v1/?/../"),
                arguments("/?..", "/", "?..", "/?..", "/?.."),
                arguments("/a/b?%2e%2e", "/a/b", "?%2e%2e", "/a/b?%2e%2e", "/v1/b?%2e%2e"),
                arguments("/a/b?c\\..\\d", "/a/b", "?c\\..\\d", "/a/b?c\\..\\d", "/v1/b?c\\..\\d"),
                // absolute-form
                arguments("http://h?..", "", "?..", "/?..", "/?.."),
                arguments("http://h/a/.b?../", "/a/.b", "?../", "/a/.b?../", "/v1/.b?../")
        );
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accepted")
    void acceptedPathsAreRoutedAndForwardedAsSent(String target, String path, String query, String forwarded,
                                                  String rewritten) {
        String request = req("GET " + target + " HTTP/1.1", "Host: h", "X: 1");
        assertThat(RequestHeadParserTest.outcome(request))
                .startsWith("DONE GET ")
                .contains(" path=" + path + (query.isEmpty() ? " body=" : " query=" + query + " body="));
        assertThat(forwardedLines(request, PLAIN)).containsOnly("GET " + forwarded + " HTTP/1.1");
        assertThat(forwardedLines(request, PREFIX)).containsOnly("GET " + rewritten + " HTTP/1.1");
    }

    /**
     * The request line {@code writer} forwards for {@code request}, for every split and both
     * buffer kinds; also checks that parsing and writing left the input untouched.
     */
    private static List<String> forwardedLines(String request, RequestHeadWriter writer) {
        byte[] bytes = Wire.bytes(request);
        List<String> lines = new ArrayList<>();
        for (boolean direct : new boolean[] {false, true}) {
            for (int[] pieces : Wire.splits(bytes.length, request.hashCode())) {
                RequestHeadParser parser = new RequestHeadParser(HttpLimits.DEFAULTS);
                RequestHead head = new RequestHead();
                lines.add(Wire.feed(bytes, pieces, direct, buf -> parser.parse(buf, head), (r, buf) -> {
                    if (r != ParseProgress.DONE) {
                        return r.toString();
                    }
                    ByteBuf out = Unpooled.buffer();
                    try {
                        writer.write(head, CLIENT, false, out);
                        assertThat(ByteBufUtil.getBytes(buf)).as("input unchanged").isEqualTo(bytes);
                        String written = Wire.string(out);
                        return written.substring(0, written.indexOf("\r\n"));
                    } finally {
                        out.release();
                    }
                }));
            }
        }
        return lines;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void refusalLeavesTheInputUntouched(String target, HttpError expected) {
        byte[] bytes = Wire.bytes(req("GET " + target + " HTTP/1.1", "Host: h"));
        for (boolean direct : new boolean[] {false, true}) {
            RequestHeadParser parser = new RequestHeadParser(HttpLimits.DEFAULTS);
            RequestHead head = new RequestHead();
            String result = Wire.feed(bytes, new int[] {bytes.length}, direct, buf -> parser.parse(buf, head),
                    (r, buf) -> r + (java.util.Arrays.equals(ByteBufUtil.getBytes(buf), bytes) ? "" : " (input changed)"));
            assertThat(result).isEqualTo(expected.name());
        }
    }
}
