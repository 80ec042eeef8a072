package dev.synedge.loadtest.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Framing of responses as they come off a socket: every response is fed whole, split at every
 * byte, and byte by byte, and must parse the same way each time.
 */
class ResponseParserTest {

    private final ReadBuffer buffer = new ReadBuffer(64 * 1024);

    @AfterEach
    void close() {
        buffer.close();
    }

    /** What the parser made of one response. */
    record Parsed(int status, long bodyBytes, boolean keepAlive, boolean checksumPresent, boolean checksumMatches) {}

    /** Feeds {@code wire} in pieces of the given sizes (the last piece takes the rest). */
    private List<Parsed> parse(String wire, boolean head, int... pieces) throws MalformedResponseException {
        byte[] bytes = wire.getBytes(StandardCharsets.ISO_8859_1);
        ResponseParser parser = new ResponseParser(true);
        parser.reset(head);
        List<Parsed> out = new ArrayList<>();
        int at = 0;
        int piece = 0;
        while (at < bytes.length) {
            int n = piece < pieces.length ? Math.min(pieces[piece++], bytes.length - at) : bytes.length - at;
            MemorySegment.copy(MemorySegment.ofArray(bytes), at, buffer.segment(), 0, n);
            int offset = 0;
            while (offset < n) {
                offset = parser.feed(buffer, offset, n);
                if (parser.complete()) {
                    out.add(new Parsed(parser.status(), parser.bodyBytes(), parser.keepAlive(),
                            parser.checksumPresent(), parser.checksumMatches()));
                    parser.reset(head);
                }
            }
            at += n;
        }
        if (parser.started() && parser.endOfInput()) {
            out.add(new Parsed(parser.status(), parser.bodyBytes(), parser.keepAlive(), parser.checksumPresent(),
                    parser.checksumMatches()));
        }
        return out;
    }

    /** Parses whole, at every two-piece split, and byte by byte; all must agree. */
    private List<Parsed> parseEveryWay(String wire, boolean head) throws MalformedResponseException {
        List<Parsed> whole = parse(wire, head);
        for (int split = 1; split < wire.length(); split++) {
            assertThat(parse(wire, head, split)).as("split at %d", split).isEqualTo(whole);
        }
        int[] ones = new int[wire.length()];
        java.util.Arrays.fill(ones, 1);
        assertThat(parse(wire, head, ones)).as("byte by byte").isEqualTo(whole);
        return whole;
    }

    private static String crc(String body) {
        CRC32C crc = new CRC32C();
        crc.update(body.getBytes(StandardCharsets.ISO_8859_1));
        return String.format("%08x", crc.getValue());
    }

    @Test
    void contentLengthWithChecksum() throws Exception {
        String body = "hello, world";
        List<Parsed> r = parseEveryWay("HTTP/1.1 200 OK\r\nContent-Length: 12\r\nX-Body-Checksum: " + crc(body)
                + "\r\n\r\n" + body, false);
        assertThat(r).containsExactly(new Parsed(200, 12, true, true, true));
    }

    @Test
    void checksumMismatchIsSeen() throws Exception {
        List<Parsed> r = parseEveryWay("HTTP/1.1 200 OK\r\ncontent-length: 5\r\nx-body-checksum: "
                + crc("hellO") + "\r\n\r\nhello", false);
        assertThat(r).containsExactly(new Parsed(200, 5, true, true, false));
    }

    @Test
    void chunkedWithExtensionsAndTrailers() throws Exception {
        String wire = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-Body-Checksum: " + crc("abcdefghij")
                + "\r\n\r\n3;name=value\r\nabc\r\n7\r\ndefghij\r\n0\r\nX-Trailer: 1\r\nY: 2\r\n\r\n";
        assertThat(parseEveryWay(wire, false)).containsExactly(new Parsed(200, 10, true, true, true));
    }

    @Test
    void interimResponsesAreSkipped() throws Exception {
        String wire = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
                + "HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok";
        assertThat(parseEveryWay(wire, false)).containsExactly(new Parsed(201, 2, true, false, true));
    }

    @Test
    void pipelinedResponsesFollowEachOther() throws Exception {
        String one = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";
        String two = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n";
        String three = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n1\r\nx\r\n0\r\n\r\n";
        assertThat(parseEveryWay(one + two + three, false)).containsExactly(
                new Parsed(200, 5, true, false, true), new Parsed(404, 0, true, false, true),
                new Parsed(200, 1, false, false, true));
    }

    @Test
    void noBodyForHeadAnd204And304() throws Exception {
        assertThat(parseEveryWay("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n", true))
                .containsExactly(new Parsed(200, 0, true, false, true));
        assertThat(parseEveryWay("HTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 304 Not Modified\r\n\r\n", false))
                .containsExactly(new Parsed(204, 0, true, false, true), new Parsed(304, 0, true, false, true));
    }

    @Test
    void closeDelimitedBodyEndsWithTheConnection() throws Exception {
        assertThat(parseEveryWay("HTTP/1.1 200 OK\r\n\r\nuntil the end", false))
                .containsExactly(new Parsed(200, 13, false, false, true));
    }

    @Test
    void persistenceFollowsVersionAndConnectionField() throws Exception {
        assertThat(parseEveryWay("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", false).getFirst().keepAlive()).isFalse();
        assertThat(parseEveryWay("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n", false)
                .getFirst().keepAlive()).isTrue();
        assertThat(parseEveryWay("HTTP/1.1 200 OK\r\nConnection: foo, close\r\nContent-Length: 0\r\n\r\n", false)
                .getFirst().keepAlive()).isFalse();
    }

    @Test
    void truncatedResponseDoesNotComplete() throws Exception {
        ResponseParser parser = new ResponseParser(true);
        parser.reset(false);
        byte[] bytes = "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc".getBytes(StandardCharsets.ISO_8859_1);
        MemorySegment.copy(MemorySegment.ofArray(bytes), 0, buffer.segment(), 0, bytes.length);
        assertThat(parser.feed(buffer, 0, bytes.length)).isEqualTo(bytes.length);
        assertThat(parser.complete()).isFalse();
        assertThat(parser.started()).isTrue();
        assertThat(parser.endOfInput()).isFalse();
        assertThat(parser.bodyBytes()).isEqualTo(3);
    }

    @Test
    void malformedResponsesAreRefused() {
        for (String wire : List.of(
                "HTTP/2 200 OK\r\n\r\n",
                "HTTP/1.1 2x0 OK\r\nContent-Length: 0\r\n\r\n",
                "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
                "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nab\r\n",
                "HTTP/1.1 200 OK\r\nno colon here\r\n\r\n",
                "HTTP/1.1 200 OK\r\nX-Body-Checksum: 123\r\nContent-Length: 0\r\n\r\n")) {
            assertThatThrownBy(() -> parse(wire, false)).as(wire).isInstanceOf(MalformedResponseException.class);
        }
    }

    @Test
    void headsSplitAcrossReadsMayBeLong() throws Exception {
        String filler = "X-Filler: " + "f".repeat(2000) + "\r\n";
        String wire = "HTTP/1.1 200 OK\r\n" + filler.repeat(10) + "Content-Length: 3\r\n\r\nabc";
        assertThat(parse(wire, false, 700, 700, 700, 5000, 10)).containsExactly(new Parsed(200, 3, true, false, true));
    }
}
