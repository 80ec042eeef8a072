package dev.synedge.http;

import static dev.synedge.http.RequestHeadParserTest.req;
import static dev.synedge.http.RequestHeadWriterTest.forward;
import static dev.synedge.http.RequestHeadWriterTest.lines;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What a proxy reads from a request to stop it going around in circles (RFC 9110 §7.6): the
 * received-by names in Via, and Max-Forwards, which TRACE and OPTIONS carry one less per hop.
 */
class HopCountsTest {

    private static final byte[] PSEUDONYM = "synedge".getBytes(StandardCharsets.US_ASCII);

    private static RequestHead parse(ByteBuf in, String request) {
        in.writeBytes(Wire.bytes(request));
        RequestHead head = new RequestHead();
        assertThat(new RequestHeadParser(HttpLimits.DEFAULTS).parse(in, head)).isEqualTo(ParseProgress.DONE);
        return head;
    }

    @ParameterizedTest(name = "Via: {0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            1.1 synedge                          | true
            1.1 SynEdge                          | true
            HTTP/1.1 synedge                     | true
            1.0 fred, 1.1 synedge (edge, eu-1)   | true
            1.0 fred,1.1 synedge                 | true
            1.1 synedge:8080                     | false
            1.1 fred (synedge), 1.1 p.example    | false
            1.1 fred (a \\) synedge, b), 1.1 x   | false
            1.1 synedge-2                        | false
            1.1 edge, 1.0 fred                   | false
            synedge                              | false
            """)
    void viaNamesAReceivedByAsAWholeToken(String via, boolean named) {
        ByteBuf in = Unpooled.buffer();
        try {
            RequestHead head = parse(in, req("GET / HTTP/1.1", "Host: a", "Via: " + via));
            assertThat(head.viaReceivedBy(PSEUDONYM)).isEqualTo(named);
        } finally {
            in.release();
        }
    }

    @ParameterizedTest(name = "Max-Forwards: {0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            0           | 0
            7           | 7
            99999999999 | 2147483647
            -1          | -1
            1x          | -1
            ''          | -1
            """)
    void maxForwardsIsADecimalOrAbsent(String value, int read) {
        ByteBuf in = Unpooled.buffer();
        try {
            RequestHead head = parse(in, req("OPTIONS * HTTP/1.1", "Host: a", "Max-Forwards: " + value));
            assertThat(head.maxForwards()).isEqualTo(read);
        } finally {
            in.release();
        }
    }

    @ParameterizedTest(name = "{0} with Max-Forwards: {1} goes up with {2}")
    @CsvSource(delimiter = '|', textBlock = """
            TRACE   | 5  | Max-Forwards: 4
            OPTIONS | 1  | Max-Forwards: 0
            GET     | 5  | Max-Forwards: 5
            TRACE   | x1 | Max-Forwards: x1
            """)
    void traceAndOptionsGoUpWithOneHopLess(String method, String value, String forwarded) {
        String out = forward(RequestHeadWriterTest.writer(ForwardedMode.OFF, ForwardedMode.OFF),
                req(method + " /p HTTP/1.1", "Host: a", "Max-Forwards: " + value, "X-After: 1"),
                RequestHeadWriterTest.hop("192.0.2.1", false, false), false);

        assertThat(out).contains(forwarded + "\r\n").containsOnlyOnce("Max-Forwards");
        if (!forwarded.endsWith(value)) {
            assertThat(out).isEqualTo(lines(method + " /p HTTP/1.1", "Host: a", "X-After: 1", "Via: 1.1 synedge",
                    forwarded));
        }
    }
}
