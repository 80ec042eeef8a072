package dev.synedge.http;

import static dev.synedge.http.RequestHeadParserTest.req;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ErrorResponseTest {

    private static RequestHead parse(String request, ByteBuf holder) {
        holder.writeBytes(Wire.bytes(request));
        RequestHead head = new RequestHead();
        assertThat(new RequestHeadParser(HttpLimits.DEFAULTS).parse(holder, head)).isEqualTo(ParseProgress.DONE);
        return head;
    }

    @Test
    void badRequestClosesTheConnection() {
        ByteBuf out = Unpooled.buffer();
        try {
            int n = ErrorResponse.write(out, HttpError.BARE_LF);
            assertThat(n).isEqualTo(out.readableBytes());
            assertThat(Wire.string(out)).isEqualTo("HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\n"
                    + "Content-Length: 16\r\nConnection: close\r\n\r\n400 Bad Request\n");
        } finally {
            out.release();
        }
    }

    @Test
    void connectionFieldFollowsTheClient() {
        ByteBuf in = Unpooled.buffer();
        ByteBuf out = Unpooled.buffer();
        try {
            RequestHead http11 = parse(req("GET / HTTP/1.1", "Host: h"), in);
            ErrorResponse.write(out, 404, http11, false);
            assertThat(Wire.string(out)).isEqualTo("HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\n"
                    + "Content-Length: 14\r\n\r\n404 Not Found\n");
            out.clear();
            in.clear();
            RequestHead http10 = parse(req("GET / HTTP/1.0", "Connection: keep-alive"), in);
            ErrorResponse.write(out, 404, http10, false);
            assertThat(Wire.string(out)).contains("\r\nConnection: keep-alive\r\n\r\n404 Not Found\n");
            out.clear();
            ErrorResponse.write(out, 503, http10, true);
            assertThat(Wire.string(out)).contains("\r\nConnection: close\r\n\r\n503 Service Unavailable\n");
            out.clear();
            in.clear();
            RequestHead head = parse(req("HEAD / HTTP/1.1", "Host: h"), in);
            ErrorResponse.write(out, 502, head, false);
            assertThat(Wire.string(out)).isEqualTo("HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/plain\r\n"
                    + "Content-Length: 16\r\n\r\n");
            out.clear();
            in.clear();
            RequestHead get = parse(req("GET / HTTP/1.1", "Host: h", "Connection: close"), in);
            ErrorResponse.writeMethodNotAllowed(out, Wire.bytes("GET, HEAD"), get, false);
            assertThat(Wire.string(out)).isEqualTo("HTTP/1.1 405 Method Not Allowed\r\nContent-Type: text/plain\r\n"
                    + "Content-Length: 23\r\nConnection: close\r\nAllow: GET, HEAD\r\n\r\n405 Method Not Allowed\n");
        } finally {
            in.release();
            out.release();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 404, 408, 413, 414, 429, 431, 501, 502, 503, 504, 505})
    void everyCannedResponseIsAValidMessage(int status) {
        ByteBuf out = Unpooled.buffer();
        try {
            ErrorResponse.write(out, status, null, false);
            ResponseHead head = new ResponseHead();
            assertThat(new ResponseHeadParser(HttpLimits.DEFAULTS).parse(out, head, Method.GET)).isEqualTo(ParseProgress.DONE);
            assertThat(head.status()).isEqualTo(status);
            assertThat(head.keepAlive()).isFalse();
            assertThat(out.readableBytes() - head.length()).isEqualTo(head.contentLength());
            assertThat(out.toString(head.length(), (int) head.contentLength(), java.nio.charset.StandardCharsets.US_ASCII))
                    .startsWith(status + " ").endsWith("\n");
        } finally {
            out.release();
        }
    }

    @Test
    void tooManyRequestsSaysWhenToTryAgain() {
        ByteBuf out = Unpooled.buffer();
        try {
            ErrorResponse.write(out, 429, null, true);
            assertThat(Wire.string(out)).isEqualTo("HTTP/1.1 429 Too Many Requests\r\nContent-Type: text/plain\r\n"
                    + "Content-Length: 22\r\nRetry-After: 1\r\nConnection: close\r\n\r\n429 Too Many Requests\n");
        } finally {
            out.release();
        }
    }

    @Test
    void unknownStatusesAreRefused() {
        ByteBuf out = Unpooled.buffer();
        try {
            assertThatThrownBy(() -> ErrorResponse.write(out, 418, null, true)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> ErrorResponse.write(out, 405, null, true)).isInstanceOf(IllegalArgumentException.class);
            assertThat(ErrorResponse.has(504)).isTrue();
            assertThat(ErrorResponse.has(418)).isFalse();
            assertThat(out.readableBytes()).isZero();
        } finally {
            out.release();
        }
    }

    @Test
    void everyRequestErrorHasACannedResponse() {
        for (HttpError e : HttpError.values()) {
            assertThat(ErrorResponse.has(e.status())).as(e.name()).isTrue();
        }
    }
}
