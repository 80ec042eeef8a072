package dev.synedge.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BodyDecoderTest {

    /** maxChunkLineBytes 16 and maxTrailerBytes 32 to reach the limits with short inputs. */
    private static final HttpLimits SMALL = new HttpLimits(32, 128, 4, 16, 32);

    /**
     * Drives a decoder over {@code input} fed in {@code pieces}, the way a relay would: data
     * bytes are moved to the output as soon as {@code dataRemaining()} allows, framing goes
     * through {@code readFraming} (re-emitted into the same output when {@code passThrough}).
     * The input buffer is compacted between reads. Returns the outcome, the relayed stream and
     * the input left after the body.
     */
    static String relay(BodyDecoder decoder, String input, int[] pieces, boolean passThrough, boolean direct) {
        byte[] bytes = Wire.bytes(input);
        ByteBuf in = Wire.buffer(direct);
        ByteBuf out = Unpooled.buffer();
        try {
            int at = 0;
            int piece = 0;
            while (!decoder.isComplete()) {
                long n = decoder.dataRemaining();
                if (n > 0 && in.isReadable()) {
                    int k = (int) Math.min(n, in.readableBytes());
                    out.writeBytes(in, k);
                    decoder.dataConsumed(k);
                    continue;
                }
                if (n == 0) {
                    ParseResult r = decoder.readFraming(in, passThrough ? out : null);
                    if (r instanceof HttpError e) {
                        return e.name();
                    }
                    if (r == ParseProgress.DONE) {
                        assertThat(decoder.isComplete() || decoder.dataRemaining() > 0).isTrue();
                        continue;
                    }
                }
                if (piece == pieces.length) {
                    ParseResult end = decoder.endOfInput();
                    if (end instanceof HttpError e) {
                        return e.name() + " after " + Wire.string(out);
                    }
                    break;
                }
                in.discardReadBytes();
                in.writeBytes(bytes, at, pieces[piece]);
                at += pieces[piece++];
            }
            return "DONE " + Wire.string(out) + "|rest=" + Wire.string(in) + new String(bytes, at, bytes.length - at,
                    java.nio.charset.StandardCharsets.ISO_8859_1);
        } finally {
            in.release();
            out.release();
        }
    }

    /** The outcome for every split, heap and direct; they must all agree. */
    static String relay(BodyKind kind, long length, String input, boolean passThrough, HttpLimits limits) {
        List<String> outcomes = new ArrayList<>();
        for (boolean direct : new boolean[] {false, true}) {
            for (int[] pieces : Wire.splits(input.length(), input.hashCode())) {
                BodyDecoder decoder = new BodyDecoder(limits);
                decoder.reset(kind, length);
                outcomes.add(relay(decoder, input, pieces, passThrough, direct));
            }
        }
        assertThat(outcomes).as("same outcome for every split of %s", input).containsOnly(outcomes.get(0));
        return outcomes.get(0);
    }

    static String chunked(String input, boolean passThrough) {
        return relay(BodyKind.CHUNKED, -1, input, passThrough, HttpLimits.DEFAULTS);
    }

    static Stream<Arguments> validChunked() {
        return Stream.of(
                arguments("5\r\nhello\r\n0\r\n\r\n", "5\r\nhello\r\n0\r\n\r\n", "hello"),
                arguments("5\r\nhello\r\n6\r\n world\r\n0\r\n\r\nGET /", "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n|rest=GET /", "hello world|rest=GET /"),
                arguments("0\r\n\r\n", "0\r\n\r\n", ""),
                arguments("000005\r\nhello\r\n000\r\n\r\n", "5\r\nhello\r\n0\r\n\r\n", "hello"),
                arguments("A\r\n0123456789\r\n0\r\n\r\n", "a\r\n0123456789\r\n0\r\n\r\n", "0123456789"),
                arguments("a;ext=1;q=\"x; \\\"y\\\"\"\r\n0123456789\r\n0;last\r\n\r\n", "a\r\n0123456789\r\n0\r\n\r\n", "0123456789"),
                arguments("1 ;a = b\t;c\r\nx\r\n0\r\n\r\n", "1\r\nx\r\n0\r\n\r\n", "x"),
                arguments("1\r\nx\r\n0\r\nX-Checksum: abc\r\nContent-Length: 5\r\nx-t:1 \r\n\r\n",
                        "1\r\nx\r\n0\r\nX-Checksum: abc\r\nx-t:1 \r\n\r\n", "x"),
                arguments("2\r\n\r\n\r\n0\r\n\r\n", "2\r\n\r\n\r\n0\r\n\r\n", "\r\n")
        );
    }

    @ParameterizedTest
    @MethodSource("validChunked")
    void passesChunkedThroughNormalized(String input, String relayed, String data) {
        assertThat(chunked(input, true)).isEqualTo("DONE " + relayed + (relayed.contains("|rest=") ? "" : "|rest="));
        assertThat(chunked(input, false)).isEqualTo("DONE " + data + (data.contains("|rest=") ? "" : "|rest="));
    }

    static Stream<Arguments> invalidChunked() {
        return Stream.of(
                arguments("0x5\r\nhello\r\n0\r\n\r\n", HttpError.BAD_CHUNK_SIZE),
                arguments(" 5\r\nhello\r\n0\r\n\r\n", HttpError.BAD_CHUNK_SIZE),
                arguments("5 \r\nhello\r\n0\r\n\r\n", HttpError.BAD_CHUNK_SIZE),
                arguments("\t5\r\nhello\r\n0\r\n\r\n", HttpError.BAD_CHUNK_SIZE),
                arguments("+5\r\nhello\r\n0\r\n\r\n", HttpError.BAD_CHUNK_SIZE),
                arguments("-5\r\nhello\r\n0\r\n\r\n", HttpError.BAD_CHUNK_SIZE),
                arguments("g\r\n", HttpError.BAD_CHUNK_SIZE),
                arguments("\r\n", HttpError.BAD_CHUNK_SIZE),
                arguments("5\nhello\r\n0\r\n\r\n", HttpError.BARE_LF),
                arguments("\n", HttpError.BARE_LF),
                arguments("5\rhello\r\n0\r\n\r\n", HttpError.BARE_CR),
                arguments("5;a\rb\r\nhello\r\n0\r\n\r\n", HttpError.BARE_CR),
                arguments("8000000000000000\r\n", HttpError.CHUNK_SIZE_TOO_LARGE),
                arguments("ffffffffffffffffff\r\n", HttpError.CHUNK_SIZE_TOO_LARGE),
                arguments("5;\r\nhello\r\n0\r\n\r\n", HttpError.BAD_CHUNK_EXTENSION),
                arguments("5;=a\r\nhello\r\n0\r\n\r\n", HttpError.BAD_CHUNK_EXTENSION),
                arguments("5;a=\r\nhello\r\n0\r\n\r\n", HttpError.BAD_CHUNK_EXTENSION),
                arguments("5;a b\r\nhello\r\n0\r\n\r\n", HttpError.BAD_CHUNK_EXTENSION),
                arguments("5;a \r\nhello\r\n0\r\n\r\n", HttpError.BAD_CHUNK_EXTENSION),
                arguments("5;a=\"x\r\nhello\r\n0\r\n\r\n", HttpError.BAD_CHUNK_EXTENSION),
                arguments("5;a=\"\u0001\"\r\nhello\r\n0\r\n\r\n", HttpError.BAD_CHUNK_EXTENSION),
                arguments("5;a=b,c\r\nhello\r\n0\r\n\r\n", HttpError.BAD_CHUNK_EXTENSION),
                arguments("5\r\nhelloX\r\n0\r\n\r\n", HttpError.BAD_CHUNK_END),
                arguments("5\r\nhello\n0\r\n\r\n", HttpError.BARE_LF),
                arguments("5\r\nhello\rX0\r\n\r\n", HttpError.BARE_CR),
                arguments("0\r\nX: a\n\r\n", HttpError.BARE_LF),
                arguments("0\r\n\n", HttpError.BARE_LF),
                arguments("0\r\nX: a\r\n b\r\n\r\n", HttpError.OBS_FOLD),
                arguments("0\r\nX : a\r\n\r\n", HttpError.SPACE_BEFORE_COLON),
                arguments("0\r\nX(: a\r\n\r\n", HttpError.BAD_FIELD_NAME),
                arguments("0\r\nX\r\n\r\n", HttpError.BAD_FIELD_NAME),
                arguments("0\r\nX: a\u0000\r\n\r\n", HttpError.BAD_FIELD_VALUE),
                arguments("0\r\nX: a\rb\r\n\r\n", HttpError.BARE_CR)
        );
    }

    @ParameterizedTest
    @MethodSource("invalidChunked")
    void rejectsMalformedChunked(String input, HttpError expected) {
        assertThat(chunked(input, true)).isEqualTo(expected.name());
        assertThat(chunked(input, false)).isEqualTo(expected.name());
    }

    @Test
    void chunkLineLimitAtTheBoundary() {
        String ext16 = "1;" + "a".repeat(14);
        assertThat(relay(BodyKind.CHUNKED, -1, ext16 + "\r\nx\r\n0\r\n\r\n", true, SMALL)).isEqualTo("DONE 1\r\nx\r\n0\r\n\r\n|rest=");
        assertThat(relay(BodyKind.CHUNKED, -1, ext16 + "a\r\nx\r\n0\r\n\r\n", true, SMALL)).isEqualTo("CHUNK_LINE_TOO_LONG");
        assertThat(relay(BodyKind.CHUNKED, -1, "1;" + "a".repeat(40), true, SMALL)).isEqualTo("CHUNK_LINE_TOO_LONG");
        assertThat(relay(BodyKind.CHUNKED, -1, "0".repeat(17) + "\r\n\r\n", true, SMALL)).isEqualTo("CHUNK_LINE_TOO_LONG");
    }

    @Test
    void trailerLimitAtTheBoundary() {
        String thirtyTwo = "X-T: " + "v".repeat(25) + "\r\n";
        assertThat(thirtyTwo).hasSize(32);
        assertThat(relay(BodyKind.CHUNKED, -1, "0\r\n" + thirtyTwo + "\r\n", true, SMALL))
                .isEqualTo("DONE 0\r\n" + thirtyTwo + "\r\n|rest=");
        String split = "X-A: 1\r\n" + "X-T: " + "v".repeat(17) + "\r\n";
        assertThat(split).hasSize(32);
        assertThat(relay(BodyKind.CHUNKED, -1, "0\r\n" + split + "\r\n", true, SMALL)).startsWith("DONE ");
        assertThat(relay(BodyKind.CHUNKED, -1, "0\r\n" + split + "Y: 1\r\n\r\n", true, SMALL)).isEqualTo("TRAILER_TOO_LARGE");
        assertThat(relay(BodyKind.CHUNKED, -1, "0\r\nX-T: " + "v".repeat(26) + "\r\n\r\n", true, SMALL)).isEqualTo("TRAILER_TOO_LARGE");
        assertThat(relay(BodyKind.CHUNKED, -1, "0\r\nX-T: " + "v".repeat(100), true, SMALL)).isEqualTo("TRAILER_TOO_LARGE");
        HttpLimits none = new HttpLimits(32, 128, 4, 16, 0);
        assertThat(relay(BodyKind.CHUNKED, -1, "0\r\n\r\n", true, none)).isEqualTo("DONE 0\r\n\r\n|rest=");
        assertThat(relay(BodyKind.CHUNKED, -1, "0\r\nX: 1\r\n\r\n", true, none)).isEqualTo("TRAILER_TOO_LARGE");
    }

    @Test
    void truncatedBodies() {
        assertThat(chunked("5\r\nhel", true)).isEqualTo("TRUNCATED_BODY after 5\r\nhel");
        assertThat(chunked("5\r\nhello\r\n0\r\n", true)).isEqualTo("TRUNCATED_BODY after 5\r\nhello\r\n");
        assertThat(relay(BodyKind.CONTENT_LENGTH, 10, "hello", false, HttpLimits.DEFAULTS)).isEqualTo("TRUNCATED_BODY after hello");
    }

    @Test
    void trailersAreHeldBackUntilTheSectionIsValid() {
        // the last chunk is only emitted with a valid, complete trailer section
        assertThat(chunked("1\r\nx\r\n0\r\nX: 1\r\nY: \u0000\r\n\r\n", true)).isEqualTo("BAD_FIELD_VALUE");
        BodyDecoder decoder = new BodyDecoder(HttpLimits.DEFAULTS);
        decoder.reset(BodyKind.CHUNKED, -1);
        ByteBuf in = Unpooled.buffer().writeBytes(Wire.bytes("0\r\nX: 1\r\n"));
        ByteBuf out = Unpooled.buffer();
        try {
            assertThat(decoder.readFraming(in, out)).isEqualTo(ParseProgress.NEED_MORE);
            assertThat(out.readableBytes()).isZero();
            in.writeBytes(Wire.bytes("\r\n"));
            assertThat(decoder.readFraming(in, out)).isEqualTo(ParseProgress.DONE);
            assertThat(Wire.string(out)).isEqualTo("0\r\nX: 1\r\n\r\n");
        } finally {
            in.release();
            out.release();
        }
    }

    @Test
    void contentLengthBodies() {
        assertThat(relay(BodyKind.CONTENT_LENGTH, 5, "helloGET /", false, HttpLimits.DEFAULTS)).isEqualTo("DONE hello|rest=GET /");
        assertThat(relay(BodyKind.CONTENT_LENGTH, 0, "GET /", false, HttpLimits.DEFAULTS)).isEqualTo("DONE |rest=GET /");
        BodyDecoder decoder = new BodyDecoder(HttpLimits.DEFAULTS);
        decoder.reset(BodyKind.CONTENT_LENGTH, 10);
        assertThat(decoder.dataRemaining()).isEqualTo(10);
        decoder.dataConsumed(4);
        assertThat(decoder.dataRemaining()).isEqualTo(6);
        assertThat(decoder.isComplete()).isFalse();
        assertThatThrownBy(() -> decoder.dataConsumed(7)).isInstanceOf(IllegalArgumentException.class);
        decoder.dataConsumed(6);
        assertThat(decoder.isComplete()).isTrue();
        assertThat(decoder.dataRemaining()).isZero();
        assertThat(decoder.endOfInput()).isEqualTo(ParseProgress.DONE);
    }

    @Test
    void noBodyAndCloseDelimited() {
        BodyDecoder decoder = new BodyDecoder(HttpLimits.DEFAULTS);
        decoder.reset(BodyKind.NONE, -1);
        assertThat(decoder.isComplete()).isTrue();
        assertThat(decoder.dataRemaining()).isZero();
        decoder.reset(BodyKind.CLOSE_DELIMITED, -1);
        assertThat(decoder.dataRemaining()).isEqualTo(Long.MAX_VALUE);
        decoder.dataConsumed(1 << 20);
        assertThat(decoder.dataRemaining()).isEqualTo(Long.MAX_VALUE);
        assertThat(decoder.isComplete()).isFalse();
        assertThat(decoder.endOfInput()).isEqualTo(ParseProgress.DONE);
        assertThat(decoder.isComplete()).isTrue();
        assertThat(relay(BodyKind.CLOSE_DELIMITED, -1, "all of it\r\n0\r\n\r\n", false, HttpLimits.DEFAULTS))
                .isEqualTo("DONE all of it\r\n0\r\n\r\n|rest=");
    }

    @Test
    void hugeChunkSizeIsAnnouncedNotRead() {
        BodyDecoder decoder = new BodyDecoder(HttpLimits.DEFAULTS);
        decoder.reset(BodyKind.CHUNKED, -1);
        ByteBuf in = Unpooled.copiedBuffer(Wire.bytes("7fffffffffffffff\r\nabc"));
        ByteBuf out = Unpooled.buffer();
        try {
            assertThat(decoder.readFraming(in, out)).isEqualTo(ParseProgress.DONE);
            assertThat(decoder.dataRemaining()).isEqualTo(Long.MAX_VALUE);
            assertThat(Wire.string(out)).isEqualTo("7fffffffffffffff\r\n");
            assertThat(Wire.string(in)).isEqualTo("abc");
        } finally {
            in.release();
            out.release();
        }
    }

    @Test
    void decoderIsReusable() {
        BodyDecoder decoder = new BodyDecoder(HttpLimits.DEFAULTS);
        decoder.reset(BodyKind.CHUNKED, -1);
        assertThat(relay(decoder, "5\r\nhel", new int[] {6}, true, false)).startsWith("TRUNCATED_BODY");
        decoder.reset(BodyKind.CHUNKED, -1);
        assertThat(relay(decoder, "3\r\nabc\r\n0\r\n\r\n", new int[] {13}, true, false)).isEqualTo("DONE 3\r\nabc\r\n0\r\n\r\n|rest=");
    }
}
