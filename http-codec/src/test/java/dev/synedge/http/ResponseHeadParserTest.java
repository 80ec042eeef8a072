package dev.synedge.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ResponseHeadParserTest {

    static String resp(String statusLine, String... fields) {
        return RequestHeadParserTest.req(statusLine, fields);
    }

    /** Like {@link RequestHeadParserTest#outcome}: every split, heap and direct, must agree. */
    static String outcome(String message, Method method) {
        byte[] bytes = Wire.bytes(message);
        List<String> outcomes = new ArrayList<>();
        for (boolean direct : new boolean[] {false, true}) {
            for (int[] pieces : Wire.splits(bytes.length, message.hashCode())) {
                ResponseHeadParser parser = new ResponseHeadParser(HttpLimits.DEFAULTS);
                ResponseHead head = new ResponseHead();
                outcomes.add(Wire.feed(bytes, pieces, direct, buf -> parser.parse(buf, head, method),
                        (r, buf) -> r == ParseProgress.DONE ? "DONE " + Wire.describe(head) : r.toString()));
            }
        }
        assertThat(outcomes).as("same outcome for every split of %s", message).containsOnly(outcomes.get(0));
        return outcomes.get(0);
    }

    static Stream<Arguments> accepted() {
        return Stream.of(
                arguments(resp("HTTP/1.1 200 OK", "Content-Length: 5"), Method.GET,
                        "HTTP_1_1 200 reason=OK body=CONTENT_LENGTH/5 keepAlive=true interim=false switching=false length=38"),
                arguments(resp("HTTP/1.1 200 OK", "Content-Length: 5"), Method.HEAD, "body=NONE/5 keepAlive=true"),
                arguments(resp("HTTP/1.1 200 OK", "Transfer-Encoding: chunked"), Method.HEAD, "body=NONE/-1 keepAlive=true"),
                arguments(resp("HTTP/1.1 204 No Content", "Content-Length: 5"), Method.GET, "body=NONE/5 keepAlive=true"),
                arguments(resp("HTTP/1.1 304 Not Modified", "Content-Length: 5"), Method.GET, "body=NONE/5"),
                arguments(resp("HTTP/1.1 100 Continue"), Method.POST, "100 reason=Continue body=NONE/-1 keepAlive=true interim=true"),
                arguments(resp("HTTP/1.1 103 Early Hints", "Link: </a.css>; rel=preload"), Method.GET, "103 reason=Early Hints body=NONE/-1 keepAlive=true interim=true"),
                arguments(resp("HTTP/1.1 101 Switching Protocols", "Connection: upgrade", "Upgrade: websocket"), Method.GET,
                        "101 reason=Switching Protocols body=NONE/-1 keepAlive=false interim=false switching=true"),
                arguments(resp("HTTP/1.1 200 OK", "Transfer-Encoding: chunked"), Method.GET, "body=CHUNKED/-1 keepAlive=true"),
                arguments(resp("HTTP/1.1 200 OK"), Method.GET, "body=CLOSE_DELIMITED/-1 keepAlive=false"),
                arguments(resp("HTTP/1.1 200 OK"), Method.HEAD, "body=NONE/-1 keepAlive=true"),
                arguments(resp("HTTP/1.1 200 OK", "Content-Length: 5", "Connection: close"), Method.GET, "keepAlive=false"),
                arguments(resp("HTTP/1.0 200 OK", "Content-Length: 5"), Method.GET, "HTTP_1_0 200 reason=OK body=CONTENT_LENGTH/5 keepAlive=false"),
                arguments(resp("HTTP/1.0 200 OK", "Content-Length: 5", "Connection: keep-alive"), Method.GET, "keepAlive=true"),
                arguments(resp("HTTP/1.0 200 OK", "Connection: keep-alive"), Method.GET, "body=CLOSE_DELIMITED/-1 keepAlive=false"),
                arguments(resp("HTTP/1.2 200 OK", "Content-Length: 0"), Method.GET, "HTTP_1_1 200"),
                arguments(resp("HTTP/1.1 200", "Content-Length: 0"), Method.GET, "200 reason= body"),
                arguments(resp("HTTP/1.1 200 ", "Content-Length: 0"), Method.GET, "200 reason= body"),
                arguments(resp("HTTP/1.1 404 Not  Found\t\u00e9", "Content-Length: 0"), Method.GET, "404 reason=Not  Found\t\u00e9 body"),
                arguments(resp("HTTP/1.1 200 OK", "Content-Length : 5", "X\t: y"), Method.GET, "body=CONTENT_LENGTH/5 keepAlive=true interim=false switching=false length=46 [Content-Length: 5] [X: y]"),
                arguments(resp("HTTP/1.1 200 OK", "Content-Length: 5", "Content-Length: 5"), Method.GET, "body=CONTENT_LENGTH/5"),
                arguments(resp("HTTP/1.1 200 OK", "Connection: x-a", "X-A: 1", "Content-Length: 0"), Method.GET, "[X-A: 1](listed)")
        );
    }

    @ParameterizedTest
    @MethodSource("accepted")
    void accepts(String message, Method method, String expected) {
        assertThat(outcome(message, method)).startsWith("DONE ").contains(expected);
    }

    static Stream<Arguments> rejected() {
        return Stream.of(
                arguments(resp("HTTP/1.1 200 OK", "Content-Length: abc"), HttpError.BAD_CONTENT_LENGTH),
                arguments(resp("HTTP/1.1 200 OK", "Content-Length: 5, 5"), HttpError.BAD_CONTENT_LENGTH),
                arguments(resp("HTTP/1.1 200 OK", "Content-Length: -1"), HttpError.BAD_CONTENT_LENGTH),
                arguments(resp("HTTP/1.1 200 OK", "Content-Length: 5", "Content-Length: 6"), HttpError.CONFLICTING_CONTENT_LENGTH),
                arguments(resp("HTTP/1.1 304 Not Modified", "Content-Length: x"), HttpError.BAD_CONTENT_LENGTH),
                arguments(resp("HTTP/1.1 200 OK", "X: a", " b"), HttpError.OBS_FOLD),
                arguments("HTTP/1.1 200 OK\nContent-Length: 0\r\n\r\n", HttpError.BARE_LF),
                arguments("HTTP/1.1 200 OK\r\nContent-Length: 0\n\r\n", HttpError.BARE_LF),
                arguments("HTTP/1.1 200 OK\r\nX: a\rb\r\n\r\n", HttpError.BARE_CR),
                arguments("HTTP/1.1 200 O\rK\r\n\r\n", HttpError.BARE_CR),
                arguments("HTTP/1.1 200 O\u0000K\r\n\r\n", HttpError.BAD_STATUS_LINE),
                arguments("\r\nHTTP/1.1 200 OK\r\n\r\n", HttpError.BAD_STATUS_LINE),
                arguments(resp("HTTP/1.1 200 OK", "Transfer-Encoding: chunked", "Content-Length: 5"), HttpError.TE_WITH_CONTENT_LENGTH),
                arguments(resp("HTTP/1.1 204 No Content", "Transfer-Encoding: chunked", "Content-Length: 5"), HttpError.TE_WITH_CONTENT_LENGTH),
                arguments(resp("HTTP/1.1 200 OK", "Transfer-Encoding: gzip"), HttpError.TE_NOT_CHUNKED),
                arguments(resp("HTTP/1.1 200 OK", "Transfer-Encoding: gzip, chunked"), HttpError.TE_NOT_IMPLEMENTED),
                arguments(resp("HTTP/1.1 200 OK", "Transfer-Encoding: chunked, chunked"), HttpError.TE_CHUNKED_TWICE),
                arguments(resp("HTTP/1.0 200 OK", "Transfer-Encoding: chunked"), HttpError.TE_IN_HTTP_1_0),
                arguments(resp("HTTP/2 200"), HttpError.BAD_STATUS_LINE),
                arguments(resp("HTTP/2.0 200 OK"), HttpError.VERSION_NOT_SUPPORTED),
                arguments(resp("HTTP/1.1 20 OK"), HttpError.BAD_STATUS_LINE),
                arguments(resp("HTTP/1.1 2000 OK"), HttpError.BAD_STATUS_LINE),
                arguments(resp("HTTP/1.1 099 Low"), HttpError.BAD_STATUS_LINE),
                arguments(resp("HTTP/1.1 600 High"), HttpError.BAD_STATUS_LINE),
                arguments(resp("HTTP/1.1 200OK"), HttpError.BAD_STATUS_LINE),
                arguments(resp("http/1.1 200 OK"), HttpError.BAD_STATUS_LINE),
                arguments(resp("HTTP/1.1 200 OK", "X(: y"), HttpError.BAD_FIELD_NAME),
                arguments(resp("HTTP/1.1 200 OK", "X: a\u0000"), HttpError.BAD_FIELD_VALUE)
        );
    }

    @ParameterizedTest
    @MethodSource("rejected")
    void rejects(String message, HttpError expected) {
        assertThat(outcome(message, Method.GET)).isEqualTo(expected.name());
    }

    @Test
    void interimResponsesAreHeadsOfTheirOwn() {
        String all = resp("HTTP/1.1 100 Continue") + resp("HTTP/1.1 103 Early Hints", "Link: </s.js>")
                + resp("HTTP/1.1 200 OK", "Content-Length: 2") + "ok";
        ByteBuf buf = Wire.buffer(true).writeBytes(Wire.bytes(all));
        try {
            ResponseHeadParser parser = new ResponseHeadParser(HttpLimits.DEFAULTS);
            ResponseHead head = new ResponseHead();
            List<String> seen = new ArrayList<>();
            while (true) {
                assertThat(parser.parse(buf, head, Method.POST)).isEqualTo(ParseProgress.DONE);
                buf.skipBytes(head.length());
                seen.add(head.status() + (head.isInterim() ? " interim" : " final"));
                if (!head.isInterim()) {
                    break;
                }
            }
            assertThat(seen).containsExactly("100 interim", "103 interim", "200 final");
            assertThat(Wire.string(buf)).isEqualTo("ok");
        } finally {
            buf.release();
        }
    }
}
