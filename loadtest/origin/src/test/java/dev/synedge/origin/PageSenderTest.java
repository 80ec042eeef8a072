package dev.synedge.origin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/**
 * The {@code MSG_ZEROCOPY} origin over real sockets: the Netty origin's bytes, keep-alive, HEAD,
 * and clear answers to what it does not serve.
 */
class PageSenderTest {

    @Test
    void servesThePatternOnOneConnectionRequestAfterRequest() throws Exception {
        try (PageSender sender = PageSender.start(InetAddress.getLoopbackAddress(), 0);
             RawConnection c = new RawConnection(sender.address().getPort())) {
            for (String path : new String[] {"/16m.bin", "/1m", "/1", "/0", "/1048577"}) {
                RawResponse r = c.send("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n").read();
                assertThat(r.status()).as(path).isEqualTo(200);
                long size = Long.parseLong(r.header("Content-Length"));
                assertThat(r.body()).as(path).hasSize((int) size);
                ExpectedBody.assertPattern(r.body());
                assertThat(r.header("X-Body-Checksum")).isEqualTo(ExpectedBody.crcHex(r.body()));
            }
            RawResponse head = c.send("HEAD /16m.bin HTTP/1.1\r\nHost: x\r\n\r\n").read(true);
            assertThat(head.header("Content-Length")).isEqualTo(String.valueOf(16 << 20));
            RawResponse missing = c.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertThat(missing.status()).isEqualTo(404);
            RawResponse after = c.send("GET /64k?x=1 HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertThat(after.body()).hasSize(64 << 10);
            ExpectedBody.assertPattern(after.body());
        }
    }

    @Test
    void refusesOtherMethodsAndClosesWhenAsked() throws Exception {
        try (PageSender sender = PageSender.start(InetAddress.getLoopbackAddress(), 0)) {
            try (RawConnection c = new RawConnection(sender.address().getPort())) {
                RawResponse r = c.send("POST /1m HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n").read();
                assertThat(r.status()).isEqualTo(405);
                assertThat(r.header("Connection")).isEqualTo("close");
                assertThat(c.socket.getInputStream().read()).as("closed after").isEqualTo(-1);
            }
            try (RawConnection c = new RawConnection(sender.address().getPort())) {
                RawResponse r = c.send("GET /1k HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").read();
                assertThat(r.body()).hasSize(1024);
                assertThat(c.socket.getInputStream().read()).as("closed after").isEqualTo(-1);
            }
        }
    }
}
